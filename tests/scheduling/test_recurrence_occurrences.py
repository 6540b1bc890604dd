"""Occurrence computation: every form, catch-up windows, time zones of `after`, speed, and properties."""

from __future__ import annotations

import calendar
import itertools
import time as perf
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.scheduling.recurrence import (
    Recurrence,
    iter_occurrences,
    next_occurrence,
    occurrences,
    occurrences_between,
)
from bot.timeparse import LAST_DAY, parse_schedule
from bot.timezones import resolve_local
from tests.scheduling._helpers import LONDON, LORD_HOWE, NEW_YORK, at, wall
from tests.scheduling._strategies import cron_recs, monthly_recs, weekly_recs

UTC_ZONE = ZoneInfo("UTC")


def local_dates(runs: list[datetime], zone: ZoneInfo) -> list[date]:
    return [r.astimezone(zone).date() for r in runs]


# -- every N weeks --------------------------------------------------------------------------------------


def test_every_two_weeks_keeps_its_weeks_across_dst() -> None:
    rec = parse_schedule("every 2 weeks on fri 16:00", anchor=date(2026, 2, 25))  # week of Mon 2026-02-23
    runs = occurrences(rec, NEW_YORK, at(NEW_YORK, 2026, 2, 1), 4)
    assert runs == [
        datetime(2026, 2, 13, 21, 0, tzinfo=UTC),  # weeks before the anchor follow the same rhythm
        datetime(2026, 2, 27, 21, 0, tzinfo=UTC),  # 16:00 EST
        datetime(2026, 3, 13, 20, 0, tzinfo=UTC),  # 16:00 EDT, after the 2026-03-08 change
        datetime(2026, 3, 27, 20, 0, tzinfo=UTC),
    ]


def test_every_two_weeks_across_a_53_week_iso_year() -> None:
    """2026 has an ISO week 53: counting by ISO week-number parity would get the new year wrong."""
    rec = parse_schedule("every 2 weeks on mon 9:00", anchor=date(2026, 1, 1))  # week of Mon 2025-12-29
    runs = occurrences(rec, LONDON, at(LONDON, 2026, 12, 20), 3)
    assert local_dates(runs, LONDON) == [date(2026, 12, 28), date(2027, 1, 11), date(2027, 1, 25)]
    assert {wall(r, LONDON).time() for r in runs} == {time(9, 0)}


def test_every_two_weeks_over_a_whole_year_alternates_exactly() -> None:
    rec = parse_schedule("every 2 weeks on fri 16:00", anchor=date(2026, 2, 25))
    runs = occurrences_between(rec, LONDON, at(LONDON, 2026, 1, 1), at(LONDON, 2028, 1, 1))
    days = local_dates(runs, LONDON)
    assert days[0] == date(2026, 1, 2)
    assert all(b - a == timedelta(days=14) for a, b in itertools.pairwise(days))
    assert len(days) == 53
    assert {wall(r, LONDON).time() for r in runs} == {time(16, 0)}


def test_every_three_weeks_on_two_days() -> None:
    rec = parse_schedule("every 3 weeks on tue, thu at 8am from 2026-01-05")
    runs = occurrences(rec, NEW_YORK, at(NEW_YORK, 2026, 1, 1), 5)
    assert local_dates(runs, NEW_YORK) == [
        date(2026, 1, 6),
        date(2026, 1, 8),
        date(2026, 1, 27),
        date(2026, 1, 29),
        date(2026, 2, 17),
    ]


# -- monthly and weekly forms ---------------------------------------------------------------------------


def test_monthly_on_31_runs_on_the_last_day_of_short_months_incl_leap_february() -> None:
    rec = parse_schedule("monthly on 31 at 10:00")
    runs = occurrences(rec, NEW_YORK, at(NEW_YORK, 2027, 12, 15), 13)
    assert local_dates(runs, NEW_YORK) == [
        date(2027, 12, 31),
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
        date(2028, 5, 31),
        date(2028, 6, 30),
        date(2028, 7, 31),
        date(2028, 8, 31),
        date(2028, 9, 30),
        date(2028, 10, 31),
        date(2028, 11, 30),
        date(2028, 12, 31),
    ]
    assert {wall(r, NEW_YORK).time() for r in runs} == {time(10, 0)}
    last = parse_schedule("monthly on last at 10:00")
    assert occurrences(last, NEW_YORK, at(NEW_YORK, 2027, 12, 15), 13) == runs


def test_monthly_on_30_in_february() -> None:
    rec = parse_schedule("monthly on 30 at 10:00")
    assert local_dates(occurrences(rec, LONDON, at(LONDON, 2027, 2, 1), 2), LONDON) == [
        date(2027, 2, 28),
        date(2027, 3, 30),
    ]
    assert local_dates(occurrences(rec, LONDON, at(LONDON, 2028, 2, 1), 1), LONDON) == [date(2028, 2, 29)]


def test_monthly_on_the_1st_strictly_after() -> None:
    rec = parse_schedule("monthly on 1 at 00:00")
    first = at(LONDON, 2026, 6, 1)
    assert next_occurrence(rec, LONDON, first - timedelta(seconds=1)) == first.astimezone(UTC)
    assert next_occurrence(rec, LONDON, first) == at(LONDON, 2026, 7, 1).astimezone(UTC)


def test_weekends() -> None:
    rec = parse_schedule("weekends 10:00")
    runs = occurrences(rec, LONDON, at(LONDON, 2026, 6, 5, 12), 4)  # a Friday
    assert local_dates(runs, LONDON) == [date(2026, 6, 6), date(2026, 6, 7), date(2026, 6, 13), date(2026, 6, 14)]
    assert runs[0] == datetime(2026, 6, 6, 9, 0, tzinfo=UTC)


def test_weekdays_skip_the_weekend() -> None:
    rec = parse_schedule("weekdays 9:30")
    runs = occurrences(rec, NEW_YORK, at(NEW_YORK, 2026, 6, 5, 10), 2)  # Friday, after 09:30
    assert runs == [datetime(2026, 6, 8, 13, 30, tzinfo=UTC), datetime(2026, 6, 9, 13, 30, tzinfo=UTC)]


def test_same_day_later_time_is_today() -> None:
    rec = parse_schedule("daily 09:30")
    assert next_occurrence(rec, LONDON, at(LONDON, 2026, 6, 5, 9, 29)) == datetime(2026, 6, 5, 8, 30, tzinfo=UTC)
    assert next_occurrence(rec, LONDON, at(LONDON, 2026, 6, 5, 9, 30)) == datetime(2026, 6, 6, 8, 30, tzinfo=UTC)


# -- cron -----------------------------------------------------------------------------------------------


def june_days(text: str) -> list[int]:
    rec = parse_schedule(text)
    runs = occurrences_between(rec, LONDON, at(LONDON, 2026, 6, 1), at(LONDON, 2026, 7, 1))
    return [d.day for d in local_dates(runs, LONDON)]


def test_cron_day_fields_or_when_both_restricted() -> None:
    # June 2026: Sundays are 7, 14, 21, 28; Mondays 1, 8, 15, 22, 29.
    assert june_days("cron 0 9 10 * sun") == [7, 10, 14, 21, 28]
    assert june_days("cron 0 9 1-7 * mon") == [1, 2, 3, 4, 5, 6, 7, 8, 15, 22, 29]


def test_cron_day_fields_and_when_one_is_a_star() -> None:
    assert june_days("cron 0 9 * * sun") == [7, 14, 21, 28]
    assert june_days("cron 0 9 10 * *") == [10]
    assert june_days("cron 0 9 */2 * sun") == [7, 21]  # odd days AND Sundays (classic crontab)
    assert june_days("cron 0 9 * * 7") == [7, 14, 21, 28]


def test_cron_times_and_months() -> None:
    rec = parse_schedule("cron 15,45 8-9 * jan,jul mon-fri")
    runs = occurrences_between(rec, NEW_YORK, at(NEW_YORK, 2026, 1, 1), at(NEW_YORK, 2027, 1, 1))
    weekdays = sum(
        1 for m in (1, 7) for d in range(1, calendar.monthrange(2026, m)[1] + 1) if date(2026, m, d).weekday() < 5
    )
    assert len(runs) == 4 * weekdays
    assert {wall(r, NEW_YORK).time() for r in runs} == {time(8, 15), time(8, 45), time(9, 15), time(9, 45)}
    assert {r.astimezone(NEW_YORK).month for r in runs} == {1, 7}
    assert runs[0] == datetime(2026, 1, 1, 13, 15, tzinfo=UTC)


def test_cron_feb_29_and_the_2100_gap() -> None:
    rec = parse_schedule("cron 0 9 29 2 *")
    runs = occurrences(rec, LONDON, at(LONDON, 2026, 1, 1), 2)
    assert runs == [datetime(2028, 2, 29, 9, 0, tzinfo=UTC), datetime(2032, 2, 29, 9, 0, tzinfo=UTC)]
    # 2100 is not a leap year: eight years between runs.
    assert next_occurrence(rec, LONDON, at(LONDON, 2096, 3, 1)) == datetime(2104, 2, 29, 9, 0, tzinfo=UTC)


def test_cron_every_five_minutes() -> None:
    rec = parse_schedule("cron */5 * * * *")
    runs = occurrences(rec, UTC_ZONE, datetime(2026, 6, 1, 23, 52, tzinfo=UTC), 3)
    assert runs == [
        datetime(2026, 6, 1, 23, 55, tzinfo=UTC),
        datetime(2026, 6, 2, 0, 0, tzinfo=UTC),
        datetime(2026, 6, 2, 0, 5, tzinfo=UTC),
    ]


# -- windows, arguments ---------------------------------------------------------------------------------


def test_occurrences_between_for_downtime_catch_up() -> None:
    rec = parse_schedule("daily 09:30")  # 08:30 UTC in June in London
    down = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    back = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
    assert occurrences_between(rec, LONDON, down, back) == [
        datetime(2026, 6, 1, 8, 30, tzinfo=UTC),
        datetime(2026, 6, 2, 8, 30, tzinfo=UTC),
        datetime(2026, 6, 3, 8, 30, tzinfo=UTC),
    ]
    # (start, end]: a run exactly at start already happened; one exactly at end is due.
    start = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
    end = datetime(2026, 6, 3, 8, 30, tzinfo=UTC)
    assert occurrences_between(rec, LONDON, start, end) == [
        datetime(2026, 6, 2, 8, 30, tzinfo=UTC),
        datetime(2026, 6, 3, 8, 30, tzinfo=UTC),
    ]
    assert occurrences_between(rec, LONDON, end, start) == []
    assert occurrences_between(rec, LONDON, end, end) == []
    assert occurrences_between(rec, LONDON, down, back, limit=2) == [
        datetime(2026, 6, 1, 8, 30, tzinfo=UTC),
        datetime(2026, 6, 2, 8, 30, tzinfo=UTC),
    ]
    assert occurrences_between(rec, LONDON, down, back, limit=0) == []


def test_catch_up_over_a_dst_change() -> None:
    rec = parse_schedule("daily 01:30")
    runs = occurrences_between(
        rec, NEW_YORK, datetime(2026, 10, 31, 0, 0, tzinfo=UTC), datetime(2026, 11, 3, 0, 0, tzinfo=UTC)
    )
    assert runs == [
        datetime(2026, 10, 31, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
    ]


def test_after_in_another_zone() -> None:
    rec = parse_schedule("daily 09:30")
    tokyo = ZoneInfo("Asia/Tokyo")
    # 09:00 in Tokyo on 1 June is midnight UTC, 01:00 in London: today's 09:30 London is next.
    assert next_occurrence(rec, LONDON, datetime(2026, 6, 1, 9, 0, tzinfo=tokyo)) == datetime(
        2026, 6, 1, 8, 30, tzinfo=UTC
    )
    # 18:00 in Tokyo on 1 June is 10:00 in London: already past, so 2 June.
    assert next_occurrence(rec, LONDON, datetime(2026, 6, 1, 18, 0, tzinfo=tokyo)) == datetime(
        2026, 6, 2, 8, 30, tzinfo=UTC
    )
    # Exactly the occurrence, expressed in New York time: strictly after means tomorrow.
    assert next_occurrence(rec, LONDON, datetime(2026, 6, 1, 4, 30, tzinfo=NEW_YORK)) == datetime(
        2026, 6, 2, 8, 30, tzinfo=UTC
    )
    # The local *date* that matters is the schedule zone's, not the caller's: 23:00 in New York on 1 June
    # is already 2 June 04:00 in London.
    assert next_occurrence(rec, LONDON, datetime(2026, 6, 1, 23, 0, tzinfo=NEW_YORK)) == datetime(
        2026, 6, 2, 8, 30, tzinfo=UTC
    )


def test_results_are_utc_and_naive_after_is_refused() -> None:
    rec = parse_schedule("daily 09:30")
    result = next_occurrence(rec, LORD_HOWE, datetime(2026, 6, 1, tzinfo=LORD_HOWE))
    assert result.tzinfo is UTC
    naive = datetime.fromisoformat("2026-06-01T00:00:00")
    with pytest.raises(ValueError):
        next_occurrence(rec, LONDON, naive)
    with pytest.raises(ValueError):
        occurrences_between(rec, LONDON, datetime(2026, 6, 1, tzinfo=UTC), naive)
    assert occurrences(rec, LONDON, datetime(2026, 6, 1, tzinfo=UTC), 0) == []


# -- speed ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "daily 09:30",
        "every 8 weeks on sun 23:59",
        "monthly on 31 at 10:00",
        "cron 0 9 29 2 *",
        "cron */5 * * * *",
        "cron 0 9 13 * fri",
        "cron 0 9 */28 2 mon",
    ],
)
def test_next_occurrence_is_fast(text: str) -> None:
    rec = parse_schedule(text, anchor=date(2026, 1, 1))
    starts = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=37 * i, minutes=13 * i) for i in range(100)]
    starts.append(datetime(2096, 3, 1, tzinfo=UTC))  # the longest Feb 29 gap
    began = perf.perf_counter()
    for start in starts:
        next_occurrence(rec, NEW_YORK, start)
    per_call = (perf.perf_counter() - began) / len(starts)
    assert per_call < 0.005, f"{per_call * 1000:.2f} ms per call"


# -- properties -----------------------------------------------------------------------------------------

ZONES = [
    ZoneInfo(name)
    for name in (
        "UTC",
        "America/New_York",
        "Europe/London",
        "Europe/Dublin",  # negative DST in the tz database
        "Australia/Lord_Howe",  # 30-minute DST
        "Pacific/Chatham",  # +12:45 / +13:45
        "America/Santiago",  # transitions at midnight
        "America/Havana",  # transitions at midnight
        "Africa/Casablanca",  # DST suspended for Ramadan
        "America/St_Johns",
        "Asia/Kolkata",
        "Asia/Tehran",
    )
]
zones = st.sampled_from(ZONES)
instants = st.datetimes(
    datetime.combine(date(2015, 1, 1), time()), datetime.combine(date(2035, 12, 31), time()), timezones=st.just(UTC)
)
daily_types = st.one_of(weekly_recs(), monthly_recs)


def scheduled_on(rec: Recurrence, day: date) -> bool:
    """An independent statement of which local dates a weekly or monthly schedule covers."""
    if rec.kind == "monthly":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == (last if rec.month_day == LAST_DAY else min(rec.month_day, last))
    if day.weekday() not in rec.weekdays:
        return False
    if rec.anchor is None:
        return True
    return ((day - rec.anchor).days // 7) % rec.every_weeks == 0


@settings(max_examples=150, deadline=None)
@given(rec=daily_types, zone=zones, after=instants)
def test_daily_types_run_once_on_every_scheduled_local_day(rec: Recurrence, zone: ZoneInfo, after: datetime) -> None:
    runs = occurrences(rec, zone, after, 30)
    assert len(runs) == 30
    assert runs[0] > after
    assert all(a < b for a, b in itertools.pairwise(runs))
    days = local_dates(runs, zone)
    assert len(set(days)) == len(days), "two runs on one local day"
    assert all(scheduled_on(rec, d) for d in days)
    # Never zero: every scheduled day between the first and the last run is there.
    first_day = after.astimezone(zone).date()
    expected = [
        first_day + timedelta(days=i)
        for i in range((days[-1] - first_day).days + 1)
        if scheduled_on(rec, first_day + timedelta(days=i))
    ]
    assert [d for d in expected if d >= days[0]] == days
    # Each run is the scheduled wall time, resolved by the product's gap/fold rule.
    for run, day in zip(runs, days, strict=True):
        assert run == resolve_local(datetime.combine(day, time(rec.hour, rec.minute)), zone).astimezone(UTC)


@settings(max_examples=150, deadline=None)
@given(rec=st.one_of(weekly_recs(), monthly_recs, cron_recs()), zone=zones, after=instants)
def test_runs_strictly_increase_and_chaining_agrees(rec: Recurrence, zone: ZoneInfo, after: datetime) -> None:
    runs = occurrences(rec, zone, after, 12)
    assert runs[0] > after
    assert all(a < b for a, b in itertools.pairwise(runs))
    assert all(r.tzinfo is UTC for r in runs)
    # The job service chains next_occurrence from the previous fire time; that must give the same runs.
    chained = [next_occurrence(rec, zone, after)]
    while len(chained) < len(runs):
        chained.append(next_occurrence(rec, zone, chained[-1]))
    assert chained == runs
    # And a catch-up window sees exactly the runs inside it.
    assert occurrences_between(rec, zone, after, runs[-1]) == runs
    assert occurrences_between(rec, zone, runs[3], runs[8]) == runs[4:9]


@settings(max_examples=100, deadline=None)
@given(rec=cron_recs(), zone=zones, after=instants)
def test_cron_matches_a_brute_force_walk(rec: Recurrence, zone: ZoneInfo, after: datetime) -> None:
    """Day by day over three weeks, every matching wall time, resolved, de-duplicated."""
    assert rec.cron is not None
    end = after + timedelta(days=21)
    day = after.astimezone(zone).date() - timedelta(days=1)
    expected: list[datetime] = []
    while day <= end.astimezone(zone).date() + timedelta(days=1):
        if rec.cron.matches_day(day):
            for hour in range(24):
                for minute in range(60):
                    if hour in rec.cron.hours and minute in rec.cron.minutes:
                        run = resolve_local(datetime.combine(day, time(hour, minute)), zone).astimezone(UTC)
                        if after < run <= end and run not in expected:
                            expected.append(run)
        day += timedelta(days=1)
    assert occurrences_between(rec, zone, after, end) == sorted(expected)
    assert next(iter_occurrences(rec, zone, after)) == next_occurrence(rec, zone, after)
