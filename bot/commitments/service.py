"""The commitments service: making commitments, reading them, and the server's nudge policy.

No Discord objects here: everything reaching members goes through a :class:`CommitmentNotifier`, which the
cog implements with discord.py. Other features (check-ins, summaries, repairs) reach this service with
``bot.service(CommitmentService)`` and call :meth:`CommitmentService.propose`.

Changing a commitment is :class:`~bot.commitments.changes.CommitmentChanges` (this service's base); sending
nudges is :class:`~bot.commitments.nudges.NudgeWork`, a source of the one dispatcher; what members type is
checked in :mod:`bot.commitments.validation`.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commitments.asks import ASKS, AskWork
from bot.commitments.changes import HELP_EVERY, NOT_ALLOWED, CommitmentChanges
from bot.commitments.models import Commitment, CommitmentEvent, ListFilter, NewEvent, NudgeRecord, PeriodStats
from bot.commitments.notifier import CommitmentNotifier
from bot.commitments.nudges import DISPATCH_JOB, NUDGES, RETRY_AFTER, NudgeWork
from bot.commitments.policy import NudgePolicy, new_round, next_nudge_at, reindexed
from bot.commitments.repository import Claim, CommitmentRepo
from bot.commitments.validation import (
    MAX_DUE_AHEAD,
    MAX_SNOOZE,
    SNOOZE_BUTTON,
    check_due,
    check_source,
    clean_text,
    parse_number,
)
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.delivery import Delivery
from bot.errors import BadInput, ObjectNotFound
from bot.scheduling.clock import Clock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from bot.scheduling.owners import gone
from bot.scheduling.shards import EVERY_SHARD, ShardScope
from bot.timeparse import parse_when
from bot.timezones import get_zone

log = logging.getLogger(__name__)

__all__ = [
    "DISPATCH_JOB",
    "HELP_EVERY",
    "NOT_ALLOWED",
    "RETRY_AFTER",
    "SNOOZE_BUTTON",
    "CommitmentNotifier",
    "CommitmentService",
    "clean_text",
    "parse_number",
]


class CommitmentService(CommitmentChanges):
    def __init__(
        self,
        db: Database,
        prefs: PreferencesRepo,
        clock: Clock,
        jobs: JobService,
        notifier: CommitmentNotifier,
        *,
        default_timezone: str = "UTC",
        dispatcher: Dispatcher | None = None,
        batch_size: int = 500,
        concurrency: int = 50,
        scope: ShardScope = EVERY_SHARD,
    ) -> None:
        """``dispatcher``: the bot's one dispatcher (its scope says whose nudges this process sends); without it
        (tests, tools) the service gets its own, over ``scope``."""
        self.db = db
        self.repo = CommitmentRepo(db)
        self.prefs = prefs
        self.clock = clock
        self.jobs = jobs
        self.notifier = notifier
        self.default_timezone = default_timezone
        self.dispatcher = dispatcher or Dispatcher(
            jobs, clock, owner=f"commitments:{uuid.uuid4().hex[:8]}", scope=scope, batch_size=batch_size,
            concurrency=concurrency,
        )
        self.nudges = NudgeWork(self.repo, prefs, notifier, default_timezone)
        self.dispatcher.add(self.nudges)
        self.asks = AskWork(self.repo, notifier)
        self.dispatcher.add(self.asks)

    # -- the dispatcher ----------------------------------------------------------------------------------
    async def rearm(self) -> datetime | None:
        """Point the nudge timer at the next due nudge (the client arms every source at start-up)."""
        return await self.dispatcher.arm(NUDGES)

    async def dispatch(self) -> int:
        """Claim and handle every nudge that is due now; returns how many were handled."""
        return await self.dispatcher.dispatch(NUDGES)

    async def reconcile(self) -> None:
        """At start-up: take over at once the claims of a process of this machine that died holding them (a
        proposal whose owner it was about to ask is asked by the next dispatch), then arm both sources."""
        if await self.repo.drop_dead_claims(gone):
            log.info("took over the commitment claims of a process that stopped")
        await self.dispatcher.arm(ASKS)
        await self.rearm()

    # -- time zones and dates ------------------------------------------------------------------------------
    async def zone_for(self, user_id: int, guild_id: int | None) -> ZoneInfo:
        name = await self.prefs.member_zone_name(user_id, guild_id, self.default_timezone)
        try:
            return get_zone(name)
        except BadInput:
            log.warning("stored time zone %r is unknown; using %s", name, self.default_timezone)
            return get_zone(self.default_timezone)

    async def read_due(self, text: str, *, owner_id: int, guild_id: int, what: str = "due date") -> datetime:
        """A due time typed in the owner's time zone; a date alone means 17:00 there."""
        zone = await self.zone_for(owner_id, guild_id)
        return parse_when(text, now=self.clock.now(), zone=zone, max_future=MAX_DUE_AHEAD, what=what)

    async def read_until(self, text: str, *, user_id: int, guild_id: int) -> datetime:
        zone = await self.zone_for(user_id, guild_id)
        return parse_when(text, now=self.clock.now(), zone=zone, max_future=MAX_SNOOZE, what="snooze time")

    # -- creating ----------------------------------------------------------------------------------------
    async def add(
        self,
        *,
        guild_id: int,
        owner_id: int,
        text: str,
        due: datetime | None,
        source_kind: str = "manual",
        source_url: str | None = None,
        source_channel_id: int | None = None,
    ) -> Commitment:
        """A commitment someone makes for themselves: open and tracked straight away."""
        cleaned = clean_text(text)
        now = self.clock.now()
        check_due(due, now)
        check_source(source_kind, source_url)
        policy = await self.repo.policy(guild_id)
        state = new_round(due, now)
        commitment = await self.repo.create(
            guild_id=guild_id,
            owner_id=owner_id,
            creator_id=owner_id,
            text=cleaned,
            status="open",
            due_at=due,
            source_kind=source_kind,
            source_url=source_url,
            source_channel_id=source_channel_id,
            now=now,
            next_nudge_at=next_nudge_at(policy, state),
            event=NewEvent("created", owner_id, new_due_at=due),
        )
        self._arm(commitment.next_nudge_at)
        return commitment

    async def propose(
        self,
        *,
        guild_id: int,
        owner_id: int,
        creator_id: int,
        text: str,
        due: datetime | None,
        source_kind: str,
        source_url: str | None,
        source_channel_id: int | None,
        claim: Claim | None = None,
    ) -> Commitment:
        """A commitment for ``owner_id`` that they are asked to accept (a DM, else one mention in the channel).

        It is only tracked (listed as open, nudged) once the owner accepts it. ``claim`` runs in the insert's
        transaction (see :meth:`CommitmentRepo.create`): if it raises, no commitment is made and nobody is asked.
        """
        commitment, _ = await self.propose_with_delivery(
            guild_id=guild_id,
            owner_id=owner_id,
            creator_id=creator_id,
            text=text,
            due=due,
            source_kind=source_kind,
            source_url=source_url,
            source_channel_id=source_channel_id,
            claim=claim,
        )
        return commitment

    async def propose_with_delivery(
        self,
        *,
        guild_id: int,
        owner_id: int,
        creator_id: int,
        text: str,
        due: datetime | None,
        source_kind: str,
        source_url: str | None,
        source_channel_id: int | None,
        claim: Claim | None = None,
    ) -> tuple[Commitment, Delivery]:
        """Like :meth:`propose`, also saying how the owner was asked."""
        cleaned = clean_text(text)
        now = self.clock.now()
        check_due(due, now)
        check_source(source_kind, source_url)
        commitment = await self.repo.create(
            guild_id=guild_id,
            owner_id=owner_id,
            creator_id=creator_id,
            text=cleaned,
            status="proposed",
            due_at=due,
            source_kind=source_kind,
            source_url=source_url,
            source_channel_id=source_channel_id,
            now=now,
            next_nudge_at=None,
            event=NewEvent("proposed", creator_id, new_due_at=due),
            claim=claim,
            ask_claim=(self.dispatcher.owner, now + self.dispatcher.lease),
        )
        # The question is stored and claimed by us: ask now. Cut short, a restart (or the lease's end) asks.
        delivery = await self.asks.ask(commitment, self.dispatcher.owner, now)
        return commitment, Delivery.FAILED if delivery is None else delivery

    async def ask_again(self, commitment_id: int) -> bool:
        """Make sure the owner of a proposal is asked (a caller whose own record of asking was cut short).

        False, and nothing sent, when the commitment is gone or no longer waiting for its owner's answer. A
        question still due is claimed and sent now; one already sent, or being sent by another process, is not
        sent again. A proposal from before questions were recorded (no record at all) is asked as it used to be.
        """
        commitment = await self.repo.get(commitment_id)
        if commitment is None or commitment.status != "proposed":
            return False
        now = self.clock.now()
        if commitment.ask_due_at is None:
            if commitment.ask_delivery is None and commitment.ask_started_at is None:
                try:
                    await self.notifier.ask_owner(commitment)
                except Exception:
                    log.exception("could not ask user %s to accept commitment %s", commitment.owner_id, commitment.id)
            return True
        owner = self.dispatcher.owner
        claimed = await self.repo.claim_ask(commitment.id, now, owner, now + self.dispatcher.lease)
        if claimed is not None:
            await self.asks.ask(claimed, owner, now)
        return True

    # -- reading -----------------------------------------------------------------------------------------
    async def pending_between(self, guild_id: int, creator_id: int, owner_id: int) -> int:
        """Proposals from ``creator_id`` that ``owner_id`` has not accepted or declined yet."""
        return await self.repo.pending_between(guild_id, creator_id, owner_id)

    async def by_number(self, guild_id: int, number: int) -> Commitment:
        found = await self.repo.by_number(guild_id, number)
        if found is None:
            raise ObjectNotFound("I couldn't find commitment #{number} in this server.", number=number)
        return found

    async def lookup(self, guild_id: int, typed: str) -> Commitment:
        return await self.by_number(guild_id, parse_number(typed))

    async def history(self, commitment: Commitment) -> tuple[list[CommitmentEvent], list[NudgeRecord]]:
        return await self.repo.events(commitment.id), await self.repo.nudges(commitment.id)

    async def find(self, query: ListFilter) -> list[Commitment]:
        return await self.repo.find(query)

    async def search_own_open(self, guild_id: int, owner_id: int, text: str) -> list[Commitment]:
        return await self.repo.search_own_open(guild_id, owner_id, text[:100])

    async def open_count(self, guild_id: int | None = None) -> int:
        """Open commitments, in one server or everywhere."""
        return await self.repo.open_count(guild_id)

    async def stats(self, guild_id: int, start: datetime, end: datetime) -> PeriodStats:
        """For the weekly digest: opened, done, renegotiated and overdue in ``[start, end)``."""
        return await self.repo.period_stats(guild_id, start, end, self.clock.now())

    async def policy(self, guild_id: int) -> NudgePolicy:
        return await self.repo.policy(guild_id)

    # -- the server's policy -----------------------------------------------------------------------------
    async def set_policy(self, guild_id: int, policy: NudgePolicy) -> int:
        """Store the policy and re-plan the server's open commitments; returns how many were re-planned."""
        now = self.clock.now()
        await self.repo.set_policy(guild_id, policy, now)
        changes: list[tuple[Commitment, dict[str, object]]] = []
        for commitment in await self.repo.with_nudges_in_guild(guild_id):
            state = reindexed(policy, commitment.nudge_state())
            changes.append(
                (commitment, {"step_index": state.step_index, "next_nudge_at": next_nudge_at(policy, state)})
            )
        # One transaction for the whole server; a row changed meanwhile keeps its own (newer) plan.
        moved = await self.repo.update_many(changes, now)
        await self.rearm()
        return moved
