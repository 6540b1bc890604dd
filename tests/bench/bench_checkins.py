"""Check-in benchmarks against the local Discord double (prints figures; not a pytest test).

    .venv/bin/python -m tests.bench.bench_checkins            # all of them
    .venv/bin/python -m tests.bench.bench_checkins burst      # or: answers, answers-untrimmed, startup

* burst: 1,000 check-ins in 1,000 servers due at the same instant, with Discord's global limit of 50 requests/s
  enforced by the double. Wall time until every prompt and thread exists, divided by the floor (requests / 50);
  lost and duplicated prompts; 429s.
* answers: 2,000 form answers offered evenly over 10 s across 100 open runs: all stored; time to acknowledge
  (from the double's timestamps: interaction created -> the bot's callback received). The double lives in this
  process and keeps every request, dispatch and message it sees; ``answers`` drops those logs as it goes so the
  collector pauses over the double's memory don't count against the bot; ``answers-untrimmed`` keeps them.
* startup: start-up with 10,000 check-ins (and 1,000 open runs): time to ready, the check-ins' part of it (arming
  their due work), how many timers that leaves, RSS.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import pytest

from bot.checkins.service import CheckinService
from bot.db.database import Database
from bot.scheduling.clock import FakeClock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from tests.double import DiscordDouble
from tests.double.models import iter_components
from tests.e2e.conftest import BotRunner

DUE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
GLOBAL_LIMIT = 50
QUESTIONS = json.dumps(["What did you get done?", "What's next?", "Any blockers?"])


async def started_double() -> tuple[DiscordDouble, pytest.MonkeyPatch]:
    double = DiscordDouble()
    await double.start()
    patcher = pytest.MonkeyPatch()
    double.point_discord_py_here(patcher)
    return double, patcher


async def seed_checkins(path: Path, rows: list[tuple[int, int, int]], next_run_at: datetime) -> Database:
    """Insert check-ins directly: (guild id, channel id, creator id) each, all due at ``next_run_at``."""
    db = await Database.open(path)
    await db.migrate()
    now = int((next_run_at - timedelta(days=1)).timestamp())
    await db.executemany(
        "INSERT INTO checkins (guild_id, channel_id, name, schedule, timezone, template, questions, "
        "participants_role_id, window_seconds, remind_before_seconds, mood, anonymous_mood, created_by, created_at, "
        "updated_at, next_run_at) VALUES (?, ?, ?, 'daily 09:00', 'UTC', 'standup', ?, NULL, 28800, NULL, 1, 0, ?, "
        "?, ?, ?)",
        [
            (guild, channel, f"Stand-up {i}", QUESTIONS, creator, now, now, int(next_run_at.timestamp()))
            for i, (guild, channel, creator) in enumerate(rows)
        ],
    )
    return db


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def answer_ids(message: Any) -> list[str]:
    return [c["custom_id"] for c in iter_components(message.components) if c.get("custom_id", "").endswith(":answer")]


# -- 1. burst ---------------------------------------------------------------------------------------------------
async def bench_burst(count: int = 1000) -> dict[str, Any]:
    double, patcher = await started_double()
    tmp = tempfile.TemporaryDirectory()
    try:
        owner = double.create_user("owner")
        channels = []
        for i in range(count):
            guild = double.create_guild(f"Team {i}", owner=owner)
            channels.append((guild, double.create_channel(guild, "check-ins")))
        db = await seed_checkins(Path(tmp.name) / "burst.db", [(g.id, c.id, owner.id) for g, c in channels], DUE)
        await db.close()
        runner = BotRunner(double, Path(tmp.name) / "burst.db", FakeClock(DUE - timedelta(minutes=1)))
        bot = await runner.start(chunk_guilds_at_startup=False)
        double.global_limit_per_second = GLOBAL_LIMIT
        before_requests = len(double.requests)
        before_429 = double.stats["429"]
        started = time.perf_counter()
        await bot.jobs.advance(timedelta(minutes=1))
        wall = time.perf_counter() - started
        requests = double.requests[before_requests:]
        bot_id = double.world.bot_user.id
        lost = duplicates = 0
        for _, channel in channels:
            posted = [m for m in double.messages(channel) if m.author_id == bot_id and answer_ids(m)]
            threads = double.threads(channel)
            lost += not posted or not threads
            duplicates += max(0, len(posted) - 1) + max(0, len(threads) - 1)
        floor = len(requests) / GLOBAL_LIMIT
        await runner.stop()
        return {
            "checkins": count,
            "requests": len(requests),
            "routes": dict(Counter(f"{r.method} {r.route} {r.status}" for r in requests)),
            "wall_s": round(wall, 2),
            "floor_s": round(floor, 2),
            "ratio": round(wall / floor, 3),
            "lost": lost,
            "duplicates": duplicates,
            "429s": double.stats["429"] - before_429,
            "max_requests_in_any_1s": double.global_limiter.max_in_any_window(),
        }
    finally:
        await double.stop()
        patcher.undo()
        tmp.cleanup()


# -- 2. answers -------------------------------------------------------------------------------------------------
async def bench_answers(
    runs: int = 100, per_run: int = 20, seconds: float = 10.0, *, trim: bool = True
) -> dict[str, Any]:
    double, patcher = await started_double()
    tmp = tempfile.TemporaryDirectory()
    try:
        owner = double.create_user("owner")
        places = []
        for i in range(runs):
            guild = double.create_guild(f"Team {i}", owner=owner)
            channel = double.create_channel(guild, "check-ins")
            members = [double.create_user(f"m{i}-{j}") for j in range(per_run)]
            for member in members:
                double.add_member(guild, member)
            places.append((guild, channel, members))
        db = await seed_checkins(Path(tmp.name) / "answers.db", [(g.id, c.id, owner.id) for g, c, _ in places], DUE)
        await db.close()
        runner = BotRunner(double, Path(tmp.name) / "answers.db", FakeClock(DUE - timedelta(minutes=1)))
        bot = await runner.start(chunk_guilds_at_startup=False)
        double.global_limit_per_second = GLOBAL_LIMIT
        await bot.jobs.advance(timedelta(minutes=5))  # the 100 runs open
        bot_id = double.world.bot_user.id
        work = []
        for _, channel, members in places:
            [prompt] = [m for m in double.messages(channel) if m.author_id == bot_id and answer_ids(m)]
            work += [(member, prompt) for member in members]
        spacing = seconds / len(work)
        click_ack: list[float] = []
        submit_ack: list[float] = []
        finished: list[Any] = []  # acknowledged interaction records the double may forget
        waiting: dict[Any, asyncio.Future[None]] = {}

        async def watcher() -> None:
            # One light poll for every outstanding interaction (the double's per-waiter wake-ups cost more than
            # the bot being measured at hundreds in flight). Latency comes from the double's own timestamps.
            while True:
                for record in [r for r in waiting if r.response_type is not None or r.errors]:
                    waiting.pop(record).set_result(None)
                await asyncio.sleep(0.005)

        async def responded(record: Any, into: list[float]) -> None:
            future = asyncio.get_running_loop().create_future()
            waiting[record] = future
            await asyncio.wait_for(future, 30)
            if record.response_type is None:
                raise RuntimeError(f"{record!r} was not acknowledged: {record.errors}")
            into.append(record.responded_at - record.created_at)

        async def answer(index: int, member: Any, prompt: Any) -> None:
            opened = await double.click(member, prompt, answer_ids(prompt)[0])
            await responded(opened, click_ack)
            submitted = await double.submit_modal(member, opened, {"q0": f"answer {index}", "mood": ["4"]})
            await responded(submitted, submit_ack)
            finished.extend((opened, submitted))

        def trim_double() -> None:
            # The double keeps every request, dispatch, interaction and message it saw (for assertions); drop
            # what this benchmark no longer needs so that its memory, not the bot's, does not pace the collector.
            double.requests.clear()
            double.gateway.dispatched.clear()
            double.gateway.received.clear()
            for session in double.gateway.sessions.values():
                session.log.clear()
            for record in finished:
                double.interactions.pop(record.id, None)
                double.interactions_by_token.pop(record.token, None)
                message = record.message
                if message is not None and message.ephemeral:
                    double.world.messages.pop(message.id, None)
                    double.world.messages_by_channel[message.channel_id].remove(message)
            finished.clear()

        gc.collect()
        gc.freeze()  # what set-up allocated is long-lived: keep it out of the collector's way
        poller = asyncio.create_task(watcher())
        running: set[asyncio.Task[None]] = set()
        failures: list[BaseException] = []

        def done(task: asyncio.Task[None]) -> None:
            running.discard(task)
            if not task.cancelled() and task.exception() is not None:
                failures.append(task.exception())  # type: ignore[arg-type]

        started = time.perf_counter()
        for index, (member, prompt) in enumerate(work):
            delay = started + index * spacing - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if trim and index % 100 == 0:
                trim_double()
            task = asyncio.create_task(answer(index, member, prompt))
            running.add(task)
            task.add_done_callback(done)
        if running:
            await asyncio.wait(set(running))
        wall = time.perf_counter() - started
        poller.cancel()
        gc.unfreeze()
        if failures:
            raise failures[0]
        stored = await bot.db.fetchval("SELECT count(*) FROM checkin_answers WHERE status = 'answered'")
        await runner.stop()
        ms = 1000.0
        return {
            "double_logs_trimmed": trim,
            "answers_offered": len(work),
            "over_s": seconds,
            "wall_s": round(wall, 2),
            "stored": stored,
            "submit_ack_p50_ms": round(statistics.median(submit_ack) * ms, 1),
            "submit_ack_p99_ms": round(percentile(submit_ack, 0.99) * ms, 1),
            "submit_ack_max_ms": round(max(submit_ack) * ms, 1),
            "button_ack_p99_ms": round(percentile(click_ack, 0.99) * ms, 1),
        }
    finally:
        await double.stop()
        patcher.undo()
        tmp.cleanup()


# -- 3. start-up ------------------------------------------------------------------------------------------------
async def bench_startup(count: int = 10_000, servers: int = 200, open_runs: int = 1000) -> dict[str, Any]:
    double, patcher = await started_double()
    tmp = tempfile.TemporaryDirectory()
    try:
        owner = double.create_user("owner")
        channels = []
        for i in range(servers):
            guild = double.create_guild(f"Team {i}", owner=owner)
            channels.append((guild, double.create_channel(guild, "check-ins")))
        rows = [(channels[i % servers][0].id, channels[i % servers][1].id, owner.id) for i in range(count)]
        path = Path(tmp.name) / "startup.db"
        db = await seed_checkins(path, rows, DUE + timedelta(hours=1))
        opened = int(DUE.timestamp())
        await db.executemany(
            "INSERT INTO checkin_runs (checkin_id, scheduled_at, kind, status, late, name, questions, mood, "
            "anonymous_mood, channel_id, closes_at, remind_at, recorded_at, message_id, thread_id, posted_at, due_at) "
            "VALUES (?, ?, 'scheduled', 'open', 0, 'Stand-up', ?, 1, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                # Due next at their reminders (remind_at), as a run posted by Rapport would be.
                (cid, opened - 86400, QUESTIONS, rows[cid - 1][1], opened + 3600, opened + 1800, opened, 10**17 + cid,
                 10**17 + cid, opened, opened + 1800)
                for cid in range(1, open_runs + 1)
            ],
        )
        await db.close()
        clock = FakeClock(DUE)
        rss_before = psutil.Process().memory_info().rss
        started = time.perf_counter()
        runner = BotRunner(double, path, clock)
        bot = await runner.start(chunk_guilds_at_startup=False)
        ready = time.perf_counter() - started
        rss = psutil.Process().memory_info().rss
        service = bot.service(CheckinService)
        jobs = len([j for j in bot.jobs.pending() if j.startswith(("checkin", "dispatch:checkin"))])
        # The check-in part of start-up alone: arming its kinds of due work from the tables.
        dispatcher = Dispatcher(JobService(clock, realtime=False), clock, owner="bench")
        rebuild = CheckinService(db=bot.db, prefs=bot.prefs, clock=clock, dispatcher=dispatcher,
                                 poster=service.poster, default_timezone="UTC")
        t0 = time.perf_counter()
        await rebuild.start()
        rebuild_s = time.perf_counter() - t0
        await runner.stop()
        return {
            "checkins": count,
            "servers": servers,
            "open_runs": open_runs,
            "ready_s": round(ready, 2),
            "checkin_rebuild_s": round(rebuild_s, 3),
            "timers": jobs,
            "rss_mb": round(rss / 2**20, 1),
            "rss_before_start_mb": round(rss_before / 2**20, 1),
        }
    finally:
        await double.stop()
        patcher.undo()
        tmp.cleanup()


async def bench_answers_untrimmed() -> dict[str, Any]:
    return await bench_answers(trim=False)


BENCHES = {
    "burst": bench_burst,
    "answers": bench_answers,
    "answers-untrimmed": bench_answers_untrimmed,
    "startup": bench_startup,
}


async def main(names: list[str]) -> None:
    for name in names or list(BENCHES):
        result = await BENCHES[name]()
        print(f"{name}: {json.dumps(result)}", flush=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    print(f"python {sys.version.split()[0]}, {psutil.cpu_count()} CPUs", flush=True)
    asyncio.run(main(sys.argv[1:]))
