"""Tests for bot.timeparse: durations, clock times, quiet hours and natural-language dates."""

from __future__ import annotations

import subprocess
import sys
import time as monotonic
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BadInput
from bot.timeparse import (
    WHEN_EXAMPLES,
    format_duration,
    in_quiet_hours,
    parse_away_until,
    parse_clock,
    parse_duration,
    parse_quiet_hours,
    parse_when,
    quiet_hours_end,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
ZONES = [NEW_YORK, BERLIN, KOLKATA]
ZONE_IDS = ["new_york", "berlin", "kolkata"]


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An unambiguous local wall time as an aware datetime (compare by instant)."""
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def wednesday_10am(zone: ZoneInfo) -> datetime:
    """The fixed `now` for most tests: Wednesday 4 March 2026, 10:00 on the member's clock, as UTC."""
    return local(zone, 2026, 3, 4, 10, 0).astimezone(UTC)


def when(
    text: str,
    zone: ZoneInfo,
    now: datetime | None = None,
    *,
    default_time: time = time(17, 0),
    allow_past: bool = False,
    max_future: timedelta = timedelta(days=3650),
) -> datetime:
    result = parse_when(
        text,
        now=now or wednesday_10am(zone),
        zone=zone,
        default_time=default_time,
        allow_past=allow_past,
        max_future=max_future,
    )
    assert result.tzinfo is UTC
    return result


def bad(func: Callable[..., object], *args: object, **kwargs: object) -> str:
    """Call ``func`` expecting BadInput, and return the message the member would see."""
    with pytest.raises(BadInput) as info:
        func(*args, **kwargs)
    return info.value.message


# --------------------------------------------------------------------------------------------- parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5m", timedelta(minutes=5)),
        ("8h", timedelta(hours=8)),
        ("1h30m", timedelta(minutes=90)),
        ("1h 30m", timedelta(minutes=90)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("90 minutes", timedelta(minutes=90)),
        ("2 hours", timedelta(hours=2)),
        ("3 days", timedelta(days=3)),
        ("2 weeks", timedelta(weeks=2)),
        ("10 mins", timedelta(minutes=10)),
        ("3 hrs", timedelta(hours=3)),
        ("45s", timedelta(seconds=45)),
        ("1.5h", timedelta(minutes=90)),
        ("an hour", timedelta(hours=1)),
        ("two days", timedelta(days=2)),
        ("1 hour and 30 minutes", timedelta(minutes=90)),
        ("1h, 30m", timedelta(minutes=90)),
        ("  5M  ", timedelta(minutes=5)),
        ("1d 2h 3m 4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("every 2 hours", timedelta(hours=2)),
        ("for 30 minutes", timedelta(minutes=30)),
        ("in 1h", timedelta(hours=1)),
    ],
)
def test_parse_duration_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["off", "none", "0", "OFF", "0m", "never"])
def test_parse_duration_off_only_when_allowed(text: str) -> None:
    assert parse_duration(text, allow_off=True) is None
    message = bad(parse_duration, text)
    assert "30m" in message


def test_parse_duration_range_is_named_in_the_same_units() -> None:
    lo, hi = timedelta(minutes=5), timedelta(days=7)
    assert parse_duration("5m", minimum=lo, maximum=hi) == timedelta(minutes=5)
    assert parse_duration("7d", minimum=lo, maximum=hi) == timedelta(days=7)
    assert parse_duration("1w", minimum=lo, maximum=hi) == timedelta(days=7)
    for text in ("4m", "1m", "7d 1m", "8d", "2w"):
        assert bad(parse_duration, text, minimum=lo, maximum=hi) == "The duration needs to be between 5m and 7d."
    assert bad(parse_duration, "1m", minimum=timedelta(minutes=90)) == "The duration needs to be at least 1h 30m."
    assert bad(parse_duration, "3h", maximum=timedelta(hours=2), what="snooze") == (
        "The snooze needs to be at most 2h."
    )


@pytest.mark.parametrize(
    "text", ["abc", "5x", "-5m", "5 months", "m5", "1h30", "5ms", "5 m in", "h", "1.2.3h", "five", "1hh"]
)
def test_parse_duration_garbage(text: str) -> None:
    message = bad(parse_duration, text, what="reminder interval")
    assert "as a reminder interval" in message
    assert "`30m`" in message


def test_parse_duration_bare_number_asks_for_a_unit() -> None:
    assert bad(parse_duration, "30") == ("`30` needs a unit, for example `30m` for minutes or `30h` for hours.")


def test_parse_duration_empty_and_overflow() -> None:
    assert bad(parse_duration, "   ").startswith("Please type a duration")
    assert "far too long" in bad(parse_duration, "999999999w 999999999w")


def test_parse_duration_zero_without_allow_off() -> None:
    assert "longer than zero" in bad(parse_duration, "0h 0m")


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (timedelta(hours=8), "8h"),
        (timedelta(minutes=90), "1h 30m"),
        (timedelta(days=7), "7d"),
        (timedelta(0), "0m"),
        (timedelta(seconds=45), "45s"),
        (timedelta(days=1, hours=2, minutes=3, seconds=4), "1d 2h 3m 4s"),
        (timedelta(minutes=-5), "-5m"),
        (timedelta(minutes=5, microseconds=999_999), "5m"),
        (timedelta(days=3650), "3650d"),
    ],
)
def test_format_duration(td: timedelta, text: str) -> None:
    assert format_duration(td) == text


@given(st.integers(min_value=1, max_value=timedelta.max // timedelta(seconds=1)))
def test_format_then_parse_round_trips(seconds: int) -> None:
    td = timedelta(seconds=seconds)
    assert parse_duration(format_duration(td)) == td


@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=500), st.sampled_from(["w", "d", "h", "m", "s"])),
        min_size=1,
        max_size=4,
    )
)
def test_parse_then_format_is_stable(parts: list[tuple[int, str]]) -> None:
    parsed = parse_duration(" ".join(f"{n}{unit}" for n, unit in parts))
    assert parsed is not None
    assert parse_duration(format_duration(parsed)) == parsed


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


# ------------------------------------------------------------------------------------------------- parse_when

# (text, expected local wall time) with now = Wednesday 2026-03-04 10:00 in the member's zone.
FORWARD = [
    ("tomorrow 5pm", (2026, 3, 5, 17, 0)),
    ("tomorrow", (2026, 3, 5, 17, 0)),
    ("Tomorrow 5PM", (2026, 3, 5, 17, 0)),
    ("tomorrow at 5pm", (2026, 3, 5, 17, 0)),
    ("tmrw 9am", (2026, 3, 5, 9, 0)),
    ("today 18:00", (2026, 3, 4, 18, 0)),
    ("tonight", (2026, 3, 4, 20, 0)),
    ("tonight 11pm", (2026, 3, 4, 23, 0)),
    ("tonight 1am", (2026, 3, 5, 1, 0)),
    ("fri", (2026, 3, 6, 17, 0)),
    ("friday", (2026, 3, 6, 17, 0)),
    ("FRIDAY.", (2026, 3, 6, 17, 0)),
    ("on friday", (2026, 3, 6, 17, 0)),
    ("5pm on friday", (2026, 3, 6, 17, 0)),
    ("next friday", (2026, 3, 13, 17, 0)),
    ("friday next week", (2026, 3, 13, 17, 0)),
    ("this friday", (2026, 3, 6, 17, 0)),
    ("mon 9am", (2026, 3, 9, 9, 0)),
    ("monday morning", (2026, 3, 9, 9, 0)),
    ("wed", (2026, 3, 4, 17, 0)),  # today, 17:00 still ahead
    ("wed 9am", (2026, 3, 11, 9, 0)),  # today's 09:00 has passed: next week
    ("this wed", (2026, 3, 4, 17, 0)),
    ("in 3 days", (2026, 3, 7, 10, 0)),
    ("in two days", (2026, 3, 6, 10, 0)),
    ("in 1 week", (2026, 3, 11, 10, 0)),
    ("in 3 days 5pm", (2026, 3, 7, 17, 0)),
    ("in 2 months", (2026, 5, 4, 10, 0)),
    ("2026-12-01 17:00", (2026, 12, 1, 17, 0)),
    ("2026-12-01T09:00", (2026, 12, 1, 9, 0)),
    ("2026-12-01", (2026, 12, 1, 17, 0)),
    ("2026/12/01", (2026, 12, 1, 17, 0)),
    ("dec 1", (2026, 12, 1, 17, 0)),
    ("1 dec", (2026, 12, 1, 17, 0)),
    ("1st of december 2027", (2027, 12, 1, 17, 0)),
    ("december 1 9:30am", (2026, 12, 1, 9, 30)),
    ("december 1, 2026 9am", (2026, 12, 1, 9, 0)),
    ("feb 29", (2028, 2, 29, 17, 0)),
    ("mar 4", (2026, 3, 4, 17, 0)),
    ("mar 3", (2027, 3, 3, 17, 0)),
    ("15th", (2026, 3, 15, 17, 0)),
    ("the 15th 9am", (2026, 3, 15, 9, 0)),
    ("3 weeks from tomorrow", (2026, 3, 26, 17, 0)),
    ("1 week from today", (2026, 3, 11, 17, 0)),
    ("2 days after tomorrow", (2026, 3, 7, 17, 0)),
    ("2 days before dec 1", (2026, 11, 29, 17, 0)),
    ("a week from tuesday", (2026, 3, 17, 17, 0)),
    ("1 week from friday 9am", (2026, 3, 13, 9, 0)),
    ("15th of next month", (2026, 4, 15, 17, 0)),
    ("15th next month 9am", (2026, 4, 15, 9, 0)),
    ("next week", (2026, 3, 9, 17, 0)),
    ("next week 9am", (2026, 3, 9, 9, 0)),
    ("end of week", (2026, 3, 6, 17, 0)),
    ("eow", (2026, 3, 6, 17, 0)),
    ("eow 3pm", (2026, 3, 6, 15, 0)),
    ("eod", (2026, 3, 4, 17, 0)),
    ("end of day", (2026, 3, 4, 17, 0)),
    ("9am", (2026, 3, 5, 9, 0)),
    ("at 5pm", (2026, 3, 4, 17, 0)),
    ("noon", (2026, 3, 4, 12, 0)),
    ("midnight", (2026, 3, 5, 0, 0)),
    ("this afternoon", (2026, 3, 4, 15, 0)),
    ("tomorrow evening", (2026, 3, 5, 18, 0)),
    ("day after tomorrow", (2026, 3, 6, 17, 0)),
]


@pytest.mark.parametrize("zone", ZONES, ids=ZONE_IDS)
@pytest.mark.parametrize(("text", "wall"), FORWARD, ids=[text for text, _ in FORWARD])
def test_parse_when_forms(zone: ZoneInfo, text: str, wall: tuple[int, ...]) -> None:
    assert when(text, zone) == local(zone, *wall)


@pytest.mark.parametrize("zone", ZONES, ids=ZONE_IDS)
@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("in 2 hours", timedelta(hours=2)),
        ("in 30 minutes", timedelta(minutes=30)),
        ("in an hour", timedelta(hours=1)),
        ("in 1h30m", timedelta(minutes=90)),
        ("in 1 hour and 30 minutes", timedelta(minutes=90)),
        ("1 hour from now", timedelta(hours=1)),
        ("2h", timedelta(hours=2)),
    ],
)
def test_parse_when_elapsed_amounts(zone: ZoneInfo, text: str, delta: timedelta) -> None:
    assert when(text, zone) == wednesday_10am(zone) + delta


def test_parse_when_zone_really_matters() -> None:
    # The same words are different instants for members in different zones.
    assert when("tomorrow 5pm", NEW_YORK) == datetime(2026, 3, 5, 22, 0, tzinfo=UTC)
    assert when("tomorrow 5pm", BERLIN) == datetime(2026, 3, 5, 16, 0, tzinfo=UTC)
    assert when("tomorrow 5pm", KOLKATA) == datetime(2026, 3, 5, 11, 30, tzinfo=UTC)


def test_parse_when_default_time() -> None:
    assert when("tomorrow", BERLIN, default_time=time(9, 0)) == local(BERLIN, 2026, 3, 5, 9, 0)
    assert when("dec 1", BERLIN, default_time=time(0, 0)) == local(BERLIN, 2026, 12, 1, 0, 0)
    # eod/eow are the end of the working day whatever the default.
    assert when("eod", BERLIN, default_time=time(9, 0)) == local(BERLIN, 2026, 3, 4, 17, 0)


@pytest.mark.parametrize("zone", [NEW_YORK, BERLIN], ids=["new_york", "berlin"])
def test_bare_weekday_said_on_that_weekday(zone: ZoneInfo) -> None:
    friday_morning = local(zone, 2026, 3, 6, 10, 0).astimezone(UTC)
    friday_evening = local(zone, 2026, 3, 6, 18, 0).astimezone(UTC)
    assert when("fri", zone, friday_morning) == local(zone, 2026, 3, 6, 17, 0)
    assert when("eow", zone, friday_morning) == local(zone, 2026, 3, 6, 17, 0)
    assert when("fri", zone, friday_evening) == local(zone, 2026, 3, 13, 17, 0)
    assert when("eow", zone, friday_evening) == local(zone, 2026, 3, 13, 17, 0)
    assert when("next fri", zone, friday_morning) == local(zone, 2026, 3, 13, 17, 0)
    assert bad(parse_when, "this fri", now=friday_evening, zone=zone).startswith("That's in the past")


def test_next_weekday_means_next_calendar_week() -> None:
    monday = local(BERLIN, 2026, 3, 2, 10, 0).astimezone(UTC)
    sunday = local(BERLIN, 2026, 3, 8, 10, 0).astimezone(UTC)
    assert when("next fri", BERLIN, monday) == local(BERLIN, 2026, 3, 13, 17, 0)
    assert when("this fri", BERLIN, monday) == local(BERLIN, 2026, 3, 6, 17, 0)
    assert when("next mon", BERLIN, sunday) == local(BERLIN, 2026, 3, 9, 17, 0)
    assert when("next week", BERLIN, sunday) == local(BERLIN, 2026, 3, 9, 17, 0)
    saturday = local(BERLIN, 2026, 3, 7, 10, 0).astimezone(UTC)
    assert when("this fri", BERLIN, saturday) == local(BERLIN, 2026, 3, 13, 17, 0)
    assert when("eow", BERLIN, saturday) == local(BERLIN, 2026, 3, 13, 17, 0)


def test_month_arithmetic_clamps_to_month_end() -> None:
    jan_31 = local(NEW_YORK, 2026, 1, 31, 10, 0).astimezone(UTC)
    assert when("in 1 month", NEW_YORK, jan_31) == local(NEW_YORK, 2026, 2, 28, 10, 0)
    assert when("in 2 months 9am", NEW_YORK, jan_31) == local(NEW_YORK, 2026, 3, 31, 9, 0)


# Read backwards (allow_past=True), now = Wednesday 2026-03-04 10:00.
BACKWARD = [
    ("yesterday 9am", (2026, 3, 3, 9, 0)),
    ("yesterday", (2026, 3, 3, 17, 0)),
    ("9am", (2026, 3, 4, 9, 0)),
    ("6pm", (2026, 3, 3, 18, 0)),
    ("fri", (2026, 2, 27, 17, 0)),
    ("last fri", (2026, 2, 27, 17, 0)),
    ("wed", (2026, 2, 25, 17, 0)),  # today's 17:00 is still ahead
    ("wed 9am", (2026, 3, 4, 9, 0)),
    ("mon", (2026, 3, 2, 17, 0)),
    ("this week", (2026, 3, 2, 17, 0)),
    ("last week", (2026, 2, 23, 17, 0)),
    ("dec 1", (2025, 12, 1, 17, 0)),
    ("15th", (2026, 2, 15, 17, 0)),
    ("3 weeks ago", (2026, 2, 11, 10, 0)),
    ("2026-01-01 08:00", (2026, 1, 1, 8, 0)),
    ("tomorrow", (2026, 3, 5, 17, 0)),  # explicitly future forms stay future
]


@pytest.mark.parametrize("zone", ZONES, ids=ZONE_IDS)
@pytest.mark.parametrize(("text", "wall"), BACKWARD, ids=[text for text, _ in BACKWARD])
def test_parse_when_allow_past_reads_backwards(zone: ZoneInfo, text: str, wall: tuple[int, ...]) -> None:
    assert when(text, zone, allow_past=True) == local(zone, *wall)


@pytest.mark.parametrize("zone", ZONES, ids=ZONE_IDS)
def test_parse_when_allow_past_amounts(zone: ZoneInfo) -> None:
    now = wednesday_10am(zone)
    assert when("2h ago", zone, allow_past=True) == now - timedelta(hours=2)
    assert when("24h", zone, allow_past=True) == now - timedelta(hours=24)
    assert when("now", zone, allow_past=True) == now
    assert when("yesterday", zone, allow_past=True, default_time=time(0, 0)) == local(zone, 2026, 3, 3, 0, 0)


# DST ----------------------------------------------------------------------------------------------------------


def test_tomorrow_in_the_spring_gap_new_york() -> None:
    saturday = local(NEW_YORK, 2026, 3, 7, 12, 0).astimezone(UTC)
    result = when("tomorrow 2:30am", NEW_YORK, saturday)
    assert result == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT, the end of the gap


def test_tomorrow_in_the_spring_gap_berlin() -> None:
    saturday = local(BERLIN, 2026, 3, 28, 12, 0).astimezone(UTC)
    assert when("tomorrow 2:30am", BERLIN, saturday) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST


def test_repeated_hour_means_the_first() -> None:
    assert when("2026-11-01 01:30", NEW_YORK) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # EDT
    assert when("2026-10-25 02:30", BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # CEST


def test_days_keep_the_wall_clock_across_dst_but_hours_do_not() -> None:
    saturday = local(NEW_YORK, 2026, 3, 7, 10, 0).astimezone(UTC)
    assert when("in 1 day", NEW_YORK, saturday) == datetime(2026, 3, 8, 14, 0, tzinfo=UTC)  # 10:00 EDT
    assert when("in 24 hours", NEW_YORK, saturday) == datetime(2026, 3, 8, 15, 0, tzinfo=UTC)  # 11:00 EDT
    small_hours = local(NEW_YORK, 2026, 3, 7, 2, 30).astimezone(UTC)
    assert when("in 1 day", NEW_YORK, small_hours) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # gap end


# Errors -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "soon",
        "lol",
        "5",
        "5 5",
        "asdf qwer",
        "friday 5",
        "tomorrow tomorrow",
        "tomorrow 5pm 6pm",
        "2 days from from tomorrow",
        "2 hours from tomorrow",
        "3 days from 5pm",
        "next month",
        "next year",
        "in 5",
        "in 20 years",
        "this",
        "in 2 hours 5pm",
        "🙂",
        "DROP TABLE reminders;",
        "1e9",
    ],
)
@pytest.mark.parametrize("zone", [NEW_YORK, BERLIN], ids=["new_york", "berlin"])
def test_parse_when_garbage(zone: ZoneInfo, text: str) -> None:
    message = bad(parse_when, text, now=wednesday_10am(zone), zone=zone, what="reminder time")
    assert message.startswith("I couldn't read `")
    assert message.endswith(f"as a reminder time. Try {WHEN_EXAMPLES}.")


def test_parse_when_empty() -> None:
    assert bad(parse_when, "  ", now=wednesday_10am(BERLIN), zone=BERLIN) == (
        f"Please type a date, such as {WHEN_EXAMPLES}."
    )


@pytest.mark.parametrize(
    "text",
    ["yesterday 9am", "2h ago", "2026-01-01", "last fri", "now", "in 0 minutes", "today 9am", "mar 4 8am", "eod"],
)
@pytest.mark.parametrize("zone", [NEW_YORK, KOLKATA], ids=["new_york", "kolkata"])
def test_parse_when_past(zone: ZoneInfo, text: str) -> None:
    now = local(zone, 2026, 3, 4, 18, 0).astimezone(UTC)  # after 17:00 so that eod has gone
    message = bad(parse_when, text, now=now, zone=zone)
    assert message.startswith("That's in the past (")
    assert message.endswith(f"your time). Try {WHEN_EXAMPLES}.")


def test_parse_when_past_message_shows_the_local_reading() -> None:
    message = bad(parse_when, "yesterday 9am", now=wednesday_10am(BERLIN), zone=BERLIN)
    assert message == f"That's in the past (Tue 3 Mar 2026, 09:00 your time). Try {WHEN_EXAMPLES}."


def test_parse_when_too_far() -> None:
    now = wednesday_10am(NEW_YORK)
    assert bad(parse_when, "2040-01-01", now=now, zone=NEW_YORK) == (
        "That's too far ahead: the date can be at most 10 years from now."
    )
    assert bad(parse_when, "in 31 days", now=now, zone=NEW_YORK, max_future=timedelta(days=30)) == (
        "That's too far ahead: the date can be at most 30 days from now."
    )
    assert when("in 30 days", NEW_YORK, max_future=timedelta(days=30)) == local(NEW_YORK, 2026, 4, 3, 10, 0)
    for text in ("in 99999999 weeks", "9999-12-31 23:00", "in 999999 months"):
        assert bad(parse_when, text, now=now, zone=NEW_YORK).startswith("That's too far")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("tomorrow 25:00", "`25:00` isn't a time of day: hours go up to 23."),
        ("tomorrow 13pm", "Did you mean `1pm` or `13:00`?"),
        ("tomorrow 9:75", "minutes go up to 59"),
        ("feb 30", "February 30 isn't a real date."),
        ("sept 31", "September 31 isn't a real date."),
        ("2026-02-30", "`2026-02-30` isn't a real date."),
        ("2026-13-01", "`2026-13-01` isn't a real date."),
        ("32nd", "`32nd` isn't a real date."),
        ("31st of next month", "`31st of next month` isn't a real date."),
        ("12/01", "Dates like `12/01` mean different days in different countries"),
        ("25/12", "Dates like `25/12` mean different days in different countries"),
        ("01/12/2026 9am", "Dates like `01/12/2026` mean different days"),
        ("12-01", "Dates like `12-01` mean different days"),
        ("9.30", "I can't tell whether `9.30` is a time or a date."),
    ],
)
def test_parse_when_specific_errors(text: str, fragment: str) -> None:
    assert fragment in bad(parse_when, text, now=wednesday_10am(BERLIN), zone=BERLIN)


def test_parse_when_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("tomorrow", now=datetime(2026, 3, 4, 10, 0), zone=BERLIN)  # noqa: DTZ001


# Hostile input ------------------------------------------------------------------------------------------------

HUGE = "tomorrow " * 1200
MENTIONS = ["@everyone", "@here please", "<@&123> tomorrow", "<@123>", "``` @everyone ```", "a" * 80 + "@everyone"]


def _calls(text: str) -> dict[str, Callable[[], object]]:
    now = wednesday_10am(NEW_YORK)
    return {
        "duration": lambda: parse_duration(text),
        "clock": lambda: parse_clock(text),
        "quiet": lambda: parse_quiet_hours(text, "07:00"),
        "when": lambda: parse_when(text, now=now, zone=NEW_YORK),
        "since": lambda: parse_when(text, now=now, zone=NEW_YORK, allow_past=True),
        "away": lambda: parse_away_until(text, now=now, zone=NEW_YORK),
    }


@pytest.mark.parametrize("which", ["duration", "clock", "quiet", "when", "since", "away"])
def test_huge_input_is_refused_quickly_and_briefly(which: str) -> None:
    assert len(HUGE) >= 10_000
    call = _calls(HUGE)[which]
    started = monotonic.perf_counter()
    message = bad(call)
    assert monotonic.perf_counter() - started < 0.25  # a length check, not a parse
    assert message.startswith("That's too long for a")
    assert len(message) < 120


@pytest.mark.parametrize("which", ["duration", "clock", "quiet", "when", "since", "away"])
@pytest.mark.parametrize("text", MENTIONS)
def test_error_messages_neutralise_mentions(which: str, text: str) -> None:
    message = bad(_calls(text)[which])
    assert "@everyone" not in message
    assert "@here" not in message
    assert "<@&" not in message
    assert "<@1" not in message
    assert message.count("`") % 2 == 0  # their backticks were dropped, so ours still pair up
    assert "```" not in message
    assert "a" * 41 not in message  # at most ~40 characters of their input are echoed


# -------------------------------------------------------------------------------------------- parse_away_until


@pytest.mark.parametrize("zone", ZONES, ids=ZONE_IDS)
@pytest.mark.parametrize(
    ("text", "wall"),
    [
        ("tomorrow", (2026, 3, 5, 0, 0)),
        ("fri", (2026, 3, 6, 0, 0)),
        ("fri 9am", (2026, 3, 6, 9, 0)),
        ("wed", (2026, 3, 11, 0, 0)),  # today's start has passed: next Wednesday
        ("next week", (2026, 3, 9, 0, 0)),
        ("2026-12-01", (2026, 12, 1, 0, 0)),
        ("dec 1 5pm", (2026, 12, 1, 17, 0)),
        ("2027-03-04", (2027, 3, 4, 0, 0)),  # just under a year away
        ("tonight", (2026, 3, 4, 20, 0)),
    ],
)
def test_parse_away_until(zone: ZoneInfo, text: str, wall: tuple[int, ...]) -> None:
    result = parse_away_until(text, now=wednesday_10am(zone), zone=zone)
    assert result == local(zone, *wall)
    assert result is not None and result.tzinfo is UTC


@pytest.mark.parametrize("text", ["off", "none", "Off", "back"])
def test_parse_away_until_off(text: str) -> None:
    assert parse_away_until(text, now=wednesday_10am(BERLIN), zone=BERLIN) is None


def test_parse_away_until_relative_amount() -> None:
    now = wednesday_10am(BERLIN)
    assert parse_away_until("in 3 days", now=now, zone=BERLIN) == local(BERLIN, 2026, 3, 7, 10, 0)
    assert parse_away_until("2w", now=now, zone=BERLIN) == local(BERLIN, 2026, 3, 18, 10, 0)


def test_parse_away_until_errors() -> None:
    now = wednesday_10am(NEW_YORK)
    assert bad(parse_away_until, "today", now=now, zone=NEW_YORK).startswith("That's in the past")
    assert bad(parse_away_until, "yesterday", now=now, zone=NEW_YORK).startswith("That's in the past")
    assert bad(parse_away_until, "2027-03-05", now=now, zone=NEW_YORK) == (
        "That's too far ahead: the return date can be at most a year from now."
    )
    assert bad(parse_away_until, "in 2 years", now=now, zone=NEW_YORK).startswith("I couldn't read")
    assert "as a return date" in bad(parse_away_until, "whenever", now=now, zone=NEW_YORK)


def test_parse_away_until_midnight_in_a_dst_gap() -> None:
    # Chile springs forward at midnight: 6 September 2026 starts at 01:00.
    santiago = ZoneInfo("America/Santiago")
    now = local(santiago, 2026, 9, 1, 12, 0).astimezone(UTC)
    assert parse_away_until("2026-09-06", now=now, zone=santiago) == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)


def test_parse_away_until_from_a_leap_day() -> None:
    leap_day = local(BERLIN, 2028, 2, 29, 10, 0).astimezone(UTC)
    assert parse_away_until("2029-02-28", now=leap_day, zone=BERLIN) == local(BERLIN, 2029, 2, 28, 0, 0)
    assert bad(parse_away_until, "2029-03-01", now=leap_day, zone=BERLIN).startswith("That's too far ahead")


# ------------------------------------------------------------------------------------------------------- import


def test_parsing_never_imports_dateparser() -> None:
    code = (
        "import sys, datetime, zoneinfo, bot.timeparse as t\n"
        "z = zoneinfo.ZoneInfo('Europe/Berlin')\n"
        "t.parse_when('3 weeks from tomorrow', now=datetime.datetime.now(datetime.UTC), zone=z)\n"
        "sys.exit('dateparser' in sys.modules)"
    )
    repo = Path(__file__).resolve().parents[1]
    assert subprocess.run([sys.executable, "-c", code], cwd=repo, check=False).returncode == 0
