"""A process arms and acts on check-in work only for the servers of its shards (real SQLite, fake clock)."""

from __future__ import annotations

from datetime import timedelta

from bot.checkins.context import RUN_STEPS, SCHEDULE
from bot.checkins.service import CheckinOptions, CheckinService
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.scheduling.clock import FakeClock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import ShardScope, shard_of
from tests.checkins._poster import RecordingPoster

# Two servers on different shards of 2 (their ids' timestamp parts differ by one millisecond).
GUILD_A = 1 << 22
GUILD_B = 2 << 22
OWNER = 1


def service(db: Database, clock: FakeClock, poster: RecordingPoster, scope: ShardScope, owner: str) -> CheckinService:
    dispatcher = Dispatcher(JobService(clock, realtime=False), clock, owner=owner, scope=scope)
    return CheckinService(
        db=db, prefs=PreferencesRepo(db), clock=clock, dispatcher=dispatcher, poster=poster, default_timezone="UTC"
    )


def armed(s: CheckinService, source: str) -> object:
    return s.dispatcher.jobs.get(s.dispatcher.job_id(source))


async def test_each_process_arms_and_posts_only_its_own_servers(db: Database, clock: FakeClock) -> None:
    assert shard_of(GUILD_A, 2) == 1 and shard_of(GUILD_B, 2) == 0
    poster = RecordingPoster()
    setup = service(db, clock, poster, ShardScope(), "setup")
    await setup.start()
    # Server B's check-in runs an hour later than server A's.
    for guild, channel, at in ((GUILD_A, 11, "daily 15:00"), (GUILD_B, 12, "daily 16:00")):
        await setup.create(guild, OWNER, CheckinOptions(name="Stand-up", channel_id=channel, schedule=at))
    await setup.dispatcher.jobs.advance(timedelta(hours=2, minutes=30))  # both runs open, posted once each
    assert len(poster.prompts) == 2
    run_a, run_b = (run_id for run_id, _ in poster.prompts)

    zero = service(db, clock, poster, ShardScope.of(2, [0]), "zero")
    one = service(db, clock, poster, ShardScope.of(2, [1]), "one")
    for s in (zero, one):
        await s.start()
    day = clock.now().replace(hour=0, minute=0) + timedelta(days=1)
    # Each process's one timer per kind points at its own servers' work only: B runs at 16:00, A at 15:00.
    assert armed(zero, SCHEDULE) == day + timedelta(hours=16)
    assert armed(one, SCHEDULE) == day + timedelta(hours=15)
    runs = {r.id: r for r in await db_runs(setup, run_a, run_b)}
    assert armed(zero, RUN_STEPS) == runs[run_b].remind_at and armed(one, RUN_STEPS) == runs[run_a].remind_at

    # The next day's runs: the two shard processes together post each server's prompt once.
    before = len(poster.prompts)
    clock.advance(timedelta(days=1))
    await zero.dispatcher.jobs.run_due()
    assert [await checkin_of(setup, run_id) for run_id, _ in poster.prompts[before:]] == [2]
    await one.dispatcher.jobs.run_due()
    new_runs = [run_id for run_id, _ in poster.prompts[before:]]
    assert sorted([await checkin_of(setup, run_id) for run_id in new_runs]) == [1, 2]


async def db_runs(s: CheckinService, *run_ids: int) -> list:  # type: ignore[type-arg]
    return [run for run_id in run_ids if (run := await s.store.runs.get_run(run_id)) is not None]


async def checkin_of(s: CheckinService, run_id: int) -> int:
    run = await s.store.runs.get_run(run_id)
    assert run is not None
    return run.checkin_id
