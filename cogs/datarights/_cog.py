from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.datarights.retention import cancel_removal, purge_all, schedule_removal

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

JOB_ID = "datarights:purge"
#: The daily purge runs at this UTC time, when most servers are quiet.
PURGE_AT = time(3, 30)


def next_purge(now: datetime) -> datetime:
    candidate = datetime.combine(now.date(), PURGE_AT, tzinfo=now.tzinfo)
    return candidate if candidate > now else candidate + timedelta(days=1)


class DataRights(commands.Cog):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        if not hasattr(self.bot, "db"):
            return  # loaded without set-up (e.g. to list commands)
        self._schedule()

    async def cog_unload(self) -> None:
        self.bot.jobs.cancel(JOB_ID)

    def _schedule(self) -> None:
        self.bot.jobs.schedule(JOB_ID, next_purge(self.bot.clock.now()), self.run_purge)

    async def run_purge(self) -> None:
        try:
            # A server the bot is in again (added back while Rapport was offline) is not purged.
            for guild in self.bot.guilds:
                await cancel_removal(self.bot.db, guild.id)
            # Each process purges the servers of its own shards (the ones in self.bot.guilds above).
            results = await purge_all(self.bot.db, now=self.bot.clock.now(), scope=self.bot.shard_scope)
            total = sum(sum(c.values()) for c in results.values())
            log.info("daily retention purge: %d row(s) removed in %d server(s)", total, len(results))
        finally:
            self._schedule()

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        grace = timedelta(days=self.bot.settings.guild_removal_grace_days)
        purge_at = await schedule_removal(self.bot.db, guild.id, now=self.bot.clock.now(), grace=grace)
        log.info("removed from server %s: its data will be erased at %s unless Rapport is added back",
                 guild.id, purge_at.isoformat())

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        if await cancel_removal(self.bot.db, guild.id):
            log.info("added back to server %s: its scheduled erasure is cancelled", guild.id)
