from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.render import BRAND_COLOUR, NO_MENTIONS
from bot.checkins.digest_queries import CheckinDigestQueries
from bot.commitments.repository import CommitmentRepo
from bot.i18n import Term, number, t
from bot.markup import timestamp

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

#: /about is informational: its counts are refreshed at most this often, so a burst of /about costs the
#: database one round of counts, not one per member.
STATS_TTL = timedelta(seconds=5)


#: The bot's name: the same in every language.
BRAND = "Rapport"


def _size(num_bytes: int, locale: str | None = None) -> str:
    units = ["B", "KB", "MB", "GB"]
    power = min(len(units) - 1, int(math.log(max(num_bytes, 1), 1024)))
    if not power:
        return f"{number(locale, num_bytes)} B"
    return f"{number(locale, round(num_bytes / 1024**power, 1))} {units[power]}"


class About(commands.Cog):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        self._stats: list[tuple[Term, int]] = []
        self._stats_at = -math.inf
        # What the features count, each through its own read method, when its tables exist.
        self._counters: list[tuple[Term, Callable[[], Awaitable[int]]]] = []

    async def cog_load(self) -> None:
        if not hasattr(self.bot, "db"):
            return  # loaded without set-up (e.g. to list commands)
        checkins, commitments = CheckinDigestQueries(self.bot.db), CommitmentRepo(self.bot.db)
        if await checkins.available():
            self._counters.append((Term("Schedules"), checkins.schedule_count))
        if await commitments.available():
            self._counters.append((Term("Open commitments"), commitments.open_count))

    async def _counts(self) -> list[tuple[Term, int]]:
        if time.monotonic() - self._stats_at >= STATS_TTL.total_seconds():
            self._stats = [(label, await count()) for label, count in self._counters]
            self._stats_at = time.monotonic()
        return self._stats

    @app_commands.command(name="about", description="Rapport's version, uptime, latency and what it is looking after.")
    async def about(self, interaction: discord.Interaction[Rapport]) -> None:
        bot = self.bot
        locale = str(interaction.locale) if interaction.locale else None
        latency = bot.latency
        if math.isfinite(latency):
            latency_text = t(locale, "{milliseconds} ms", milliseconds=number(locale, round(latency * 1000)))
        else:
            latency_text = t(locale, "connecting")
        db_size = await bot.db.size_bytes()
        embed = discord.Embed(
            title=BRAND,
            description=t(locale, "Check-ins, written summaries and commitments that help a group keep talking well."),
            colour=BRAND_COLOUR,
        )
        embed.add_field(name=t(locale, "Version"), value=bot.version)
        embed.add_field(name=t(locale, "Up since"), value=timestamp(bot.started_at, "R"))
        embed.add_field(name=t(locale, "Gateway latency"), value=latency_text)
        embed.add_field(name=t(locale, "Servers"), value=number(locale, len(bot.guilds)))
        for label, value in await self._counts():
            embed.add_field(name=label.text(locale), value=number(locale, value))
        embed.add_field(name=t(locale, "Database"), value=_size(db_size, locale))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
