"""Replies that accept a proposal or a request."""

from __future__ import annotations

from bot.summary.agreement import is_agreement


def test_agreement() -> None:
    assert is_agreement("Sounds good!")
    assert is_agreement("sure, I'll do it")
    assert is_agreement("👍")
    assert is_agreement("no problem")
    assert not is_agreement("No, I'd rather not.")
    assert not is_agreement("Not sure about that.")
    assert not is_agreement("The venue is booked.")
