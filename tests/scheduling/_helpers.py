"""Small helpers shared by the recurrence tests."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def at(zone: ZoneInfo, y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> datetime:
    """An aware datetime for an unambiguous (or explicitly folded) local wall time."""
    return datetime(y, mo, d, h, mi, tzinfo=zone, fold=fold)


def local_day_start(zone: ZoneInfo, day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def naive(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """A naive local wall time, for comparing with :func:`wall`."""
    return datetime.combine(date(y, mo, d), time(h, mi))


def wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive local wall time of an instant in ``zone``."""
    return instant.astimezone(zone).replace(tzinfo=None)
