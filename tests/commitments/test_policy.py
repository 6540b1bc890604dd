"""The nudge policy as pure functions: the plan, backoff, collapse, snooze, spacing and escalation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commitments.policy import (
    MIN_GAP,
    NudgePolicy,
    NudgeState,
    after_delivery,
    answered,
    due_action,
    new_round,
    next_nudge_at,
    overdue_offsets,
    plan,
    reindexed,
    snoozed,
)

START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
DUE = START + timedelta(days=3)
DAY = timedelta(days=1)


def simulate(
    policy: NudgePolicy, state: NudgeState, until: datetime, *, by_dm: bool = True
) -> tuple[list[tuple[str, datetime]], NudgeState]:
    """Send every nudge the policy asks for up to ``until``, nobody answering; returns (key, sent at)."""
    sent: list[tuple[str, datetime]] = []
    while True:
        at = next_nudge_at(policy, state)
        if at is None or at > until:
            return sent, state
        action = due_action(policy, state, at)
        assert action is not None
        sent.append((action.key, at))
        state = after_delivery(action.state, delivered_by_dm=by_dm and action.kind != "escalation", now=at)


def test_default_plan_reminds_a_day_ahead_then_backs_off() -> None:
    steps = plan(NudgePolicy(), DUE, START)
    assert [(s.key, s.at - DUE) for s in steps] == [
        ("before", -DAY),
        ("overdue-1", DAY),
        ("overdue-2", 3 * DAY),
        ("overdue-3", 7 * DAY),
        ("overdue-4", 14 * DAY),
        ("overdue-5", 21 * DAY),
        ("overdue-6", 28 * DAY),
    ]
    assert overdue_offsets(3) == [DAY, 3 * DAY, 7 * DAY]


def test_plan_options() -> None:
    assert plan(NudgePolicy(), None, START) == []
    assert [s.key for s in plan(NudgePolicy(remind_before=None, overdue_limit=2), DUE, START)] == [
        "overdue-1",
        "overdue-2",
    ]
    assert plan(NudgePolicy(remind_before=None, overdue_limit=0), DUE, START) == []
    two_hours = plan(NudgePolicy(remind_before=timedelta(hours=2), overdue_limit=0), DUE, START)
    assert [(s.key, s.at) for s in two_hours] == [("before", DUE - timedelta(hours=2))]


def test_no_reminder_for_something_due_sooner_than_the_reminder() -> None:
    soon = START + timedelta(hours=5)
    assert plan(NudgePolicy(), soon, START)[0].key == "overdue-1"
    # Exactly at the start of the round is not "ahead" either.
    assert plan(NudgePolicy(), START + DAY, START)[0].key == "overdue-1"
    assert plan(NudgePolicy(), START + DAY + timedelta(seconds=1), START)[0].key == "before"


def test_policy_rejects_impossible_values() -> None:
    with pytest.raises(ValueError):
        NudgePolicy(overdue_limit=7)
    with pytest.raises(ValueError):
        NudgePolicy(overdue_limit=-1)
    with pytest.raises(ValueError):
        NudgePolicy(remind_before=timedelta(0))


def test_full_run_without_answers_sends_each_step_once_at_its_time() -> None:
    sent, final = simulate(NudgePolicy(), new_round(DUE, START), DUE + 60 * DAY)
    assert sent == [
        ("before", DUE - DAY),
        ("overdue-1", DUE + DAY),
        ("overdue-2", DUE + 3 * DAY),
        ("overdue-3", DUE + 7 * DAY),
        ("overdue-4", DUE + 14 * DAY),
        ("overdue-5", DUE + 21 * DAY),
        ("overdue-6", DUE + 28 * DAY),
    ]
    assert final.unanswered_dms == 7
    assert next_nudge_at(NudgePolicy(), final) is None


def test_nothing_is_due_before_its_time() -> None:
    state = new_round(DUE, START)
    assert due_action(NudgePolicy(), state, DUE - DAY - timedelta(seconds=1)) is None
    action = due_action(NudgePolicy(), state, DUE - DAY)
    assert action is not None and action.key == "before" and action.skipped == 0


def test_held_back_nudges_collapse_into_the_latest() -> None:
    state = new_round(DUE, START)
    late = DUE + 8 * DAY  # before, overdue-1, -2 and -3 are all due
    action = due_action(NudgePolicy(), state, late)
    assert action is not None
    assert (action.key, action.skipped, action.planned_at) == ("overdue-3", 3, DUE + 7 * DAY)
    assert action.state.step_index == 4
    assert next_nudge_at(NudgePolicy(), action.state) == DUE + 14 * DAY


def test_two_nudges_are_at_least_min_gap_apart() -> None:
    state = replace(new_round(DUE, START), step_index=1, last_nudge_at=DUE + DAY - timedelta(hours=2))
    # overdue-1 is planned at DUE + 1d, but the last nudge went out two hours before that.
    assert next_nudge_at(NudgePolicy(), state) == DUE + DAY - timedelta(hours=2) + MIN_GAP
    assert due_action(NudgePolicy(), state, DUE + DAY) is None


def test_snooze_replaces_what_is_planned_before_it_then_the_plan_carries_on() -> None:
    state = new_round(DUE, START)
    until = DUE + 2 * DAY  # skips "before" and overdue-1
    state = snoozed(state, until)
    assert next_nudge_at(NudgePolicy(), state) == until
    assert due_action(NudgePolicy(), state, until - timedelta(seconds=1)) is None
    action = due_action(NudgePolicy(), state, until)
    assert action is not None
    assert (action.kind, action.key, action.skipped) == ("snooze", "snooze-1", 2)
    assert action.state.snooze_until is None and action.state.snooze_count == 1
    assert next_nudge_at(NudgePolicy(), action.state) == DUE + 3 * DAY
    again = snoozed(action.state, DUE + 5 * DAY)
    second = due_action(NudgePolicy(), again, DUE + 5 * DAY)
    assert second is not None and second.key == "snooze-2"


def test_snooze_works_without_a_due_time() -> None:
    state = snoozed(new_round(None, START), START + DAY)
    sent, final = simulate(NudgePolicy(), state, START + 30 * DAY)
    assert sent == [("snooze-1", START + DAY)]
    assert next_nudge_at(NudgePolicy(), final) is None


def test_escalation_off_by_default() -> None:
    sent, _ = simulate(NudgePolicy(), new_round(DUE, START), DUE + 60 * DAY)
    assert "escalation" not in [key for key, _ in sent]


def test_escalation_once_a_day_after_the_second_unanswered_dm() -> None:
    policy = NudgePolicy(escalate=True)
    sent, final = simulate(policy, new_round(DUE, START), DUE + 60 * DAY)
    assert sent[:4] == [
        ("before", DUE - DAY),
        ("overdue-1", DUE + DAY),
        ("escalation", DUE + 2 * DAY),
        ("overdue-2", DUE + 3 * DAY),
    ]
    assert [key for key, _ in sent].count("escalation") == 1
    assert final.escalated


def test_no_escalation_when_dms_are_answered_or_not_delivered_or_there_is_no_channel() -> None:
    policy = NudgePolicy(escalate=True)
    sent, _ = simulate(policy, new_round(DUE, START), DUE + 60 * DAY, by_dm=False)
    assert "escalation" not in [key for key, _ in sent]
    no_channel = replace(new_round(DUE, START), can_escalate=False)
    sent, _ = simulate(policy, no_channel, DUE + 60 * DAY)
    assert "escalation" not in [key for key, _ in sent]
    two_unanswered = replace(new_round(DUE, START), step_index=2, unanswered_dms=2, last_dm_at=DUE + DAY,
                             last_nudge_at=DUE + DAY)
    assert next_nudge_at(policy, two_unanswered) == DUE + 2 * DAY
    assert next_nudge_at(policy, answered(two_unanswered)) == DUE + 3 * DAY


def test_reindex_after_a_policy_change() -> None:
    state = replace(new_round(DUE, START), step_index=2, last_nudge_at=DUE + DAY)  # before + overdue-1 sent
    without_reminder = reindexed(NudgePolicy(remind_before=None), state)
    assert without_reminder.step_index == 1
    assert next_nudge_at(NudgePolicy(remind_before=None), without_reminder) == DUE + 3 * DAY
    assert reindexed(NudgePolicy(), new_round(DUE, START)).step_index == 0


@settings(max_examples=300, deadline=None)
@given(
    remind_hours=st.one_of(st.none(), st.integers(min_value=1, max_value=168)),
    overdue=st.integers(min_value=0, max_value=6),
    escalate=st.booleans(),
    due_hours=st.one_of(st.none(), st.integers(min_value=1, max_value=24 * 40)),
    snooze_hours=st.one_of(st.none(), st.integers(min_value=1, max_value=24 * 40)),
    probe_hours=st.lists(st.integers(min_value=0, max_value=24 * 80), min_size=1, max_size=6),
)
def test_due_action_agrees_with_next_nudge_at(
    remind_hours: int | None,
    overdue: int,
    escalate: bool,
    due_hours: int | None,
    snooze_hours: int | None,
    probe_hours: list[int],
) -> None:
    policy = NudgePolicy(
        remind_before=None if remind_hours is None else timedelta(hours=remind_hours),
        overdue_limit=overdue,
        escalate=escalate,
    )
    due = None if due_hours is None else START + timedelta(hours=due_hours)
    state = new_round(due, START)
    if snooze_hours is not None:
        state = snoozed(state, START + timedelta(hours=snooze_hours))
    keys: set[str] = set()
    for hours in sorted(probe_hours):
        now = START + timedelta(hours=hours)
        upcoming = next_nudge_at(policy, state)
        action = due_action(policy, state, now)
        assert (action is not None) == (upcoming is not None and upcoming <= now)
        if action is not None:
            assert action.key not in keys  # a step is never sent twice in a round
            keys.add(action.key)
            after = next_nudge_at(policy, action.state)
            assert after is None or after > now  # the dispatcher never loops on a row
            state = after_delivery(action.state, delivered_by_dm=True, now=now)
