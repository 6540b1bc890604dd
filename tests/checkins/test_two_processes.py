"""Two processes on one database (two connections to one SQLite file or PostgreSQL database, two dispatchers with
their own owners): every due check-in is posted once, every reminder sent once and every digest shared once,
whoever claims it."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.checkins.context import RUN_STEPS, SCHEDULE
from bot.checkins.service import CheckinOptions, CheckinService
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.scheduling.clock import FakeClock
from bot.scheduling.dispatch import DEFAULT_LEASE, Dispatcher
from bot.scheduling.jobs import JobService
from tests.checkins._poster import RecordingPoster
from tests.support.databases import TestDatabases

DUE = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SERVERS = 60
ROLE = 30


class SlowPoster(RecordingPoster):
    """Gives the other process a turn in the middle of every post, as a real request would."""

    async def post_prompt(self, run, checkin):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0)
        return await super().post_prompt(run, checkin)


def process(db: Database, clock: FakeClock, owner: str, poster: RecordingPoster) -> CheckinService:
    dispatcher = Dispatcher(JobService(clock, realtime=False), clock, owner=owner, batch_size=7, concurrency=4)
    return CheckinService(
        db=db, prefs=PreferencesRepo(db), clock=clock, dispatcher=dispatcher, poster=poster, default_timezone="UTC"
    )


async def both_run_due(services: list[CheckinService], clock: FakeClock) -> None:
    """Both processes at once; then again once their claims would have run out (a SQLite connection may refuse
    a write while the other holds the file, and that action is tried again when its claim ends)."""
    await asyncio.gather(*(s.dispatcher.jobs.run_due() for s in services))
    clock.advance(DEFAULT_LEASE)
    await asyncio.gather(*(s.dispatcher.jobs.run_due() for s in services))


async def test_two_dispatchers_post_each_due_checkin_once(databases: TestDatabases, clock: FakeClock) -> None:
    target = databases.target("shared", migrated=True)  # a SQLite file, or a PostgreSQL database
    db = await Database.open(target)
    await db.migrate()
    second_db = await Database.open(target)  # the same database, as a second process opens it
    posters = [SlowPoster(roles={ROLE: {1, 2}}), SlowPoster(roles={ROLE: {1, 2}}, next_id=100_000)]
    posters[1].existing = posters[0].existing  # one Discord: a post either made is in the channel for both to find
    services = [process(db, clock, "p0", posters[0]), process(second_db, clock, "p1", posters[1])]
    try:
        for guild in range(1, SERVERS + 1):
            await services[0].create(guild, 1, CheckinOptions(
                name="Stand-up", channel_id=1000 + guild, schedule="daily 15:00", participants_role_id=ROLE,
            ))
        for service in services:
            await service.start()  # both armed from the database, one query per kind of work
            assert service.dispatcher.jobs.get(service.dispatcher.job_id(SCHEDULE)) == DUE

        clock.set(DUE)
        await both_run_due(services, clock)
        posted = [run_id for poster in posters for run_id, _ in poster.prompts]
        assert len(posted) == SERVERS and len(set(posted)) == SERVERS  # each exactly once
        assert all(poster.prompts for poster in posters)  # and both processes took a share
        rows = await db.fetchall("SELECT status, count(*) AS n FROM checkin_runs GROUP BY status")
        assert [(r["status"], r["n"]) for r in rows] == [("open", SERVERS)]
        assert len({thread for poster in posters for thread in poster.threads}) == SERVERS
        assert await db.fetchval("SELECT count(*) FROM checkin_runs WHERE claimed_by IS NOT NULL") == 0
        assert await db.fetchval("SELECT count(*) FROM checkins WHERE claimed_by IS NOT NULL") == 0

        clock.set(DUE + timedelta(hours=6))  # the reminders: two members of each server
        await both_run_due(services, clock)  # planned by one process, sent by either
        sent = Counter((run_id, user) for poster in posters for run_id, user, _ in poster.reminders)
        assert len(sent) == 2 * SERVERS and set(sent.values()) == {1}

        clock.set(DUE + timedelta(hours=8))  # the close and the digests
        await both_run_due(services, clock)
        shared = Counter(run_id for poster in posters for run_id, _ in poster.digests)
        assert len(shared) == SERVERS and set(shared.values()) == {1}
        assert await db.fetchval("SELECT count(*) FROM checkin_runs WHERE due_at IS NOT NULL") == 0
        # A process that saw the other's claims wakes once more when they would have run out, and finds nothing.
        clock.set(DUE + timedelta(hours=9))
        await both_run_due(services, clock)
        assert sum(len(p.prompts) for p in posters) == SERVERS and sum(len(p.digests) for p in posters) == SERVERS
        for service in services:
            assert service.dispatcher.jobs.get(service.dispatcher.job_id(RUN_STEPS)) is None
    finally:
        await second_db.close()
        await db.close()
