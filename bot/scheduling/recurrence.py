"""When a recurring schedule runs: DST-correct occurrence computation. Pure: no clock, no I/O.

A schedule (:class:`bot.timeparse.rules.Recurrence`, read from a phrase by
:func:`bot.timeparse.parse_schedule`) is a rule in the wall-clock time of an IANA zone. Occurrences are
computed here, by walking local calendar dates and resolving each scheduled wall time with
:func:`bot.timezones.resolve_local`; APScheduler is only ever handed the next instant. The promise:

* a 09:30 schedule stays 09:30 local across DST changes;
* a wall time that does not exist that day (spring-forward gap) runs once, when the gap ends;
* a wall time that happens twice (fall-back) runs once, the first time;
* so a once-a-day schedule runs exactly once on every scheduled local day, and no instant is ever
  returned twice (two wall times in the same gap, such as 02:00 and 02:30, collapse into one run).

Every-N-weeks schedules count weeks in local calendar dates from their anchor week, so DST and year
boundaries cannot shift the alternation. For cron, each (date, hour, minute) wall time is one occurrence,
resolved like any other wall time: on a fall-back night an hourly cron runs once per wall hour, not twice
for the repeated hour.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.timeparse.cron import CronSpec
from bot.timeparse.rules import LAST_DAY, Recurrence
from bot.timezones import resolve_local

__all__ = [
    "Recurrence",
    "iter_occurrences",
    "next_occurrence",
    "occurrences",
    "occurrences_between",
]

# Give up after this many months without a single matching day. Any cron that passes validation matches
# within one 400-year Gregorian cycle, so this only guards against bugs.
_CRON_MONTH_SCAN_LIMIT = 12 * 401


def _candidate_days(rec: Recurrence, start: date) -> Iterator[date]:
    """Local dates on or after ``start`` on which ``rec`` is scheduled, in order."""
    if rec.kind == "weekly":
        day = start
        while True:
            if day.weekday() in rec.weekdays and (
                rec.anchor is None or ((day - rec.anchor).days // 7) % rec.every_weeks == 0
            ):
                yield day
            day += timedelta(days=1)
    elif rec.kind == "monthly":
        year, month = start.year, start.month
        while True:
            last = calendar.monthrange(year, month)[1]
            day_num = last if rec.month_day == LAST_DAY else min(rec.month_day, last)
            candidate = date(year, month, day_num)
            if candidate >= start:
                yield candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        assert rec.cron is not None
        yield from _cron_days(rec.cron, start)


def _cron_days(spec: CronSpec, start: date) -> Iterator[date]:
    year, month = start.year, start.month
    ordered_days = sorted(spec.days)
    barren = 0
    while True:
        found = False
        if month in spec.months:
            last = calendar.monthrange(year, month)[1]
            first = start.day if (year, month) == (start.year, start.month) else 1
            # In AND mode only the listed days of the month can match; in OR mode any day can.
            span = range(first, last + 1) if spec.or_days else [d for d in ordered_days if first <= d <= last]
            for num in span:
                day = date(year, month, num)
                if spec.matches_day(day):
                    found = True
                    yield day
        barren = 0 if found else barren + 1
        if barren > _CRON_MONTH_SCAN_LIMIT:
            raise RuntimeError(f"cron schedule {spec.to_text()!r} found no day in {barren} months")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _times_of_day(rec: Recurrence) -> tuple[time, ...]:
    if rec.kind == "cron":
        assert rec.cron is not None
        return rec.cron.times_of_day()
    return (time(rec.hour, rec.minute),)


def iter_occurrences(rec: Recurrence, zone: ZoneInfo, after: datetime) -> Iterator[datetime]:
    """Every occurrence strictly after ``after``, in UTC, strictly increasing. Endless; slice it."""
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("after must be a timezone-aware datetime")
    last = after.astimezone(UTC)
    # Start one local day early: in a zone that skips a whole day, an earlier date's wall time can
    # resolve to an instant on the next date.
    start = last.astimezone(zone).date() - timedelta(days=1)
    times = _times_of_day(rec)

    def resolve(day: date, at: time) -> datetime:
        return resolve_local(datetime.combine(day, at), zone).astimezone(UTC)

    for day in _candidate_days(rec, start):
        first = 0
        if resolve(day, times[0]) <= last:
            # Resolution is monotonic in wall time: bisect for the first time that lands after `last`.
            low, high = 1, len(times)
            while low < high:
                mid = (low + high) // 2
                if resolve(day, times[mid]) <= last:
                    low = mid + 1
                else:
                    high = mid
            first = low
        for at in times[first:]:
            instant = resolve(day, at)
            if instant > last:  # equal instants (two wall times in one gap) run once
                last = instant
                yield instant


def next_occurrence(rec: Recurrence, zone: ZoneInfo, after: datetime) -> datetime:
    """The first occurrence strictly after ``after`` (aware, any zone), as an aware UTC datetime."""
    return next(iter_occurrences(rec, zone, after))


def occurrences(rec: Recurrence, zone: ZoneInfo, after: datetime, count: int) -> list[datetime]:
    """The first ``count`` occurrences strictly after ``after``, in UTC."""
    if count <= 0:
        return []
    result: list[datetime] = []
    for instant in iter_occurrences(rec, zone, after):
        result.append(instant)
        if len(result) == count:
            break
    return result


def occurrences_between(
    rec: Recurrence, zone: ZoneInfo, start: datetime, end: datetime, *, limit: int | None = None
) -> list[datetime]:
    """Occurrences in ``(start, end]``, in UTC, oldest first (for catching up after downtime).

    ``limit`` (optional) caps how many are returned, keeping the oldest.
    """
    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("end must be a timezone-aware datetime")
    result: list[datetime] = []
    if limit is not None and limit <= 0:
        return result
    for instant in iter_occurrences(rec, zone, start):
        if instant > end:
            break
        result.append(instant)
        if limit is not None and len(result) == limit:
            break
    return result
