"""Scheduling and posting the digest on real SQLite with a fake clock: once per instant, restart-safe, DST-exact."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db.codec import to_epoch
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.digest.posting import SCHEDULES
from bot.digest.render import RenderedDigest
from bot.digest.service import SCHEDULE_JOB, DigestService, PostingFailed, post_nonce
from bot.digest.sources import DigestSources
from bot.errors import BadInput, ObjectNotFound
from bot.scheduling.clock import FakeClock
from bot.scheduling.jobs import JobService
from cogs.digest._embed import digest_embed
from tests.digest import _seed as seed

GUILD = 10
CHANNEL = 20
MANAGER = 1


@dataclass
class Sent:
    channel_id: int
    digest: RenderedDigest
    nonce: str
    at: datetime


@dataclass
class FakePoster:
    clock: FakeClock
    problem: str | None = None
    refuse: str | None = None
    sent: list[Sent] = field(default_factory=list)

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        return self.problem

    async def post(self, channel_id: int, digest: RenderedDigest, nonce: str) -> int:
        if self.refuse:
            raise PostingFailed(self.refuse)
        self.sent.append(Sent(channel_id, digest, nonce, self.clock.now()))
        return 7000 + len(self.sent)


def make(db: Database, clock: FakeClock, poster: FakePoster) -> DigestService:
    return DigestService(
        db, PreferencesRepo(db), clock, JobService(clock, realtime=False), DigestSources(db), poster, "UTC"
    )


@pytest.fixture
def poster(clock: FakeClock) -> FakePoster:
    return FakePoster(clock)


@pytest.fixture
def service(db: Database, clock: FakeClock, poster: FakePoster) -> DigestService:
    return make(db, clock, poster)


async def configure(service: DigestService, day: str = "monday", time: str = "09:00",
                    timezone: str | None = "Europe/London") -> object:
    return await service.configure(
        guild_id=GUILD, channel_id=CHANNEL, day=day, time=time, timezone=timezone, actor_id=MANAGER
    )


async def test_bad_values_change_nothing(service: DigestService, db: Database) -> None:
    for day, time, zone in [("someday", "09:00", None), ("mon", "9:75", None), ("mon", "09:00", "Mars/Base"),
                            ("weekdays", "09:00", None)]:
        with pytest.raises(BadInput):
            await configure(service, day, time, zone)
    assert await db.fetchval("SELECT count(*) FROM digest_schedules") == 0
    assert len(service.jobs) == 0


async def test_configure_stores_and_arms_the_next_instant(service: DigestService) -> None:
    configured = await configure(service, "Mon", "9am")
    expected = [datetime(2026, 12, d, 9, tzinfo=UTC) for d in (7, 14, 21)]
    assert list(configured.upcoming) == expected  # type: ignore[attr-defined]
    schedule = await service.schedule_of(GUILD)
    assert schedule is not None and schedule.schedule == "mon 09:00" and schedule.timezone == "Europe/London"
    assert service.jobs.get(SCHEDULE_JOB) == expected[0]


async def test_zone_defaults_to_the_servers(service: DigestService, db: Database, clock: FakeClock) -> None:
    await PreferencesRepo(db).update_guild(GUILD, clock.now(), timezone="Asia/Tokyo")
    configured = await configure(service, "tue", "08:00", timezone=None)
    assert configured.schedule.timezone == "Asia/Tokyo"  # type: ignore[attr-defined]
    assert configured.upcoming[0] == datetime(2026, 11, 30, 23, tzinfo=UTC)  # type: ignore[attr-defined]


async def test_posts_once_at_the_scheduled_instant(
    service: DigestService, poster: FakePoster, db: Database, clock: FakeClock
) -> None:
    await seed.add_win(db, GUILD, clock.now() + timedelta(days=2))
    await configure(service)
    first = datetime(2026, 12, 7, 9, tzinfo=UTC)
    await service.jobs.advance(first - clock.now() - timedelta(seconds=1))
    assert poster.sent == []
    await service.jobs.advance(timedelta(seconds=1))
    assert [(s.at, s.channel_id, s.nonce) for s in poster.sent] == [(first, CHANNEL, post_nonce(GUILD, first))]
    assert len(poster.sent[0].nonce) <= 25
    assert "1 win shared" in digest_embed(poster.sent[0].digest).description  # type: ignore[operator]
    posts = await service.posts(GUILD)
    assert [(p.scheduled_at, p.status, p.message_id) for p in posts] == [(first, "posted", 7001)]
    assert service.jobs.get(SCHEDULE_JOB) == first + timedelta(days=7)
    # A stale timer firing again finds nothing to do.
    await service.dispatcher.dispatch(SCHEDULES)
    assert len(poster.sent) == 1


async def test_restart_never_posts_twice(db: Database, clock: FakeClock, poster: FakePoster) -> None:
    service = make(db, clock, poster)
    await configure(service)
    await service.jobs.advance(datetime(2026, 12, 7, 9, 30, tzinfo=UTC) - clock.now())
    assert len(poster.sent) == 1
    restarted = make(db, clock, poster)
    await restarted.start()
    await restarted.jobs.advance(timedelta(hours=1))
    assert len(poster.sent) == 1
    await restarted.jobs.advance(timedelta(days=7))
    assert [s.at for s in poster.sent] == [datetime(2026, 12, d, 9, tzinfo=UTC) for d in (7, 14)]


async def test_an_interrupted_post_is_resent_only_while_the_nonce_protects_it(
    db: Database, clock: FakeClock, poster: FakePoster
) -> None:
    await configure(make(db, clock, poster))
    now = clock.now()
    for guild, recorded in ((GUILD, now - timedelta(minutes=2)), (GUILD + 1, now - timedelta(minutes=30))):
        await db.execute(
            "INSERT INTO digest_posts (guild_id, scheduled_at, channel_id, status, recorded_at) "
            "VALUES (?, ?, ?, 'posting', ?)",
            (guild, to_epoch(now - timedelta(minutes=2)), CHANNEL, to_epoch(recorded)),
        )
    service = make(db, clock, poster)
    await service.start()
    await service.jobs.run_due()
    assert [s.nonce for s in poster.sent] == [post_nonce(GUILD, now - timedelta(minutes=2))]
    statuses = await db.fetchall("SELECT guild_id, status, failure FROM digest_posts ORDER BY guild_id")
    assert [(r["guild_id"], r["status"]) for r in statuses] == [(GUILD, "posted"), (GUILD + 1, "failed")]
    assert "not re-sent" in statuses[1]["failure"]


async def test_offline_through_the_time(db: Database, clock: FakeClock, poster: FakePoster) -> None:
    await configure(make(db, clock, poster))
    first = datetime(2026, 12, 7, 9, tzinfo=UTC)
    # Back 3 hours late: posted late, covering the week up to the scheduled time.
    clock.set(first + timedelta(hours=3))
    service = make(db, clock, poster)
    await service.start()
    await service.jobs.run_due()
    assert len(poster.sent) == 1 and poster.sent[0].digest.content.title.endswith("7 Dec 2026")
    # Offline for the whole next week and more: that digest is recorded as missed, the schedule moves on.
    clock.set(first + timedelta(days=8))
    service = make(db, clock, poster)
    await service.start()
    await service.jobs.run_due()
    assert len(poster.sent) == 1
    posts = await service.posts(GUILD)
    assert [(p.scheduled_at, p.status) for p in posts] == [(first, "posted"), (first + timedelta(days=7), "missed")]
    assert service.jobs.get(SCHEDULE_JOB) == first + timedelta(days=14)


async def test_a_channel_problem_fails_that_post_only(
    service: DigestService, poster: FakePoster, clock: FakeClock
) -> None:
    await configure(service)
    poster.problem = "I need Attach Files in #general to post the digest there."
    await service.jobs.advance(timedelta(days=7))
    poster.problem = None
    await service.jobs.advance(timedelta(days=7))
    posts = await service.posts(GUILD)
    assert [p.status for p in posts] == ["failed", "posted"]
    assert posts[0].failure is not None and "Attach Files" in posts[0].failure
    poster.refuse = "Discord refused"
    await service.jobs.advance(timedelta(days=7))
    assert [p.status for p in await service.posts(GUILD)] == ["failed", "posted", "failed"]


async def test_turn_off(service: DigestService, poster: FakePoster) -> None:
    with pytest.raises(ObjectNotFound):
        await service.turn_off(GUILD)
    await configure(service)
    await service.turn_off(GUILD)
    assert service.jobs.get(SCHEDULE_JOB) is None
    await service.jobs.advance(timedelta(days=14))
    assert poster.sent == []


@pytest.mark.parametrize(("time", "local_hours"), [("01:30", {(1, 30)}), ("02:30", {(2, 30), (3, 0)})])
async def test_a_year_in_new_york_posts_once_a_week_at_the_local_time(
    db: Database, clock: FakeClock, poster: FakePoster, time: str, local_hours: set[tuple[int, int]]
) -> None:
    """Sundays at 01:30 (repeated on fall-back night) and 02:30 (missing on spring-forward night)."""
    zone = ZoneInfo("America/New_York")
    clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    service = make(db, clock, poster)
    await configure(service, "sun", time, "America/New_York")
    await service.jobs.advance(timedelta(days=366))
    local = [s.at.astimezone(zone) for s in poster.sent]
    assert len(local) == len({d.date() for d in local}) == 52
    assert all(d.weekday() == 6 for d in local)
    assert [s.at for s in poster.sent] == sorted({s.at for s in poster.sent})  # no instant twice
    assert {(d.hour, d.minute) for d in local} == local_hours
    fall_back = next(d for d in local if d.date().isoformat() == "2026-11-01")
    if time == "01:30":
        assert fall_back.utcoffset() == timedelta(hours=-4)  # the first 01:30 of the two
    else:
        spring = next(d for d in local if d.date().isoformat() == "2027-03-14")
        assert (spring.hour, spring.minute) == (3, 0)  # the gap ends at 03:00 EDT


async def test_two_processes_on_one_database_post_each_digest_once(
    db: Database, clock: FakeClock, poster: FakePoster
) -> None:
    first = make(db, clock, poster)
    await configure(first)
    second_db = await Database.open(db.target)
    try:
        second = make(second_db, clock, poster)
        clock.set(datetime(2026, 12, 7, 9, tzinfo=UTC))
        await asyncio.gather(first.dispatcher.dispatch(SCHEDULES), second.dispatcher.dispatch(SCHEDULES))
        assert [s.at for s in poster.sent] == [datetime(2026, 12, 7, 9, tzinfo=UTC)]
        assert [p.status for p in await first.posts(GUILD)] == ["posted"]
        claimed = "SELECT count(*) FROM {} WHERE claimed_by IS NOT NULL"
        assert await db.fetchval(claimed.format("digest_schedules")) == 0
        assert await db.fetchval(claimed.format("digest_posts")) == 0
    finally:
        await second_db.close()


async def test_a_post_left_by_a_dead_process_is_resent_when_its_claim_ends(
    db: Database, clock: FakeClock, poster: FakePoster
) -> None:
    await configure(make(db, clock, poster))
    now = clock.now()
    await db.execute(
        "INSERT INTO digest_posts (guild_id, scheduled_at, channel_id, status, recorded_at, claimed_by, "
        "claimed_until) VALUES (?, ?, ?, 'posting', ?, 'gone', ?)",
        (GUILD, to_epoch(now), CHANNEL, to_epoch(now), to_epoch(now + timedelta(minutes=2))),
    )
    service = make(db, clock, poster)
    await service.start()
    await service.jobs.run_due()
    assert poster.sent == []  # still claimed by the process that recorded it
    await service.jobs.advance(timedelta(minutes=2))
    assert [s.nonce for s in poster.sent] == [post_nonce(GUILD, now)]
    assert [p.status for p in await service.posts(GUILD)] == ["posted"]
