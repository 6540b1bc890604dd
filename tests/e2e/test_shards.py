"""Several Rapport processes against one Discord: each answers its own shards' servers, posts its own
check-ins once, and a second copy for the same shards is refused or waits as a standby.

In-process bots use separate database connections to one SQLite file; the refusal and takeover tests run
the real ``python -m bot`` in subprocesses and kill one with SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapter.client import Rapport
from bot.checkins.context import SCHEDULE
from bot.config import Secret, Settings
from bot.scheduling.clock import FakeClock
from cogs import feature_extensions
from tests.checkins._e2e import answer_by_form, create, prompts
from tests.double import Channel, DiscordDouble, Guild, User
from tests.double.gateway import IDENTIFY
from tests.e2e.helpers import slash

ROOT = Path(__file__).resolve().parents[2]


class Fleet:
    """Several in-process bots, one per shard group, on one database file."""

    def __init__(self, double: DiscordDouble, db_path: Path, clock: FakeClock, count: int) -> None:
        self.double = double
        self.db_path = db_path
        self.clock = clock
        self.count = count
        self.bots: list[Rapport] = []
        self.tasks: list[asyncio.Task[None]] = []
        #: A PostgreSQL database for every process instead of the SQLite file (the PostgreSQL variants).
        self.database_url: str | None = None

    def settings(self, shard_ids: tuple[int, ...]) -> Settings:
        settings = Settings(
            token=Secret(self.double.token),
            database_path=self.db_path,
            default_timezone="UTC",
            shard_count=self.count,
            shard_ids=shard_ids,
        )
        if self.database_url is not None:
            settings = dataclasses.replace(settings, database_url=Secret(self.database_url))
        return settings

    async def start(self, shard_ids: tuple[int, ...], *, identify_window: float = 0.2) -> Rapport:
        bot = Rapport.for_settings(
            self.settings(shard_ids),
            clock=self.clock,
            realtime_jobs=False,
            guild_ready_timeout=0.05,
            extensions=feature_extensions(),
            identify_window=identify_window,
        )
        task = asyncio.create_task(bot.start(self.double.token), name=f"rapport-shards-{shard_ids}")
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=20, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            await bot.close()
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise AssertionError(f"the bot stopped before it was ready: {task.exception()!r}")
            task.cancel()
            raise AssertionError("the bot did not become ready within 20 s")
        self.bots.append(bot)
        self.tasks.append(task)
        return bot

    async def stop_all(self) -> None:
        for bot, task in zip(self.bots, self.tasks, strict=True):
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise AssertionError(f"a bot died: {task.exception()!r}")
        self.bots.clear()
        self.tasks.clear()

    async def run_due(self) -> None:
        for bot in self.bots:
            await bot.jobs.run_due()


@contextlib.asynccontextmanager
async def fleet(
    double: DiscordDouble, tmp_path: Path, clock: FakeClock, count: int, *, database_url: str | None = None
) -> AsyncIterator[Fleet]:
    group = Fleet(double, tmp_path / "rapport.db", clock, count)
    group.database_url = database_url
    try:
        yield group
    finally:
        await group.stop_all()


def sharded_world(double: DiscordDouble, count: int) -> tuple[User, list[Guild], list[Channel]]:
    owner = double.create_user("olivia")
    guilds = [double.create_guild(f"Team {i}", owner=owner, shard=(i, count)) for i in range(count)]
    channels = [double.create_channel(g, "general") for g in guilds]
    return owner, guilds, channels


def answered(bot: Rapport, command: str) -> float:
    value = bot.metrics.registry.get_sample_value(
        "rapport_interactions_total", {"command": command, "outcome": "acknowledged"}
    )
    return value or 0.0


@pytest.mark.parametrize("count", [2, 3])
async def test_commands_in_each_shards_servers_are_answered_by_that_process(
    double: DiscordDouble, tmp_path: Path, clock: FakeClock, count: int
) -> None:
    owner, guilds, channels = sharded_world(double, count)
    async with fleet(double, tmp_path, clock, count) as group:
        bots = [await group.start((i,)) for i in range(count)]
        for i, bot in enumerate(bots):
            assert [g.id for g in bot.guilds] == [guilds[i].id]
            assert bot.request_pacer.limit == 45 // count
            assert bot.synced_scopes == (["global"] if i == 0 else [])  # one PUT, by shard 0's process
        assert double.sync_count.get(None, 0) == 1
        for i, channel in enumerate(channels):
            record = await slash(double, owner, channel, "settings timezone", timezone="Europe/Paris")
            assert "Europe/Paris" in record.content
            # The bot counts the acknowledgement when its HTTP call returns, a moment after the double saw it.
            await double.wait_until(lambda i=i: answered(bots[i], "settings timezone") == 1.0, timeout=5)
            assert [answered(b, "settings timezone") for b in bots] == [1.0 if j <= i else 0.0 for j in range(count)]
        sessions = {s.id: s.shard_id for s in double.gateway.sessions.values()}
        created = [d for d in double.dispatched if d.t == "INTERACTION_CREATE"]
        assert [sessions[d.session_id] for d in created] == list(range(count))
        rows = await bots[0].db.fetchall("SELECT guild_id, timezone FROM guild_settings ORDER BY guild_id")
        assert sorted(r["guild_id"] for r in rows) == sorted(g.id for g in guilds)


async def test_a_dm_button_goes_to_the_shard_0_process(double: DiscordDouble, tmp_path: Path, clock: FakeClock) -> None:
    owner, _, _ = sharded_world(double, 2)
    async with fleet(double, tmp_path, clock, 2) as group:
        first, second = await group.start((0,)), await group.start((1,))
        assert first.owns_guild(None) and not second.owns_guild(None)
        await double.send_dm(owner, "hello")
        await double.wait_until(lambda: any(d.t == "MESSAGE_CREATE" for d in double.dispatched))
        sessions = {s.id: s.shard_id for s in double.gateway.sessions.values()}
        assert {sessions[d.session_id] for d in double.dispatched if d.t == "MESSAGE_CREATE"} == {0}


async def test_checkins_due_at_one_instant_across_shards_are_posted_once_each(
    double: DiscordDouble, tmp_path: Path, clock: FakeClock
) -> None:
    owner, _, channels = sharded_world(double, 3)
    async with fleet(double, tmp_path, clock, 3) as group:
        bots = [await group.start((i,)) for i in range(3)]
        for channel in channels:
            record = await create(double, owner, channel, schedule="daily 15:00")
            assert "Created" in record.content
        await group.stop_all()
        # Restarted, each process rebuilds its timers from the shared tables: only its own servers'.
        bots = [await group.start((i,)) for i in range(3)]
        for i, bot in enumerate(bots):
            scoped = bot.dispatcher.scope.sql("guild_id")  # what this process's check-in timer looks at
            own = [r[0] for r in await bot.db.fetchall(f"SELECT id FROM checkins WHERE {scoped} ORDER BY id")]
            assert own == [i + 1], (i, own)
        due = {bot.jobs.get(bot.dispatcher.job_id(SCHEDULE)) for bot in bots}
        assert len(due) == 1 and None not in due  # one timer each, at the same instant in every server
        clock.set(due.pop())  # type: ignore[arg-type]
        await asyncio.gather(*(bot.jobs.run_due() for bot in bots))
        for channel in channels:
            await double.wait_until(lambda channel=channel: len(prompts(double, channel)) >= 1, timeout=10)
        await asyncio.sleep(0.2)
        assert [len(prompts(double, c)) for c in channels] == [1, 1, 1]
        rows = await bots[0].db.fetchall("SELECT checkin_id, count(*) AS n FROM checkin_runs GROUP BY checkin_id")
        assert sorted((r["checkin_id"], r["n"]) for r in rows) == [(1, 1), (2, 1), (3, 1)]


async def test_processes_starting_together_take_identify_turns(
    double: DiscordDouble, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The double refuses a second IDENTIFY of one bucket within its window, as Discord does within 5 s.
    monkeypatch.setattr("tests.double.gateway.IDENTIFY_WINDOW", 0.35)
    double.enforce_identify_concurrency = True
    double.max_concurrency = 1
    sharded_world(double, 3)
    async with fleet(double, tmp_path, clock, 3) as group:
        await asyncio.gather(*(group.start((i,), identify_window=0.4) for i in range(3)))
        # Every IDENTIFY was accepted, about one window apart (without turns the double refuses the 2nd and 3rd).
        assert double.gateway.identify_rejections == 0
        times = sorted(at for _, at in double.gateway.identifies)
        assert len(times) == 3 and all(b - a >= 0.34 for a, b in itertools.pairwise(times))
        assert sorted(len(bot.guilds) for bot in group.bots) == [1, 1, 1]


# -- real processes ----------------------------------------------------------------------------------------------
def _env(double: DiscordDouble, db_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DISCORD_TOKEN": double.token,
        "DATABASE_PATH": str(db_path),
        "LOG_LEVEL": "INFO",
        "RAPPORT_TEST_IDENTIFY_WINDOW": "0.2",
    }
    env.update(extra)
    return env


async def _spawn(
    double: DiscordDouble, env: dict[str, str], *args: str, log: Path | None = None
) -> asyncio.subprocess.Process:
    """``python -m bot`` against the double. A long-running process logs to ``log`` (a pipe nobody reads
    would fill up and stall it); a short one keeps its stderr in a pipe for ``communicate()``."""
    stderr: Any = asyncio.subprocess.PIPE
    if log is not None:
        stderr = log.open("ab")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.e2e._launch_bot",
            f"http://127.0.0.1:{double.port}",
            *args,
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
    finally:
        if log is not None:
            stderr.close()


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.kill()
        await process.wait()


def _identifies(double: DiscordDouble) -> int:
    return sum(1 for r in double.gateway_received if r.op == IDENTIFY)


async def test_a_second_copy_on_the_same_sqlite_file_is_refused_in_one_sentence(
    double: DiscordDouble, tmp_path: Path
) -> None:
    db_path = tmp_path / "data" / "rapport.db"
    first = await _spawn(double, _env(double, db_path), log=tmp_path / "first.log")
    try:
        await double.wait_gateway(lambda r: r.op == IDENTIFY, timeout=60)
        second = await _spawn(double, _env(double, db_path))
        _, err = await asyncio.wait_for(second.communicate(), 60)
        text = err.decode()
        assert second.returncode == 2, text
        assert text.splitlines()[-1] == (
            f"rapport: Rapport is already running on {db_path} (process {first.pid}): stop that copy first, "
            "or start this one with --standby to take over when it stops."
        )
        assert "Traceback" not in text
        assert _identifies(double) == 1  # the refused copy never reached the gateway
        assert first.returncode is None
    finally:
        await _stop(first)


async def test_standby_takes_over_within_30_s_of_a_kill_9(double: DiscordDouble, tmp_path: Path) -> None:
    owner = double.create_user("olivia")
    guild = double.create_guild("Team", owner=owner)
    channel = double.create_channel(guild, "general")
    db_path = tmp_path / "data" / "rapport.db"
    live = await _spawn(double, _env(double, db_path), log=tmp_path / "live.log")
    standby: asyncio.subprocess.Process | None = None
    try:
        await double.wait_gateway(lambda r: r.op == IDENTIFY, timeout=60)
        await double.wait_until(lambda: double.sync_count.get(None, 0) >= 1, timeout=30)
        await asyncio.sleep(0.5)
        before = await slash(double, owner, channel, "me timezone", timezone="Asia/Tokyo")
        assert "Asia/Tokyo" in before.content
        standby = await _spawn(double, _env(double, db_path), "--standby", log=tmp_path / "standby.log")
        await asyncio.sleep(3)  # the standby has started and is waiting for the lock, off the gateway
        assert standby.returncode is None and _identifies(double) == 1
        killed_at = time.monotonic()
        live.send_signal(signal.SIGKILL)
        await live.wait()
        await double.wait_gateway(lambda r: r.op == IDENTIFY, timeout=30, new_only=True)
        took_over = time.monotonic() - killed_at
        assert took_over < 30, took_over
        print(f"standby IDENTIFY {took_over:.2f}s after the kill -9")
        assert _identifies(double) == 2
        await asyncio.sleep(0.5)  # GUILD_CREATE and chunking in the standby
        after = await slash(double, owner, channel, "me timezone", timezone="Europe/Lisbon")
        assert "Europe/Lisbon" in after.content
    finally:
        await _stop(live)
        if standby is not None:
            await _stop(standby)


async def test_bad_shard_settings_stop_start_up_with_one_sentence(double: DiscordDouble, tmp_path: Path) -> None:
    env = _env(double, tmp_path / "rapport.db", SHARD_COUNT="2", SHARD_IDS="0,2")
    process = await _spawn(double, env)
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert err.decode().splitlines()[-1] == (
        "rapport: SHARD_IDS lists shard 2, but with SHARD_COUNT=2 shards are numbered 0 to 1."
    )
    assert not double.requests  # stopped before talking to Discord


async def _seed_due_checkins(db_path: Path, channels: list[Channel], owner: User) -> None:
    """Check-ins in every channel, all due now, written as the bot writes them (before it starts)."""
    from datetime import UTC, datetime

    from bot.checkins.service import CheckinOptions, CheckinService
    from bot.db.database import Database
    from bot.db.preferences import PreferencesRepo
    from bot.scheduling.clock import SystemClock
    from bot.scheduling.dispatch import Dispatcher
    from bot.scheduling.jobs import JobService
    from tests.checkins._poster import RecordingPoster

    db_path.parent.mkdir(parents=True, exist_ok=True)
    db = await Database.open(db_path)
    try:
        await db.migrate()
        clock = SystemClock()
        service = CheckinService(
            db=db,
            prefs=PreferencesRepo(db),
            clock=clock,
            dispatcher=Dispatcher(JobService(clock, realtime=False), clock, owner="seed"),
            poster=RecordingPoster(),
            default_timezone="UTC",
        )
        now = datetime.now(UTC)
        for channel in channels:
            assert channel.guild_id is not None
            checkin, _ = await service.create(
                channel.guild_id,
                owner.id,
                CheckinOptions(name="Stand-up", channel_id=channel.id, schedule="daily 15:00"),
            )
            await service.store.checkins.update(checkin.id, now, next_run_at=now)
    finally:
        await db.close()


async def test_kill_9_in_the_middle_of_a_burst_leaves_every_post_exactly_once(
    double: DiscordDouble, tmp_path: Path
) -> None:
    owner = double.create_user("olivia")
    guilds = [double.create_guild(f"Team {i}", owner=owner) for i in range(40)]
    channels = [double.create_channel(g, "general") for g in guilds]
    db_path = tmp_path / "data" / "rapport.db"
    await _seed_due_checkins(db_path, channels, owner)
    double.global_limit_per_second = 50  # Discord's global limit: about 100 requests take a few seconds
    live = await _spawn(double, _env(double, db_path), log=tmp_path / "live.log")
    standby: asyncio.subprocess.Process | None = None
    try:
        await double.wait_gateway(lambda r: r.op == IDENTIFY, timeout=60)
        standby = await _spawn(double, _env(double, db_path), "--standby", log=tmp_path / "standby.log")
        await double.wait_until(lambda: sum(len(prompts(double, c)) for c in channels) >= 8, timeout=90)
        # An answer the live process acknowledged just before it dies must survive it.
        first = next(c for c in channels if prompts(double, c))
        submitted = await answer_by_form(double, owner, prompts(double, first)[0], {"q0": "Answered mid-burst"})
        assert submitted.ephemeral
        live.send_signal(signal.SIGKILL)
        await live.wait()
        posted_before = sum(len(prompts(double, c)) for c in channels)
        assert posted_before < len(channels), "the burst was over before the kill: make it slower"
        await double.wait_until(lambda: all(prompts(double, c) for c in channels), timeout=90)
        await asyncio.sleep(1.0)  # anything posted twice would show up by now
        counts = [len(prompts(double, c)) for c in channels]
        assert counts == [1] * len(channels), counts
        import sqlite3

        with sqlite3.connect(db_path) as conn:
            rows = conn.execute("SELECT user_id, answers FROM checkin_answers").fetchall()
        assert [(user, json.loads(given)[0]) for user, given in rows] == [(owner.id, "Answered mid-burst")]
        print(f"burst: {posted_before} of {len(channels)} prompts posted before the kill -9, the rest by the standby")
    finally:
        await _stop(live)
        if standby is not None:
            await _stop(standby)
