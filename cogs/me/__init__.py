"""``/me``: a member's own preferences (time zone, quiet hours, away time, summaries)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.me._cog import MyPreferences

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(MyPreferences(bot))
