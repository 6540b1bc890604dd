"""Times of day and quiet hours: parse_clock, parse_quiet_hours, in_quiet_hours, quiet_hours_end."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.timeparse import (
    in_quiet_hours,
    parse_clock,
    parse_quiet_hours,
    quiet_hours_end,
)
from tests.timeparse._helpers import BERLIN, KOLKATA, NEW_YORK, ZONE_IDS, ZONES, bad, local

# ------------------------------------------------------------------------------------------------ parse_clock


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:30", time(9, 30)),
        ("9am", time(9, 0)),
        ("9 am", time(9, 0)),
        ("9AM", time(9, 0)),
        ("5:15pm", time(17, 15)),
        ("5:15 p.m.", time(17, 15)),
        ("17:00", time(17, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("12am", time(0, 0)),
        ("12:30am", time(0, 30)),
        ("12pm", time(12, 0)),
        ("9", time(9, 0)),
        ("17", time(17, 0)),
    ],
)
def test_parse_clock_forms(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("25:00", "hours go up to 23"),
        ("9:75", "minutes go up to 59"),
        ("12:60", "minutes go up to 59"),
        ("13pm", "Did you mean `1pm` or `13:00`?"),
        ("17:30pm", "Did you mean `5:30pm` or `17:30`?"),
        ("0am", "Did you mean `12:00am` or `00:00`?"),
        ("0:30pm", "Did you mean `12:30pm` or `12:30`?"),
        ("14am", "Did you mean `2am` or `14:00`?"),
        ("99pm", "`99pm` isn't a time of day. Try `09:30`, `5pm` or `17:00`."),
        ("24:00", "Midnight is written `00:00`"),
        ("abc", "I couldn't read `abc` as a time of day"),
        ("9:5", "as a time of day"),
        ("9:30:15", "as a time of day"),
        ("9.30", "as a time of day"),
        ("-1", "as a time of day"),
        ("", "Please type a time of day"),
    ],
)
def test_parse_clock_rejects(text: str, fragment: str) -> None:
    assert fragment in bad(parse_clock, text)


# ------------------------------------------------------------------------------------------------ quiet hours


def test_parse_quiet_hours() -> None:
    assert parse_quiet_hours("22:00", "07:00") == (time(22, 0), time(7, 0))
    assert parse_quiet_hours("10pm", "7am") == (time(22, 0), time(7, 0))
    assert parse_quiet_hours("13:00", "14:30") == (time(13, 0), time(14, 30))
    assert parse_quiet_hours("off", "07:00") is None
    assert parse_quiet_hours("22:00", "Off") is None
    assert parse_quiet_hours("off", "garbage") is None


def test_parse_quiet_hours_rejects_empty_window_and_bad_clocks() -> None:
    message = bad(parse_quiet_hours, "9am", "09:00")
    assert message == "Quiet hours need different start and end times, for example `22:00` to `07:00`."
    assert "hours go up to 23" in bad(parse_quiet_hours, "25:00", "07:00")
    assert "as a time of day" in bad(parse_quiet_hours, "22:00", "later")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (time(22, 0), True),
        (time(23, 30), True),
        (time(0, 0), True),
        (time(6, 59), True),
        (time(7, 0), False),
        (time(12, 0), False),
        (time(21, 59), False),
    ],
)
def test_in_quiet_hours_wrapping_midnight(now: time, expected: bool) -> None:
    assert in_quiet_hours(now, time(22, 0), time(7, 0)) is expected


def test_in_quiet_hours_same_day_and_empty() -> None:
    assert in_quiet_hours(time(13, 0), time(13, 0), time(14, 0))
    assert in_quiet_hours(time(13, 59, 59), time(13, 0), time(14, 0))
    assert not in_quiet_hours(time(14, 0), time(13, 0), time(14, 0))
    assert not in_quiet_hours(time(12, 59), time(13, 0), time(14, 0))
    assert not in_quiet_hours(time(13, 0), time(13, 0), time(13, 0))
    assert in_quiet_hours(time(23, 0, tzinfo=UTC), time(22, 0), time(7, 0))


NIGHT = (time(22, 0), time(7, 0))


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        # Late evening: ends tomorrow morning.
        (NEW_YORK, local(NEW_YORK, 2026, 3, 4, 23, 30), datetime(2026, 3, 5, 12, 0, tzinfo=UTC)),
        # Small hours: ends this morning.
        (NEW_YORK, local(NEW_YORK, 2026, 3, 5, 3, 0), datetime(2026, 3, 5, 12, 0, tzinfo=UTC)),
        (NEW_YORK, local(NEW_YORK, 2026, 3, 5, 22, 0), datetime(2026, 3, 6, 12, 0, tzinfo=UTC)),
        # Spring forward overnight: 07:00 is EDT, so only 7 hours after 23:00 EST.
        (NEW_YORK, local(NEW_YORK, 2026, 3, 7, 23, 0), datetime(2026, 3, 8, 11, 0, tzinfo=UTC)),
        # Fall back overnight: 07:00 is CET.
        (BERLIN, local(BERLIN, 2026, 10, 24, 23, 0), datetime(2026, 10, 25, 6, 0, tzinfo=UTC)),
        (KOLKATA, datetime(2026, 3, 4, 17, 0, tzinfo=UTC), datetime(2026, 3, 5, 1, 30, tzinfo=UTC)),
    ],
)
def test_quiet_hours_end_across_midnight(zone: ZoneInfo, instant: datetime, expected: datetime) -> None:
    result = quiet_hours_end(instant, zone, *NIGHT)
    assert result == expected
    assert result is not None and result.tzinfo is UTC


@pytest.mark.parametrize("zone", ZONES, ids=ZONE_IDS)
def test_quiet_hours_end_outside_quiet_hours(zone: ZoneInfo) -> None:
    assert quiet_hours_end(local(zone, 2026, 3, 4, 12, 0), zone, *NIGHT) is None
    assert quiet_hours_end(local(zone, 2026, 3, 4, 7, 0), zone, *NIGHT) is None
    assert quiet_hours_end(local(zone, 2026, 3, 4, 21, 59), zone, *NIGHT) is None


def test_quiet_hours_end_same_day_window() -> None:
    instant = local(BERLIN, 2026, 3, 4, 13, 15)
    assert quiet_hours_end(instant, BERLIN, time(13, 0), time(14, 0)) == datetime(2026, 3, 4, 13, 0, tzinfo=UTC)
    assert quiet_hours_end(instant, BERLIN, time(14, 0), time(15, 0)) is None


def test_quiet_hours_end_in_dst_gap_is_the_gap_end() -> None:
    # 02:30 does not exist in New York on 8 March 2026; the window ends when the clock jumps to 03:00 EDT.
    instant = datetime(2026, 3, 8, 6, 45, tzinfo=UTC)  # 01:45 EST
    assert quiet_hours_end(instant, NEW_YORK, time(1, 0), time(2, 30)) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


def test_quiet_hours_end_during_the_repeated_hour() -> None:
    window = (time(0, 0), time(1, 30))
    first = datetime(2026, 11, 1, 5, 15, tzinfo=UTC)  # 01:15 EDT
    second = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST, the second time round
    assert quiet_hours_end(first, NEW_YORK, *window) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert quiet_hours_end(second, NEW_YORK, *window) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_quiet_hours_end_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        quiet_hours_end(datetime(2026, 3, 4, 23, 0), NEW_YORK, *NIGHT)  # noqa: DTZ001
