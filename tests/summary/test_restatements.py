"""Restated commitments: the same task by the same owner, or by one of the group that agreed to it."""

from __future__ import annotations

from bot.summary.models import ActionItem
from bot.summary.restatements import owners, same_task, task_stems


def _item(owner: str, what: str) -> ActionItem:
    return ActionItem(None, owner, what, None, None, f"{owner} will {what}.", 1, "")


def test_owners_of_a_group_item() -> None:
    assert owners(_item("Maya", "x")) == {"Maya"}
    assert owners(_item("Sam and Maya", "x")) == {"Sam", "Maya"}
    assert owners(_item("Sam, Maya and Priya", "x")) == {"Sam", "Maya", "Priya"}


def test_a_member_restating_the_group_task_is_the_same_task_and_a_stranger_is_not() -> None:
    group = _item("Sam and Maya", "book the venue on Monday")
    for owner, expected in (("Maya", True), ("Sam", True), ("Priya", False)):
        again = _item(owner, "book the venue Monday")
        assert same_task(again, task_stems(again), group, task_stems(group)) is expected
    other = _item("Maya", "book the train")
    assert not same_task(other, task_stems(other), group, task_stems(group))
