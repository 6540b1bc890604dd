"""A process rebuilds check-in timers only for the servers of its shards (real SQLite, fake clock)."""

from __future__ import annotations

from datetime import timedelta

from bot.checkins.service import CheckinOptions, CheckinService
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.scheduling.clock import FakeClock
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import ShardScope, shard_of
from tests.checkins._poster import RecordingPoster

# Two servers on different shards of 2 (their ids' timestamp parts differ by one millisecond).
GUILD_A = 1 << 22
GUILD_B = 2 << 22
OWNER = 1


def service(db: Database, clock: FakeClock, poster: RecordingPoster, scope: ShardScope) -> CheckinService:
    return CheckinService(
        db=db, prefs=PreferencesRepo(db), clock=clock, jobs=JobService(clock, realtime=False), poster=poster,
        default_timezone="UTC", scope=scope,
    )


async def test_each_process_arms_and_posts_only_its_own_servers(db: Database, clock: FakeClock) -> None:
    assert shard_of(GUILD_A, 2) == 1 and shard_of(GUILD_B, 2) == 0
    poster = RecordingPoster()
    setup = service(db, clock, poster, ShardScope())
    for guild, channel in ((GUILD_A, 11), (GUILD_B, 12)):
        await setup.create(guild, OWNER, CheckinOptions(name="Stand-up", channel_id=channel, schedule="daily 15:00"))
    # A run that is open (with its close and reminder timers) in each server, after the first run.
    clock.advance(timedelta(hours=1))
    await setup.jobs.run_due()
    assert len(poster.prompts) == 2

    zero = service(db, clock, poster, ShardScope.of(2, [0]))
    one = service(db, clock, poster, ShardScope.of(2, [1]))
    everything = service(db, clock, poster, ShardScope())
    for s in (zero, one, everything):
        await s.start()
    run_jobs = {name: sorted(j for j in s.jobs.pending() if j.startswith("checkin-run:"))
                for name, s in (("zero", zero), ("one", one), ("all", everything))}
    assert run_jobs == {"zero": ["checkin-run:2"], "one": ["checkin-run:1"], "all": ["checkin-run:1", "checkin-run:2"]}
    closes = {name: sorted(j for j in s.jobs.pending() if j.startswith("checkin-close:"))
              for name, s in (("zero", zero), ("one", one))}
    assert closes == {"zero": ["checkin-close:2"], "one": ["checkin-close:1"]}

    # The next day's runs: the two shard processes together post each server's prompt once.
    before = len(poster.prompts)
    clock.advance(timedelta(days=1))
    await zero.jobs.run_due()
    await one.jobs.run_due()
    new_runs = [run_id for run_id, _ in poster.prompts[before:]]
    assert len(new_runs) == 2
    rows = await db.fetchall(
        f"SELECT checkin_id FROM checkin_runs WHERE id IN ({', '.join('?' for _ in new_runs)})", new_runs
    )
    assert sorted(r["checkin_id"] for r in rows) == [1, 2]
