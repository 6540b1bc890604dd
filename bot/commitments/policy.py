"""When to nudge about a commitment: pure functions over a server's policy and a commitment's nudge state.

The plan of a *round* (a round starts when a commitment is opened, and again at every renegotiation):

* one reminder ``remind_before`` ahead of the due time (default 24 h; ``None`` turns it off). It is left out
  when that moment is not after the start of the round: someone who promises something for tonight does not
  need a reminder of it straight away;
* up to ``overdue_limit`` (at most 6) kind nudges after the due time, with a growing gap: 1 day, then 2,
  then 4, then weekly (so 1, 3, 7, 14, 21 and 28 days after the due time).

Around the plan:

* a *snooze* ("remind me at …") replaces whatever is planned before it with one nudge at that time; planned
  nudges after it carry on as usual;
* nudges that were held back (quiet hours, away time, a snooze) collapse: when the owner can be reached
  again, only the latest step that is due is sent and the earlier ones are skipped, never sent in a burst;
* two nudges are at least ``MIN_GAP`` apart;
* with escalation on, once two nudge DMs went unanswered, one gentle mention of the owner in the
  commitment's channel follows ``ESCALATE_AFTER`` after the second DM (once per round). Any answer (a
  button, a command) resets the count.

Nothing here reads a clock or touches I/O; the service passes ``now`` in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, get_args

from bot.i18n import t, tn
from bot.timeparse import format_duration

DEFAULT_REMIND_BEFORE = timedelta(hours=24)
MAX_OVERDUE = 6
#: Gaps between overdue nudges: 1 day after the due time, then 2, then 4, then weekly.
OVERDUE_GAPS: tuple[timedelta, ...] = tuple(timedelta(days=d) for d in (1, 2, 4, 7, 7, 7))
MIN_GAP = timedelta(hours=12)
ESCALATE_AFTER = timedelta(days=1)
UNANSWERED_BEFORE_ESCALATION = 2
MIN_REMIND_BEFORE = timedelta(minutes=15)
MAX_REMIND_BEFORE = timedelta(days=7)

ActionKind = Literal["before", "overdue", "snooze", "escalation"]


@dataclass(frozen=True, slots=True)
class NudgePolicy:
    """A server's nudge policy."""

    remind_before: timedelta | None = DEFAULT_REMIND_BEFORE
    overdue_limit: int = MAX_OVERDUE
    escalate: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.overdue_limit <= MAX_OVERDUE:
            raise ValueError(f"overdue_limit must be between 0 and {MAX_OVERDUE}")
        if self.remind_before is not None and self.remind_before <= timedelta(0):
            raise ValueError("remind_before must be positive (or None for off)")


@dataclass(frozen=True, slots=True)
class Step:
    """One planned nudge of a round: its key (unique within the round), kind and time."""

    key: str
    kind: Literal["before", "overdue"]
    at: datetime


@dataclass(frozen=True, slots=True)
class NudgeState:
    """What the policy needs to know about one commitment."""

    due_at: datetime | None
    round_started_at: datetime
    step_index: int = 0
    snooze_until: datetime | None = None
    snooze_count: int = 0
    last_nudge_at: datetime | None = None
    last_dm_at: datetime | None = None
    unanswered_dms: int = 0
    escalated: bool = False
    can_escalate: bool = True  # False when there is no channel to mention the owner in


@dataclass(frozen=True, slots=True)
class Action:
    """A nudge to send now: its kind, its key within the round, and the state once it is recorded."""

    kind: ActionKind
    key: str
    planned_at: datetime
    skipped: int
    state: NudgeState


def overdue_offsets(limit: int = MAX_OVERDUE) -> list[timedelta]:
    """How long after the due time each overdue nudge is planned."""
    offsets: list[timedelta] = []
    total = timedelta(0)
    for gap in OVERDUE_GAPS[:limit]:
        total += gap
        offsets.append(total)
    return offsets


def plan(policy: NudgePolicy, due_at: datetime | None, round_started_at: datetime) -> list[Step]:
    """The planned nudges of a round, in time order. A commitment without a due time has none."""
    if due_at is None:
        return []
    steps: list[Step] = []
    if policy.remind_before is not None:
        at = due_at - policy.remind_before
        if at > round_started_at:
            steps.append(Step("before", "before", at))
    for index, offset in enumerate(overdue_offsets(policy.overdue_limit), start=1):
        steps.append(Step(f"overdue-{index}", "overdue", due_at + offset))
    return steps


def _escalation_at(policy: NudgePolicy, state: NudgeState) -> datetime | None:
    if (
        not policy.escalate
        or state.escalated
        or not state.can_escalate
        or state.unanswered_dms < UNANSWERED_BEFORE_ESCALATION
        or state.last_dm_at is None
    ):
        return None
    return state.last_dm_at + ESCALATE_AFTER


def _spaced(at: datetime, state: NudgeState) -> datetime:
    if state.last_nudge_at is None:
        return at
    return max(at, state.last_nudge_at + MIN_GAP)


def next_nudge_at(policy: NudgePolicy, state: NudgeState) -> datetime | None:
    """When the next nudge is due, or None when nothing more will be sent this round."""
    candidates: list[datetime] = []
    if state.snooze_until is not None:
        candidates.append(state.snooze_until)
    else:
        steps = plan(policy, state.due_at, state.round_started_at)
        if state.step_index < len(steps):
            candidates.append(_spaced(steps[state.step_index].at, state))
    escalation = _escalation_at(policy, state)
    if escalation is not None:
        candidates.append(_spaced(escalation, state))
    return min(candidates) if candidates else None


def due_action(policy: NudgePolicy, state: NudgeState, now: datetime) -> Action | None:
    """The nudge to send at ``now``, if one is due, with the state to record before sending it.

    Returns None exactly when :func:`next_nudge_at` is None or later than ``now``.
    """
    upcoming = next_nudge_at(policy, state)
    if upcoming is None or upcoming > now:
        return None
    escalation = _escalation_at(policy, state)
    if escalation is not None and _spaced(escalation, state) <= now:
        new_state = replace(state, escalated=True, last_nudge_at=now)
        return Action("escalation", "escalation", escalation, 0, new_state)
    steps = plan(policy, state.due_at, state.round_started_at)
    first_future = state.step_index
    while first_future < len(steps) and steps[first_future].at <= now:
        first_future += 1
    if state.snooze_until is not None:
        key = f"snooze-{state.snooze_count}"
        new_state = replace(state, snooze_until=None, step_index=first_future, last_nudge_at=now)
        return Action("snooze", key, state.snooze_until, first_future - state.step_index, new_state)
    # The latest planned step that is due; earlier ones that were held back are skipped.
    latest = first_future - 1
    step = steps[latest]
    new_state = replace(state, step_index=latest + 1, last_nudge_at=now)
    return Action(step.kind, step.key, step.at, latest - state.step_index, new_state)


def kind_of_step(key: str) -> ActionKind:
    """The kind of nudge a step's key names (``before``, ``overdue-2``, ``snooze-1``, ``escalation``)."""
    kind = key.split("-", 1)[0]
    if kind not in get_args(ActionKind):
        raise ValueError(f"not a nudge step: {key!r}")
    return kind  # type: ignore[return-value]


def after_delivery(state: NudgeState, *, delivered_by_dm: bool, now: datetime) -> NudgeState:
    """The state once a nudge went out: a DM counts as unanswered until the owner does something."""
    if not delivered_by_dm:
        return state
    return replace(state, unanswered_dms=state.unanswered_dms + 1, last_dm_at=now)


def answered(state: NudgeState) -> NudgeState:
    """The owner answered (a button, a command): the unanswered count starts again."""
    return replace(state, unanswered_dms=0, last_dm_at=None)


def snoozed(state: NudgeState, until: datetime) -> NudgeState:
    """Hold every nudge until ``until``, then send one; the owner answered, so escalation waits again."""
    return replace(answered(state), snooze_until=until, snooze_count=state.snooze_count + 1)


def new_round(due_at: datetime | None, now: datetime) -> NudgeState:
    """A fresh round: when a commitment is opened, or renegotiated to a new date."""
    return NudgeState(due_at=due_at, round_started_at=now)


def reindexed(policy: NudgePolicy, state: NudgeState) -> NudgeState:
    """The state under a changed policy: the next step is the first one planned after the last nudge sent."""
    steps = plan(policy, state.due_at, state.round_started_at)
    if state.last_nudge_at is None:
        return replace(state, step_index=0)
    done = sum(1 for step in steps if step.at <= state.last_nudge_at)
    return replace(state, step_index=done)


def state_columns(state: NudgeState) -> dict[str, object]:
    """The stored columns of a nudge state (everything but the due time, which the caller owns)."""
    return {
        "round_started_at": state.round_started_at,
        "step_index": state.step_index,
        "snooze_until": state.snooze_until,
        "snooze_count": state.snooze_count,
        "last_nudge_at": state.last_nudge_at,
        "last_dm_at": state.last_dm_at,
        "unanswered_dms": state.unanswered_dms,
        "escalated": state.escalated,
    }


def describe_policy(policy: NudgePolicy, locale: str | None = None) -> str:
    """The policy in one sentence, for `/settings nudges`, in the reader's language."""
    before = (
        t(locale, "a reminder {duration} before the due time", duration=format_duration(policy.remind_before))
        if policy.remind_before is not None
        else t(locale, "no reminder before the due time")
    )
    if policy.overdue_limit:
        days = ", ".join(str(o.days) for o in overdue_offsets(policy.overdue_limit))
        after = tn(
            locale,
            "up to {n} kind nudge after it ({days} days later)",
            "up to {n} kind nudges after it ({days} days later)",
            policy.overdue_limit,
            days=days,
        )
    else:
        after = t(locale, "no nudges after it")
    escalation = (
        t(locale, "after two unanswered DMs, one gentle mention of the owner in the commitment's channel")
        if policy.escalate
        else t(locale, "no mention in the channel (escalation off)")
    )
    return t(
        locale,
        "Commitment nudges: {before}; {after}; {escalation}. Quiet hours and away time are always respected.",
        before=before,
        after=after,
        escalation=escalation,
    )
