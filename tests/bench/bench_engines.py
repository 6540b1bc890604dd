"""SQLite against PostgreSQL in one run: ``/about`` and a write path (a check-in answer form) (prints figures).

    RAPPORT_TEST_DATABASE_URL=postgresql://… .venv/bin/python -m tests.bench.bench_engines [--rounds 2]

Each round starts, for each engine in turn (SQLite, then PostgreSQL on a fresh database), a Discord double in
its own process and the bot in this one, with 100 open check-in runs of 20 members. Then ``/about`` is sent
``--about-rate`` times a second for ``--seconds``, and members click **Answer** and submit the form
``--answer-rate`` times a second for ``--seconds``. Latency is the double's (interaction created -> the bot's
response received); for the form, the answer is in the database before the response is sent. Printed per
engine and round, then the medians over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord.gateway
import discord.http
import psutil
import yarl

from bot.scheduling.clock import FakeClock
from tests.bench.bench_answers import DoubleProcess, RemoteDouble
from tests.bench.bench_checkins import DUE, seed_checkins
from tests.bench.bench_fleet import drop_database, fresh_database
from tests.e2e.conftest import BotRunner


async def one_engine(
    engine: str, admin_url: str, about_rate: float, answer_rate: float, seconds: float
) -> dict[str, Any]:
    double = DoubleProcess()
    await double.start()
    tmp = tempfile.TemporaryDirectory()
    runner: BotRunner | None = None
    url = await fresh_database(admin_url) if engine == "postgresql" else None
    try:
        world = await double.ask(cmd="world", runs=100, per_run=20)
        base = f"http://127.0.0.1:{world['port']}"
        discord.http.Route.BASE = f"{base}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{world['port']}/")
        target: Any = url if url is not None else Path(tmp.name) / "rapport.db"
        db = await seed_checkins(target, [tuple(p) for p in world["places"]], DUE)  # type: ignore[misc]
        await db.close()
        runner = BotRunner(RemoteDouble(world["token"]), target, FakeClock(DUE - timedelta(minutes=1)))  # type: ignore[arg-type]
        bot = await runner.start(chunk_guilds_at_startup=False)
        await bot.jobs.advance(timedelta(minutes=5))  # the runs open
        for _ in range(600):
            if not await bot.db.fetchval("SELECT count(*) FROM checkin_runs WHERE thread_id IS NULL"):
                break
            await asyncio.sleep(0.1)
        await double.ask(cmd="slash", name="about", rate=10, seconds=1)  # warm-up
        await asyncio.sleep(0.5)
        about = await double.ask(cmd="slash", name="about", rate=about_rate, seconds=seconds)
        answers = await double.ask(cmd="answer", rate=answer_rate, seconds=seconds)
        stored = await bot.db.fetchval("SELECT count(*) FROM checkin_answers WHERE status = 'answered'")
        return {
            "engine": engine,
            "about": {k: about[k] for k in ("offered", "acknowledged", "p50_ms", "p99_ms", "max_ms")},
            "answer_form": {
                "offered": answers["offered"],
                "acknowledged": answers["acknowledged"],
                "stored": stored,
                "p50_ms": answers["submit_p50_ms"],
                "p99_ms": answers["submit_p99_ms"],
                "max_ms": answers["submit_max_ms"],
            },
        }
    finally:
        if runner is not None:
            await runner.stop()
        await double.stop()
        if url is not None:
            await drop_database(admin_url, url)
        tmp.cleanup()


async def run(rounds: int, about_rate: float, answer_rate: float, seconds: float) -> None:
    admin_url = os.environ.get("RAPPORT_TEST_DATABASE_URL")
    if not admin_url:
        raise SystemExit("set RAPPORT_TEST_DATABASE_URL to a PostgreSQL server (tests/support/postgres_server.py)")
    print(f"python {sys.version.split()[0]}, {psutil.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
    results: dict[str, list[dict[str, Any]]] = {"sqlite": [], "postgresql": []}
    for round_ in range(rounds):
        for engine in results:
            figures = await one_engine(engine, admin_url, about_rate, answer_rate, seconds)
            print(f"round {round_ + 1}: {json.dumps(figures)}", flush=True)
            results[engine].append(figures)
    for engine, runs in results.items():
        medians = {
            f"{what}_{q}": round(statistics.median(r[what][q] for r in runs), 1)
            for what in ("about", "answer_form")
            for q in ("p50_ms", "p99_ms")
        }
        print(f"{engine} medians of {len(runs)}: {json.dumps(medians)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--about-rate", type=float, default=20.0)
    parser.add_argument("--answer-rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    asyncio.run(run(args.rounds, args.about_rate, args.answer_rate, args.seconds))


if __name__ == "__main__":
    main()
