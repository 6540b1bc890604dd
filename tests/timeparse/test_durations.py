"""Durations: parse_duration and format_duration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timeparse import (
    format_duration,
    parse_duration,
)
from tests.timeparse._helpers import bad

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
