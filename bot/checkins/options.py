"""Reading and checking the options of ``/checkin create`` and ``/checkin edit`` (pure)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.scheduling.recurrence import occurrences
from bot.timeparse import MAX_SCHEDULE_CHARS, Recurrence, format_duration, parse_duration, parse_schedule

DEFAULT_WINDOW = timedelta(hours=8)
DEFAULT_REMIND_BEFORE = timedelta(hours=2)
MIN_WINDOW = timedelta(minutes=5)
MAX_WINDOW = timedelta(days=7)
MAX_NAME_CHARS = 50
MAX_CHECKINS_PER_SERVER = 50
_SPACING_SAMPLE = 12


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise BadInput("Give the check-in a short name, such as `Daily stand-up`.")
    if len(name) > MAX_NAME_CHARS:
        raise BadInput("Keep the name to {limit} characters (that one has {length}).", limit=MAX_NAME_CHARS,
                       length=len(name))
    if name.isdigit():
        raise BadInput("A name needs at least one letter, so it can't be mistaken for an id.")
    return name


def read_schedule(text: str, zone: ZoneInfo, now: datetime) -> Recurrence:
    """Parse a schedule phrase; every-N-weeks schedules count from the current week in ``zone``."""
    if len(text) > MAX_SCHEDULE_CHARS:
        raise BadInput("Keep the schedule to {limit} characters, like `weekdays 9:30`.", limit=MAX_SCHEDULE_CHARS)
    anchor: date = now.astimezone(zone).date()
    return parse_schedule(text, anchor=anchor)


def read_window(text: str | None) -> timedelta:
    if text is None or not text.strip():
        return DEFAULT_WINDOW
    window = parse_duration(text, minimum=MIN_WINDOW, maximum=MAX_WINDOW, what="answer window")
    assert window is not None  # allow_off is False
    return window


def read_remind_before(text: str | None, window: timedelta) -> timedelta | None:
    """``off`` turns reminders off. A default that doesn't fit a short window is halved until it does."""
    if text is None or not text.strip():
        default = DEFAULT_REMIND_BEFORE
        while default >= window and default > timedelta(minutes=1):
            default = default / 2
        default -= timedelta(seconds=default.total_seconds() % 60)
        return default if timedelta(0) < default < window else None
    remind = parse_duration(text, minimum=timedelta(minutes=1), maximum=MAX_WINDOW, allow_off=True,
                            what="reminder time")
    check_remind_fits(remind, window)
    return remind


def check_remind_fits(remind: timedelta | None, window: timedelta) -> None:
    if remind is not None and remind >= window:
        raise BadInput(
            "The reminder comes {remind} before the close, but answers are only open for {window}. "
            "Choose a shorter `remind_before` (or `off`).",
            remind=format_duration(remind), window=format_duration(window),
        )


def check_spacing(rec: Recurrence, zone: ZoneInfo, window: timedelta, now: datetime) -> list[datetime]:
    """The next occurrences, after checking a run closes before the next one opens."""
    upcoming = occurrences(rec, zone, now, _SPACING_SAMPLE)
    gaps = [b - a for a, b in itertools.pairwise(upcoming)]
    if gaps and min(gaps) < window:
        shortest = min(gaps)
        raise BadInput(
            "Runs would be only {gap} apart, but answers stay open for {window}. "
            "Choose a `window` of at most {gap}.",
            gap=format_duration(shortest), window=format_duration(window),
        )
    return upcoming
