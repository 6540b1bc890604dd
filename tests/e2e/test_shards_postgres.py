"""The multi-process tests on PostgreSQL: run when RAPPORT_TEST_DATABASE_URL is set and the storage layer
reads ``DATABASE_URL`` (each test gets a database of its own, dropped afterwards)."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.checkins.context import SCHEDULE
from bot.scheduling.clock import FakeClock
from tests.checkins._e2e import create, prompts
from tests.double import DiscordDouble
from tests.double.gateway import IDENTIFY
from tests.e2e.helpers import slash
from tests.e2e.test_shards import _env, _spawn, _stop, answered, fleet, sharded_world

ADMIN_URL = os.environ.get("RAPPORT_TEST_DATABASE_URL")
pytestmark = [pytest.mark.skipif(not ADMIN_URL, reason="RAPPORT_TEST_DATABASE_URL is not set")]


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    import asyncpg

    assert ADMIN_URL is not None
    name = f"rapport_shards_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base, _, _ = ADMIN_URL.rpartition("/")
        yield f"{base}/{name}"
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.mark.parametrize("count", [2, 3])
async def test_commands_are_answered_by_the_process_of_their_shard(
    double: DiscordDouble, tmp_path: Path, clock: FakeClock, pg_url: str, count: int
) -> None:
    owner, _, channels = sharded_world(double, count)
    async with fleet(double, tmp_path, clock, count, database_url=pg_url) as group:
        bots = [await group.start((i,)) for i in range(count)]
        for i, channel in enumerate(channels):
            record = await slash(double, owner, channel, "settings timezone", timezone="Europe/Paris")
            assert "Europe/Paris" in record.content
            # The bot counts the acknowledgement when its HTTP call returns, a moment after the double saw it.
            await double.wait_until(lambda i=i: answered(bots[i], "settings timezone") == 1.0, timeout=5)
            assert [answered(b, "settings timezone") for b in bots] == [1.0 if j <= i else 0.0 for j in range(count)]


async def test_checkins_due_at_one_instant_are_posted_once_each(
    double: DiscordDouble, tmp_path: Path, clock: FakeClock, pg_url: str
) -> None:
    owner, _, channels = sharded_world(double, 3)
    async with fleet(double, tmp_path, clock, 3, database_url=pg_url) as group:
        for i in range(3):
            await group.start((i,))
        for channel in channels:
            await create(double, owner, channel, schedule="daily 15:00")
        await group.stop_all()
        bots = [await group.start((i,)) for i in range(3)]
        due = {bot.jobs.get(bot.dispatcher.job_id(SCHEDULE)) for bot in bots}
        assert len(due) == 1 and None not in due  # one timer each, at the same instant in every server
        clock.set(due.pop())  # type: ignore[arg-type]
        await asyncio.gather(*(bot.jobs.run_due() for bot in bots))
        for channel in channels:
            await double.wait_until(lambda channel=channel: len(prompts(double, channel)) >= 1, timeout=10)
        await asyncio.sleep(0.2)
        assert [len(prompts(double, c)) for c in channels] == [1, 1, 1]


async def test_second_process_is_refused_and_a_standby_takes_over_after_kill_9(
    double: DiscordDouble, tmp_path: Path, pg_url: str
) -> None:
    owner = double.create_user("olivia")
    guild = double.create_guild("Team", owner=owner)
    channel = double.create_channel(guild, "general")
    env = _env(double, tmp_path / "unused.db", DATABASE_URL=pg_url, SHARD_COUNT="1", SHARD_IDS="0")
    live = await _spawn(double, env, log=tmp_path / "live.log")
    standby = None
    try:
        await double.wait_gateway(lambda r: r.op == IDENTIFY, timeout=60)
        second = await _spawn(double, env)
        _, err = await asyncio.wait_for(second.communicate(), 60)
        assert second.returncode == 2
        assert (
            err.decode().splitlines()[-1].startswith("rapport: shard 0 of Rapport is already running on the PostgreSQL")
        )
        standby = await _spawn(double, env, "--standby", log=tmp_path / "standby.log")
        await asyncio.sleep(3)
        killed_at = time.monotonic()
        live.send_signal(signal.SIGKILL)
        await live.wait()
        await double.wait_gateway(lambda r: r.op == IDENTIFY, timeout=30, new_only=True)
        assert time.monotonic() - killed_at < 30
        await asyncio.sleep(0.5)
        record = await slash(double, owner, channel, "me timezone", timezone="Europe/Lisbon")
        assert "Europe/Lisbon" in record.content
    finally:
        await _stop(live)
        if standby is not None:
            await _stop(standby)


async def test_a_live_process_whose_lock_connection_drops_stops_with_one_sentence(
    double: DiscordDouble, tmp_path: Path, pg_url: str
) -> None:
    import asyncpg

    env = _env(double, tmp_path / "unused.db", DATABASE_URL=pg_url, SHARD_COUNT="2", SHARD_IDS="0,1")
    log = tmp_path / "live.log"
    live = await _spawn(double, env, log=log)
    try:
        await double.wait_until(lambda: sum(r.op == IDENTIFY for r in double.gateway_received) == 2, timeout=60)
        name = pg_url.rpartition("/")[2]
        admin = await asyncpg.connect(pg_url)
        try:
            pid = await admin.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'rapport shard lock' AND datname = $1",
                name,
            )
            assert pid is not None
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await asyncio.wait_for(live.wait(), 30)
        text = log.read_text()
        assert live.returncode == 1, text[-2000:]  # not 2: a supervisor restarts it
        assert text.splitlines()[-1] == (
            "rapport: lost the database connection holding the lock of shards 0,1 on the PostgreSQL database "
            f"127.0.0.1/{name}, so another process may be serving it now: stopped so that no server is served "
            "twice (start Rapport again; a supervisor restarts it, and it waits as a standby if another process "
            "took over)."
        )
        assert "Traceback" not in text
    finally:
        await _stop(live)
