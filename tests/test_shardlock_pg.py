"""Shard locks and IDENTIFY turns as PostgreSQL advisory locks (runs when RAPPORT_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from bot.shardlock import ShardLocks, ShardsHeldElsewhere

URL = os.environ.get("RAPPORT_TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(not URL, reason="RAPPORT_TEST_DATABASE_URL is not set")


def pg_locks(ids: list[int], *, sharded: bool = True) -> ShardLocks:
    from bot.shardlock import shard_locks_for

    assert URL is not None
    locks, _gate = shard_locks_for(ids, sharded=sharded, database_path=Path("unused.db"), database_url=URL)
    return locks


async def test_a_second_process_is_refused_naming_the_database_session() -> None:
    first = pg_locks([0, 1])
    await first.acquire(standby=False)
    try:
        assert first.all_held()
        second = pg_locks([1, 2])
        with pytest.raises(ShardsHeldElsewhere) as raised:
            await second.acquire(standby=False)
        message = str(raised.value)
        assert message.startswith("shard 1 of Rapport is already running on the PostgreSQL database ")
        assert "database session " in message and message.endswith("to take over when it stops.")
        assert not second.all_held()
        # Shard 2 was free but is not kept by the refused process.
        third = pg_locks([2])
        await third.acquire(standby=False)
        await third.release()
    finally:
        await first.release()


async def test_a_standby_takes_over_when_the_holders_connection_dies() -> None:
    import asyncpg

    assert URL is not None
    live = pg_locks([0])
    await live.acquire(standby=False)
    lost: list[bool] = []
    live.connection.on_lost(lambda: lost.append(True))
    standby = pg_locks([0])
    task = asyncio.create_task(standby.acquire(standby=True, poll=0.05))
    await asyncio.sleep(0.3)
    assert not task.done()
    # The holder dies as a kill -9 would leave it: the server ends its session.
    pid = live.connection.conn.get_server_pid()
    admin = await asyncpg.connect(URL)
    try:
        started = time.monotonic()
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        await asyncio.wait_for(task, 5)
        assert time.monotonic() - started < 2
    finally:
        await admin.close()
    assert standby.all_held() and standby.takeovers == 1
    await asyncio.sleep(0.1)
    assert lost == [True] and not live.all_held()  # the old holder knows it lost its shards
    await standby.release()
    await live.release()


async def test_identify_turns_are_shared_across_processes() -> None:
    from bot.shardlock_pg import PgIdentifyGate

    assert URL is not None
    a, b = PgIdentifyGate(URL, window=0.4, poll=0.02), PgIdentifyGate(URL, window=0.4, poll=0.02)
    try:
        started = time.monotonic()
        await a.wait_turn(0, 1)
        await b.wait_turn(1, 2)  # another bucket: at once
        assert time.monotonic() - started < 0.3
        await b.wait_turn(4, 1)  # bucket 0 again, from the other process: after a's window
        assert time.monotonic() - started >= 0.35
        await a.wait_turn(2, 1)  # and in a's own process too (advisory locks are re-entrant per session)
        assert time.monotonic() - started >= 0.75
    finally:
        await a.close()
        await b.close()


async def _terminate(pid: int) -> None:
    import asyncpg

    assert URL is not None
    admin = await asyncpg.connect(URL)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_a_standby_whose_own_connection_drops_keeps_waiting_and_takes_over() -> None:
    live = pg_locks([0])
    await live.acquire(standby=False)
    standby = pg_locks([0])
    task = asyncio.create_task(standby.acquire(standby=True, poll=0.05))
    try:
        await asyncio.sleep(0.3)
        # The standby's own session ends (a database restart, a network cut, an operator's pg_terminate_backend).
        await _terminate(standby.connection.conn.get_server_pid())
        await asyncio.sleep(0.5)
        assert not task.done(), task.exception() if task.done() else None  # still waiting, not crashed
        assert not standby.all_held()
        assert standby.connection.generation == 2  # it connected again
        # And it still takes over when the live holder dies.
        await _terminate(live.connection.conn.get_server_pid())
        await asyncio.wait_for(task, 5)
        assert standby.all_held() and standby.takeovers == 1
    finally:
        task.cancel()
        await standby.release()
        await live.release()


async def test_a_holder_that_lost_its_connection_never_counts_the_lock_as_held_again() -> None:
    live = pg_locks([0, 1])
    await live.acquire(standby=False)
    lost: list[bool] = []
    live.connection.on_lost(lambda: lost.append(True))
    other = pg_locks([0, 1])
    try:
        await _terminate(live.connection.conn.get_server_pid())
        await asyncio.sleep(0.2)
        assert lost == [True] and not live.all_held()
        await other.acquire(standby=False)  # another process takes the shards
        # A later query opens a new connection, but the locks were on the old one: still not held.
        assert await live.locks[0].holder() is not None
        assert live.connection.alive() and not live.all_held() and live.held_ids() == []
        assert not await live.locks[0].try_acquire()
    finally:
        await other.release()
        await live.release()
