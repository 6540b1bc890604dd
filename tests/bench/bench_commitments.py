"""Commitments benchmark: picking due nudges among many open commitments, and delivering a burst of due
nudges through the local Discord double with Discord's global limit of 50 requests per second enforced.

Run:
    .venv/bin/python -m tests.bench.bench_commitments                      # both parts (the delivery ~7 min)
    .venv/bin/python -m tests.bench.bench_commitments --skip-delivery      # selection only
    .venv/bin/python -m tests.bench.bench_commitments --nudges 1000        # a shorter delivery run

Prints figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.adapter.client import Rapport
from bot.commitments.repository import CommitmentRepo
from bot.commitments.service import CommitmentService
from bot.db.codec import from_epoch, to_epoch
from bot.db.database import Database
from bot.scheduling.clock import FakeClock
from bot.scheduling.shards import ShardScope
from tests.bench.bench_foundation import _Patch
from tests.double import DiscordDouble
from tests.e2e.conftest import BotRunner

START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)

_INSERT = (
    "INSERT INTO commitments (guild_id, number, owner_id, creator_id, text, status, due_at, source_kind, "
    "source_url, source_channel_id, created_at, opened_at, round_started_at, next_nudge_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, 'open', ?, 'manual', NULL, ?, ?, ?, ?, ?, ?)"
)


def _row(guild_id: int, number: int, owner_id: int, channel_id: int, due: datetime, nudge: datetime,
         created: datetime) -> tuple[object, ...]:
    c = to_epoch(created)
    return (guild_id, number, owner_id, owner_id, f"commitment {number}", to_epoch(due), channel_id, c, c, c,
            to_epoch(nudge), c)


async def bench_selection(rows: int, repeats: int) -> None:
    """Open commitments whose next nudge is spread over 60 days; time the dispatcher's claims and re-arm."""
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "select.db")
        try:
            await _selection(db, rows, repeats, rng)
        finally:
            await db.close()


async def _selection(db: Database, rows: int, repeats: int, rng: random.Random) -> None:
    await db.migrate()
    batch = []
    guilds = 100
    numbers: Counter[int] = Counter()
    for i in range(rows):
        guild = 1 + i % guilds
        numbers[guild] += 1
        nudge = START + timedelta(seconds=rng.randint(-3600, 60 * 86400))
        batch.append(_row(guild, numbers[guild], 10_000 + i % 5000, 42, nudge + timedelta(days=1), nudge,
                          START - timedelta(days=1)))
    started = time.perf_counter()
    await db.executemany(_INSERT, batch)
    await db.execute("ANALYZE")
    print(f"  inserted {rows:,} open commitments in {time.perf_counter() - started:.1f} s")
    repo = CommitmentRepo(db)
    scope = ShardScope()
    lease = timedelta(minutes=2)
    due_now = int(await db.fetchval("SELECT count(*) FROM commitments WHERE next_nudge_at <= ?", (to_epoch(START),)))
    # A burst: the moment at which 500 rows (one dispatcher batch) are due.
    burst_at = from_epoch(await db.fetchval(
        "SELECT next_nudge_at FROM commitments WHERE next_nudge_at IS NOT NULL ORDER BY next_nudge_at LIMIT 1 "
        "OFFSET 499"))
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT id FROM commitments WHERE next_nudge_at IS NOT NULL AND 1 = 1 "
        "AND next_nudge_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_nudge_at, id "
        "LIMIT ?", (0, 0, 500))
    print(f"  claim query plan: {' / '.join(str(r[3]) for r in plan)}")

    async def release_all() -> None:
        await db.execute("UPDATE commitments SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by IS NOT NULL")

    for label, call in (
        (f"claim the rows due now ({due_now} due)",
         lambda: repo.claim_due_nudges(START, "bench", START + lease, 500, scope)),
        ("claim a full batch (500 due)",
         lambda: repo.claim_due_nudges(burst_at, "bench", burst_at + lease, 500, scope)),
        ("next due instant (re-arm)", lambda: repo.next_nudge_due(scope)),
    ):
        timings = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            await call()
            timings.append((time.perf_counter() - t0) * 1000)
            await release_all()
        print(f"  {label}: median {statistics.median(timings):.2f} ms, "
              f"p95 {sorted(timings)[int(0.95 * (len(timings) - 1))]:.2f} ms over {repeats} runs")


async def bench_delivery(nudges: int, limit: int) -> None:
    """``nudges`` reminders due at the same instant, each a first DM (open the DM channel + send)."""
    patch = _Patch()
    double = DiscordDouble()
    await double.start()
    double.point_discord_py_here(patch)
    try:
        owner = double.create_user("owner")
        guild = double.create_guild("Bench", owner=owner)
        channel = double.create_channel(guild, "general")
        users = [double.create_user(f"member{i}") for i in range(nudges)]
        for user in users:
            double.add_member(guild, user)
        with tempfile.TemporaryDirectory() as tmp:
            clock = FakeClock(START)
            runner = BotRunner(double, Path(tmp) / "deliver.db", clock)
            bot: Rapport = await runner.start()
            try:
                rows = [
                    _row(guild.id, i + 1, user.id, channel.id, START + timedelta(days=1), START,
                         START - timedelta(days=2))
                    for i, user in enumerate(users)
                ]
                await bot.db.executemany(_INSERT, rows)
                await bot.db.execute("INSERT INTO commitment_counters (guild_id, last_number) VALUES (?, ?)",
                                     (guild.id, nudges))
                service = bot.service(CommitmentService)
                double.global_limit_per_second = limit
                requests_before = len(double.requests)
                limited_before = double.stats["429"]
                await service.rearm()
                t0 = time.perf_counter()
                await bot.jobs.advance(timedelta(0))
                wall = time.perf_counter() - t0
                window = double.requests[requests_before:]
                accepted = [r for r in window if r.status != 429]
                limited = double.stats["429"] - limited_before
                per_user = Counter(len(double.dm_messages(u)) for u in users)
                recorded = await bot.db.fetchval("SELECT count(*) FROM commitment_nudges")
                by_dm = await bot.db.fetchval("SELECT count(*) FROM commitment_nudges WHERE delivery = 'dm'")
                left = await bot.db.fetchval("SELECT count(*) FROM commitments WHERE next_nudge_at <= ?",
                                             (to_epoch(START),))
            finally:
                await runner.stop()
        floor = len(accepted) / limit
        print(f"  {nudges:,} nudges due at once; {len(accepted):,} accepted requests "
              f"({len(accepted) / nudges:.2f} per nudge), {limited} answered 429")
        print(f"  wall {wall:.1f} s; floor {floor:.1f} s (requests / {limit} per s); ratio {wall / floor:.3f}")
        print(f"  most requests in any 1 s window: {double.global_limiter.max_in_any_window()}")
        print(f"  DMs per member: {dict(sorted(per_user.items()))} (1 each = none lost, none doubled)")
        print(f"  nudges recorded: {recorded:,}, delivered by DM: {by_dm:,}, still due: {left}")
    finally:
        await double.stop()
        patch.undo()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--nudges", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=50, help="Discord's global requests per second")
    parser.add_argument("--skip-delivery", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    print(f"selecting due nudges among {args.rows:,} open commitments")
    await bench_selection(args.rows, args.repeats)
    if not args.skip_delivery:
        print(f"delivering {args.nudges:,} nudges with a global limit of {args.limit} requests/s")
        await bench_delivery(args.nudges, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
