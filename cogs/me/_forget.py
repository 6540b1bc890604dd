"""``/me forget``: the confirmation, the erasure and the notices it owes to other people."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.delivery import resolve_messageable
from bot.adapter.render import BRAND_COLOUR, NO_MENTIONS, mention_users
from bot.adapter.ui import PersistentButton
from bot.datarights.forget import ForgetReport, forget_member, guilds_with_data, plan
from bot.datarights.registry import BY_TABLE
from bot.errors import NotAllowed
from bot.i18n import number, t, tn

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

def labels(locale: str | None) -> dict[str, str]:
    """Readable names of what a table holds, for the confirmation, in the member's language."""
    return {
        "member_settings": t(
            locale, "your preferences (time zone, quiet hours, away time, summary choice), for every server"
        ),
        "checkin_answers": t(locale, "check-in answers"),
        "checkin_reminders": t(locale, "check-in reminders sent to you"),
        "checkins": t(locale, "check-ins you created"),
        "commitments": t(locale, "commitments"),
        "commitment_events": t(locale, "commitment history entries"),
        "summaries": t(locale, "summaries you asked for"),
        "summary_action_items": t(locale, "summary action items of yours"),
        "repairs": t(locale, "repairs you are in"),
        "repair_views": t(locale, "your repair views"),
        "repair_reflections": t(locale, "your reflections in repairs"),
        "repair_ownership": t(locale, "your parts owned in repairs"),
        "repair_consents": t(locale, "your repair approvals"),
        "repair_followups": t(locale, "your repair follow-up answers"),
        "clarifications": t(locale, "clarification requests"),
        "wins": t(locale, "wins"),
        "feedback_votes": t(locale, "feedback votes"),
        "feedback_notes": t(locale, "feedback notes"),
        "server_feedback": t(locale, "feedback you posted (anonymous feedback has no author and cannot be found)"),
        "digest_schedules": t(locale, "the weekly digest you set up"),
        "data_rights_outbox": t(locale, "notices waiting for you"),
        "member_blocks": t(locale, "blocks you set, or that name you"),
        "member_cooldowns": t(locale, "your usage counts for the cooldowns"),
    }


def kept_reasons(locale: str | None) -> dict[str, str]:
    """Why a row that stays keeps existing (with the member's id replaced), in the member's language; the same
    reasons as the data-rights registry gives."""
    return {
        "checkins": t(locale, "a check-in belongs to the server; its creator is replaced by a tombstone"),
        "commitments": t(
            locale, "a promise between two people stays the other person's record; one's own promises go"
        ),
        "commitment_events": t(locale, "history of a commitment that stays (the member's own notes are emptied)"),
        "summaries": t(
            locale, "a summary of a conversation belongs to everyone in it; the member's lines are dropped"
        ),
        "repairs": t(
            locale,
            "the other person's words in a repair stay theirs; the repair is ended and its joint summary, topic and "
            "close note (if theirs) are emptied",
        ),
        "repair_reflections": t(
            locale,
            "what a member heard goes; what the other person heard from them stays theirs, without the member's "
            "answer",
        ),
        "clarifications": t(locale, "a request the member asked goes; one asked of them stays the asker's"),
        "wins": t(locale, "a win posted for someone else stays theirs"),
        "digest_schedules": t(locale, "the server's digest; its creator is replaced by a tombstone"),
    }


def confirmation_text(report: ForgetReport, scope: str, locale: str | None = None) -> str:
    names = labels(locale)
    reasons = kept_reasons(locale)
    goes = [f"- {number(locale, n)} {names.get(t_, t_)}" for t_, n in sorted(report.deleted.items()) if n]
    stays = [
        f"- {number(locale, n)} {names.get(t_, t_)}: {reasons.get(t_) or BY_TABLE[t_].why}"
        for t_, n in sorted(report.tombstoned.items())
        if n
    ]
    if scope == "here":
        intro = t(locale, "This erases what Rapport keeps about you in this server. It cannot be undone.")
    else:
        intro = t(locale, "This erases what Rapport keeps about you in every server. It cannot be undone.")
    lines = [intro, ""]
    lines += [t(locale, "**Removed**"), *(goes or [t(locale, "- nothing of yours alone")])]
    if report.commitments_closed:
        lines.append(tn(locale, "- {n} open commitment someone else asked of you is closed",
                        "- {n} open commitments someone else asked of you are closed", report.commitments_closed))
    if report.repairs_ended:
        lines.append(tn(locale, "- {n} open repair ends; the other person is told kindly, without content",
                        "- {n} open repairs end; the other person is told kindly, without content",
                        report.repairs_ended))
    if report.summaries_edited:
        lines.append(tn(locale, "- your lines in {n} summary are dropped", "- your lines in {n} summaries are dropped",
                        report.summaries_edited))
    lines += ["", t(locale, "**Kept, with your name replaced by “a former member”**")]
    lines += stays or [t(locale, "- nothing")]
    lines += ["", t(locale, "Tip: `/me data` first if you want a copy.")]
    return "\n".join(lines)[:4000]


def done_text(report: ForgetReport, locale: str | None = None) -> str:
    """What the member is told once the erasure ran, in their language."""
    if report.total == 0 and not (report.commitments_closed or report.repairs_ended or report.summaries_edited):
        return t(locale, "There was nothing left to erase: it is already done.")
    parts = []
    deleted = sum(report.deleted.values())
    if deleted:
        parts.append(tn(locale, "deleted {n} stored entry", "deleted {n} stored entries", deleted))
    tombstoned = sum(report.tombstoned.values())
    if tombstoned:
        parts.append(tn(locale, "replaced your id with “a former member” in {n} entry",
                        "replaced your id with “a former member” in {n} entries", tombstoned))
    if report.commitments_closed:
        parts.append(tn(locale, "closed {n} open commitment", "closed {n} open commitments", report.commitments_closed))
    if report.repairs_ended:
        parts.append(tn(locale, "ended {n} repair", "ended {n} repairs", report.repairs_ended))
    if report.summaries_edited:
        parts.append(tn(locale, "removed you from {n} summary", "removed you from {n} summaries",
                        report.summaries_edited))
    changes = "; ".join(parts)
    return t(locale, "Done. {changes}.", changes=changes[:1].upper() + changes[1:])


async def _targets(bot: Rapport, interaction: discord.Interaction[Any], scope: str) -> list[int]:
    assert interaction.guild_id is not None
    if scope == "here":
        return [interaction.guild_id]
    return sorted(set(await guilds_with_data(bot.db)) | {interaction.guild_id})


def forget_view(user_id: int, scope: str, locale: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ForgetButton(user_id, scope, "go", locale))
    view.add_item(ForgetButton(user_id, scope, "no", locale))
    return view


async def ask(bot: Rapport, interaction: discord.Interaction[Any], scope: str) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    report = await plan(bot.db, interaction.user.id, await _targets(bot, interaction, scope), now=bot.clock.now())
    locale = str(interaction.locale)
    embed = discord.Embed(title=t(locale, "Erase your Rapport data?"),
                          description=confirmation_text(report, scope, locale), colour=BRAND_COLOUR)
    await interaction.followup.send(
        embed=embed, view=forget_view(interaction.user.id, scope, locale), ephemeral=True,
        allowed_mentions=NO_MENTIONS,
    )


class ForgetButton(PersistentButton, template=r"me:forget:(?P<uid>\d+):(?P<scope>here|all):(?P<action>go|no)"):
    """Survives restarts; only the member named in the custom id may press it."""

    def __init__(self, user_id: int, scope: str, action: str, locale: str | None = None) -> None:
        self.user_id, self.scope, self.action = user_id, scope, action
        scope_key = "here" if scope == "here" else "all"
        super().__init__(
            discord.ui.Button(
                label=t(locale, "Erase my data") if action == "go" else t(locale, "Cancel"),
                style=discord.ButtonStyle.danger if action == "go" else discord.ButtonStyle.secondary,
                custom_id=f"me:forget:{user_id}:{scope_key}:{action}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ForgetButton:
        return cls(int(match["uid"]), match["scope"], match["action"])

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.user.id != self.user_id:
            raise NotAllowed("Only the member whose data it is can erase it.")
        locale = str(interaction.locale)
        if self.action == "no":
            await interaction.response.edit_message(
                content=t(locale, "Cancelled: nothing changed."), embed=None, view=None
            )
            return
        bot: Rapport = interaction.client
        await interaction.response.defer()
        targets = await _targets(bot, interaction, self.scope)
        authored = await authored_lines(bot, self.user_id, targets)
        report = await forget_member(bot.db, self.user_id, targets, now=bot.clock.now(), authored=authored)
        text = done_text(report, locale)
        if report.total:
            log.info("erased a member's data in %d server(s): %d rows", len(targets), report.total)
        await interaction.edit_original_response(content=text[:2000], embed=None, view=None)
        await deliver_outbox(bot)


#: At most this many source messages are looked up in Discord per erasure (one request each).
MAX_LOOKUPS = 300


async def authored_lines(bot: Rapport, user_id: int, guild_ids: list[int]) -> dict[int, set[int]]:
    """For summaries the member appears in: which of their lines' source messages the member wrote.

    Summaries keep only each line's message id, so Discord is asked who wrote it. Messages that are gone or
    unreadable are skipped; so is anything past :data:`MAX_LOOKUPS`.
    """
    import json

    found: dict[int, set[int]] = {}
    lookups = 0
    for guild_id in guild_ids:
        rows = await bot.db.fetchall(
            "SELECT id, channel_id, sections FROM summaries WHERE guild_id = ? AND sections LIKE ?",
            (guild_id, f"%{user_id}%"),
        )
        for row in rows:
            raw = json.loads(row["sections"] or "{}")
            if not any(p[0] == user_id for p in raw.get("participants", [])):
                continue
            items = await bot.db.fetchall(
                "SELECT source_message_id FROM summary_action_items WHERE summary_id = ?", (row["id"],)
            )
            sources = {int(b["source"]) for k in ("key_points", "decisions", "open_questions") for b in raw.get(k, [])}
            sources |= {int(i[0]) for i in items}
            channel = await resolve_messageable(bot, row["channel_id"])
            if channel is None:
                continue
            for message_id in sorted(sources):
                if lookups >= MAX_LOOKUPS:
                    return found
                lookups += 1
                try:
                    message = await channel.fetch_message(message_id)
                except discord.HTTPException:
                    continue
                if message.author.id == user_id:
                    found.setdefault(row["id"], set()).add(message_id)
    return found


_deliver_lock = asyncio.Lock()

def repair_ended_text(mention: str, locale: str | None) -> str:
    """The kind notice to the other person of a repair, in the server's language (it is posted in the channel)."""
    return t(
        locale,
        "{mention} the other person in this repair asked Rapport to erase their data, so this repair has ended "
        "here. Nothing you wrote was shared. Thank you for taking part; you can start a new one with "
        "`/repair start` whenever it feels right.",
        mention=mention,
    )


async def _channel_locale(bot: Rapport, row: Any) -> str:
    return (await bot.prefs.guild(int(row["guild_id"]))).channel_locale


async def deliver_outbox(bot: Rapport) -> int:
    """Send the notices and edits owed after erasures; each row goes once it was tried."""
    delivered = 0
    async with _deliver_lock:
        # Each notice goes to a server's channel: the process of that server's shard sends it.
        rows = await bot.db.fetchall(
            f"SELECT * FROM data_rights_outbox WHERE {bot.shard_scope.sql('guild_id')} ORDER BY id LIMIT 500"
        )
        for row in rows:
            try:
                if row["kind"] == "repair_ended":
                    await _repair_notice(bot, row)
                else:
                    await _edit_summary(bot, row)
                delivered += 1
            except discord.HTTPException as error:
                log.warning("could not deliver data-rights notice %s: %s", row["id"], error)
            await bot.db.execute("DELETE FROM data_rights_outbox WHERE id = ?", (row["id"],))
    return delivered


async def _repair_notice(bot: Rapport, row: Any) -> None:
    channel = await resolve_messageable(bot, row["channel_id"])
    if channel is None:
        return
    recipient = int(row["recipient_id"])
    text = repair_ended_text(f"<@{recipient}>", await _channel_locale(bot, row))
    await channel.send(text, allowed_mentions=mention_users(recipient))


async def _edit_summary(bot: Rapport, row: Any) -> None:
    from bot.summary.repository import SummaryRepo
    from cogs.summaries._render import render_stored

    stored = await SummaryRepo(bot.db).get(int(row["ref_id"]))
    channel = await resolve_messageable(bot, row["channel_id"])
    if stored is None or channel is None or not isinstance(channel, discord.abc.Messageable):
        return
    with contextlib.suppress(discord.NotFound):
        message = await channel.fetch_message(int(row["message_id"]))
        if bot.user is None or message.author.id != bot.user.id:
            return
        rendered = render_stored(stored, await _channel_locale(bot, row))
        if len(rendered.messages) != 1:
            return  # a summary spread over several messages keeps them; its stored copy was edited
        await message.edit(content=rendered.intro, embeds=rendered.messages[0], allowed_mentions=NO_MENTIONS)
