"""``/settings``: the server's preferences (time zone, manager role, and what features may do)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.settings._cog import ServerSettings

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(ServerSettings(bot))
