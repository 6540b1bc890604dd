"""The offline engine's entry point: empty input, participants and counts, refused input."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.summary.models import ChatMessage, Participant, Summary
from bot.summary.offline import summarize
from tests.summary.chat import MAYA, PRIYA, SAM, chat


def test_empty_input() -> None:
    assert summarize([]) == Summary()
    assert summarize([], excluded_count=3) == Summary(excluded_count=3)
    assert summarize([]).is_empty


def test_participants_and_counts() -> None:
    messages = chat(
        (SAM, "morning"), (MAYA, "hi"), (SAM, "the build is green again"), (PRIYA, "nice"), (SAM, "ok"),
        (MAYA, "great"),
    )
    summary = summarize(messages, excluded_count=4)
    assert summary.participants == (
        Participant(SAM, "Sam", 3), Participant(MAYA, "Maya", 2), Participant(PRIYA, "Priya", 1),
    )
    assert summary.excluded_count == 4
    assert summary.message_count == 6


def test_naive_times_are_refused() -> None:
    naive = ChatMessage(1, MAYA, "Maya", datetime(2025, 3, 5, 14, 0), "hi")  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        summarize([naive])
