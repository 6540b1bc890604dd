"""``/summarize``, **Summarize from here** and ``/summary list|show``: thin adapters over the summary service."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.access import Subject
from bot.adapter.permissions import guild_member
from bot.adapter.render import NO_MENTIONS, embeds_from_lines
from bot.adapter.ui import send_pages
from bot.adapter.visibility import Viewer
from bot.errors import BadInput, NotAllowed, ObjectNotFound
from bot.i18n import number as format_number
from bot.i18n import t, tn
from bot.markup import shorten, timestamp
from bot.summary.service import SummaryService, note_lines
from bot.timeparse import parse_duration, parse_when
from bot.timezones import get_zone
from cogs.summaries._buttons import BUTTONS, draft_message, draft_view, published_text
from cogs.summaries._publishing import CannotPost, markdown_file
from cogs.summaries._publishing import publish as publish_summary
from cogs.summaries._records import (
    MAX_MESSAGES,
    MessageLink,
    collect,
    fetch_history,
    human_authors,
    looks_like_link,
    parse_message_link,
)
from cogs.summaries._render import DraftHeader, markdown_of, render_stored

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)
#: The first day of Discord's message ids; no message is older.
DISCORD_EPOCH = datetime(2015, 1, 1, tzinfo=UTC)

MIN_LAST = 10
DEFAULT_LAST = 200


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


@dataclass(frozen=True, slots=True)
class Span:
    """Which messages to read: the newest ``limit`` strictly between two message ids."""

    limit: int
    after: int | None = None
    before: int | None = None
    since_link: MessageLink | None = None
    until_link: MessageLink | None = None
    #: True when the range is "from here on" rather than a number of messages: more than ``limit`` is worth saying.
    open_ended: bool = False


def _require_readable(perms: discord.Permissions) -> None:
    if not (perms.view_channel and perms.read_message_history):
        raise NotAllowed(
            "You need to be able to read this channel's message history to summarize it, "
            "so I won't summarize it for you."
        )


class Summaries(commands.Cog):
    summary = app_commands.Group(
        name="summary", description="Published summaries of this server.", guild_only=True
    )

    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        self.service: SummaryService | None = None
        self.menu = app_commands.ContextMenu(
            name="Summarize from here",
            callback=self.summarize_from_here,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)
        if not hasattr(self.bot, "db"):
            # Loaded without set-up (e.g. to list commands): there is no database to serve.
            return
        self.service = SummaryService.from_settings(self.bot.db, self.bot.prefs, self.bot.clock, self.bot.settings)
        self.bot.register_service(self.service)
        self.bot.add_dynamic_items(*BUTTONS)
        await self.service.reconcile()
        await self.service.purge_old_drafts()

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        self.bot.remove_dynamic_items(*BUTTONS)

    @property
    def _service(self) -> SummaryService:
        assert self.service is not None
        return self.service

    # -- reading the options -------------------------------------------------------------------------------
    def _link(self, text: str, channel: Any, guild: discord.Guild, option: str) -> MessageLink:
        link = parse_message_link(text)
        if link is None:
            raise BadInput(
                "`{option}` doesn't look like a message link. Use **Copy Message Link** on a message in this channel.",
                option=option,
            )
        if link.guild_id != guild.id:
            raise BadInput(
                "The `{option}` link points to a message in another server: I only summarize this one.", option=option
            )
        if link.channel_id != channel.id:
            if guild.get_channel_or_thread(link.channel_id) is None:
                raise ObjectNotFound("I can't find the channel of the `{option}` link in this server.", option=option)
            where = f"<#{link.channel_id}>"
            raise BadInput(
                "The `{option}` link points to a message in another channel. Run /summarize in {channel} to "
                "summarize it.",
                option=option,
                channel=where,
            )
        return link

    async def _span(
        self,
        interaction: discord.Interaction[Rapport],
        channel: Any,
        guild: discord.Guild,
        last: int | None,
        since: str | None,
        until: str | None,
    ) -> Span:
        if last is not None and not MIN_LAST <= last <= MAX_MESSAGES:
            raise BadInput(
                "`last` must be between {low} and {high} messages.",
                low=format_number(_locale(interaction), MIN_LAST),
                high=format_number(_locale(interaction), MAX_MESSAGES),
            )
        since = (since or "").strip() or None
        until = (until or "").strip() or None
        after: int | None = None
        before: int | None = None
        since_link = until_link = None
        if since is not None:
            if looks_like_link(since):
                since_link = self._link(since, channel, guild, "since")
                after = since_link.message_id - 1
            else:
                start = await self._since_time(interaction, since)
                after = max(0, discord.utils.time_snowflake(start, high=False) - 1)
        if until is not None:
            if not looks_like_link(until):
                raise BadInput("`until` takes a message link: use **Copy Message Link** on the last message to read.")
            until_link = self._link(until, channel, guild, "until")
            before = until_link.message_id + 1
        if after is not None and before is not None and after >= before - 1:
            raise BadInput("`since` must come before `until`.")
        whole_thread = isinstance(channel, discord.Thread) and last is None and since is None and until is None
        if last is not None:
            limit = last
        elif since is not None or whole_thread:
            limit = MAX_MESSAGES
        else:
            limit = DEFAULT_LAST
        return Span(
            limit=limit,
            after=after,
            before=before,
            since_link=since_link,
            until_link=until_link,
            open_ended=last is None and (since is not None or whole_thread),
        )

    async def _since_time(self, interaction: discord.Interaction[Rapport], text: str) -> datetime:
        now = self.bot.clock.now()
        try:
            amount = parse_duration(text, what="time to look back")
        except BadInput:
            amount = None
        if amount is not None:
            # Nothing on Discord is older than Discord: a huge look-back (200000w) starts there instead of
            # overflowing the date.
            return now - amount if amount < now - DISCORD_EPOCH else DISCORD_EPOCH
        zone_name = await self.bot.prefs.member_zone_name(
            interaction.user.id, interaction.guild_id, self.bot.settings.default_timezone
        )
        try:
            start = parse_when(text, now=now, zone=get_zone(zone_name), allow_past=True, what="start")
        except BadInput:
            raise BadInput(
                "I couldn't read `{text}` as a start. Use a duration like `2h`, a time like `yesterday 9am`, or a "
                "message link.",
                text=shorten(text, 40),
            ) from None
        if start > now:
            raise BadInput(
                "`since` must be in the past. Use a duration like `2h`, a time like `yesterday 9am`, or a message link."
            )
        return start

    async def _check_link_targets(self, channel: Any, span: Span) -> None:
        for link, option in ((span.since_link, "since"), (span.until_link, "until")):
            if link is None:
                continue
            try:
                await channel.fetch_message(link.message_id)
            except discord.NotFound:
                raise ObjectNotFound(
                    "I can't find the message the `{option}` link points to: was it deleted?", option=option
                ) from None

    # -- the commands --------------------------------------------------------------------------------------
    @app_commands.command(name="summarize", description="Summarize this conversation; you review it before posting.")
    @app_commands.guild_only()
    @app_commands.describe(
        last="How many recent messages to read: 10 to 2,000 (default 200; the whole thread in a thread).",
        since="Where to start: a duration (2h), a time in your zone (yesterday 9am) or a message link.",
        until="Where to stop: a message link (default: now).",
        publish="Post it in the channel straight away instead of showing you a draft first.",
    )
    async def summarize(
        self,
        interaction: discord.Interaction[Rapport],
        last: int | None = None,
        since: str | None = None,
        until: str | None = None,
        publish: bool = False,
    ) -> None:
        member = guild_member(interaction)
        channel = interaction.channel
        if channel is None or not isinstance(channel, discord.abc.Messageable):
            raise BadInput("Run /summarize in the text channel or thread you want summarized.")
        _require_readable(interaction.permissions)
        if publish and not self._may_post(channel, interaction.permissions):
            raise NotAllowed("You can't post in this channel, so I can't publish a summary here for you.")
        span = await self._span(interaction, channel, member.guild, last, since, until)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._check_link_targets(channel, span)
        await self._run(interaction, channel, span, publish=publish)

    async def summarize_from_here(self, interaction: discord.Interaction[Rapport], message: discord.Message) -> None:
        guild_member(interaction)
        channel = interaction.channel
        if channel is None or not isinstance(channel, discord.abc.Messageable) or message.channel.id != channel.id:
            raise BadInput("Use **Summarize from here** on a message in the channel you want summarized.")
        _require_readable(interaction.permissions)
        await interaction.response.defer(ephemeral=True, thinking=True)
        span = Span(limit=MAX_MESSAGES, after=message.id - 1, open_ended=True)
        await self._run(interaction, channel, span, publish=False)

    @staticmethod
    def _may_post(channel: Any, perms: discord.Permissions) -> bool:
        send = perms.send_messages_in_threads if isinstance(channel, discord.Thread) else perms.send_messages
        return bool(perms.view_channel and send)

    async def _run(
        self, interaction: discord.Interaction[Rapport], channel: Any, span: Span, *, publish: bool
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        service = self._service
        try:
            history = await fetch_history(
                channel, limit=span.limit, after=span.after, before=span.before, probe=span.open_ended
            )
        except discord.Forbidden:
            raise NotAllowed(
                "I can't read this channel's history. A server admin can give me View Channel and "
                "Read Message History here."
            ) from None
        locale = _locale(interaction)
        authors = await service.authors(human_authors(history.messages), guild.id)
        collected = collect(history.messages, authors)
        if not collected.records:
            if collected.left_out:
                raise ObjectNotFound(
                    "There's nothing to summarize in that range ({count} left out: bots, system messages and members "
                    "who opted out).",
                    count=format_number(locale, collected.left_out),
                )
            raise ObjectNotFound("There's nothing to summarize in that range.")
        records = collected.records
        result = await service.summarize(records, excluded_count=collected.opted_out_count)
        channel_name = getattr(channel, "name", "") or t(locale, "this channel")
        header = DraftHeader(
            channel_name,
            records[0].created_at,
            records[-1].created_at,
            result.summary,
            result.engine,
            result.note,
            collected.skipped_count,
        )
        stored = await service.create_draft(
            guild_id=guild.id,
            channel_id=channel.id,
            channel_name=channel_name,
            creator_id=interaction.user.id,
            result=result,
            markdown=markdown_of(header, locale=locale),
            messages=records,
            skipped_count=collected.skipped_count,
        )
        if history.truncated:
            log.info("summary %s read only the newest %d messages of its range", stored.id, span.limit)
        cut_note = (
            tn(locale, "There was more than {n} message in that range: I read the newest one.",
               "There were more than {n} messages in that range: I read the newest {n}.", span.limit) + "\n"
            if history.truncated
            else ""
        )
        if publish:
            try:
                published = await publish_summary(self.bot, channel, stored)
            except (discord.Forbidden, CannotPost) as error:
                log.info("could not post summary %s in channel %s; showing it as a draft", stored.id, channel.id)
                why = error.text(locale) if isinstance(error, CannotPost) else (
                    t(locale, "I'm missing a permission here; a server admin can check my role.")
                )
                payload = draft_message(stored, locale)
                payload["content"] = (
                    cut_note
                    + t(locale, "I couldn't post in this channel, so here is your draft instead. {why}", why=why)
                    + "\n"
                    + payload["content"]
                )
                await interaction.followup.send(ephemeral=True, **payload)
                return
            text = cut_note + published_text(published, locale)
            notes = note_lines(published.note, locale)
            if notes:
                text += "\n*" + " ".join(notes) + "*"
            view = draft_view(published, locale, publish_button=False)
            kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
            if view.children:
                kwargs["view"] = view
            await interaction.followup.send(text, ephemeral=True, **kwargs)
            return
        payload = draft_message(stored, locale)
        payload["content"] = cut_note + payload["content"]
        await interaction.followup.send(ephemeral=True, **payload)

    # -- published summaries ---------------------------------------------------------------------------------
    @summary.command(name="list", description="Published summaries of this server, newest first.")
    async def list_summaries(self, interaction: discord.Interaction[Rapport]) -> None:
        member = guild_member(interaction)
        published = await self._service.repo.published(member.guild.id, limit=500)
        viewer = Viewer(self.bot, member)
        entries = await viewer.visible(published, lambda e: Subject(member.guild.id, e.channel_id))
        locale = _locale(interaction)
        if not entries:
            await interaction.response.send_message(
                t(locale, "No published summaries here yet. Run /summarize in a channel to write one."),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        lines = [
            f"**{e.label}** · <#{e.channel_id}> · "
            + tn(locale, "{n} message", "{n} messages", e.message_count)
            + f" · {timestamp(e.published_at, 'R')} · [{t(locale, 'open')}]({e.url})"
            for e in entries
        ]
        pages = embeds_from_lines(
            t(locale, "Published summaries"), lines, footer=t(locale, "Open one with /summary show.")
        )
        await send_pages(interaction, pages)

    @summary.command(name="show", description="Show a published summary of this server.")
    @app_commands.describe(number="The summary's number, e.g. 3 (pick one as you type).")
    @app_commands.rename(number="id")
    async def show(self, interaction: discord.Interaction[Rapport], number: str) -> None:
        member = guild_member(interaction)
        cleaned = number.strip().lstrip("#").strip()
        if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 9:  # '²'.isdigit() is true
            raise BadInput("Summary ids look like `3` or `#3`. Pick one from the list as you type.")
        stored = await self._service.published(member.guild.id, int(cleaned))
        locale = _locale(interaction)
        await Viewer(self.bot, member).require(
            Subject(stored.guild_id, stored.channel_id),
            t(locale, "There is no published summary #{number} in this server.", number=int(cleaned)),
        )
        rendered = render_stored(stored, locale)
        text = rendered.intro
        if stored.published_url:
            text += "\n" + t(locale, "Posted here: {url}", url=stored.published_url)
        kwargs: dict[str, Any] = {"embeds": rendered.messages[0], "ephemeral": True, "allowed_mentions": NO_MENTIONS}
        if rendered.attach_file:
            kwargs["file"] = markdown_file(stored, rendered)
            text += "\n" + t(locale, "The whole summary is in the attached file.")
        await interaction.response.send_message(text, **kwargs)

    @show.autocomplete("number")
    async def show_autocomplete(
        self, interaction: discord.Interaction[Rapport], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild is None or not isinstance(interaction.user, discord.Member):
            return []
        typed = current.strip().lstrip("#").strip()
        member = interaction.user
        choices = []
        viewer = Viewer(self.bot, member)
        for entry in await self._service.repo.published(interaction.guild.id, limit=200):
            if typed and not str(entry.number).startswith(typed):
                continue
            if not await viewer.may_see(Subject(member.guild.id, entry.channel_id)):
                continue
            name = f"#{entry.number} · #{entry.channel_name} · {entry.published_at:%d %b %Y}"
            choices.append(app_commands.Choice(name=shorten(name, 100), value=str(entry.number)))
            if len(choices) >= 25:
                break
        return choices

