from __future__ import annotations

import math
import time
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.render import BRAND_COLOUR, NO_MENTIONS
from bot.markup import timestamp

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

# Tables that features add; /about counts them when they exist.
_COUNTS = {
    "checkins": ("Schedules", "SELECT count(*) FROM checkins WHERE deleted_at IS NULL"),
    "commitments": ("Open commitments", "SELECT count(*) FROM commitments WHERE status = 'open'"),
}
#: /about is informational: its counts are refreshed at most this often, so a burst of /about costs the
#: database one query, not one per member.
STATS_TTL = timedelta(seconds=5)


def _size(num_bytes: int) -> str:
    units = ["B", "KB", "MB", "GB"]
    power = min(len(units) - 1, int(math.log(max(num_bytes, 1), 1024)))
    return f"{num_bytes / 1024**power:.1f} {units[power]}" if power else f"{num_bytes} B"


class About(commands.Cog):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        self._stats: list[tuple[str, str]] = []
        self._stats_at = -math.inf
        self._count_sql = ""
        self._count_labels: list[str] = []

    async def cog_load(self) -> None:
        tables = set(await self.bot.db.tables())
        present = [(label, sql) for table, (label, sql) in _COUNTS.items() if table in tables]
        self._count_labels = [label for label, _ in present]
        if present:
            self._count_sql = "SELECT " + ", ".join(f"({sql})" for _, sql in present)

    async def _counts(self) -> list[tuple[str, str]]:
        if time.monotonic() - self._stats_at >= STATS_TTL.total_seconds():
            row = await self.bot.db.fetchone(self._count_sql) if self._count_sql else None
            values = list(row) if row is not None else []
            self._stats = [(label, f"{int(value):,}") for label, value in zip(self._count_labels, values, strict=True)]
            self._stats_at = time.monotonic()
        return self._stats

    @app_commands.command(name="about", description="Rapport's version, uptime, latency and what it is looking after.")
    async def about(self, interaction: discord.Interaction[Rapport]) -> None:
        bot = self.bot
        latency = bot.latency
        latency_text = f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "connecting"
        db_size = await bot.db.size_bytes()
        embed = discord.Embed(
            title="Rapport",
            description="Check-ins, written summaries and commitments that help a group keep talking well.",
            colour=BRAND_COLOUR,
        )
        embed.add_field(name="Version", value=bot.version)
        embed.add_field(name="Up since", value=timestamp(bot.started_at, "R"))
        embed.add_field(name="Gateway latency", value=latency_text)
        embed.add_field(name="Servers", value=f"{len(bot.guilds):,}")
        for label, value in await self._counts():
            embed.add_field(name=label, value=value)
        embed.add_field(name="Database", value=_size(db_size))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
