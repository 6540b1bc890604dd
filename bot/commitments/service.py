"""The rules of commitments: who may change what, what each change does, and when nudges go out.

No Discord objects here: everything reaching members goes through a :class:`CommitmentNotifier`, which the
cog implements with discord.py. Other features (check-ins, summaries) reach this service with
``bot.service(CommitmentService)`` and call :meth:`CommitmentService.propose`.

Nudges are driven by one dispatcher job armed at the earliest ``next_nudge_at`` in the table (indexed): it
picks the due rows, records each nudge (keyed by commitment, round and step) and its new state in one
transaction, and only then sends it, so a restart can never send the same nudge twice.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.availability import next_reachable
from bot.commitments.models import (
    MAX_NOTE,
    MAX_TEXT,
    SOURCE_KINDS,
    Commitment,
    CommitmentEvent,
    ListFilter,
    NewEvent,
    NudgeRecord,
    PeriodStats,
)
from bot.commitments.policy import (
    Action,
    ActionKind,
    NudgePolicy,
    after_delivery,
    answered,
    due_action,
    new_round,
    next_nudge_at,
    reindexed,
    snoozed,
    state_columns,
)
from bot.commitments.repository import Claim, CommitmentRepo, StaleCommitment
from bot.db.database import Database
from bot.db.preferences import GuildSettings, PreferencesRepo
from bot.errors import BadInput, NotAllowed, ObjectNotFound, UserFacingError
from bot.scheduling.clock import Clock
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import EVERY_SHARD, ShardScope
from bot.timeparse import WHEN_EXAMPLES, parse_when
from bot.timezones import get_zone

log = logging.getLogger(__name__)

DISPATCH_JOB = "commitments:dispatch"
SNOOZE_BUTTON = timedelta(days=1)
MAX_SNOOZE = timedelta(days=365)
MAX_DUE_AHEAD = timedelta(days=5 * 366)
HELP_EVERY = timedelta(hours=24)
#: A row the dispatcher could not handle is looked at again this much later, instead of in a tight loop.
RETRY_AFTER = timedelta(minutes=30)
NOT_ALLOWED = "Only the owner or a manager can change this."
_NUMBER = re.compile(r"#?\s*(\d{1,9})")


class CommitmentNotifier(Protocol):
    """How the service reaches people; implemented with discord.py by the cog, by a recorder in tests."""

    async def ask_owner(self, commitment: Commitment) -> str:
        """Ask the owner to accept or decline a proposal; returns "dm", "channel" or "failed"."""
        ...

    async def nudge(self, commitment: Commitment, kind: ActionKind) -> str:
        """A private reminder with Done / Snooze / Renegotiate / Need help; returns "dm", "channel" or "failed"."""
        ...

    async def escalate(self, commitment: Commitment) -> bool:
        """One gentle mention of the owner in the commitment's channel; True if it was posted."""
        ...

    async def celebrate(self, commitment: Commitment) -> bool:
        """A short, ping-free "followed through" in the commitment's channel; True if it was posted."""
        ...

    async def ask_for_help(self, commitment: Commitment) -> bool:
        """Post "<owner> could use a hand with: …" in the commitment's channel; True if it was posted."""
        ...


def parse_number(text: str) -> int:
    """A per-server id as typed: ``12`` or ``#12``."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise BadInput("Commitment ids look like `#12` or `12`. Pick one from the list as you type.")
    return int(match.group(1))


def clean_text(text: str, *, what: str = "commitment", limit: int = MAX_TEXT, required: bool = True) -> str:
    """One line of member text: whitespace collapsed, length checked."""
    cleaned = " ".join(text.split())
    if required and not cleaned:
        raise BadInput(f"Please say what the {what} is.")
    if len(cleaned) > limit:
        raise BadInput(f"That {what} is {len(cleaned)} characters long; please keep it to {limit}.")
    return cleaned


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    cleaned = clean_text(note, what="note", limit=MAX_NOTE, required=False)
    return cleaned or None


class CommitmentService:
    def __init__(
        self,
        db: Database,
        prefs: PreferencesRepo,
        clock: Clock,
        jobs: JobService,
        notifier: CommitmentNotifier,
        *,
        default_timezone: str = "UTC",
        batch_size: int = 500,
        concurrency: int = 50,
        scope: ShardScope = EVERY_SHARD,
    ) -> None:
        #: The servers whose timers this process arms (the servers of its shards).
        self.scope = scope
        self.db = db
        self.repo = CommitmentRepo(db)
        self.prefs = prefs
        self.clock = clock
        self.jobs = jobs
        self.notifier = notifier
        self.default_timezone = default_timezone
        self.batch_size = batch_size
        self.concurrency = concurrency
        self._dispatch_lock = asyncio.Lock()

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

    def _check_due(self, due: datetime | None) -> None:
        if due is None:
            return
        if due.tzinfo is None:
            raise ValueError("due must be timezone-aware")
        now = self.clock.now()
        if due <= now:
            raise BadInput(f"That due time is in the past. Try {WHEN_EXAMPLES}.")
        if due - now > MAX_DUE_AHEAD:
            raise BadInput("That due time is too far ahead: at most five years from now.")

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
        self._check_due(due)
        self._check_source(source_kind, source_url)
        now = self.clock.now()
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
    ) -> tuple[Commitment, str]:
        """Like :meth:`propose`, also saying how the owner was asked: "dm", "channel" or "failed"."""
        cleaned = clean_text(text)
        self._check_due(due)
        self._check_source(source_kind, source_url)
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
            now=self.clock.now(),
            next_nudge_at=None,
            event=NewEvent("proposed", creator_id, new_due_at=due),
            claim=claim,
        )
        try:
            delivery = await self.notifier.ask_owner(commitment)
        except Exception:
            log.exception("could not ask user %s to accept commitment %s", owner_id, commitment.id)
            delivery = "failed"
        return commitment, delivery

    async def ask_again(self, commitment_id: int) -> bool:
        """Ask the owner of a proposal that was made but never sent (the bot stopped in between).

        False, and nothing sent, when the commitment is gone or no longer waiting for its owner's answer.
        """
        commitment = await self.repo.get(commitment_id)
        if commitment is None or commitment.status != "proposed":
            return False
        try:
            await self.notifier.ask_owner(commitment)
        except Exception:
            log.exception("could not ask user %s to accept commitment %s", commitment.owner_id, commitment.id)
        return True

    @staticmethod
    def _check_source(source_kind: str, source_url: str | None) -> None:
        if source_kind not in SOURCE_KINDS:
            raise ValueError(f"unknown source kind {source_kind!r}; expected one of {SOURCE_KINDS}")
        if source_url is not None and (len(source_url) > 500 or not source_url.startswith("https://")):
            raise ValueError("source_url must be an https link of at most 500 characters")

    # -- reading -----------------------------------------------------------------------------------------
    async def pending_between(self, guild_id: int, creator_id: int, owner_id: int) -> int:
        """Proposals from ``creator_id`` that ``owner_id`` has not accepted or declined yet."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM commitments WHERE guild_id = ? AND creator_id = ? AND owner_id = ? "
                "AND status = 'proposed'",
                (guild_id, creator_id, owner_id),
            )
            or 0
        )

    async def get(self, commitment_id: int) -> Commitment:
        found = await self.repo.get(commitment_id)
        if found is None:
            raise ObjectNotFound("That commitment no longer exists.")
        return found

    async def by_number(self, guild_id: int, number: int) -> Commitment:
        found = await self.repo.by_number(guild_id, number)
        if found is None:
            raise ObjectNotFound(f"I couldn't find commitment #{number} in this server.")
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

    # -- permissions -------------------------------------------------------------------------------------
    @staticmethod
    def may_change(commitment: Commitment, actor_id: int, actor_is_manager: bool) -> bool:
        return actor_id in (commitment.owner_id, commitment.creator_id) or actor_is_manager

    def require_may_change(self, commitment: Commitment, actor_id: int, actor_is_manager: bool) -> None:
        if not self.may_change(commitment, actor_id, actor_is_manager):
            raise NotAllowed(NOT_ALLOWED)

    @staticmethod
    def require_open(commitment: Commitment) -> None:
        if commitment.status == "proposed":
            raise UserFacingError(
                f"{commitment.label} is still waiting for its owner to accept it, so there is nothing to change yet."
            )
        if commitment.is_closed:
            raise UserFacingError(f"{commitment.label} is already {commitment.status}: nothing to change.")

    async def _change(
        self,
        commitment: Commitment,
        build: Callable[[Commitment], Awaitable[tuple[dict[str, object], NewEvent]]],
    ) -> Commitment:
        """Apply a change built from the freshest row; a concurrent change is retried, then reported."""
        current = commitment
        for _ in range(3):
            changes, event = await build(current)
            try:
                updated = await self.repo.update(current, changes, self.clock.now(), event)
            except StaleCommitment:
                current = await self.get(commitment.id)
                continue
            self._arm(updated.next_nudge_at)
            return updated
        raise UserFacingError(f"{commitment.label} changed just now; please try again.")

    # -- accepting a proposal ----------------------------------------------------------------------------
    async def accept(self, commitment_id: int, actor_id: int) -> Commitment:
        commitment = await self.get(commitment_id)
        self._require_owner_answer(commitment, actor_id)

        async def build(current: Commitment) -> tuple[dict[str, object], NewEvent]:
            self._require_owner_answer(current, actor_id)
            now = self.clock.now()
            state = new_round(current.due_at, now)
            policy = await self.repo.policy(current.guild_id)
            changes: dict[str, object] = {
                "status": "open",
                "opened_at": now,
                **state_columns(state),
                "next_nudge_at": next_nudge_at(policy, state),
            }
            return changes, NewEvent("accepted", actor_id)

        return await self._change(commitment, build)

    async def decline(self, commitment_id: int, actor_id: int) -> Commitment:
        commitment = await self.get(commitment_id)
        self._require_owner_answer(commitment, actor_id)

        async def build(current: Commitment) -> tuple[dict[str, object], NewEvent]:
            self._require_owner_answer(current, actor_id)
            return {"status": "declined", "closed_at": self.clock.now(), "next_nudge_at": None}, NewEvent(
                "declined", actor_id
            )

        return await self._change(commitment, build)

    @staticmethod
    def _require_owner_answer(commitment: Commitment, actor_id: int) -> None:
        if actor_id != commitment.owner_id:
            raise NotAllowed("Only the person it is proposed to can accept or decline this.")
        if commitment.status != "proposed":
            verb = {"open": "accepted"}.get(commitment.status, commitment.status)
            raise UserFacingError(f"{commitment.label} was already {verb}: nothing to change.")

    # -- changes by the owner, the creator or a manager --------------------------------------------------
    async def done(
        self, commitment: Commitment, *, actor_id: int, actor_is_manager: bool, note: str | None = None
    ) -> tuple[Commitment, bool]:
        """Mark done; returns the commitment and whether a celebration is due.

        The celebration itself is :meth:`celebrate`, called after the member has had their reply: a channel post
        can wait on Discord's rate limits for longer than an interaction may go unanswered.
        """
        self.require_may_change(commitment, actor_id, actor_is_manager)
        cleaned = _clean_note(note)

        async def build(current: Commitment) -> tuple[dict[str, object], NewEvent]:
            self.require_open(current)
            changes: dict[str, object] = {"status": "done", "closed_at": self.clock.now(), "next_nudge_at": None}
            return changes, NewEvent("done", actor_id, note=cleaned)

        updated = await self._change(commitment, build)
        settings: GuildSettings = await self.prefs.guild(updated.guild_id)
        return updated, settings.celebrate and updated.source_channel_id is not None

    async def celebrate(self, commitment: Commitment) -> bool:
        """Post the celebration of a commitment marked done; a failure is logged, never raised."""
        try:
            return await self.notifier.celebrate(commitment)
        except Exception:
            log.exception("could not celebrate commitment %s", commitment.id)
            return False

    async def drop(
        self, commitment: Commitment, *, actor_id: int, actor_is_manager: bool, reason: str | None = None
    ) -> Commitment:
        self.require_may_change(commitment, actor_id, actor_is_manager)
        cleaned = _clean_note(reason)

        async def build(current: Commitment) -> tuple[dict[str, object], NewEvent]:
            if current.is_closed:
                raise UserFacingError(f"{current.label} is already {current.status}: nothing to change.")
            changes: dict[str, object] = {"status": "dropped", "closed_at": self.clock.now(), "next_nudge_at": None}
            return changes, NewEvent("dropped", actor_id, note=cleaned)

        return await self._change(commitment, build)

    async def snooze(
        self, commitment: Commitment, *, actor_id: int, actor_is_manager: bool, until: datetime
    ) -> Commitment:
        """No nudges until ``until``; then one reminder, and the plan carries on. The due time stays."""
        self.require_may_change(commitment, actor_id, actor_is_manager)
        now = self.clock.now()
        if until <= now:
            raise BadInput(f"The snooze time needs to be in the future. Try {WHEN_EXAMPLES}.")
        if until - now > MAX_SNOOZE:
            raise BadInput("That's too far ahead: snooze for at most a year, or renegotiate the date instead.")

        async def build(current: Commitment) -> tuple[dict[str, object], NewEvent]:
            self.require_open(current)
            policy = await self.repo.policy(current.guild_id)
            state = snoozed(current.nudge_state(), until)
            changes = {**state_columns(state), "next_nudge_at": next_nudge_at(policy, state)}
            return changes, NewEvent("snoozed", actor_id, new_due_at=until)

        return await self._change(commitment, build)

    async def renegotiate(
        self,
        commitment: Commitment,
        *,
        actor_id: int,
        actor_is_manager: bool,
        due: datetime,
        note: str | None = None,
    ) -> Commitment:
        """A new due time (the old one stays in the history); the nudge policy starts again from it."""
        self.require_may_change(commitment, actor_id, actor_is_manager)
        self._check_due(due)
        cleaned = _clean_note(note)

        async def build(current: Commitment) -> tuple[dict[str, object], NewEvent]:
            self.require_open(current)
            now = self.clock.now()
            policy = await self.repo.policy(current.guild_id)
            state = new_round(due, now)
            changes: dict[str, object] = {
                "due_at": due,
                "round": current.round + 1,
                **state_columns(state),
                "next_nudge_at": next_nudge_at(policy, state),
            }
            return changes, NewEvent("renegotiated", actor_id, old_due_at=current.due_at, new_due_at=due, note=cleaned)

        return await self._change(commitment, build)

    async def ask_for_help(self, commitment: Commitment, *, actor_id: int) -> Commitment:
        """The owner asks the channel for a hand (at most once a day per commitment)."""
        if actor_id != commitment.owner_id:
            raise NotAllowed("Only the owner can ask for a hand with this.")
        if commitment.source_channel_id is None:
            raise UserFacingError(f"{commitment.label} has no channel to ask in.")
        now = self.clock.now()

        async def build(current: Commitment) -> tuple[dict[str, object], NewEvent]:
            self.require_open(current)
            if current.help_asked_at is not None and now - current.help_asked_at < HELP_EVERY:
                raise UserFacingError("You asked for a hand with this recently; give people a little time.")
            policy = await self.repo.policy(current.guild_id)
            state = answered(current.nudge_state())
            changes = {**state_columns(state), "help_asked_at": now, "next_nudge_at": next_nudge_at(policy, state)}
            return changes, NewEvent("help", actor_id)

        updated = await self._change(commitment, build)
        if not await self.notifier.ask_for_help(updated):
            raise UserFacingError("I couldn't post in that channel; maybe I can't see it any more.")
        return updated

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

    # -- the dispatcher ----------------------------------------------------------------------------------
    def _arm(self, at: datetime | None) -> None:
        if at is None:
            return
        current = self.jobs.get(DISPATCH_JOB)
        if current is None or at < current:
            self.jobs.schedule(DISPATCH_JOB, at, self.dispatch)

    async def rearm(self) -> datetime | None:
        """Point the dispatcher job at the earliest pending nudge (at start-up, and after each run)."""
        earliest = await self.repo.earliest_nudge_at(self.scope)
        if earliest is None:
            self.jobs.cancel(DISPATCH_JOB)
        else:
            self.jobs.schedule(DISPATCH_JOB, earliest, self.dispatch)
        return earliest

    async def dispatch(self) -> int:
        """Send every nudge that is due; returns how many were sent (or attempted)."""
        async with self._dispatch_lock:
            sent = 0
            seen: set[int] = set()
            policies: dict[int, NudgePolicy] = {}
            guilds: dict[int, GuildSettings] = {}
            limit = asyncio.Semaphore(self.concurrency)

            async def one(row: Commitment, now: datetime) -> bool:
                async with limit:
                    try:
                        return await self._process(row, now, policies, guilds)
                    except Exception:
                        log.exception("nudge for commitment %s failed; trying again later", row.id)
                        fresh = await self.repo.get(row.id)
                        if fresh is not None and fresh.next_nudge_at is not None and fresh.next_nudge_at <= now:
                            await self.repo.set_next_nudge(fresh, now + RETRY_AFTER, now)
                        return False

            while True:
                now = self.clock.now()
                due = await self.repo.due_for_nudge(now, self.batch_size, self.scope)
                rows = [row for row in due if row.id not in seen]
                if not rows:
                    break
                seen.update(row.id for row in rows)
                results = await asyncio.gather(*(one(row, now) for row in rows))
                sent += sum(results)
            await self.rearm()
            return sent

    async def _guild(self, guild_id: int, cache: dict[int, GuildSettings]) -> GuildSettings:
        if guild_id not in cache:
            cache[guild_id] = await self.prefs.guild(guild_id)
        return cache[guild_id]

    async def _owner_reachable_at(self, row: Commitment, now: datetime, guilds: dict[int, GuildSettings]) -> datetime:
        member = await self.prefs.member(row.owner_id)
        if member.away_until is None and member.quiet_start is None:
            return now
        name = member.timezone or (await self._guild(row.guild_id, guilds)).timezone or self.default_timezone
        try:
            zone = get_zone(name)
        except BadInput:
            zone = get_zone(self.default_timezone)
        return next_reachable(now, member, zone)

    async def _process(
        self,
        row: Commitment,
        now: datetime,
        policies: dict[int, NudgePolicy],
        guilds: dict[int, GuildSettings],
    ) -> bool:
        if row.status != "open":
            await self.repo.set_next_nudge(row, None, now)
            return False
        if row.guild_id not in policies:
            policies[row.guild_id] = await self.repo.policy(row.guild_id)
        policy = policies[row.guild_id]
        reachable = await self._owner_reachable_at(row, now, guilds)
        if reachable > now:
            # Quiet hours or away: hold the nudge (never drop it) until the owner can be reached.
            await self.repo.set_next_nudge(row, reachable, now)
            return False
        action = due_action(policy, row.nudge_state(), now)
        if action is None:
            await self.repo.set_next_nudge(row, self._after(next_nudge_at(policy, row.nudge_state()), now), now)
            return False
        return await self._send(row, action, policy, now)

    @staticmethod
    def _after(at: datetime | None, now: datetime) -> datetime | None:
        """Never leave a row due again in the same run (which would loop)."""
        if at is not None and at <= now:
            log.warning("a nudge plan pointed into the past; looking again in a minute")
            return now + timedelta(minutes=1)
        return at

    async def _send(self, row: Commitment, action: Action, policy: NudgePolicy, now: datetime) -> bool:
        upcoming = self._after(next_nudge_at(policy, action.state), now)
        changes = {**state_columns(action.state), "next_nudge_at": upcoming}
        recorded = await self.repo.record_nudge(
            row, step=action.key, planned_at=action.planned_at, changes=changes, now=now
        )
        if recorded is None:
            log.info("nudge %s of commitment %s was already recorded; not sending it again", action.key, row.id)
            return False
        if action.skipped:
            log.info("commitment %s: %d held-back nudges collapsed into one", row.id, action.skipped)
        try:
            if action.kind == "escalation":
                delivery = "channel" if await self.notifier.escalate(recorded) else "failed"
            else:
                delivery = await self.notifier.nudge(recorded, action.kind)
        except Exception:
            log.exception("sending nudge %s of commitment %s failed", action.key, row.id)
            delivery = "failed"
        changes_after: dict[str, object] | None = None
        if delivery == "dm":
            # A DM counts as unanswered until the owner does something (escalation looks at this).
            state = after_delivery(recorded.nudge_state(), delivered_by_dm=True, now=now)
            changes_after = {
                "unanswered_dms": state.unanswered_dms,
                "last_dm_at": state.last_dm_at,
                "next_nudge_at": self._after(next_nudge_at(policy, state), now),
            }
        # If the owner answered while it was being sent, their change decides what comes next.
        updated = await self.repo.finish_nudge(
            recorded, step=action.key, delivery=delivery, changes=changes_after, now=now
        )
        if updated is not None:
            self._arm(updated.next_nudge_at)
        return True
