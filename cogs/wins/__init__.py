"""``/win`` and ``/wins``: celebrate what went well, and look back at wins and kept commitments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.wins._cog import Wins

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(Wins(bot))
