from __future__ import annotations

import math
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import BRAND_COLOUR, NO_MENTIONS, timestamp

if TYPE_CHECKING:
    from bot.client import Rapport

# Tables that later features add; /about counts them when they exist.
_COUNTS = {
    "schedules": "SELECT count(*) FROM checkins WHERE deleted_at IS NULL",
    "open commitments": "SELECT count(*) FROM commitments WHERE status = 'open'",
}


def _size(num_bytes: int) -> str:
    units = ["B", "KB", "MB", "GB"]
    power = min(len(units) - 1, int(math.log(max(num_bytes, 1), 1024)))
    return f"{num_bytes / 1024**power:.1f} {units[power]}" if power else f"{num_bytes} B"


class About(commands.Cog):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    async def _count(self, sql: str) -> str:
        try:
            return f"{int(await self.bot.db.fetchval(sql)):,}"
        except Exception:  # the feature's table is not there (yet)
            return "0"

    @app_commands.command(name="about", description="Rapport's version, uptime, latency and what it is looking after.")
    async def about(self, interaction: discord.Interaction[Rapport]) -> None:
        bot = self.bot
        latency = bot.latency
        latency_text = f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "connecting"
        db_size = bot.db.path.stat().st_size if bot.db.path.exists() else 0
        wal = bot.db.path.with_name(bot.db.path.name + "-wal")
        if wal.exists():
            db_size += wal.stat().st_size
        embed = discord.Embed(
            title="Rapport",
            description="Check-ins, written summaries and commitments that help a group keep talking well.",
            colour=BRAND_COLOUR,
        )
        embed.add_field(name="Version", value=bot.version)
        embed.add_field(name="Up since", value=timestamp(bot.started_at, "R"))
        embed.add_field(name="Gateway latency", value=latency_text)
        embed.add_field(name="Servers", value=f"{len(bot.guilds):,}")
        for label, sql in _COUNTS.items():
            embed.add_field(name=label.capitalize(), value=await self._count(sql))
        embed.add_field(name="Database", value=_size(db_size))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
