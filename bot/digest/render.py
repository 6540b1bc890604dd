"""The digest as Discord sees it: an embed (and, when there is a trend to show, the mood chart as a file)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import discord

from bot.digest.chart import CHART_FILENAME, render_mood_chart
from bot.digest.content import CHART_CAPTION, DigestContent, digest_content
from bot.digest.models import DigestStats
from bot.render import BRAND_COLOUR, FIELD_VALUE_LIMIT, shorten


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    content: DigestContent
    embed: discord.Embed
    chart: bytes | None  # PNG, or None when no day has enough mood answers to show

    def files(self) -> list[discord.File]:
        """A fresh file for each send (a discord.File can be sent once)."""
        if self.chart is None:
            return []
        return [discord.File(io.BytesIO(self.chart), filename=CHART_FILENAME, description=CHART_CAPTION)]


def build_embed(content: DigestContent) -> discord.Embed:
    embed = discord.Embed(title=content.title, description=content.acknowledgement, colour=BRAND_COLOUR)
    for name, value in content.fields:
        embed.add_field(name=name, value=shorten(value, FIELD_VALUE_LIMIT), inline=False)
    if content.with_chart:
        embed.set_image(url=f"attachment://{CHART_FILENAME}")
    embed.set_footer(text=content.footer)
    return embed


def render_digest(stats: DigestStats) -> RenderedDigest:
    """The pure digest: stats in, embed and chart bytes out. Blocking (the chart); call it in a thread."""
    content = digest_content(stats)
    chart = render_mood_chart(stats.mood_days) if content.with_chart else None
    return RenderedDigest(content=content, embed=build_embed(content), chart=chart)
