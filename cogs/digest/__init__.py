"""``/digest``: the weekly "progress together" digest (configure, off, preview)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.digest._cog import Digest

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(Digest(bot))
