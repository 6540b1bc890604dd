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

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

#: Readable names of what a table holds, for the confirmation.
LABELS: dict[str, str] = {
    "member_settings": "your preferences (time zone, quiet hours, away time, summary choice), for every server",
    "checkin_answers": "check-in answers",
    "checkin_reminders": "check-in reminders sent to you",
    "checkins": "check-ins you created",
    "commitments": "commitments",
    "commitment_events": "commitment history entries",
    "summaries": "summaries you asked for",
    "summary_action_items": "summary action items of yours",
    "repairs": "repairs you are in",
    "repair_views": "your repair views",
    "repair_reflections": "your reflections in repairs",
    "repair_ownership": "your parts owned in repairs",
    "repair_consents": "your repair approvals",
    "repair_followups": "your repair follow-up answers",
    "clarifications": "clarification requests",
    "wins": "wins",
    "feedback_votes": "feedback votes",
    "feedback_notes": "feedback notes",
    "server_feedback": "feedback you posted (anonymous feedback has no author and cannot be found)",
    "digest_schedules": "the weekly digest you set up",
    "data_rights_outbox": "notices waiting for you",
}


def confirmation_text(report: ForgetReport, where: str) -> str:
    goes = [f"- {n} {LABELS.get(t, t)}" for t, n in sorted(report.deleted.items()) if n]
    stays = [f"- {n} {LABELS.get(t, t)}: {BY_TABLE[t].why}" for t, n in sorted(report.tombstoned.items()) if n]
    lines = [f"This erases what Rapport keeps about you {where}. It cannot be undone.", ""]
    lines += ["**Removed**", *(goes or ["- nothing of yours alone"])]
    if report.commitments_closed:
        lines.append(f"- {report.commitments_closed} open commitment(s) someone else asked of you are closed")
    if report.repairs_ended:
        lines.append(f"- {report.repairs_ended} open repair(s) end; the other person is told kindly, without content")
    if report.summaries_edited:
        lines.append(f"- your lines in {report.summaries_edited} summary(ies) are dropped")
    lines += ["", "**Kept, with your name replaced by “a former member”**", *(stays or ["- nothing"])]
    lines += ["", "Tip: `/me data` first if you want a copy."]
    return "\n".join(lines)[:4000]


async def _targets(bot: Rapport, interaction: discord.Interaction[Any], scope: str) -> list[int]:
    assert interaction.guild_id is not None
    if scope == "here":
        return [interaction.guild_id]
    return sorted(set(await guilds_with_data(bot.db)) | {interaction.guild_id})


def forget_view(user_id: int, scope: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ForgetButton(user_id, scope, "go"))
    view.add_item(ForgetButton(user_id, scope, "no"))
    return view


async def ask(bot: Rapport, interaction: discord.Interaction[Any], scope: str) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    report = await plan(bot.db, interaction.user.id, await _targets(bot, interaction, scope), now=bot.clock.now())
    where = "in this server" if scope == "here" else "in every server"
    embed = discord.Embed(title="Erase your Rapport data?", description=confirmation_text(report, where),
                          colour=BRAND_COLOUR)
    await interaction.followup.send(
        embed=embed, view=forget_view(interaction.user.id, scope), ephemeral=True, allowed_mentions=NO_MENTIONS
    )


class ForgetButton(PersistentButton, template=r"me:forget:(?P<uid>\d+):(?P<scope>here|all):(?P<action>go|no)"):
    """Survives restarts; only the member named in the custom id may press it."""

    def __init__(self, user_id: int, scope: str, action: str) -> None:
        self.user_id, self.scope, self.action = user_id, scope, action
        scope_key = "here" if scope == "here" else "all"
        super().__init__(
            discord.ui.Button(
                label="Erase my data" if action == "go" else "Cancel",
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
        if self.action == "no":
            await interaction.response.edit_message(content="Cancelled: nothing changed.", embed=None, view=None)
            return
        bot: Rapport = interaction.client
        await interaction.response.defer()
        targets = await _targets(bot, interaction, self.scope)
        authored = await authored_lines(bot, self.user_id, targets)
        report = await forget_member(bot.db, self.user_id, targets, now=bot.clock.now(), authored=authored)
        if report.total == 0 and not (report.commitments_closed or report.repairs_ended or report.summaries_edited):
            text = "There was nothing left to erase: it is already done."
        else:
            text = "Done. " + "; ".join(report.lines()) + "."
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

REPAIR_ENDED = (
    "{mention} the other person in this repair asked Rapport to erase their data, so this repair has ended here. "
    "Nothing you wrote was shared. Thank you for taking part; you can start a new one with `/repair start` "
    "whenever it feels right."
)


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
    await channel.send(REPAIR_ENDED.format(mention=f"<@{recipient}>"), allowed_mentions=mention_users(recipient))


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
        rendered = render_stored(stored)
        if len(rendered.messages) != 1:
            return  # a summary spread over several messages keeps them; its stored copy was edited
        await message.edit(content=rendered.intro, embeds=rendered.messages[0], allowed_mentions=NO_MENTIONS)
