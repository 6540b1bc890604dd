"""Rendering to Discord objects: the colours, allowed mentions and embeds packed within Discord's limits."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.markup import EMBED_DESCRIPTION_LIMIT, TITLE_LIMIT, pack_lines, shorten

BRAND_COLOUR = discord.Colour(0x5B8DEF)
WARM_COLOUR = discord.Colour(0xF2A65A)

#: For messages that must never ping anyone.
NO_MENTIONS = discord.AllowedMentions.none()


def mention_users(*user_ids: int) -> discord.AllowedMentions:
    """Allow pinging exactly these members; never roles, never @everyone, never replied-to authors."""
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(uid) for uid in user_ids]
    )


def embed_length(embed: discord.Embed) -> int:
    return len(embed)


def embeds_from_lines(
    title: str,
    lines: Sequence[str],
    *,
    colour: discord.Colour = BRAND_COLOUR,
    footer: str | None = None,
) -> list[discord.Embed]:
    """As many embeds as needed to show every line within the description and total limits."""
    blocks = pack_lines(lines, EMBED_DESCRIPTION_LIMIT - 100) or [""]
    embeds = []
    for index, block in enumerate(blocks):
        suffix = f" ({index + 1}/{len(blocks)})" if len(blocks) > 1 else ""
        embed = discord.Embed(title=shorten(title, TITLE_LIMIT - len(suffix)) + suffix, description=block,
                              colour=colour)
        if footer and index == len(blocks) - 1:
            embed.set_footer(text=shorten(footer, 2048))
        embeds.append(embed)
    return embeds
