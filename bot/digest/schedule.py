"""Reading ``/digest configure`` day and time into a weekly schedule. Pure."""

from __future__ import annotations

from bot.errors import BadInput
from bot.i18n import t
from bot.timeparse import Recurrence, parse_clock, parse_schedule, parse_weekday

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_day(text: str) -> int:
    """A single weekday, read by the grammar's :func:`bot.timeparse.parse_weekday`; 0 = Monday."""
    return parse_weekday(text)


def weekly_schedule(day_text: str, time_text: str) -> Recurrence:
    """Once a week on that day at that local time, e.g. ``("fri", "4pm")`` -> ``fri 16:00``."""
    day = parse_day(day_text)
    at = parse_clock(time_text)
    rec = parse_schedule(f"{DAY_NAMES[day][:3]} {at:%H:%M}")
    if rec.kind != "weekly" or rec.weekdays != frozenset({day}) or rec.every_weeks != 1:
        raise BadInput("The digest runs once a week: pick one day and one time.")
    return rec


def describe(rec: Recurrence, locale: str | None = None) -> str:
    """``Mondays at 09:00``, in the reader's language."""
    day = min(rec.weekdays) if rec.weekdays else 0
    at = f"{rec.hour:02d}:{rec.minute:02d}"
    weekly = (
        t(locale, "Mondays at {time}", time=at),
        t(locale, "Tuesdays at {time}", time=at),
        t(locale, "Wednesdays at {time}", time=at),
        t(locale, "Thursdays at {time}", time=at),
        t(locale, "Fridays at {time}", time=at),
        t(locale, "Saturdays at {time}", time=at),
        t(locale, "Sundays at {time}", time=at),
    )
    return weekly[day]
