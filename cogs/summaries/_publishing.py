"""Publishing a summary in its channel: the permission check, as many messages as it takes (no pings), the
attached Markdown file, and taking back a half-posted summary when a part fails."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.feedback_buttons import feedback_view
from bot.adapter.render import NO_MENTIONS
from bot.adapter.visibility import missing_permissions
from bot.errors import NotAllowed, ObjectNotFound
from bot.i18n import tn
from bot.summary.repository import StoredSummary
from bot.summary.service import SummaryService
from cogs.summaries._render import Rendered, markdown_of, render_stored

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

#: A published summary takes at most this many messages; a longer one goes on in the attached file.
MAX_POSTS = 4


def markdown_file(stored: StoredSummary, rendered: Rendered) -> discord.File:
    slug = re.sub(r"[^a-z0-9]+", "-", stored.channel_name.lower()).strip("-") or "channel"
    day = (stored.range_end or stored.created_at).strftime("%Y-%m-%d")
    label = f"-{stored.number}" if stored.number is not None else ""
    return discord.File(io.BytesIO(rendered.markdown.encode("utf-8")), filename=f"summary{label}-{slug}-{day}.md")


def can_send_in(channel: Any, member: discord.Member) -> bool:
    perms = channel.permissions_for(member)
    send = perms.send_messages_in_threads if isinstance(channel, discord.Thread) else perms.send_messages
    return bool(perms.view_channel and send)


async def resolve_channel(bot: Rapport, guild: discord.Guild, channel_id: int) -> Any:
    channel: Any = guild.get_channel_or_thread(channel_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden):
            channel = None
    if channel is None or not isinstance(channel, discord.abc.Messageable):
        raise ObjectNotFound("The channel of that summary no longer exists.")
    return channel


class CannotPost(NotAllowed):
    """Rapport lacks a permission it needs to post the summary in its channel."""


def check_bot_can_post(channel: Any, rendered: Rendered) -> None:
    me = getattr(getattr(channel, "guild", None), "me", None)
    if me is None or not hasattr(channel, "permissions_for"):
        return  # not knowable here: Discord will answer
    send = "send_messages_in_threads" if isinstance(channel, discord.Thread) else "send_messages"
    needed = ["view_channel", send, "embed_links", *(["attach_files"] if rendered.attach_file else [])]
    missing = missing_permissions(channel.permissions_for(me), needed)
    if missing:
        raise CannotPost(
            "I need these permissions in this channel to post the summary: {permissions}. A server admin can grant "
            "them.",
            permissions=", ".join(missing),
        )


async def publish(bot: Rapport, channel: discord.abc.Messageable, stored: StoredSummary) -> StoredSummary:
    """Post the summary in its channel (as many messages as it takes, no pings) and record where it went.

    It is written in the server's language (``/settings language``), whoever asked for it.
    """
    service = bot.service(SummaryService)
    locale = (await bot.prefs.guild(stored.guild_id)).channel_locale
    async with service.lock(stored.id):
        claimed = await service.claim_number(stored.id)
        posted: list[discord.Message] = []
        try:
            rendered = render_stored(replace(claimed, markdown=markdown_of(claimed, claimed.number, locale)), locale)
            check_bot_can_post(channel, rendered)
            groups = rendered.messages[:MAX_POSTS]
            rest = len(rendered.messages) - len(groups)
            for index, group in enumerate(groups):
                last = index == len(groups) - 1
                kwargs: dict[str, Any] = {"embeds": group, "allowed_mentions": NO_MENTIONS}
                lines = [rendered.intro] if index == 0 else []
                if last and rest:
                    lines.append(tn(
                        locale,
                        "The summary goes on for {n} more part: everything is in the attached file.",
                        "The summary goes on for {n} more parts: everything is in the attached file.",
                        rest,
                    ))
                if lines:
                    kwargs["content"] = "\n".join(lines)
                if last and rendered.attach_file:
                    kwargs["file"] = markdown_file(claimed, rendered)
                if last:
                    kwargs["view"] = feedback_view("summary", claimed.id, locale=locale)
                posted.append(await channel.send(**kwargs))
        except BaseException:
            # Half a summary is worse than none: take back what was posted, and keep it a draft.
            for message in posted:
                with contextlib.suppress(discord.HTTPException):
                    await message.delete()
            await service.release(stored.id)
            raise
        first = posted[0]
        return await service.published_as(
            stored.id, message_id=first.id, url=first.jump_url, markdown=rendered.markdown
        )
