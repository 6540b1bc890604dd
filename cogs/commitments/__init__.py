"""``/commit``: commitments the group keeps, with private-first nudges and celebrated follow-through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.commitments._cog import Commitments

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(Commitments(bot))
