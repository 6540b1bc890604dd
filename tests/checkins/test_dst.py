"""Check-ins across DST in America/New_York and Europe/London: one run per local day, at the promised instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.checkins.service import CheckinOptions, CheckinService
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.scheduling.clock import FakeClock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from tests.checkins._poster import RecordingPoster


async def run_days(db: Database, start: datetime, schedule: str, zone: str, days: int) -> list[datetime]:
    clock = FakeClock(start)
    dispatcher = Dispatcher(JobService(clock, realtime=False), clock, owner="test")
    service = CheckinService(db=db, prefs=PreferencesRepo(db), clock=clock, dispatcher=dispatcher,
                             poster=RecordingPoster(), default_timezone="UTC")
    await service.start()
    await service.create(1, 1, CheckinOptions(name="DST", channel_id=2, schedule=schedule, timezone=zone,
                                              window="1h", remind_before="off"))
    await service.dispatcher.jobs.advance(timedelta(days=days))
    rows = await db.fetchall("SELECT scheduled_at, posted_at, status FROM checkin_runs ORDER BY scheduled_at")
    assert all(r["status"] == "closed" for r in rows)
    assert all(r["scheduled_at"] == r["posted_at"] for r in rows)  # posted at the instant, never late
    return [datetime.fromtimestamp(r["scheduled_at"], UTC) for r in rows]


async def test_new_york_spring_forward_gap_runs_once_when_the_gap_ends(db: Database) -> None:
    zone = ZoneInfo("America/New_York")
    runs = await run_days(db, datetime(2026, 3, 5, 12, 0, tzinfo=UTC), "daily 02:30", zone.key, 6)
    local = [r.astimezone(zone) for r in runs]
    assert [d.day for d in local] == [6, 7, 8, 9, 10, 11]
    assert [(d.hour, d.minute) for d in local] == [(2, 30), (2, 30), (3, 0), (2, 30), (2, 30), (2, 30)]
    assert runs[2] == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


async def test_new_york_fall_back_repeated_time_runs_once(db: Database) -> None:
    zone = ZoneInfo("America/New_York")
    runs = await run_days(db, datetime(2026, 10, 30, 12, 0, tzinfo=UTC), "daily 01:30", zone.key, 4)
    assert [r.astimezone(zone).day for r in runs] == [31, 1, 2, 3]
    assert runs[1] == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first 01:30 (EDT)


async def test_london_weekday_0930_stays_0930_across_the_autumn_change(db: Database) -> None:
    zone = ZoneInfo("Europe/London")
    runs = await run_days(db, datetime(2026, 10, 22, 12, 0, tzinfo=UTC), "weekdays 09:30", zone.key, 7)
    assert all((r.astimezone(zone).hour, r.astimezone(zone).minute) == (9, 30) for r in runs)
    assert [r.hour for r in runs] == [8, 9, 9, 9, 9]  # Fri 23 Oct BST; Mon 26 - Thu 29 Oct GMT
    assert [r.astimezone(zone).weekday() for r in runs] == [4, 0, 1, 2, 3]


async def test_london_fall_back_0130_runs_once(db: Database) -> None:
    zone = ZoneInfo("Europe/London")
    runs = await run_days(db, datetime(2026, 10, 24, 12, 0, tzinfo=UTC), "daily 01:30", zone.key, 2)
    assert runs == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 26, 1, 30, tzinfo=UTC)]


def test_pure_schedule_a_whole_year_one_run_per_local_day() -> None:
    from datetime import date

    from bot.scheduling.recurrence import occurrences_between
    from bot.timeparse import parse_schedule

    for zone_name, wall in (("America/New_York", (2, 30)), ("Europe/London", (1, 30)), ("Europe/London", (9, 30))):
        zone = ZoneInfo(zone_name)
        rec = parse_schedule(f"daily {wall[0]:02d}:{wall[1]:02d}")
        runs = occurrences_between(rec, zone, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
        days = [r.astimezone(zone).date() for r in runs]
        assert len(days) == len(set(days))  # never twice on a day (fall-back)
        assert {d for d in days if d.year == 2026} >= {date(2026, 1, 2) + timedelta(days=i) for i in range(363)}
        shifted = [r.astimezone(zone) for r in runs if (r.astimezone(zone).hour, r.astimezone(zone).minute) != wall]
        # Only the spring-forward day moves, to the end of the gap.
        assert all((s.hour, s.minute) == (wall[0] + 1, 0) for s in shifted) and len(shifted) <= 1
