"""Shard locks on lock files: refusal in one sentence, release on kill -9, standby takeover, IDENTIFY turns."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.shardlock import (
    FileIdentifyGate,
    FileShardLock,
    LocalIdentifyGate,
    ShardLocks,
    ShardsHeldElsewhere,
    is_postgres_url,
    shard_locks_for,
)

HOLDER = """
import asyncio, sys, time
from pathlib import Path
from bot.shardlock import FileShardLock
async def main():
    lock = FileShardLock(Path(sys.argv[1]), int(sys.argv[2]))
    assert await lock.try_acquire()
    print("held", flush=True)
    await asyncio.sleep(60)
asyncio.run(main())
"""


def locks(db: Path, ids: list[int], *, sharded: bool = True) -> ShardLocks:
    return ShardLocks([FileShardLock(db, i) for i in ids], where=str(db), sharded=sharded)


def start_holder(db: Path, shard_id: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(shard_id)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


async def test_second_copy_is_refused_with_one_sentence_naming_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "rapport.db"
    first = locks(db, [0], sharded=False)
    await first.acquire(standby=False)
    assert first.all_held()
    assert (tmp_path / "rapport.db.shard-0.lock").read_text().strip() == str(os.getpid())
    second = locks(db, [0], sharded=False)
    with pytest.raises(ShardsHeldElsewhere) as raised:
        await second.acquire(standby=False)
    assert str(raised.value) == (
        f"Rapport is already running on {db} (process {os.getpid()}): stop that copy first, or start this one "
        "with --standby to take over when it stops."
    )
    assert not second.all_held()
    await first.release()
    await second.acquire(standby=False)
    assert second.all_held()
    await second.release()


async def test_sharded_refusal_names_the_shards_and_keeps_nothing(tmp_path: Path) -> None:
    db = tmp_path / "rapport.db"
    holder = locks(db, [1, 2])
    await holder.acquire(standby=False)
    other = locks(db, [0, 1, 2])
    with pytest.raises(ShardsHeldElsewhere, match=r"^shards 1,2 of Rapport are already running on"):
        await other.acquire(standby=False)
    # Shard 0 was free, but a refused process must not keep it.
    third = locks(db, [0])
    await third.acquire(standby=False)
    assert third.all_held()
    for group in (holder, third):
        await group.release()


async def test_different_shards_on_one_file_run_side_by_side(tmp_path: Path) -> None:
    db = tmp_path / "rapport.db"
    a, b = locks(db, [0]), locks(db, [1])
    await a.acquire(standby=False)
    await b.acquire(standby=False)
    assert a.all_held() and b.all_held()
    await a.release()
    await b.release()


async def test_kill_9_of_the_holder_frees_the_lock_for_a_standby(tmp_path: Path) -> None:
    db = tmp_path / "rapport.db"
    proc = start_holder(db, 0)
    try:
        refused = locks(db, [0])
        with pytest.raises(ShardsHeldElsewhere, match=f"process {proc.pid}"):
            await refused.acquire(standby=False)
        standby = locks(db, [0])
        waited: list[list[int]] = []
        task = asyncio.create_task(standby.acquire(standby=True, poll=0.05, on_wait=waited.append))
        await asyncio.sleep(0.3)
        assert not task.done() and waited == [[0]]
        killed_at = time.monotonic()
        os.kill(proc.pid, signal.SIGKILL)
        await asyncio.wait_for(task, 5)
        assert time.monotonic() - killed_at < 2
        assert standby.all_held() and standby.takeovers == 1
        assert (tmp_path / "rapport.db.shard-0.lock").read_text().strip() == str(os.getpid())
        await standby.release()
    finally:
        proc.kill()
        proc.wait()


async def test_identify_gate_gives_each_bucket_one_turn_per_window(tmp_path: Path) -> None:
    db = tmp_path / "rapport.db"
    gate_a = FileIdentifyGate(db, window=0.4)
    gate_b = FileIdentifyGate(db, window=0.4)  # another process, as far as flock is concerned
    started = time.monotonic()
    await gate_a.wait_turn(0, 1)
    await gate_b.wait_turn(1, 2)  # bucket 1 of 2: no wait
    assert time.monotonic() - started < 0.2
    await gate_b.wait_turn(2, 1)  # bucket 0 of 1 again: waits for gate_a's window
    assert time.monotonic() - started >= 0.35
    await gate_a.close()
    await gate_b.close()


async def test_local_identify_gate_spaces_one_bucket() -> None:
    gate = LocalIdentifyGate(window=0.2)
    started = time.monotonic()
    for shard in (0, 1, 2):
        await gate.wait_turn(shard, 1)
    assert time.monotonic() - started >= 0.39
    started = time.monotonic()
    for shard in (3, 4, 5):
        await gate.wait_turn(shard, 16)  # three different buckets: no waiting
    assert time.monotonic() - started < 0.1


def test_sqlite_runs_never_import_asyncpg(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from bot.shardlock import shard_locks_for; "
        "shard_locks_for([0], sharded=False, database_path=Path(sys.argv[1])); "
        "print('asyncpg' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert out.stdout.strip() == "False"


def test_postgres_urls_select_advisory_locks(tmp_path: Path) -> None:
    assert is_postgres_url("postgresql://u:secret@db.example/rapport")
    assert is_postgres_url("postgres://db/rapport")
    assert not is_postgres_url(None) and not is_postgres_url("sqlite:///x.db")
    locks_, gate = shard_locks_for(
        [0, 1], sharded=True, database_path=tmp_path / "x.db", database_url="postgresql://u:secret@db.example/rapport"
    )
    assert locks_.where == "the PostgreSQL database db.example/rapport"  # never the password
    assert type(gate).__name__ == "PgIdentifyGate"
    assert [type(lock).__name__ for lock in locks_.locks] == ["PgShardLock", "PgShardLock"]


async def test_migrations_are_taken_in_turn(tmp_path: Path) -> None:
    db = tmp_path / "rapport.db"
    first, _ = shard_locks_for([0], sharded=True, database_path=db)
    second, _ = shard_locks_for([1], sharded=True, database_path=db)
    order: list[str] = []

    async def migrate(group: ShardLocks, name: str) -> None:
        async with group.migrating(poll=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(0.1)
            order.append(f"{name} out")

    await asyncio.gather(migrate(first, "a"), migrate(second, "b"))
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
