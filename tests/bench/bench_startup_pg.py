"""Start-up of one ``python -m bot`` on a large PostgreSQL database (prints figures; not a pytest test).

    RAPPORT_TEST_DATABASE_URL=postgresql://… .venv/bin/python -m tests.bench.bench_startup_pg [--rounds 2]
    … -m tests.bench.bench_startup_pg --checkins 1000 --answers 10000 --rounds 1        # a quick run

A fresh database is bulk-loaded with COPY: ``--checkins`` check-ins (100,000) in ``--servers`` servers (1,000),
due over the next day, and ``--answers`` stored answers (1,000,000), 20 to a run: 1,000 open runs (their
threads noted at start-up, their reminders and closing due later) and the rest closed with their digests
posted. Then, each round, the real ``python -m bot`` starts against the Discord double (which has those
servers) with ``METRICS_PORT`` set: ready is the time from starting the process to ``/readyz`` answering 200
(the database opened and checked, the shard lock taken, every extension loaded and its due work armed, the
gateway connected and every server received, which includes discord.py's wait of ``guild_ready_timeout``,
2 s, after the last server arrives); ``identify_s`` is the time to the process's IDENTIFY (everything before
the gateway: set-up is done by then). RSS is the process's once ready. The same is measured on an
empty database for comparison. Guild member chunking at start-up is off (as in the other benchmarks).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import psutil
import pytest

from bot.db.database import Database
from tests.bench.bench_checkins import QUESTIONS
from tests.bench.bench_fleet import drop_database, fresh_database, spawn, stop
from tests.double import DiscordDouble
from tests.double.gateway import IDENTIFY

PER_RUN = 20
OPEN_RUNS = 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def load(url: str, guilds: list[tuple[int, int]], owner: int, checkins: int, answers: int) -> dict[str, Any]:
    """Migrate, then COPY the rows in; the time of each part."""
    import asyncpg

    started = time.perf_counter()
    db = await Database.open(url)
    await db.migrate()
    await db.close()
    conn = await asyncpg.connect(url)
    try:
        now = int(time.time())
        t0 = time.perf_counter()
        rows = []
        for i in range(checkins):
            guild, channel = guilds[i % len(guilds)]
            rows.append((
                i + 1, guild, channel, f"Stand-up {i}", "daily 09:00", "UTC", "standup", QUESTIONS, None, 28800,
                None, 1, 0, owner, now - 86400, now - 86400, now + 3600 + (i * 86400) // checkins,
            ))  # fmt: skip
        await conn.copy_records_to_table(
            "checkins", records=rows,
            columns=["id", "guild_id", "channel_id", "name", "schedule", "timezone", "template", "questions",
                     "participants_role_id", "window_seconds", "remind_before_seconds", "mood", "anonymous_mood",
                     "created_by", "created_at", "updated_at", "next_run_at"],
        )  # fmt: skip
        runs = answers // PER_RUN
        run_rows = []
        for r in range(runs):
            checkin = r % checkins + 1
            _, channel = guilds[(checkin - 1) % len(guilds)]
            is_open = r < OPEN_RUNS
            day = now - 86400 * (1 + r // checkins) - (0 if is_open else 3600)
            scheduled = now - 1800 if is_open else day
            closes = scheduled + 28800
            run_rows.append((
                r + 1, checkin, scheduled, "scheduled", "open" if is_open else "closed", 0, f"Stand-up {checkin - 1}",
                QUESTIONS, 1, 0, channel, closes, closes - 3600 if is_open else None, scheduled, 10**17 + r,
                10**17 + r, scheduled, None if is_open else closes, None if is_open else closes,
                closes - 3600 if is_open else None,
            ))  # fmt: skip
        await conn.copy_records_to_table(
            "checkin_runs", records=run_rows,
            columns=["id", "checkin_id", "scheduled_at", "kind", "status", "late", "name", "questions", "mood",
                     "anonymous_mood", "channel_id", "closes_at", "remind_at", "recorded_at", "message_id",
                     "thread_id", "posted_at", "closed_at", "digest_posted_at", "due_at"],
        )  # fmt: skip
        given = json.dumps(["Shipped the thing", "The next thing", "Nothing"])
        answer_rows = (
            (r + 1, 10**15 + u, "answered", "modal", given, 1 + (r + u) % 5, run_rows[r][2] + 60, run_rows[r][2] + 60)
            for r in range(runs)
            for u in range(PER_RUN)
        )
        await conn.copy_records_to_table(
            "checkin_answers", records=answer_rows,
            columns=["run_id", "user_id", "status", "source", "answers", "mood", "answered_at", "updated_at"],
        )  # fmt: skip
        for table in ("checkins", "checkin_runs"):
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        await conn.execute("ANALYZE")
        copied = time.perf_counter() - t0
        size = await conn.fetchval("SELECT pg_database_size(current_database())")
    finally:
        await conn.close()
    return {
        "checkins": checkins,
        "runs": runs,
        "answers": runs * PER_RUN,
        "migrate_s": round(t0 - started, 2),
        "copy_s": round(copied, 1),
        "database_mb": round(size / 2**20),
    }


async def start_once(double: DiscordDouble, url: str, logs: Path, name: str) -> dict[str, Any]:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DISCORD_TOKEN": double.token,
        "DATABASE_URL": url,
        "LOG_LEVEL": "INFO",
        "METRICS_PORT": str(port),
        "RAPPORT_TEST_NO_CHUNKING": "1",
    }
    log = logs / f"{name}.log"
    identifies = sum(r.op == IDENTIFY for r in double.gateway_received)
    started = time.perf_counter()
    process = await spawn(double, env, log)
    ready = identified = None
    try:
        async with aiohttp.ClientSession() as http:
            while time.perf_counter() - started < 300 and process.returncode is None:
                if identified is None and sum(r.op == IDENTIFY for r in double.gateway_received) > identifies:
                    identified = time.perf_counter() - started
                try:
                    async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                        if response.status == 200:
                            ready = time.perf_counter() - started
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        if ready is None:
            raise RuntimeError(f"not ready: {log.read_text(errors='replace')[-3000:]}")
        rss = psutil.Process(process.pid).memory_info().rss
        await asyncio.sleep(2.0)
        rss_settled = psutil.Process(process.pid).memory_info().rss
        return {
            "identify_s": round(identified, 2) if identified is not None else None,
            "ready_s": round(ready, 2),
            "rss_mb": round(rss / 2**20, 1),
            "rss_after_2s_mb": round(rss_settled / 2**20, 1),
            "armed": [line.split(": ", 1)[-1] for line in log.read_text().splitlines() if "armed" in line][-3:],
        }
    finally:
        await stop(process)
        for double_session in list(double.gateway.sessions.values()):
            double_session.log.clear()


async def run(servers: int, checkins: int, answers: int, rounds: int) -> None:
    admin_url = os.environ.get("RAPPORT_TEST_DATABASE_URL")
    if not admin_url:
        raise SystemExit("set RAPPORT_TEST_DATABASE_URL to a PostgreSQL server (tests/support/postgres_server.py)")
    print(f"python {sys.version.split()[0]}, {psutil.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
    double = DiscordDouble()
    await double.start()
    patcher = pytest.MonkeyPatch()
    double.point_discord_py_here(patcher)
    tmp = tempfile.TemporaryDirectory()
    big = await fresh_database(admin_url)
    empty = await fresh_database(admin_url)
    try:
        owner = double.create_user("owner")
        guilds = []
        for i in range(servers):
            guild = double.create_guild(f"Team {i}", owner=owner)
            guilds.append((guild.id, double.create_channel(guild, "check-ins").id))
        loaded = await load(big, guilds, owner.id, checkins, answers)
        print(f"load: {json.dumps(loaded)}", flush=True)
        db = await Database.open(empty)
        await db.migrate()
        await db.close()
        figures: dict[str, list[dict[str, Any]]] = {"loaded": [], "empty": []}
        for round_ in range(rounds):
            for which, url in (("loaded", big), ("empty", empty)):
                result = await start_once(double, url, Path(tmp.name), f"{which}-{round_}")
                print(f"start-up, {which} database (round {round_ + 1}): {json.dumps(result)}", flush=True)
                figures[which].append(result)
        for which, results in figures.items():
            print(
                f"{which}: median ready {statistics.median(r['ready_s'] for r in results):.2f} s, "
                f"median RSS {statistics.median(r['rss_mb'] for r in results):.1f} MB ({len(results)} rounds)",
                flush=True,
            )
    finally:
        await double.stop()
        patcher.undo()
        await drop_database(admin_url, big)
        await drop_database(admin_url, empty)
        tmp.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    asyncio.run(run(args.servers, args.checkins, args.answers, args.rounds))


if __name__ == "__main__":
    main()
