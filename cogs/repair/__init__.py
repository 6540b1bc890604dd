"""``/repair``: talk a disagreement through in a private thread, with consent at every step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.repair._cog import Repairs

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(Repairs(bot))
