"""Digest windows: rolling weeks, and local days of 23 or 25 hours across DST."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.periods import chart_days, week_windows
from bot.digest.schedule import describe, parse_day, weekly_schedule
from bot.errors import BadInput

NEW_YORK = ZoneInfo("America/New_York")


def test_week_windows_are_two_back_to_back_weeks() -> None:
    end = datetime(2026, 11, 30, 14, tzinfo=UTC)
    (a, b), (c, d) = week_windows(end)
    assert b == end and a == end - timedelta(days=7) and d == a and c == end - timedelta(days=14)
    with pytest.raises(ValueError):
        week_windows(datetime(2026, 11, 30))  # noqa: DTZ001 - the naive value is the point


def test_chart_days_cover_28_local_days_ending_today() -> None:
    end = datetime(2026, 11, 30, 14, tzinfo=UTC)
    found = chart_days(ZoneInfo("Asia/Tokyo"), end)
    assert len(found) == 28
    assert found[-1][0] == date(2026, 11, 30) and found[0][0] == date(2026, 11, 3)
    assert found[-1][2] == end  # today stops now
    assert all(prev[2] == nxt[1] for prev, nxt in itertools.pairwise(found))


def test_chart_days_across_dst_are_23_and_25_hours() -> None:
    spring = {d: (s, e) for d, s, e in chart_days(NEW_YORK, datetime(2026, 3, 20, tzinfo=UTC))}
    start, stop = spring[date(2026, 3, 8)]
    assert stop - start == timedelta(hours=23)
    autumn = {d: (s, e) for d, s, e in chart_days(NEW_YORK, datetime(2026, 11, 10, tzinfo=UTC))}
    start, stop = autumn[date(2026, 11, 1)]
    assert stop - start == timedelta(hours=25)
    assert start == datetime(2026, 11, 1, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "index"), [("monday", 0), ("Mon", 0), ("TUES", 1), ("wed", 2), ("fridays", 4), ("sun", 6)]
)
def test_parse_day(text: str, index: int) -> None:
    assert parse_day(text) == index


@pytest.mark.parametrize("text", ["", "m", "mo", "someday", "weekdays", "daily", "mon,fri", "1"])
def test_parse_day_refuses_anything_but_one_day(text: str) -> None:
    with pytest.raises(BadInput, match="day of the week"):
        parse_day(text)


def test_weekly_schedule() -> None:
    rec = weekly_schedule("fri", "4pm")
    assert rec.to_text() == "fri 16:00"
    assert describe(rec) == "Fridays at 16:00"
    with pytest.raises(BadInput):
        weekly_schedule("fri", "25:00")
    with pytest.raises(BadInput):
        weekly_schedule("fri", "sometime")
