"""The digest ready to post: its content and, when there is a trend to show, the mood chart as PNG bytes.

Pure of Discord: the adapter (``cogs/digest/_embed.py``) turns it into an embed and a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.digest.chart import render_mood_chart
from bot.digest.content import DigestContent, digest_content
from bot.digest.models import DigestStats


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    content: DigestContent
    chart: bytes | None  # PNG, or None when no day has enough mood answers to show


def render_digest(stats: DigestStats, locale: str | None = None) -> RenderedDigest:
    """The pure digest in the reader's language: stats in, content and chart bytes out. Blocking (the chart);
    call it in a thread."""
    content = digest_content(stats, locale)
    chart = render_mood_chart(stats.mood_days, locale) if content.with_chart else None
    return RenderedDigest(content=content, chart=chart)
