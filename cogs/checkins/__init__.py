"""``/checkin``: recurring check-ins with persistent Answer / Skip buttons, reminders and digests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.checkins._cog import Checkins

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


async def setup(bot: Rapport) -> None:
    await bot.add_cog(Checkins(bot))
