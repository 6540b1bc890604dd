"""The check-in service's window on Discord: posting prompts, threads and digests, reminders, role members."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

import aiohttp
import discord

from bot.adapter.delivery import Delivery, deliver_privately
from bot.adapter.feedback_buttons import feedback_view
from bot.adapter.render import NO_MENTIONS
from bot.adapter.visibility import missing_permissions
from bot.checkins.digest import Digest
from bot.checkins.models import CheckIn, ReminderStatus, Run
from bot.checkins.poster import PostingBlocked, PostingRetry
from bot.checkins.wording import (
    CHANNEL_GONE,
    MAY_NOT_POST,
    MISSING_PERMISSIONS,
    NO_THREADS,
    NOT_IN_SERVER,
    NOT_TEXT,
    reason_text,
)
from bot.i18n import t
from bot.markup import timestamp
from bot.timezones import get_zone
from cogs.checkins._render import digest_embed, escape_name, prompt_embed, thread_name
from cogs.checkins._views import answer_view

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

THREAD_EXISTS = 160004
UNKNOWN_MESSAGE = 10008
RECONCILE_HISTORY = 100
_DAY = timedelta(days=1)

_NEEDED = (
    "view_channel",
    "send_messages",
    "embed_links",
    "read_message_history",
    "create_public_threads",
    "send_messages_in_threads",
)


#: Failures worth another try later: Discord's 5xx (after discord.py's own retries), timeouts, the network.
TRANSIENT = (discord.HTTPException, TimeoutError, aiohttp.ClientError)
TRANSIENT_ONLY = (TimeoutError, aiohttp.ClientError)


def raise_if_transient(error: BaseException) -> None:
    """Turn a transient failure into :class:`PostingRetry`; anything else is left to the caller."""
    if isinstance(error, discord.HTTPException) and error.status < 500:
        return
    raise PostingRetry(str(error)) from error


class DiscordPoster:
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot  # requests are paced for the whole bot by bot.adapter.pacing

    async def _channel_locale(self, guild_id: int) -> str:
        """The language of what is posted in this server's channels (``/settings language``)."""
        return (await self.bot.prefs.guild(guild_id)).channel_locale

    # -- where ----------------------------------------------------------------------------------------
    def _text_channel(self, guild_id: int, channel_id: int) -> discord.TextChannel | str:
        guild = self.bot.get_guild(guild_id)
        if guild is None:
            return NOT_IN_SERVER
        channel = guild.get_channel(channel_id)
        if channel is None:
            return CHANNEL_GONE
        if not isinstance(channel, discord.TextChannel):
            return NOT_TEXT
        return channel

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        await self.bot.wait_until_ready()
        channel = self._text_channel(guild_id, channel_id)
        if isinstance(channel, str):
            return channel
        permissions = channel.permissions_for(channel.guild.me)
        missing = missing_permissions(permissions, _NEEDED)
        if missing:
            return MISSING_PERMISSIONS.format(permissions=", ".join(missing), channel=channel.name)
        return None

    # -- prompts --------------------------------------------------------------------------------------
    async def find_prompt(self, run: Run) -> int | None:
        """A prompt posted for this run before a crash: recognised by its Answer button's custom id."""
        await self.bot.wait_until_ready()
        channel = self.bot.get_channel(run.channel_id)
        if not isinstance(channel, discord.TextChannel) or self.bot.user is None:
            return None
        wanted = f"checkin:{run.id}:answer"
        try:
            async for message in channel.history(limit=RECONCILE_HISTORY):
                if message.author.id != self.bot.user.id:
                    continue
                for row in message.components:
                    for child in getattr(row, "children", []):
                        if getattr(child, "custom_id", None) == wanted:
                            return message.id
        except discord.HTTPException:
            log.warning("could not read the history of channel %s to reconcile run %s", run.channel_id, run.id)
        return None

    async def post_prompt(self, run: Run, checkin: CheckIn) -> int:
        await self.bot.wait_until_ready()
        channel = self._text_channel(checkin.guild_id, run.channel_id)
        if isinstance(channel, str):
            raise PostingBlocked(channel)
        locale = await self._channel_locale(checkin.guild_id)
        try:
            message = await channel.send(
                embed=prompt_embed(run, get_zone(checkin.timezone), locale),
                view=answer_view(run.id, skip=True, locale=locale),
                nonce=run.nonce,
                allowed_mentions=NO_MENTIONS,
            )
        except discord.NotFound as error:
            raise PostingBlocked(CHANNEL_GONE) from error
        except discord.Forbidden as error:
            raise PostingBlocked(MAY_NOT_POST.format(channel=channel.name)) from error
        except TRANSIENT as error:
            raise_if_transient(error)
            raise
        return message.id

    async def open_thread(self, run: Run, checkin: CheckIn, message_id: int) -> int | None:
        await self.bot.wait_until_ready()
        channel = self.bot.get_channel(run.channel_id)
        if not isinstance(channel, discord.TextChannel):
            return None
        checkin_zone = get_zone(checkin.timezone)
        locale = await self._channel_locale(checkin.guild_id)
        auto_archive: Literal[1440, 10080] = 1440 if run.closes_at - run.scheduled_at <= _DAY else 10080
        try:
            thread = await channel.get_partial_message(message_id).create_thread(
                name=thread_name(run, checkin_zone, locale), auto_archive_duration=auto_archive
            )
        except discord.Forbidden as error:
            raise PostingBlocked(NO_THREADS.format(channel=channel.name)) from error
        except TRANSIENT_ONLY as error:
            raise PostingRetry(str(error)) from error
        except discord.HTTPException as error:
            raise_if_transient(error)
            if error.code == THREAD_EXISTS:
                return message_id  # a thread started from a message has the message's id
            if error.code == UNKNOWN_MESSAGE:
                log.info("the prompt of run %s was deleted before its thread was opened", run.id)
                return None
            raise
        return thread.id

    # -- digests --------------------------------------------------------------------------------------
    async def post_digest(self, run: Run, digest: Digest) -> bool:
        await self.bot.wait_until_ready()
        targets = [t for t in (run.thread_id, run.channel_id) if t is not None]
        for target in targets:
            files = []
            if digest.attachment is not None:
                name, text = digest.attachment
                files.append(discord.File(io.BytesIO(text.encode("utf-8")), filename=name))
            try:
                await self.bot.get_partial_messageable(target).send(
                    embed=digest_embed(digest),
                    files=files,
                    allowed_mentions=NO_MENTIONS,
                    nonce=run.digest_nonce,
                    view=feedback_view("checkin", run.id),
                )
                return True
            except (discord.NotFound, discord.Forbidden):
                log.info("could not post the digest of run %s in %s", run.id, target)
            except TRANSIENT as error:
                raise_if_transient(error)
                log.warning("Discord refused the digest of run %s in %s: %s", run.id, target, error)
        return False

    # -- people ---------------------------------------------------------------------------------------
    async def remind(self, run: Run, checkin: CheckIn, user_id: int) -> ReminderStatus:
        await self.bot.wait_until_ready()
        name = escape_name(run.name)
        # A DM is in the member's language; the fallback, posted in the thread, in the server's.
        own = await self.bot.prefs.message_locale(user_id, checkin.guild_id)
        settings = await self.bot.prefs.guild(checkin.guild_id)
        server = settings.channel_locale
        dm = {
            "content": t(
                own,
                "Hi! **{name}** is open until {time} ({relative}). "
                "Answer whenever suits you, or skip this one: no pressure either way.",
                name=name, time=timestamp(run.closes_at, "t"), relative=timestamp(run.closes_at, "R"),
            ),
            "view": answer_view(run.id, skip=True, locale=own),
        }
        fallback = {
            "content": t(
                server,
                "a gentle reminder: **{name}** is open until {time}. The buttons are below if you'd like to answer.",
                name=name, time=timestamp(run.closes_at, "t"),
            ),
            "view": answer_view(run.id, skip=True, locale=server),
        }
        # The fallback names the member in public: only where the server chose to name who hasn't answered.
        # Otherwise an undeliverable DM means no reminder, and the member is counted as unreachable ("failed").
        names = settings.checkin_missing == "names"
        try:
            delivery = await deliver_privately(
                self.bot, user_id, dm=dm, fallback_channel_id=(run.thread_id or run.channel_id) if names else None,
                fallback=fallback, nonce=run.reminder_nonce(user_id),
            )
        except (discord.HTTPException, *TRANSIENT_ONLY):  # a dropped connection too: recorded, never a crash
            log.warning("could not remind user %s about run %s", user_id, run.id)
            return "failed"
        return {Delivery.DM: "dm", Delivery.CHANNEL: "channel"}.get(delivery, "failed")  # type: ignore[return-value]

    async def tell_creator(self, checkin: CheckIn, reason: str, *, paused: bool = True) -> None:
        await self.bot.wait_until_ready()
        guild = self.bot.get_guild(checkin.guild_id)
        locale = await self.bot.prefs.message_locale(checkin.created_by, checkin.guild_id)
        name, why = escape_name(checkin.name), reason_text(locale, reason)
        if paused and guild is not None:
            text = t(locale, "Heads up: I paused the check-in **{name}** in **{server}** because {reason} "
                     "Nothing is lost. Once that's sorted, `/checkin resume` starts it again.",
                     name=name, server=escape_name(guild.name), reason=why)
        elif paused:
            text = t(locale, "Heads up: I paused the check-in **{name}** because {reason} "
                     "Nothing is lost. Once that's sorted, `/checkin resume` starts it again.", name=name, reason=why)
        elif guild is not None:
            text = t(locale, "Heads up about the check-in **{name}** in **{server}**: {reason} "
                     "The answers are kept: `/checkin export` has them.",
                     name=name, server=escape_name(guild.name), reason=why)
        else:
            text = t(locale, "Heads up about the check-in **{name}**: {reason} "
                     "The answers are kept: `/checkin export` has them.", name=name, reason=why)
        await deliver_privately(self.bot, checkin.created_by, dm={"content": text}, fallback_channel_id=None)

    async def role_members(self, guild_id: int, role_id: int) -> set[int] | None:
        await self.bot.wait_until_ready()
        guild = self.bot.get_guild(guild_id)
        role = guild.get_role(role_id) if guild is not None else None
        if role is None or guild is None:
            return None
        if not guild.chunked:
            # Servers are not necessarily chunked at start-up (slow with many servers): fetch members when needed.
            try:
                await guild.chunk()
            except (TimeoutError, discord.ClientException, discord.HTTPException):
                log.warning("could not load the members of guild %s; counting the members cached so far", guild_id)
        if role.is_default():
            return {m.id for m in guild.members if not m.bot}
        return {m.id for m in role.members if not m.bot}

    def display_names(
        self, guild_id: int, user_ids: Iterable[int], *, markdown: bool = True, locale: str | None = None
    ) -> dict[int, str]:
        guild = self.bot.get_guild(guild_id)
        names: dict[int, str] = {}
        for user_id in user_ids:
            member = guild.get_member(user_id) if guild is not None else None
            user = member or self.bot.get_user(user_id)
            if user is None:
                names[user_id] = t(locale, "a former member")
            else:
                names[user_id] = escape_name(user.display_name) if markdown else user.display_name
        return names

