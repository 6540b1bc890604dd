"""The windows a digest covers, computed in the server's zone. Pure: no clock, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.digest.models import CHART_DAYS, WEEK
from bot.timezones import resolve_local


def week_windows(end: datetime) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """``[end - 7 days, end)`` and the 7 days before it."""
    if end.tzinfo is None:
        raise ValueError("end must be timezone-aware")
    return (end - WEEK, end), (end - 2 * WEEK, end - WEEK)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local day, in UTC (a day starting in a DST gap starts when the gap ends)."""
    return resolve_local(datetime.combine(day, time(0, 0)), zone).astimezone(UTC)  # a wall time, resolved here


def chart_days(zone: ZoneInfo, end: datetime, days: int = CHART_DAYS) -> list[tuple[date, datetime, datetime]]:
    """The last ``days`` local days up to ``end`` (today included, up to ``end``), oldest first.

    Each item is (local date, first instant, first instant of the next day), so days are 23, 24 or 25 hours
    long across DST changes.
    """
    if end.tzinfo is None:
        raise ValueError("end must be timezone-aware")
    last = end.astimezone(zone).date()
    result = []
    for offset in range(days - 1, -1, -1):
        day = last - timedelta(days=offset)
        start = local_midnight(day, zone)
        stop = min(local_midnight(day + timedelta(days=1), zone), end)
        result.append((day, start, stop))
    return result
