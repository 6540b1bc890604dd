"""Changing a commitment: who may, and what each change does to its status, history and nudge plan.

Every change is built from the freshest row and written only if the row is still at the version read, so two
people pressing buttons at once cannot both win (the second is retried on the new row, then told to try
again). A change that moves the next nudge sooner pokes the dispatcher.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Literal

from bot.commitments.models import Commitment, NewEvent
from bot.commitments.notifier import CommitmentNotifier
from bot.commitments.nudges import NUDGES
from bot.commitments.policy import answered, new_round, next_nudge_at, snoozed, state_columns
from bot.commitments.repository import CommitmentRepo, StaleCommitment
from bot.commitments.validation import check_due, check_snooze, clean_note
from bot.db.preferences import GuildSettings, PreferencesRepo
from bot.errors import NotAllowed, ObjectNotFound, UserFacingError
from bot.scheduling.clock import Clock
from bot.scheduling.dispatch import Dispatcher

log = logging.getLogger(__name__)

HELP_EVERY = timedelta(hours=24)
NOT_ALLOWED = "Only the owner or a manager can change this."

def already_closed(commitment: Commitment, verb: Literal["is", "was"] = "is") -> UserFacingError:
    """The refusal of a change to a commitment that is done, dropped or declined (one sentence per status)."""
    label = commitment.label
    if verb == "was":
        if commitment.status == "done":
            return UserFacingError("{label} was already done: nothing to change.", label=label)
        if commitment.status == "dropped":
            return UserFacingError("{label} was already dropped: nothing to change.", label=label)
        return UserFacingError("{label} was already declined: nothing to change.", label=label)
    if commitment.status == "done":
        return UserFacingError("{label} is already done: nothing to change.", label=label)
    if commitment.status == "dropped":
        return UserFacingError("{label} is already dropped: nothing to change.", label=label)
    return UserFacingError("{label} is already declined: nothing to change.", label=label)


Build = Callable[[Commitment], Awaitable[tuple[dict[str, object], NewEvent]]]


class CommitmentChanges:
    """The changes of :class:`~bot.commitments.service.CommitmentService` (its base; not used alone)."""

    repo: CommitmentRepo
    prefs: PreferencesRepo
    clock: Clock
    notifier: CommitmentNotifier
    dispatcher: Dispatcher

    async def get(self, commitment_id: int) -> Commitment:
        found = await self.repo.get(commitment_id)
        if found is None:
            raise ObjectNotFound("That commitment no longer exists.")
        return found

    def _arm(self, at: datetime | None) -> None:
        if at is not None:
            self.dispatcher.poke(NUDGES, at)

    # -- permissions -------------------------------------------------------------------------------------
    @staticmethod
    def may_change(commitment: Commitment, actor_id: int, actor_is_manager: bool) -> bool:
        return actor_id in (commitment.owner_id, commitment.creator_id) or actor_is_manager

    def require_may_change(self, commitment: Commitment, actor_id: int, actor_is_manager: bool) -> None:
        if not self.may_change(commitment, actor_id, actor_is_manager):
            raise NotAllowed("Only the owner or a manager can change this.")

    @staticmethod
    def require_open(commitment: Commitment) -> None:
        if commitment.status == "proposed":
            raise UserFacingError(
                "{label} is still waiting for its owner to accept it, so there is nothing to change yet.",
                label=commitment.label,
            )
        if commitment.is_closed:
            raise already_closed(commitment)

    async def _change(self, commitment: Commitment, build: Build) -> Commitment:
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
        raise UserFacingError("{label} changed just now; please try again.", label=commitment.label)

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
        if commitment.status == "open":
            raise UserFacingError("{label} was already accepted: nothing to change.", label=commitment.label)
        if commitment.status != "proposed":
            raise already_closed(commitment, "was")

    # -- changes by the owner, the creator or a manager --------------------------------------------------
    async def done(
        self, commitment: Commitment, *, actor_id: int, actor_is_manager: bool, note: str | None = None
    ) -> tuple[Commitment, bool]:
        """Mark done; returns the commitment and whether a celebration is due.

        The celebration itself is :meth:`celebrate`, called after the member has had their reply: a channel post
        can wait on Discord's rate limits for longer than an interaction may go unanswered.
        """
        self.require_may_change(commitment, actor_id, actor_is_manager)
        cleaned = clean_note(note)

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
        cleaned = clean_note(reason)

        async def build(current: Commitment) -> tuple[dict[str, object], NewEvent]:
            if current.is_closed:
                raise already_closed(current)
            changes: dict[str, object] = {"status": "dropped", "closed_at": self.clock.now(), "next_nudge_at": None}
            return changes, NewEvent("dropped", actor_id, note=cleaned)

        return await self._change(commitment, build)

    async def snooze(
        self, commitment: Commitment, *, actor_id: int, actor_is_manager: bool, until: datetime
    ) -> Commitment:
        """No nudges until ``until``; then one reminder, and the plan carries on. The due time stays."""
        self.require_may_change(commitment, actor_id, actor_is_manager)
        check_snooze(until, self.clock.now())

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
        check_due(due, self.clock.now())
        cleaned = clean_note(note)

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
            raise UserFacingError("{label} has no channel to ask in.", label=commitment.label)
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
