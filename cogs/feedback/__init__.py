"""``/feedback`` and the persistent **This captured it** / **Something's missing** buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.feedback._cog import Feedback

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(Feedback(bot))
