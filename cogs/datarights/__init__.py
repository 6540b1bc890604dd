"""Data rights in the background: the daily retention purge and what happens when the bot leaves a server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.datarights._cog import DataRights

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(DataRights(bot))
