"""Answers benchmark: the Discord double in its own process, the bot in this one (prints figures).

    .venv/bin/python -m tests.bench.bench_answers                   # sweep of arrival rates, then a profile
    .venv/bin/python -m tests.bench.bench_answers --rates 100,200 --seconds 5 --profile-rate 200

100 open runs of 20 members each; members click **Answer** and submit the form, offered evenly at each arrival
rate for ``--seconds``. Latency is the double's (interaction created -> the bot's callback received), so the
double's own cost no longer mixes into the bot's figure except as the wire. Printed per rate: acknowledged,
submit p50/p99/max, click p99, acknowledged after 3 s; then the ceiling (the first rate whose submit p99
passes 1 s), the bot's hottest functions under cProfile at ``--profile-rate``, and with ``--compare RATE`` the
answer path before and after the fixes the profile pointed to (the run and its server in one read; discord.py's
JSON through orjson instead of the standard library), alternating in this one process.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import logging
import pstats
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import discord.gateway
import discord.http
import discord.utils
import yarl

import bot.db.sqlite as sqlite_engine
import cogs.checkins._views as views
from bot.access import Subject
from bot.adapter.visibility import require_scope
from bot.checkins.models import Run
from bot.db.connection import ReadyCursor
from bot.errors import ObjectNotFound
from bot.metrics import PENDING_INTERACTION_SECONDS, Metrics
from bot.scheduling.clock import FakeClock
from tests.bench.bench_checkins import DUE, seed_checkins
from tests.e2e.conftest import BotRunner

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RemoteDouble:
    """What :class:`BotRunner` needs of the double: its token."""

    token: str


class DoubleProcess:
    def __init__(self) -> None:
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.bench._double_process", cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip

    async def ask(self, **request: Any) -> Any:
        assert self.process is not None and self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError("the double's process ended")
        return json.loads(line)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.write(b'{"cmd": "stop"}\n')
            await self.process.stdin.drain()
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def scoped_run_before(interaction: Any, run_id: int) -> Run:
    """``scoped_run`` before this change: the run, then its check-in, in two reads."""
    service = views._service(interaction)
    found = await service.run_with_checkin(run_id)
    if found is None:
        raise ObjectNotFound(views.NO_RUN)
    run, checkin = found
    await require_scope(interaction, Subject(checkin.guild_id, run.channel_id), views.NO_RUN)
    return service.still_open(run)


def _stdlib_to_json(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True)


#: discord.py's JSON, as it is without orjson (the standard library) and as it is now (orjson when installed).
JSON_BEFORE = (_stdlib_to_json, json.loads)
JSON_AFTER = (discord.utils._to_json, discord.utils._from_json)


def interaction_received_before(self: Metrics, interaction_id: int, label: str) -> None:
    """The metrics' note of an interaction before this change: every pending one scanned when over 256."""
    now = time.monotonic()
    if len(self._pending) > 256:
        for key, (old_label, at) in list(self._pending.items()):
            if at < now - PENDING_INTERACTION_SECONDS:
                del self._pending[key]
                self.interactions.labels(old_label, "unanswered").inc()
    self._pending[interaction_id] = (label[:60], now)


CURRENT_RECEIVED = Metrics.interaction_received


async def statement_in_three_trips(conn: aiosqlite.Connection, sql: str, parameters: Any) -> Any:
    """A statement as aiosqlite's cursor runs it: a trip to execute, one for the rows, one to close."""
    cursor = await conn.execute(sql, parameters)
    try:
        rows = await cursor.fetchall()
        return ReadyCursor(list(rows), cursor.rowcount, cursor.lastrowid)
    finally:
        await cursor.close()


CURRENT_SCOPED_RUN = views.scoped_run
CURRENT_STATEMENT = sqlite_engine._run


def use(change: str, variant: str) -> None:
    """Switch the answer path to ``before`` or ``after`` one change (see the module's documentation)."""
    before = variant == "before"
    if change == "answer-path":
        views.scoped_run = scoped_run_before if before else CURRENT_SCOPED_RUN  # type: ignore[assignment]
        discord.utils._to_json, discord.utils._from_json = JSON_BEFORE if before else JSON_AFTER  # type: ignore[assignment]
        Metrics.interaction_received = interaction_received_before if before else CURRENT_RECEIVED  # type: ignore[method-assign]
    elif change == "round-trips":
        sqlite_engine._run = statement_in_three_trips if before else CURRENT_STATEMENT  # type: ignore[assignment]
    else:
        raise ValueError(f"unknown change {change!r}")


class Meter:
    """The bot's CPU time and SQL statements during a phase: steadier than latency on a shared machine."""

    def __init__(self) -> None:
        self.statements = 0

    def trace(self, _sql: str) -> None:
        self.statements += 1  # called in the database's worker thread; an int add is enough here

    async def phase(self, double: DoubleProcess, rate: float, seconds: float) -> dict[str, Any]:
        cpu, statements = time.process_time(), self.statements
        figures: dict[str, Any] = await double.ask(cmd="answer", rate=rate, seconds=seconds)
        answered = max(1, figures["acknowledged"])
        figures["bot_cpu_ms_per_answer"] = round((time.process_time() - cpu) * 1000 / answered, 2)
        figures["sql_per_answer"] = round((self.statements - statements) / answered, 1)
        return figures


def hot_functions(profile: cProfile.Profile, limit: int = 15) -> str:
    """The most expensive functions by own time, overall and within Rapport's code (by cumulative time)."""
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(r"/(bot|cogs)/", limit)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip() and "Ordered by" not in line)


async def run(
    rates: list[float],
    seconds: float,
    profile_rate: float | None,
    runs: int,
    per_run: int,
    compare: float | None,
    change: str = "round-trips",
    rounds: int = 2,
) -> None:
    double = DoubleProcess()
    await double.start()
    tmp = tempfile.TemporaryDirectory()
    runner: BotRunner | None = None
    try:
        world = await double.ask(cmd="world", runs=runs, per_run=per_run)
        base = f"http://127.0.0.1:{world['port']}"
        discord.http.Route.BASE = f"{base}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{world['port']}/")
        path = Path(tmp.name) / "answers.db"
        db = await seed_checkins(path, [tuple(p) for p in world["places"]], DUE)  # type: ignore[misc]
        await db.close()
        runner = BotRunner(RemoteDouble(world["token"]), path, FakeClock(DUE - timedelta(minutes=1)))  # type: ignore[arg-type]
        bot = await runner.start(chunk_guilds_at_startup=False, freeze_after_setup=True)  # as `python -m bot`
        await bot.jobs.advance(timedelta(minutes=5))  # the runs open
        for _ in range(600):  # every prompt has its thread: start-up work is over before anything is measured
            if not await bot.db.fetchval("SELECT count(*) FROM checkin_runs WHERE thread_id IS NULL"):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        meter = Meter()
        await bot.db._conn.set_trace_callback(meter.trace)
        ceiling = None
        for rate in rates:
            figures = await meter.phase(double, rate, seconds)
            print(f"rate {rate:g}/s: {json.dumps(figures)}", flush=True)
            if ceiling is None and figures["submit_p99_ms"] > 1000:
                ceiling = rate
        print(f"ceiling (first rate with submit p99 > 1 s): {ceiling if ceiling else 'not reached'}", flush=True)
        if profile_rate:
            profile = cProfile.Profile()
            profile.enable()
            figures = await double.ask(cmd="answer", rate=profile_rate, seconds=seconds)
            profile.disable()
            print(f"profiled at {profile_rate:g}/s: {json.dumps(figures)}")
            print(hot_functions(profile), flush=True)
        if compare:
            print(f"orjson installed: {discord.utils.HAS_ORJSON}", flush=True)
            for round_ in range(rounds):  # before / after, alternating, in this one process
                for name in ("before", "after"):
                    use(change, name)
                    figures = await meter.phase(double, compare, seconds)
                    print(f"{change} {name} (round {round_ + 1}) at {compare:g}/s: {json.dumps(figures)}", flush=True)
            use(change, "after")
        stored = await bot.db.fetchval("SELECT count(*) FROM checkin_answers WHERE status = 'answered'")
        print(f"answers stored: {stored}", flush=True)
    finally:
        if runner is not None:
            await runner.stop()
        await double.stop()
        tmp.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="100,200,400,800,1200,1600")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--profile-rate", type=float, default=400.0)
    parser.add_argument("--compare", type=float, default=0.0, help="A/B the answer path before/after at this rate")
    parser.add_argument(
        "--change",
        choices=("answer-path", "round-trips"),
        default="round-trips",
        help="which change --compare measures",
    )
    parser.add_argument("--rounds", type=int, default=2, help="before/after rounds for --compare")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--per-run", type=int, default=20)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    logging.getLogger("bot.adapter.tree").setLevel(logging.CRITICAL)  # late answers are counted in over_3s
    rates = [float(r) for r in args.rates.split(",") if r]
    asyncio.run(
        run(
            rates,
            args.seconds,
            args.profile_rate or None,
            args.runs,
            args.per_run,
            args.compare or None,
            args.change,
            args.rounds,
        )
    )


if __name__ == "__main__":
    main()
