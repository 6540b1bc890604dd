"""The digest as Discord sees it: an embed, and the mood chart as a file when there is one."""

from __future__ import annotations

import io

import discord

from bot.adapter.render import BRAND_COLOUR
from bot.digest.chart import CHART_FILENAME
from bot.digest.content import DigestContent
from bot.digest.render import RenderedDigest
from bot.markup import FIELD_VALUE_LIMIT, shorten


def build_embed(content: DigestContent) -> discord.Embed:
    embed = discord.Embed(title=content.title, description=content.acknowledgement, colour=BRAND_COLOUR)
    for name, value in content.fields:
        embed.add_field(name=name, value=shorten(value, FIELD_VALUE_LIMIT), inline=False)
    if content.with_chart:
        embed.set_image(url=f"attachment://{CHART_FILENAME}")
    embed.set_footer(text=content.footer)
    return embed


def digest_embed(digest: RenderedDigest) -> discord.Embed:
    return build_embed(digest.content)


def digest_files(digest: RenderedDigest) -> list[discord.File]:
    """A fresh file for each send (a discord.File can be sent once)."""
    if digest.chart is None:
        return []
    return [discord.File(io.BytesIO(digest.chart), filename=CHART_FILENAME, description=digest.content.chart_caption)]
