"""One date grammar: /commit's due option and a summary's action items read the same phrases the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import BadInput
from bot.timeparse import parse_when
from bot.timeparse.deadlines import parse_due

# Wednesday 5 March 2025, 14:00 UTC (09:00 in New York, 23:00 in Tokyo), and a Friday evening in Berlin.
WEDNESDAY = datetime(2025, 3, 5, 14, 0, tzinfo=UTC)
FRIDAY_EVENING = datetime(2025, 3, 7, 19, 30, tzinfo=UTC)
ZONES = ["UTC", "America/New_York", "Asia/Tokyo", "Europe/Berlin"]

# phrase, and what it means on Wednesday 5 March 2025 at 14:00 UTC for a speaker in UTC.
TABLE = [
    ("by fri", datetime(2025, 3, 7, 17, 0, tzinfo=UTC)),
    ("by Friday", datetime(2025, 3, 7, 17, 0, tzinfo=UTC)),
    ("fri", datetime(2025, 3, 7, 17, 0, tzinfo=UTC)),
    ("EOD", datetime(2025, 3, 5, 17, 0, tzinfo=UTC)),
    ("by eod", datetime(2025, 3, 5, 17, 0, tzinfo=UTC)),
    ("end of day", datetime(2025, 3, 5, 17, 0, tzinfo=UTC)),
    ("next week", datetime(2025, 3, 10, 17, 0, tzinfo=UTC)),
    ("eow", datetime(2025, 3, 7, 17, 0, tzinfo=UTC)),
    ("end of the week", datetime(2025, 3, 7, 17, 0, tzinfo=UTC)),
    ("tomorrow", datetime(2025, 3, 6, 17, 0, tzinfo=UTC)),
    ("tmrw", datetime(2025, 3, 6, 17, 0, tzinfo=UTC)),
    ("tomorrow morning", datetime(2025, 3, 6, 9, 0, tzinfo=UTC)),
    ("tonight", datetime(2025, 3, 5, 20, 0, tzinfo=UTC)),
    ("by 5pm", datetime(2025, 3, 5, 17, 0, tzinfo=UTC)),
    ("by 9am", datetime(2025, 3, 6, 9, 0, tzinfo=UTC)),
    ("next fri", datetime(2025, 3, 14, 17, 0, tzinfo=UTC)),
    ("on monday", datetime(2025, 3, 10, 17, 0, tzinfo=UTC)),
    ("monday 3pm", datetime(2025, 3, 10, 15, 0, tzinfo=UTC)),
    ("thursday noon", datetime(2025, 3, 6, 12, 0, tzinfo=UTC)),
    ("saturday morning", datetime(2025, 3, 8, 9, 0, tzinfo=UTC)),
    ("monday evening", datetime(2025, 3, 10, 18, 0, tzinfo=UTC)),
    ("in 2 hours", datetime(2025, 3, 5, 16, 0, tzinfo=UTC)),
    ("in 3 days", datetime(2025, 3, 8, 14, 0, tzinfo=UTC)),
    ("on Dec 3", datetime(2025, 12, 3, 17, 0, tzinfo=UTC)),
    ("by the 12th", datetime(2025, 3, 12, 17, 0, tzinfo=UTC)),
    ("2025-04-01", datetime(2025, 4, 1, 17, 0, tzinfo=UTC)),
]


def _commit(phrase: str, now: datetime, tz: str) -> datetime | None:
    """What /commit's due option makes of it; None where it refuses (a time already past)."""
    try:
        return parse_when(phrase, now=now, zone=ZoneInfo(tz))
    except BadInput:
        return None


def _summary(phrase: str, now: datetime, tz: str) -> datetime | None:
    due = parse_due(f"I'll send the draft {phrase}", now, tz)
    return due.when if due else None


@pytest.mark.parametrize(("phrase", "expected"), TABLE)
def test_the_table_means_what_it_says(phrase: str, expected: datetime) -> None:
    assert _commit(phrase, WEDNESDAY, "UTC") == expected
    assert _summary(phrase, WEDNESDAY, "UTC") == expected


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("now", [WEDNESDAY, FRIDAY_EVENING])
@pytest.mark.parametrize("phrase", [p for p, _ in TABLE])
def test_commit_and_summaries_agree(phrase: str, now: datetime, tz: str) -> None:
    assert _summary(phrase, now, tz) == _commit(phrase, now, tz)


def test_a_past_time_is_refused_by_both() -> None:
    assert _commit("EOD", FRIDAY_EVENING, "UTC") is None
    assert _summary("EOD", FRIDAY_EVENING, "UTC") is None


def test_chat_only_phrases_are_put_in_the_grammar_s_words() -> None:
    assert _summary("this weekend", WEDNESDAY, "UTC") == _commit("sat", WEDNESDAY, "UTC")
    assert _summary("by the end of the month", WEDNESDAY, "UTC") == datetime(2025, 3, 31, 17, 0, tzinfo=UTC)
    assert _summary("this week", WEDNESDAY, "UTC") == _commit("eow", WEDNESDAY, "UTC")
