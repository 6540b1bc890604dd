"""Standby takeover benchmark: how long after the holder of a shard lock dies a waiting standby holds it.

SQLite (lock files): the holder is a separate process killed with SIGKILL. PostgreSQL (advisory locks, when
RAPPORT_TEST_DATABASE_URL is set): the holder's session is ended by the server (pg_terminate_backend), as a
dead process's would be. The standby polls every ``--poll`` seconds (Rapport's default: 1 s).

Run: .venv/bin/python -m tests.bench.bench_takeover [--rounds 5] [--poll 1.0]
Prints figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.shardlock import shard_locks_for

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import asyncio, sys
from pathlib import Path
from bot.shardlock import FileShardLock
async def main():
    lock = FileShardLock(Path(sys.argv[1]), 0)
    assert await lock.try_acquire()
    print("held", flush=True)
    await asyncio.sleep(600)
asyncio.run(main())
"""


async def sqlite_round(folder: Path, poll: float) -> float:
    db = folder / "rapport.db"
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLDER, str(db), stdout=asyncio.subprocess.PIPE, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and (await holder.stdout.readline()).strip() == b"held"
        standby, _ = shard_locks_for([0], sharded=False, database_path=db)
        waiting = asyncio.create_task(standby.acquire(standby=True, poll=poll))
        await asyncio.sleep(poll * (1 + random.random()))  # the holder dies at any point of a poll
        assert not waiting.done()
        killed = time.perf_counter()
        os.kill(holder.pid, signal.SIGKILL)
        await waiting
        took = time.perf_counter() - killed
        await standby.release()
        return took
    finally:
        if holder.returncode is None:
            holder.kill()
        await holder.wait()


async def postgres_round(url: str, poll: float) -> float:
    import asyncpg

    live, _ = shard_locks_for([0], sharded=True, database_path=Path("unused.db"), database_url=url)
    await live.acquire(standby=False)
    standby, _ = shard_locks_for([0], sharded=True, database_path=Path("unused.db"), database_url=url)
    waiting = asyncio.create_task(standby.acquire(standby=True, poll=poll))
    await asyncio.sleep(poll * (1 + random.random()))
    assert not waiting.done()
    admin = await asyncpg.connect(url)
    try:
        pid = live.connection.conn.get_server_pid()
        killed = time.perf_counter()
        await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        await waiting
        took = time.perf_counter() - killed
    finally:
        await admin.close()
    await standby.release()
    await live.release()
    return took


def line(name: str, figures: list[float], poll: float) -> str:
    shown = ", ".join(f"{f:.2f}" for f in figures)
    median = statistics.median(figures)
    return f"{name:<28} median {median:.2f} s (poll {poll:g} s; target 30 s)  rounds: {shown}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--poll", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = [await sqlite_round(Path(tmp) / str(i), args.poll) for i in range(args.rounds)]
    print(line("SQLite lock file, kill -9", sqlite, args.poll))
    url = os.environ.get("RAPPORT_TEST_DATABASE_URL")
    if url:
        pg = [await postgres_round(url, args.poll) for _ in range(args.rounds)]
        print(line("PostgreSQL advisory lock", pg, args.poll))
    else:
        print("PostgreSQL advisory lock     (skipped: RAPPORT_TEST_DATABASE_URL is not set)")


if __name__ == "__main__":
    asyncio.run(main())
