"""The DST promise, on the pure computation, over whole years.

A schedule is wall-clock time in its zone: 09:30 stays 09:30; a missing wall time runs once when the gap
ends; a repeated wall time runs once, the first time; exactly one run per scheduled local day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.recurrence import next_occurrence, occurrences, occurrences_between
from bot.timeparse import parse_schedule
from tests.scheduling._helpers import LONDON, LORD_HOWE, NEW_YORK, at, local_day_start, naive, wall

YEAR_DAYS = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]


def year_of(text: str, zone: ZoneInfo) -> list[datetime]:
    rec = parse_schedule(text)
    return occurrences_between(
        rec, zone, local_day_start(zone, date(2026, 1, 1)), local_day_start(zone, date(2027, 1, 1))
    )


def by_local_day(runs: list[datetime], zone: ZoneInfo) -> dict[date, list[datetime]]:
    days: dict[date, list[datetime]] = {}
    for run in runs:
        days.setdefault(run.astimezone(zone).date(), []).append(run)
    return days


@pytest.mark.parametrize("zone", [NEW_YORK, LONDON, LORD_HOWE], ids=str)
def test_daily_0930_runs_once_every_local_day_at_0930_all_year(zone: ZoneInfo) -> None:
    runs = year_of("daily 09:30", zone)
    assert len(runs) == 365
    assert [wall(r, zone) for r in runs] == [datetime.combine(d, time(9, 30)) for d in YEAR_DAYS]
    assert all(r.tzinfo is UTC for r in runs)
    # The year really does cross DST both ways: two different UTC offsets, so two different UTC times.
    assert len({r.astimezone(zone).utcoffset() for r in runs}) == 2
    assert len({r.time() for r in runs}) == 2


def test_new_york_spring_forward_0230_runs_once_at_0300_edt() -> None:
    runs = year_of("daily 02:30", NEW_YORK)
    days = by_local_day(runs, NEW_YORK)
    assert sorted(days) == YEAR_DAYS
    assert all(len(v) == 1 for v in days.values())
    assert days[date(2026, 3, 8)] == [datetime(2026, 3, 8, 7, 0, tzinfo=UTC)]  # 03:00 EDT
    assert wall(days[date(2026, 3, 8)][0], NEW_YORK) == naive(2026, 3, 8, 3, 0)
    assert days[date(2026, 3, 7)] == [datetime(2026, 3, 7, 7, 30, tzinfo=UTC)]  # 02:30 EST
    assert days[date(2026, 3, 9)] == [datetime(2026, 3, 9, 6, 30, tzinfo=UTC)]  # 02:30 EDT
    others = [wall(r, NEW_YORK).time() for d, v in days.items() if d != date(2026, 3, 8) for r in v]
    assert set(others) == {time(2, 30)}


def test_new_york_fall_back_0130_runs_once_the_edt_one() -> None:
    runs = year_of("daily 01:30", NEW_YORK)
    days = by_local_day(runs, NEW_YORK)
    assert sorted(days) == YEAR_DAYS
    assert all(len(v) == 1 for v in days.values())
    assert days[date(2026, 10, 31)] == [datetime(2026, 10, 31, 5, 30, tzinfo=UTC)]
    assert days[date(2026, 11, 1)] == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]  # 01:30 EDT, not 06:30
    assert days[date(2026, 11, 2)] == [datetime(2026, 11, 2, 6, 30, tzinfo=UTC)]
    assert {wall(r, NEW_YORK).time() for r in runs} == {time(1, 30)}


def test_new_york_fall_back_step_by_step_like_the_scheduler_does() -> None:
    """Chaining next_occurrence from each fire time (as the job service will) never repeats the day."""
    rec = parse_schedule("daily 01:30")
    fire = next_occurrence(rec, NEW_YORK, datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    assert fire == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    fire = next_occurrence(rec, NEW_YORK, fire)
    assert fire == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)
    # Even asked from inside the repeated hour (01:45 EST, after the first 01:30), it goes to tomorrow.
    inside = datetime(2026, 11, 1, 1, 45, tzinfo=NEW_YORK, fold=1)
    assert next_occurrence(rec, NEW_YORK, inside) == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)


def test_london_spring_forward_0130_runs_at_0200_bst() -> None:
    days = by_local_day(year_of("daily 01:30", LONDON), LONDON)
    assert sorted(days) == YEAR_DAYS
    assert all(len(v) == 1 for v in days.values())
    assert days[date(2026, 3, 29)] == [datetime(2026, 3, 29, 1, 0, tzinfo=UTC)]  # 02:00 BST
    assert wall(days[date(2026, 3, 29)][0], LONDON) == naive(2026, 3, 29, 2, 0)
    assert days[date(2026, 3, 28)] == [datetime(2026, 3, 28, 1, 30, tzinfo=UTC)]
    assert days[date(2026, 3, 30)] == [datetime(2026, 3, 30, 0, 30, tzinfo=UTC)]


def test_london_fall_back_0130_runs_once() -> None:
    days = by_local_day(year_of("daily 01:30", LONDON), LONDON)
    assert days[date(2026, 10, 25)] == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]  # 01:30 BST
    assert days[date(2026, 10, 26)] == [datetime(2026, 10, 26, 1, 30, tzinfo=UTC)]  # 01:30 GMT


def test_lord_howe_half_hour_gap_and_overlap() -> None:
    # Gap 02:00-02:30 on 2026-10-04: 02:15 runs at 02:30 (+11:00) = 15:30 UTC the day before.
    days = by_local_day(year_of("daily 02:15", LORD_HOWE), LORD_HOWE)
    assert sorted(days) == YEAR_DAYS
    assert all(len(v) == 1 for v in days.values())
    assert days[date(2026, 10, 4)] == [datetime(2026, 10, 3, 15, 30, tzinfo=UTC)]
    assert wall(days[date(2026, 10, 4)][0], LORD_HOWE) == naive(2026, 10, 4, 2, 30)
    assert days[date(2026, 10, 3)] == [datetime(2026, 10, 2, 15, 45, tzinfo=UTC)]  # +10:30
    assert days[date(2026, 10, 5)] == [datetime(2026, 10, 4, 15, 15, tzinfo=UTC)]  # +11:00
    # Overlap 01:30-02:00 on 2026-04-05: 01:45 runs once, the first (+11:00).
    days = by_local_day(year_of("daily 01:45", LORD_HOWE), LORD_HOWE)
    assert sorted(days) == YEAR_DAYS
    assert all(len(v) == 1 for v in days.values())
    assert days[date(2026, 4, 5)] == [datetime(2026, 4, 4, 14, 45, tzinfo=UTC)]
    assert {wall(r, LORD_HOWE).time() for v in days.values() for r in v} == {time(1, 45)}


def test_lord_howe_wall_time_just_before_the_gap_is_untouched() -> None:
    days = by_local_day(year_of("daily 01:59", LORD_HOWE), LORD_HOWE)
    assert days[date(2026, 10, 4)] == [datetime(2026, 10, 3, 15, 29, tzinfo=UTC)]


@pytest.mark.parametrize("text", ["weekdays 02:30", "sun 02:30", "cron 30 2 * * 0"])
def test_other_day_forms_follow_the_same_rule(text: str) -> None:
    rec = parse_schedule(text)
    runs = occurrences_between(rec, NEW_YORK, at(NEW_YORK, 2026, 3, 1), at(NEW_YORK, 2026, 3, 15))
    sunday = [r for r in runs if r.astimezone(NEW_YORK).date() == date(2026, 3, 8)]
    assert sunday == ([] if text.startswith("weekdays") else [datetime(2026, 3, 8, 7, 0, tzinfo=UTC)])


def test_monthly_in_a_gap_runs_at_the_end_of_the_gap() -> None:
    rec = parse_schedule("monthly on 8 at 02:30")
    assert occurrences(rec, NEW_YORK, at(NEW_YORK, 2026, 2, 9), 2) == [
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
        datetime(2026, 4, 8, 6, 30, tzinfo=UTC),
    ]


def test_cron_two_wall_times_in_one_gap_run_once() -> None:
    rec = parse_schedule("cron 0,30 2 * * *")
    runs = occurrences_between(rec, NEW_YORK, at(NEW_YORK, 2026, 3, 7), at(NEW_YORK, 2026, 3, 10))
    assert runs == [
        datetime(2026, 3, 7, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 7, 7, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # 02:00 and 02:30 both become 03:00 EDT: once
        datetime(2026, 3, 9, 6, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 6, 30, tzinfo=UTC),
    ]


def test_cron_every_five_minutes_across_spring_forward() -> None:
    rec = parse_schedule("cron */5 * * * *")
    runs = occurrences_between(rec, NEW_YORK, at(NEW_YORK, 2026, 3, 8, 1, 45), at(NEW_YORK, 2026, 3, 8, 3, 10))
    assert [wall(r, NEW_YORK).strftime("%H:%M") for r in runs] == ["01:50", "01:55", "03:00", "03:05", "03:10"]
    assert runs[2] - runs[1] == timedelta(minutes=5)


def test_cron_half_hourly_across_fall_back_runs_each_wall_time_once() -> None:
    rec = parse_schedule("cron */30 * * * *")
    runs = occurrences_between(
        rec, NEW_YORK, datetime(2026, 11, 1, 4, 0, tzinfo=UTC), datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    )
    assert runs == [
        datetime(2026, 11, 1, 4, 30, tzinfo=UTC),  # 00:30 EDT
        datetime(2026, 11, 1, 5, 0, tzinfo=UTC),  # 01:00 EDT
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # 01:30 EDT; the repeated 01:00/01:30 EST do not run
        datetime(2026, 11, 1, 7, 0, tzinfo=UTC),  # 02:00 EST
        datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 8, 0, tzinfo=UTC),
    ]


def test_midnight_transition_zone() -> None:
    """Santiago springs forward at midnight: 00:30 on 2026-09-06 does not exist and runs at 01:00."""
    santiago = ZoneInfo("America/Santiago")
    rec = parse_schedule("daily 00:30")
    runs = occurrences(rec, santiago, at(santiago, 2026, 9, 5, 12), 2)
    assert runs == [datetime(2026, 9, 6, 4, 0, tzinfo=UTC), datetime(2026, 9, 7, 3, 30, tzinfo=UTC)]
    assert wall(runs[0], santiago) == naive(2026, 9, 6, 1, 0)


def test_a_skipped_calendar_day_runs_when_it_would_have_begun() -> None:
    """Samoa skipped 2011-12-30 entirely; its 09:30 runs once, when the gap ends (midnight on the 31st)."""
    apia = ZoneInfo("Pacific/Apia")
    rec = parse_schedule("daily 09:30")
    runs = occurrences(rec, apia, at(apia, 2011, 12, 29), 3)
    assert [wall(r, apia) for r in runs] == [
        naive(2011, 12, 29, 9, 30),
        naive(2011, 12, 31, 0, 0),
        naive(2011, 12, 31, 9, 30),
    ]


def test_a_gap_across_midnight_runs_when_it_ends_early_next_day() -> None:
    """Nuuk springs forward from 23:00 Saturday to 00:00 Sunday (2026-03-28/29).

    Saturday's 23:30 does not exist, so it runs once when the gap ends (00:00 Sunday). Each scheduled date
    still gets exactly one run; only this one lands on the next calendar date.
    """
    nuuk = ZoneInfo("America/Nuuk")
    runs = occurrences(parse_schedule("daily 23:30"), nuuk, datetime(2026, 3, 27, 12, 0, tzinfo=UTC), 3)
    assert runs == [
        datetime(2026, 3, 28, 1, 30, tzinfo=UTC),  # Fri 23:30 -02:00
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Sat 23:30 does not exist: Sun 00:00 -01:00
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),  # Sun 23:30 -01:00
    ]
