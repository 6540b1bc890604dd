"""From Discord messages to the plain :class:`ChatMessage` records the engines read.

This is the only module of ``bot.summary`` that knows about discord.py. It reads history, leaves out bots,
system messages and members who opted out (counting them), and writes mentions as the names people see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.errors import BadInput
from bot.summary.models import ChatMessage
from bot.summary.service import Authors

#: The most messages one summary reads.
MAX_MESSAGES = 2_000

_CONVERSATION_TYPES = (discord.MessageType.default, discord.MessageType.reply)
_USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
_ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")
_CHANNEL_MENTION = re.compile(r"<#(\d{15,21})>")
_LINK = re.compile(
    r"^<?https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(?P<guild>\d{15,21}|@me)/"
    r"(?P<channel>\d{15,21})/(?P<message>\d{15,21})/?>?$"
)


@dataclass(frozen=True, slots=True)
class MessageLink:
    guild_id: int | None  # None for a link into DMs
    channel_id: int
    message_id: int


def parse_message_link(text: str) -> MessageLink | None:
    """A Discord message link (``https://discord.com/channels/G/C/M``), or None if ``text`` is not one."""
    match = _LINK.match(text.strip())
    if match is None:
        return None
    guild = match.group("guild")
    return MessageLink(
        guild_id=None if guild == "@me" else int(guild),
        channel_id=int(match.group("channel")),
        message_id=int(match.group("message")),
    )


def looks_like_link(text: str) -> bool:
    return "discord" in text.lower() and "/channels/" in text


@dataclass(frozen=True, slots=True)
class History:
    """Messages of a range, oldest first; ``truncated`` when more than the limit were there."""

    messages: list[discord.Message]
    truncated: bool


async def fetch_history(
    channel: discord.abc.Messageable,
    *,
    limit: int,
    after: int | None = None,
    before: int | None = None,
    probe: bool = False,
) -> History:
    """The newest ``limit`` messages strictly between ``after`` and ``before`` (message ids), oldest first.

    With ``probe``, one more is asked for, to tell whether the range held more than ``limit`` (``truncated``).
    """
    if not 1 <= limit <= MAX_MESSAGES:
        raise BadInput("A summary reads between 1 and {most} messages.", most=format(MAX_MESSAGES, ","))
    wanted = limit + 1 if probe else limit
    found: list[discord.Message] = []
    async for message in channel.history(
        limit=wanted,
        after=discord.Object(after) if after is not None else None,
        before=discord.Object(before) if before is not None else None,
        oldest_first=False,
    ):
        found.append(message)
    truncated = len(found) > limit
    found = found[:limit]
    found.reverse()
    return History(found, truncated)


def is_conversation(message: discord.Message) -> bool:
    """A member's own message (not a bot, a webhook or something Discord wrote)."""
    return message.type in _CONVERSATION_TYPES and not message.author.bot and message.webhook_id is None


def human_authors(messages: Iterable[discord.Message]) -> set[int]:
    return {m.author.id for m in messages if is_conversation(m)}


def readable_content(message: discord.Message) -> str:
    """The text with user, role and channel mentions written as the names people see."""
    users = {user.id: user.display_name for user in message.mentions}
    roles = {role.id: role.name for role in message.role_mentions}
    guild = message.guild
    text = message.content

    def user(match: re.Match[str]) -> str:
        uid = int(match.group(1))
        name = users.get(uid)
        if name is None and guild is not None:
            member = guild.get_member(uid)
            name = member.display_name if member is not None else None
        return name or "someone"

    def role(match: re.Match[str]) -> str:
        rid = int(match.group(1))
        name = roles.get(rid)
        if name is None and guild is not None:
            found = guild.get_role(rid)
            name = found.name if found is not None else None
        return f"the {name} role" if name else "a role"

    def channel(match: re.Match[str]) -> str:
        cid = int(match.group(1))
        found: Any = guild.get_channel_or_thread(cid) if guild is not None else None
        return f"#{found.name}" if found is not None else "a channel"

    if "<" in text:
        text = _USER_MENTION.sub(user, text)
        text = _ROLE_MENTION.sub(role, text)
        text = _CHANNEL_MENTION.sub(channel, text)
    return text


def _reply_to_author(message: discord.Message) -> int | None:
    reference = message.reference
    if reference is None:
        return None
    resolved = reference.resolved
    if isinstance(resolved, discord.Message):
        return resolved.author.id
    return None


def to_record(message: discord.Message, zone: str) -> ChatMessage:
    return ChatMessage(
        id=message.id,
        author_id=message.author.id,
        author_name=message.author.display_name,
        created_at=message.created_at,
        content=readable_content(message),
        jump_url=message.jump_url,
        mentions=tuple(user.id for user in message.mentions),
        reply_to_author_id=_reply_to_author(message),
        tz=zone,
    )


@dataclass(frozen=True, slots=True)
class Collected:
    records: list[ChatMessage]
    opted_out_count: int  # messages of members who opted out of summaries
    skipped_count: int  # messages of bots, webhooks and Discord itself

    @property
    def left_out(self) -> int:
        return self.opted_out_count + self.skipped_count


def collect(messages: Sequence[discord.Message], authors: Authors) -> Collected:
    """Records of the conversation, without bots, system messages and members who opted out (counted apart).

    Thread-starter placeholders and messages with no text (a sticker, a bare attachment) are skipped without
    being counted: there was nothing in them to leave out.
    """
    records: list[ChatMessage] = []
    opted_out = skipped = 0
    for message in messages:
        if message.type == discord.MessageType.thread_starter_message:
            continue
        if not is_conversation(message):
            skipped += 1
            continue
        if message.author.id in authors.opted_out:
            opted_out += 1
            continue
        if not message.content.strip():
            continue
        records.append(to_record(message, authors.zone(message.author.id)))
    return Collected(records, opted_out, skipped)
