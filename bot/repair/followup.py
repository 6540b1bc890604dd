"""The follow-up as due work: the repair source of the one dispatcher (:mod:`bot.scheduling.dispatch`).

A closed repair plans "How are things now?" for ``repairs.followup_at`` (indexed). When it is due the
dispatcher claims the row with a lease; :meth:`FollowupWork.run` marks the follow-up posted (once: a
conditional update), posts it through a :class:`RepairPoster`, and remembers the message. A post that fails is
tried again :data:`RETRY_AFTER` later; a thread that is gone is not retried.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot.repair.models import Repair
from bot.repair.repository import RepairRepo
from bot.scheduling.shards import ShardScope

log = logging.getLogger(__name__)

#: The source's name among the dispatcher's; its timer is ``dispatch:repair-followups``.
FOLLOWUPS = "repair-followups"
FOLLOWUP_JOB = f"dispatch:{FOLLOWUPS}"
#: A follow-up that could not be posted is tried again this much later.
RETRY_AFTER = timedelta(minutes=30)


class RepairPoster(Protocol):
    """How the repair domain posts what happens later; implemented with discord.py by the cog."""

    async def post_followup(self, repair: Repair) -> int | None:
        """Post "How are things now?" in the repair's thread; the message id, or None if the thread is gone."""
        ...


class FollowupWork:
    name = FOLLOWUPS

    def __init__(self, repo: RepairRepo, poster: RepairPoster) -> None:
        self.repo = repo
        self.poster = poster
        self._owner = ""

    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.repo.next_followup_due(scope)

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[Repair]:
        self._owner = owner
        return await self.repo.claim_due_followups(now, owner, until, limit, scope)

    async def run(self, item: Repair, now: datetime) -> None:
        # Raising (the database, not Discord) leaves the claim to run out, and the row is tried again then.
        await self._post(item, now)
        await self.repo.release_claim(item.id, self._owner)

    async def _post(self, repair: Repair, now: datetime) -> None:
        if not await self.repo.claim_followup(repair.id, now):
            return
        try:
            message_id = await self.poster.post_followup(repair)
        except Exception:
            log.exception("could not post the follow-up of repair %s; trying again later", repair.id)
            await self.repo.postpone_followup(repair.id, now + RETRY_AFTER)
            return
        if message_id is None:
            log.warning("the thread of repair %s is gone; its follow-up was not posted", repair.id)
            return
        await self.repo.set_followup_message(repair.id, message_id)
