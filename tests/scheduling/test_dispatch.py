"""The one job style over a real table: claims, leases, scopes, and two dispatchers sharing a database."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.db.codec import from_epoch, to_epoch
from bot.db.database import Database
from bot.scheduling.clock import FakeClock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import ShardScope
from tests.support.databases import TestDatabases

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SCHEMA = (
    "CREATE TABLE work (id INTEGER PRIMARY KEY, guild_id INTEGER NOT NULL, due_at INTEGER, "
    "claimed_by TEXT, claimed_until INTEGER, runs INTEGER NOT NULL DEFAULT 0)"
)


class WorkSource:
    name = "work"

    def __init__(self, db: Database, *, fail_first: int = 0) -> None:
        self.db = db
        self.fail_first = fail_first
        self.ran: list[int] = []

    async def next_due(self, scope: ShardScope) -> datetime | None:
        value = await self.db.fetchval(
            "SELECT min(CASE WHEN claimed_until > due_at THEN claimed_until ELSE due_at END) FROM work "
            f"WHERE due_at IS NOT NULL AND {scope.sql('guild_id')}"
        )
        return None if value is None else from_epoch(value)

    async def claim(self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope) -> Sequence[int]:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE work SET claimed_by = ?, claimed_until = ? WHERE id IN (SELECT id FROM work "
                "WHERE due_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) "
                f"AND {scope.sql('guild_id')} ORDER BY due_at, id LIMIT ?{self.db.skip_locked}) RETURNING id",
                (owner, to_epoch(until), to_epoch(now), to_epoch(now), limit),
            )
            return [row[0] for row in await cursor.fetchall()]

    async def run(self, item: int, now: datetime) -> None:
        if self.fail_first > 0:
            self.fail_first -= 1
            raise RuntimeError("Discord said 503")
        self.ran.append(item)
        await self.db.execute(
            "UPDATE work SET runs = runs + 1, due_at = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = ?",
            (item,),
        )


async def _db(path: str | Path, rows: list[tuple[int, int, datetime]]) -> Database:
    db = await Database.open(path)
    if rows:
        async with db.transaction() as conn:
            await conn.execute(SCHEMA)
            await conn.executemany(
                "INSERT INTO work (id, guild_id, due_at) VALUES (?, ?, ?)", [(i, g, to_epoch(d)) for i, g, d in rows]
            )
    return db


async def test_one_timer_runs_every_due_row_once_and_rearms(databases: TestDatabases) -> None:
    target = databases.target("w")
    rows = [(i, 1000 + i, START + timedelta(minutes=i % 3)) for i in range(1, 451)]
    db = await _db(target, rows)
    clock = FakeClock(START - timedelta(minutes=1))
    jobs = JobService(clock, realtime=False)
    dispatcher = Dispatcher(jobs, clock, owner="p1", batch_size=100)
    source = WorkSource(db)
    dispatcher.add(source)
    try:
        assert await dispatcher.arm("work") == START
        assert len(jobs) == 1  # 450 rows, one timer
        await jobs.advance(timedelta(minutes=1))
        assert sorted(source.ran) == [i for i in range(1, 451) if i % 3 == 0]
        assert jobs.get("dispatch:work") == START + timedelta(minutes=1)
        await jobs.advance(timedelta(minutes=5))
        assert sorted(source.ran) == list(range(1, 451))
        assert await db.fetchval("SELECT max(runs) FROM work") == 1
        assert jobs.get("dispatch:work") is None
    finally:
        await db.close()


class CountingSource(WorkSource):
    def __init__(self, db: Database, name: str) -> None:
        super().__init__(db)
        self.name = name
        self.asked = 0

    async def next_due(self, scope: ShardScope) -> datetime | None:
        self.asked += 1
        return await super().next_due(scope)


async def test_arm_all_arms_each_source_once_at_start_up(databases: TestDatabases) -> None:
    db = await _db(databases.target("w"), [(1, 1001, START)])
    clock = FakeClock(START - timedelta(minutes=1))
    jobs = JobService(clock, realtime=False)
    dispatcher = Dispatcher(jobs, clock, owner="p1")
    early, late = CountingSource(db, "early"), CountingSource(db, "late")
    dispatcher.add(early)
    dispatcher.add(late)
    try:
        await dispatcher.arm("early")  # a feature that armed its own source as it started
        armed = await dispatcher.arm_all()
        assert armed == {"late": START}
        assert (early.asked, late.asked) == (1, 1)
        assert jobs.get("dispatch:early") == START and jobs.get("dispatch:late") == START
        assert await dispatcher.arm_all() == {}
    finally:
        await db.close()


async def test_a_failed_action_is_retried_when_its_lease_ends(databases: TestDatabases) -> None:
    target = databases.target("w")
    db = await _db(target, [(1, 5, START)])
    clock = FakeClock(START)
    jobs = JobService(clock, realtime=False)
    dispatcher = Dispatcher(jobs, clock, owner="p1", lease=timedelta(minutes=2))
    source = WorkSource(db, fail_first=1)
    dispatcher.add(source)
    try:
        await dispatcher.arm("work")
        await jobs.run_due()
        assert source.ran == []
        assert await db.fetchval("SELECT claimed_by FROM work") == "p1"
        assert jobs.get("dispatch:work") == START + timedelta(minutes=2)  # the lease's end
        await jobs.advance(timedelta(minutes=2))
        assert source.ran == [1]
    finally:
        await db.close()


async def test_two_dispatchers_on_one_file_never_run_a_row_twice(databases: TestDatabases) -> None:
    target = databases.target("w")
    rows = [(i, i, START) for i in range(1, 301)]
    first_db = await _db(target, rows)
    second_db = await Database.open(target)
    clock = FakeClock(START)
    sources = [WorkSource(first_db), WorkSource(second_db)]
    dispatchers = []
    for index, source in enumerate(sources):
        dispatcher = Dispatcher(JobService(clock, realtime=False), clock, owner=f"p{index}", batch_size=7)
        dispatcher.add(source)
        dispatchers.append(dispatcher)
    try:
        await asyncio.gather(*(d.dispatch("work") for d in dispatchers))
        ran = sources[0].ran + sources[1].ran
        assert sorted(ran) == list(range(1, 301))
        assert await first_db.fetchval("SELECT count(*) FROM work WHERE runs <> 1") == 0
    finally:
        await first_db.close()
        await second_db.close()


async def test_a_process_runs_only_its_own_shards(databases: TestDatabases) -> None:
    target = databases.target("w")
    guilds = [(1 << 22) * s for s in range(4)]  # one server on each of 4 shards
    db = await _db(target, [(i + 1, g, START) for i, g in enumerate(guilds)])
    clock = FakeClock(START)
    dispatcher = Dispatcher(JobService(clock, realtime=False), clock, owner="p", scope=ShardScope.of(4, [1, 3]))
    source = WorkSource(db)
    dispatcher.add(source)
    try:
        await dispatcher.dispatch("work")
        assert sorted(source.ran) == [2, 4]
        assert ShardScope.of(4, [1, 3]).owns_guild(guilds[1]) and not ShardScope.of(4, [1, 3]).owns_guild(guilds[0])
        assert ShardScope.of(4, [0]).owns_guild(None) and not ShardScope.of(4, [2]).owns_guild(None)
    finally:
        await db.close()
