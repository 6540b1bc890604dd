"""The digest's numbers, read from real tables seeded with SQL (the only place other features' tables are read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.db.database import Database, load_migrations
from bot.digest.models import CheckinCounts, CommitmentCounts, MoodCounts
from bot.digest.periods import chart_days
from bot.digest.sources import DigestSources
from tests.digest import _seed as seed
from tests.support.databases import ENGINE, TestDatabases

GUILD, OTHER = 1, 2
END = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
THIS = (datetime(2026, 11, 23, 14, 0, tzinfo=UTC), END)
LAST = (datetime(2026, 11, 16, 14, 0, tzinfo=UTC), THIS[0])


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


async def seed_world(db: Database) -> None:
    checkin = await seed.add_checkin(db, GUILD, at=at(1))
    anonymous = await seed.add_checkin(db, GUILD, name="Pulse", anonymous=True, at=at(1))
    elsewhere = await seed.add_checkin(db, OTHER, at=at(1))

    r1 = await seed.add_run(db, checkin, at(25))
    await seed.add_answers(db, r1, [4, 5, 3], at=at(25, 10))
    await seed.add_answers(db, r1, [None], at=at(25, 10), first_user=4, status="skipped")
    await seed.add_reminders(db, r1, [4, 5], at=at(25, 12))
    await seed.add_reminders(db, r1, [6], at=at(25, 12), status="not_needed")
    r2 = await seed.add_run(db, checkin, at(27), status="open")
    await seed.add_answers(db, r2, [2, None], at=at(27, 10))
    missed = await seed.add_run(db, checkin, at(28), status="missed")
    await seed.add_answers(db, missed, [1, 1, 1], at=at(28, 10))  # cannot happen, but must not count
    r_anon = await seed.add_run(db, anonymous, at(26), anonymous=True)
    await seed.add_answers(db, r_anon, [1, 1], at=at(26, 10))
    r_last = await seed.add_run(db, checkin, at(18))
    await seed.add_answers(db, r_last, [3, 3, 3, 3], at=at(18, 10))
    r_other = await seed.add_run(db, elsewhere, at(25))
    await seed.add_answers(db, r_other, [5, 5, 5], at=at(25, 10))

    c1 = await seed.add_commitment(db, GUILD, 1, opened_at=at(24), due_at=at(26))
    await seed.add_commitment(db, GUILD, 2, status="done", opened_at=at(10), closed_at=at(25), text="Book the room")
    await seed.add_commitment(db, GUILD, 3, status="done", opened_at=at(20), closed_at=at(28), due_at=at(27))
    await seed.add_commitment(db, GUILD, 4, status="dropped", opened_at=at(25), closed_at=at(26))
    await seed.add_commitment(db, OTHER, 1, status="done", opened_at=at(24), closed_at=at(25))
    await seed.add_event(db, c1, GUILD, "renegotiated", at(25))
    await seed.add_event(db, c1, GUILD, "renegotiated", at(19))

    await seed.add_win(db, GUILD, at(24))
    await seed.add_win(db, GUILD, at(29), member_id=None)
    await seed.add_win(db, GUILD, at(17))
    await seed.add_win(db, OTHER, at(24))

    await seed.add_clarification(db, GUILD, created_at=at(23), closed_at=at(24), message_id=1)
    await seed.add_clarification(db, GUILD, created_at=at(24), closed_at=None, message_id=2)
    await seed.add_clarification(db, GUILD, created_at=at(19), closed_at=at(20), message_id=3)
    await seed.add_repair(db, GUILD, created_at=at(10), followup_done_at=at(29))
    await seed.add_repair(db, GUILD, created_at=at(12), followup_done_at=None, pair=(3, 4))


@pytest.fixture
async def sources(db: Database) -> DigestSources:
    await seed_world(db)
    return DigestSources(db)


async def test_checkins_held_and_response_rate(sources: DigestSources) -> None:
    this = await sources.checkins(GUILD, *THIS)
    # Held: the two posted runs (not the missed one); asked: answered, skipped or reminded, not "not needed".
    assert this == CheckinCounts(held=3, answered=7, asked=9)
    assert this is not None and this.response_rate == pytest.approx(7 / 9)
    assert await sources.checkins(GUILD, *LAST) == CheckinCounts(held=1, answered=4, asked=4)
    assert await sources.checkins(OTHER, *LAST) == CheckinCounts()


async def test_mood_counts_anonymous_answers(sources: DigestSources) -> None:
    this = await sources.mood(GUILD, *THIS)
    # Whole runs of at least three mood answers only: the runs of two anonymous answers and of one are left out.
    assert this == MoodCounts(count=3, anonymous=0, total=12)
    assert this is not None and this.average == 4.0
    last = await sources.mood(GUILD, *LAST)
    assert last is not None and last.average == 3.0


async def test_mood_days_by_local_day(sources: DigestSources) -> None:
    days = await sources.mood_days(GUILD, chart_days(ZoneInfo("Europe/London"), END))
    assert days is not None and len(days) == 28
    by_day = {d.day: d for d in days}
    assert by_day[date(2026, 11, 25)].average == 4.0
    # Runs with fewer than three mood answers never count, not even towards a day's total.
    assert by_day[date(2026, 11, 26)].count == 0 and by_day[date(2026, 11, 26)].average is None
    assert by_day[date(2026, 11, 27)].count == 0 and not by_day[date(2026, 11, 27)].visible
    assert by_day[date(2026, 11, 18)].average == 3.0
    assert by_day[date(2026, 11, 28)].count == 0  # the missed run's rows are ignored
    # Days follow the zone: 09:00 UTC on the 25th is still the 24th in Honolulu.
    hawaii = await sources.mood_days(GUILD, chart_days(ZoneInfo("Pacific/Honolulu"), END))
    assert hawaii is not None
    assert {d.day: d.count for d in hawaii}[date(2026, 11, 24)] == 3


async def test_commitments_from_sql(sources: DigestSources) -> None:
    assert await sources.commitments(GUILD, *THIS, END) == CommitmentCounts(
        opened=2, done=2, renegotiated=1, overdue=2
    )
    assert await sources.commitments(GUILD, *LAST, END) == CommitmentCounts(
        opened=1, done=0, renegotiated=1, overdue=0
    )


async def test_commitments_prefer_the_service(db: Database) -> None:
    @dataclass
    class Stats:
        opened: int = 9
        done: int = 8
        renegotiated: int = 7
        overdue: int = 6

    class Provider:
        calls: list[tuple[int, datetime, datetime]] = []

        async def stats(self, guild_id: int, start: datetime, end: datetime) -> Stats:
            self.calls.append((guild_id, start, end))
            return Stats()

    provider = Provider()
    sources = DigestSources(db, commitments=lambda: provider)
    assert await sources.commitments(GUILD, *THIS, END) == CommitmentCounts(9, 8, 7, 6)
    assert provider.calls == [(GUILD, *THIS)]
    assert await DigestSources(db, commitments=lambda: None).commitments(GUILD, *THIS, END) == CommitmentCounts()


async def test_kept_commitments_for_wins(sources: DigestSources) -> None:
    kept = await sources.kept_commitments(GUILD, *THIS)
    assert [(k.number, k.closed_at) for k in kept] == [(3, at(28)), (2, at(25))]
    assert kept[1].text == "Book the room"


async def test_wins_clarifications_repairs(sources: DigestSources) -> None:
    assert await sources.wins(GUILD, *THIS) == 2
    assert await sources.wins(GUILD, *LAST) == 1
    assert await sources.clarifications_answered(GUILD, *THIS) == 1
    assert await sources.clarifications_answered(GUILD, *LAST) == 1
    assert await sources.repairs_followed_up(GUILD, *THIS) == 1
    assert await sources.repairs_followed_up(GUILD, *LAST) == 0


async def test_week_gathers_everything(sources: DigestSources) -> None:
    week = await sources.week(GUILD, *THIS, END)
    assert week.kept == 2 and week.wins == 2
    assert week.clarifications_answered == 1 and week.repairs_followed_up == 1


async def test_missing_feature_tables_give_none(databases: TestDatabases) -> None:
    database = await databases.open("bare", migrate=False)
    try:
        await database.migrate([m for m in load_migrations(ENGINE) if m.version in (1, 6)])
        sources = DigestSources(database)
        assert await sources.checkins(GUILD, *THIS) is None
        assert await sources.mood(GUILD, *THIS) is None
        assert await sources.mood_days(GUILD, chart_days(ZoneInfo("UTC"), END)) is None
        assert await sources.commitments(GUILD, *THIS, END) is None
        assert await sources.kept_commitments(GUILD, *THIS) == []
        assert await sources.clarifications_answered(GUILD, *THIS) is None
        assert await sources.repairs_followed_up(GUILD, *THIS) is None
        week = await sources.week(GUILD, *THIS, END)
        assert week.wins == 0 and week.checkins is None
    finally:
        await database.close()
