"""Dates and times: parse_when and parse_away_until, and what the grammar does not import."""

from __future__ import annotations

import subprocess
import sys
import time as monotonic
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.timeparse import (
    WHEN_EXAMPLES,
    parse_away_until,
    parse_clock,
    parse_duration,
    parse_quiet_hours,
    parse_when,
)
from tests.timeparse._helpers import BERLIN, KOLKATA, NEW_YORK, ZONE_IDS, ZONES, bad, local, wednesday_10am, when

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
    repo = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=repo, check=False).returncode == 0
