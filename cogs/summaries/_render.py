"""A stored summary as Discord messages and as Markdown.

The sections, embeds and their limits come from :mod:`bot.summary.render`. This adds what only the cog knows,
as message text (outside the embeds, so it never pushes them past Discord's limits): which channel and number,
the time range that was read, who asked, which engine wrote it and any note about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import discord

from bot.adapter.render import BRAND_COLOUR
from bot.markup import timestamp
from bot.summary import render as summary_render
from bot.summary.models import Summary
from bot.summary.repository import StoredSummary

ENGINE_NAMES = {"offline": "Rapport's offline summary", "llm": "a language model"}


class Header(Protocol):
    """What a summary's header needs: a stored summary, or one about to be stored."""

    @property
    def channel_name(self) -> str: ...
    @property
    def range_start(self) -> datetime | None: ...
    @property
    def range_end(self) -> datetime | None: ...
    @property
    def summary(self) -> Summary: ...
    @property
    def engine(self) -> str: ...
    @property
    def note(self) -> str | None: ...
    @property
    def skipped_count(self) -> int: ...


@dataclass(frozen=True, slots=True)
class DraftHeader:
    channel_name: str
    range_start: datetime | None
    range_end: datetime | None
    summary: Summary
    engine: str
    note: str | None
    skipped_count: int = 0


@dataclass(frozen=True, slots=True)
class Rendered:
    intro: str  # the text of the first message
    messages: list[list[discord.Embed]]  # the embeds of each message, within Discord's limits
    markdown: str
    attach_file: bool


def title_of(header: Header, number: int | None) -> str:
    label = f" #{number}" if number is not None else ""
    return f"Summary{label} of #{header.channel_name}"


def _skipped(header: Header) -> str:
    n = header.skipped_count
    return f"{n:,} message{'s' if n != 1 else ''} from bots or Discord itself left out" if n else ""


def _engine_line(header: Header) -> str:
    return f"Written by {ENGINE_NAMES.get(header.engine, header.engine)}."


def markdown_of(header: Header, number: int | None = None) -> str:
    """The whole summary as Markdown (what the attached file holds)."""
    text = summary_render.to_markdown(header.summary, title=title_of(header, number)).rstrip("\n")
    extra = []
    if header.range_start is not None and header.range_end is not None:
        extra.append(f"Messages from {header.range_start:%Y-%m-%d %H:%M} to {header.range_end:%Y-%m-%d %H:%M} UTC.")
    skipped = _skipped(header)
    if skipped:
        extra.append(skipped[0].upper() + skipped[1:] + ".")
    extra.append(_engine_line(header))
    if header.note:
        extra.append(header.note)
    return text + "\n\n---\n" + "\n".join(f"_{line}_" for line in extra) + "\n"


def intro_of(stored: StoredSummary) -> str:
    parts = [f"**{title_of(stored, stored.number)}** (<#{stored.channel_id}>)"]
    if stored.range_start is not None and stored.range_end is not None:
        parts.append(f"{timestamp(stored.range_start, 'f')} to {timestamp(stored.range_end, 'f')}")
    # An erased creator leaves a tombstone id (0), never a mention.
    parts.append(f"asked for by <@{stored.creator_id}>" if stored.creator_id else "asked for by a former member")
    lines = [" · ".join(parts)]
    details = [_engine_line(stored)]
    skipped = _skipped(stored)
    if skipped:
        details.append(skipped[0].upper() + skipped[1:] + ".")
    if stored.note:
        details.append(stored.note)
    lines.append("-# " + " ".join(details))
    return "\n".join(lines)


def render_stored(stored: StoredSummary) -> Rendered:
    rendered = summary_render.render(
        stored.summary, title=title_of(stored, stored.number), color=BRAND_COLOUR.value
    )
    messages = [[discord.Embed.from_dict(embed) for embed in group] for group in rendered.messages]
    markdown = stored.markdown or markdown_of(stored, stored.number)
    return Rendered(
        intro=intro_of(stored),
        messages=messages or [[]],
        markdown=markdown,
        attach_file=rendered.needs_attachment or len(messages) > 1,
    )
