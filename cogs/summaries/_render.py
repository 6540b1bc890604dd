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
from bot.i18n import t, tn
from bot.markup import timestamp
from bot.summary import render as summary_render
from bot.summary.models import Summary
from bot.summary.repository import StoredSummary
from bot.summary.service import note_lines


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


def title_of(header: Header, number: int | None, locale: str | None = None) -> str:
    if number is not None:
        return t(locale, "Summary #{number} of #{channel}", number=number, channel=header.channel_name)
    return t(locale, "Summary of #{channel}", channel=header.channel_name)


def _skipped(header: Header, locale: str | None) -> str:
    """The sentence about bots' and Discord's own messages, or nothing."""
    n = header.skipped_count
    if not n:
        return ""
    return tn(locale, "{n} message from bots or Discord itself was left out.",
              "{n} messages from bots or Discord itself were left out.", n)


def _engine_line(header: Header, locale: str | None) -> str:
    if header.engine == "offline":
        return t(locale, "Written by Rapport's offline summary.")
    if header.engine == "llm":
        return t(locale, "Written by a language model.")
    return t(locale, "Written by {engine}.", engine=header.engine)


def markdown_of(header: Header, number: int | None = None, locale: str | None = None) -> str:
    """The whole summary as Markdown (what the attached file holds), in the reader's language."""
    text = summary_render.to_markdown(
        header.summary, title=title_of(header, number, locale), locale=locale
    ).rstrip("\n")
    extra = []
    if header.range_start is not None and header.range_end is not None:
        extra.append(t(locale, "Messages from {start} to {end} UTC.", start=f"{header.range_start:%Y-%m-%d %H:%M}",
                       end=f"{header.range_end:%Y-%m-%d %H:%M}"))
    skipped = _skipped(header, locale)
    if skipped:
        extra.append(skipped)
    extra.append(_engine_line(header, locale))
    extra += note_lines(header.note, locale)
    return text + "\n\n---\n" + "\n".join(f"_{line}_" for line in extra) + "\n"


def intro_of(stored: StoredSummary, locale: str | None = None) -> str:
    parts = [f"**{title_of(stored, stored.number, locale)}** (<#{stored.channel_id}>)"]
    if stored.range_start is not None and stored.range_end is not None:
        # Discord timestamps: each reader's client writes them in their own language and time zone.
        parts.append(t(locale, "{start} to {end}", start=timestamp(stored.range_start, "f"),
                       end=timestamp(stored.range_end, "f")))
    # An erased creator leaves a tombstone id (0), never a mention.
    if stored.creator_id:
        parts.append(t(locale, "asked for by {member}", member=f"<@{stored.creator_id}>"))
    else:
        parts.append(t(locale, "asked for by a former member"))
    lines = [" · ".join(parts)]
    details = [_engine_line(stored, locale)]
    skipped = _skipped(stored, locale)
    if skipped:
        details.append(skipped)
    details += note_lines(stored.note, locale)
    lines.append("-# " + " ".join(details))
    return "\n".join(lines)


def render_stored(stored: StoredSummary, locale: str | None = None) -> Rendered:
    """The summary as Discord messages in ``locale``: the requester's for a draft, the server's when posted."""
    rendered = summary_render.render(
        stored.summary, title=title_of(stored, stored.number, locale), color=BRAND_COLOUR.value, locale=locale
    )
    messages = [[discord.Embed.from_dict(embed) for embed in group] for group in rendered.messages]
    markdown = stored.markdown or markdown_of(stored, stored.number, locale)
    return Rendered(
        intro=intro_of(stored, locale),
        messages=messages or [[]],
        markdown=markdown,
        attach_file=rendered.needs_attachment or len(messages) > 1,
    )
