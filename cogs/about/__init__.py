"""``/about``: what this Rapport is and how it is doing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.about._cog import About

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(About(bot))
