"""**Ask for clarification** (message menu) and ``/clarify list``: gentle questions answered in a thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.clarify._cog import Clarify

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(Clarify(bot))
