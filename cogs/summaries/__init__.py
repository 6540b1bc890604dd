"""Written summaries of conversations: ``/summarize``, **Summarize from here**, ``/summary list|show``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.summaries._cog import Summaries

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(Summaries(bot))
