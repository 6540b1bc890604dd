"""Benchmark the weekly digest for a busy server: numbers from SQLite, words, embed and the mood chart.

    .venv/bin/python tests/bench/bench_digest.py [--runs 30] [--seed 7]

Seeds a fresh database (every migration applied) directly with SQL: per server 10,000 check-in answers
(two daily check-ins over 40 days, one with anonymous mood, 125 members each), 5,000 commitments (with
created / renegotiated history), 500 wins, 300 clarifications and 50 repairs; a second server gets the same
volume so that every query has to filter. Then it times ``DigestService.build`` (every count for this week
and the week before, the 28 mood days, the text, the embed and the PNG chart) for one server, with the
commitment counts coming from the real ``CommitmentService``. The first build (which imports matplotlib)
is reported separately; the median, p95 and minimum are over the following runs. Not a pytest test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.commitments.service import CommitmentService
from bot.db.codec import to_epoch
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.digest.render import render_digest
from bot.digest.service import DigestService
from bot.digest.sources import DigestSources
from bot.scheduling.clock import FakeClock
from bot.scheduling.jobs import JobService

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
GUILDS = (1001, 1002)
ZONE = "Europe/London"
ANSWERS_PER_RUN = 125
DAYS = 40


def epoch(value: datetime) -> int:
    return to_epoch(value)


async def seed_server(db: Database, guild_id: int, rng: random.Random) -> dict[str, int]:
    counts = {"answers": 0, "commitments": 0, "wins": 0}
    for name, anonymous, hour in (("Stand-up", 0, 9), ("Pulse", 1, 16)):
        checkin_id = await db.execute(
            "INSERT INTO checkins (guild_id, channel_id, name, schedule, timezone, template, questions, "
            "window_seconds, mood, anonymous_mood, created_by, created_at, updated_at) "
            "VALUES (?, 5, ?, 'daily 09:00', ?, 'standup', '[\"How are you?\"]', 28800, 1, ?, 1, ?, ?)",
            (guild_id, name, ZONE, anonymous, epoch(NOW - timedelta(days=90)), epoch(NOW)),
        )
        for day in range(DAYS, 0, -1):
            at = (NOW - timedelta(days=day)).replace(hour=hour)
            run_id = await db.execute(
                "INSERT INTO checkin_runs (checkin_id, scheduled_at, kind, status, name, questions, mood, "
                "anonymous_mood, channel_id, closes_at, recorded_at) VALUES (?, ?, 'scheduled', 'closed', ?, "
                "'[]', 1, ?, 5, ?, ?)",
                (checkin_id, epoch(at), name, anonymous, epoch(at + timedelta(hours=8)), epoch(at)),
            )
            rows = []
            for user in range(1, ANSWERS_PER_RUN + 1):
                skipped = rng.random() < 0.1
                rows.append((
                    run_id, user, "skipped" if skipped else "answered", None if skipped else rng.randint(1, 5),
                    epoch(at + timedelta(minutes=rng.randint(1, 400))),
                ))
            await db.executemany(
                "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, "
                "updated_at) VALUES (?, ?, ?, 'modal', '[]', ?, ?, ?)",
                [(*row, row[-1]) for row in rows],
            )
            await db.executemany(
                "INSERT INTO checkin_reminders (run_id, user_id, due_at, status) VALUES (?, ?, ?, 'dm')",
                [(run_id, user, epoch(at + timedelta(hours=6))) for user in range(200, 220)],
            )
            counts["answers"] += len(rows)

    commitment_rows = []
    for number in range(1, 5001):
        opened = NOW - timedelta(days=rng.uniform(0, 90))
        status = rng.choices(["done", "open", "dropped", "proposed", "declined"], [40, 35, 10, 10, 5])[0]
        closed = None
        if status in ("done", "dropped", "declined"):
            closed = min(NOW - timedelta(minutes=1), opened + timedelta(days=rng.uniform(0.1, 20)))
        due = opened + timedelta(days=rng.uniform(1, 21)) if rng.random() < 0.7 else None
        commitment_rows.append((
            guild_id, number, rng.randint(1, 125), 1, f"Commitment number {number}", status,
            None if due is None else epoch(due), epoch(opened), None if status == "proposed" else epoch(opened),
            None if closed is None else epoch(closed), epoch(opened), epoch(NOW),
        ))
    await db.executemany(
        "INSERT INTO commitments (guild_id, number, owner_id, creator_id, text, status, due_at, source_kind, "
        "created_at, opened_at, closed_at, round_started_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?, ?, ?, ?)",
        commitment_rows,
    )
    await db.execute("INSERT INTO commitment_counters (guild_id, last_number) VALUES (?, 5000)", (guild_id,))
    ids = [row[0] for row in await db.fetchall("SELECT id FROM commitments WHERE guild_id = ?", (guild_id,))]
    events = [(cid, guild_id, epoch(NOW - timedelta(days=rng.uniform(0, 90))), "created") for cid in ids]
    events += [(rng.choice(ids), guild_id, epoch(NOW - timedelta(days=rng.uniform(0, 90))), "renegotiated")
               for _ in range(1000)]
    await db.executemany("INSERT INTO commitment_events (commitment_id, guild_id, at, kind) VALUES (?, ?, ?, ?)",
                         events)
    counts["commitments"] = len(commitment_rows)

    await db.executemany(
        "INSERT INTO wins (guild_id, channel_id, author_id, member_id, text, created_at) VALUES (?, 5, ?, ?, ?, ?)",
        [
            (guild_id, rng.randint(1, 125), rng.randint(1, 125), f"Win {i}",
             epoch(NOW - timedelta(days=rng.uniform(0, 90))))
            for i in range(500)
        ],
    )
    counts["wins"] = 500
    clarifications = []
    for i in range(300):
        created = NOW - timedelta(days=rng.uniform(0, 60))
        done = rng.random() < 0.7
        clarifications.append((
            guild_id, guild_id * 100_000 + i, "clarified" if done else "open", epoch(created),
            epoch(created + timedelta(hours=rng.uniform(1, 48))) if done else None,
        ))
    await db.executemany(
        "INSERT INTO clarifications (guild_id, channel_id, message_id, author_id, asker_id, state, created_at, "
        "closed_at) VALUES (?, 5, ?, 1, 2, ?, ?, ?)",
        clarifications,
    )
    await db.executemany(
        "INSERT INTO repairs (guild_id, channel_id, starter_id, partner_id, person_low, person_high, followup_days, "
        "state, created_at, followup_done_at) VALUES (?, 5, ?, ?, ?, ?, 7, 'closed', ?, ?)",
        [(guild_id, 2 * i + 1, 2 * i + 2, 2 * i + 1, 2 * i + 2, epoch(NOW - timedelta(days=30 + i % 20)),
          epoch(NOW - timedelta(days=rng.uniform(0, 30)))) for i in range(50)],
    )
    return counts


class NoPoster:
    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        return None

    async def post(self, channel_id: int, digest: Any, nonce: str) -> int:
        raise AssertionError("the benchmark never posts")


async def main(runs: int, seed: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.db")
        await db.migrate()
        started = time.perf_counter()
        counts = [await seed_server(db, guild, rng) for guild in GUILDS]
        seeded = time.perf_counter() - started
        clock = FakeClock(NOW)
        jobs = JobService(clock, realtime=False)
        prefs = PreferencesRepo(db)
        commitments = CommitmentService(db, prefs, clock, jobs, notifier=None)  # type: ignore[arg-type]
        service = DigestService(
            db, prefs, clock, jobs, DigestSources(db, commitments=lambda: commitments), NoPoster(), "UTC"
        )
        guild = GUILDS[0]

        first_started = time.perf_counter()
        digest = await service.build(guild, ZONE, NOW)
        first = time.perf_counter() - first_started
        assert digest.chart is not None, "the benchmark must include the chart"

        totals, stats_only, render_only = [], [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            stats = await service.stats(guild, ZONE, NOW)
            t1 = time.perf_counter()
            render_digest(stats)
            t2 = time.perf_counter()
            await service.build(guild, ZONE, NOW)
            t3 = time.perf_counter()
            stats_only.append(t1 - t0)
            render_only.append(t2 - t1)
            totals.append(t3 - t2)
        await db.close()

    def ms(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        median = statistics.median(values) * 1000
        return f"median {median:7.1f} ms   p95 {p95 * 1000:7.1f} ms   min {ordered[0] * 1000:7.1f} ms"

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}")
    print(f"seeded per server: {counts[0]} (x{len(GUILDS)} servers) in {seeded:.1f} s")
    print(f"this week: {stats.this_week.checkins}, {stats.this_week.commitments}, wins {stats.this_week.wins}")
    print(f"chart: {len(digest.chart)} bytes; mood days shown: {sum(d.visible for d in stats.mood_days)}/28")
    print(f"first build (imports matplotlib): {first * 1000:.1f} ms")
    print(f"digest, chart included ({runs} runs): {ms(totals)}")
    print(f"  numbers only (SQL):              {ms(stats_only)}")
    print(f"  words, embed and chart:          {ms(render_only)}")
    verdict = "OK" if statistics.median(totals) <= 0.5 else "OVER BUDGET"
    print(f"budget 500 ms median: {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.seed))
