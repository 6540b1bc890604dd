"""Discord message markup as plain strings: the limits, timestamps, mentions and safe user text.

Pure: no discord import, so domain code can format what it hands to the adapter layer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from bot.i18n import t

MESSAGE_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_TOTAL_LIMIT = 6000
EMBED_FIELDS_LIMIT = 25
FIELD_VALUE_LIMIT = 1024
FIELD_NAME_LIMIT = 256
TITLE_LIMIT = 256

TimestampStyle = Literal["t", "T", "d", "D", "f", "F", "R"]

def mention(user_id: int, locale: str | None = None) -> str:
    """A member's mention; an erased member (the tombstone id 0) is "a former member" in the reader's language,
    never a mention."""
    return f"<@{user_id}>" if user_id else t(locale, "a former member")


def timestamp(value: datetime, style: TimestampStyle = "f") -> str:
    """A Discord timestamp: each reader sees it in their own time zone."""
    if value.tzinfo is None:
        raise ValueError("refusing to render a naive datetime")
    return f"<t:{int(value.timestamp())}:{style}>"


def when(value: datetime) -> str:
    """Full date and time plus relative, e.g. "Friday, 4 December 2026 17:00 (in 3 days)"."""
    return f"{timestamp(value, 'F')} ({timestamp(value, 'R')})"


_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>")


def neutralise_mentions(text: str) -> str:
    """Make @everyone, @here and role/user mentions inert even if allowed_mentions were forgotten."""
    return _MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b"), text)


def clean_user_text(text: str, limit: int | None = None) -> str:
    """Member-written text made safe to echo: mentions inert, markdown kept, optionally shortened."""
    cleaned = neutralise_mentions(text.strip())
    if limit is not None:
        cleaned = shorten(cleaned, limit)
    return cleaned


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into pieces of at most ``limit`` characters, preferring line, then word boundaries."""
    pieces: list[str] = []
    remaining = text
    while len(remaining) > limit:
        cut = remaining.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = remaining.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
        pieces.append(remaining[:cut].rstrip())
        remaining = remaining[cut:].lstrip("\n ")
    if remaining or not pieces:
        pieces.append(remaining)
    return pieces


def pack_lines(lines: Iterable[str], limit: int) -> list[str]:
    """Join lines into blocks of at most ``limit`` characters; an over-long line is split on its own."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        for part in split_text(line, limit):
            candidate = f"{current}\n{part}" if current else part
            if len(candidate) > limit:
                blocks.append(current)
                current = part
            else:
                current = candidate
    if current:
        blocks.append(current)
    return blocks
