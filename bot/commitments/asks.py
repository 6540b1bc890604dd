"""Asking a proposal's owner as due work: the proposals source of the one dispatcher (:mod:`bot.scheduling.dispatch`).

The question ("will you take this on?", a DM or one mention in the channel) is a row before it is a message: a
proposal is stored with ``ask_due_at`` set and claimed by the process that asks straight away, in the insert's
transaction. That process notes the try (``ask_started_at``), sends with the proposal's deterministic nonce, and
records how it went, which ends the claim. A process killed anywhere in between leaves the row due: at start-up
a claim of a dead process of this machine is dropped (so the restart asks at once), any other claim runs out
first. A retried question carries the same nonce, so Discord drops it when the first one arrived, but only for a
few minutes: a question whose first try is older than :data:`~bot.delivery.RESEND_WINDOW` is not sent again (recorded
``unknown``; the owner still finds the proposal in ``/commit show`` with its buttons).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.commitments.models import Commitment
from bot.commitments.notifier import CommitmentNotifier
from bot.commitments.repository import CommitmentRepo
from bot.delivery import Delivery, may_resend
from bot.scheduling.shards import ShardScope

log = logging.getLogger(__name__)

#: The source's name among the dispatcher's; its timer is ``dispatch:commitment-asks``.
ASKS = "commitment-asks"
#: Recorded when a try was cut short too long ago to send again safely.
UNKNOWN = Delivery.UNKNOWN


class AskWork:
    name = ASKS

    def __init__(self, repo: CommitmentRepo, notifier: CommitmentNotifier) -> None:
        self.repo = repo
        self.notifier = notifier
        self._owner = ""

    # -- DueWork -----------------------------------------------------------------------------------------
    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.repo.next_ask_due(scope)

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[Commitment]:
        self._owner = owner
        return await self.repo.claim_due_asks(now, owner, until, limit, scope)

    async def run(self, item: Commitment, now: datetime) -> None:
        await self.ask(item, self._owner, now)

    # -- asking ------------------------------------------------------------------------------------------
    async def ask(self, claimed: Commitment, owner: str, now: datetime) -> Delivery | None:
        """Ask the owner of a proposal we hold the claim on; how they were asked (None: not sent)."""
        if claimed.status != "proposed":
            await self.repo.finish_ask(claimed.id, owner, None)  # answered meanwhile: nothing to ask
            return None
        if claimed.ask_started_at is not None and not may_resend(claimed.ask_started_at, now):
            log.warning(
                "the question to the owner of commitment %s was cut short %s ago; not sending it again",
                claimed.id, now - claimed.ask_started_at,
            )
            await self.repo.finish_ask(claimed.id, owner, UNKNOWN)
            return None
        if not await self.repo.begin_ask(claimed.id, owner, now):
            return None  # our claim was taken over meanwhile: the new holder asks
        try:
            delivery = await self.notifier.ask_owner(claimed)
        except Exception:
            log.exception("could not ask user %s to accept commitment %s", claimed.owner_id, claimed.id)
            delivery = Delivery.FAILED
        await self.repo.finish_ask(claimed.id, owner, delivery)
        return delivery
