"""The health server of a real bot: /healthz, /readyz (gateway, database, shards) and /metrics."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp

from bot.adapter.client import Rapport
from bot.config import Secret, Settings
from bot.scheduling.clock import FakeClock
from cogs import feature_extensions
from tests.double import DiscordDouble
from tests.e2e.helpers import slash


async def get(port: int, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}{path}") as resp:
        return resp.status, await resp.text()


def make(double: DiscordDouble, db_path: Path, clock: FakeClock, *, standby: bool = False) -> Rapport:
    settings = Settings(token=Secret(double.token), database_path=db_path, metrics_port=0)
    return Rapport.for_settings(
        settings,
        clock=clock,
        realtime_jobs=False,
        guild_ready_timeout=0.05,
        extensions=feature_extensions(),
        standby=standby,
        identify_window=0.1,
    )


async def test_ready_live_process_and_waiting_standby(double: DiscordDouble, tmp_path: Path, clock: FakeClock) -> None:
    owner = double.create_user("olivia")
    guild = double.create_guild("Team", owner=owner)
    channel = double.create_channel(guild, "general")
    live = make(double, tmp_path / "rapport.db", clock)
    live_task = asyncio.create_task(live.start(double.token))
    await asyncio.wait_for(live.wait_until_ready(), 20)
    standby = make(double, tmp_path / "rapport.db", clock, standby=True)
    standby_task = asyncio.create_task(standby.start(double.token))
    try:
        assert live.health is not None
        port = live.health.port
        assert await get(port, "/healthz") == (200, "ok\n")
        status, body = await get(port, "/readyz")
        assert status == 200, body
        assert json.loads(body)["checks"] == {"database": True, "gateway": True, "shards": True}

        record = await slash(double, owner, channel, "me timezone", timezone="Asia/Tokyo")
        assert "Asia/Tokyo" in record.content
        refused = await slash(double, owner, channel, "me timezone", timezone="Mars/Olympus")
        assert refused.ephemeral
        acknowledged = {"command": "me timezone", "outcome": "acknowledged"}
        await double.wait_until(
            lambda: live.metrics.registry.get_sample_value("rapport_interactions_total", acknowledged) == 2.0
        )
        status, text = await get(port, "/metrics")
        assert status == 200
        assert 'rapport_interactions_total{command="me timezone",outcome="acknowledged"} 2.0' in text
        assert 'rapport_interactions_total{command="me timezone",outcome="user_error"} 1.0' in text
        assert 'rapport_interaction_ack_seconds_count{command="me timezone"} 2.0' in text
        assert "rapport_shards_held 1.0" in text
        assert "rapport_database_seconds_count" in text

        # The standby is alive but not ready: it waits for the shard lock, off the gateway.
        await double.wait_until(lambda: standby.health is not None and standby.health.port != 0, timeout=10)
        assert standby.health is not None
        standby_port = standby.health.port
        assert await get(standby_port, "/healthz") == (200, "ok\n")
        status, body = await get(standby_port, "/readyz")
        assert status == 503
        assert json.loads(body)["checks"] == {"database": False, "gateway": False, "shards": False}
        assert not standby_task.done()

        # The live process stops: the standby takes over and becomes ready.
        await live.close()
        await asyncio.wait_for(live_task, 10)
        await asyncio.wait_for(standby.wait_until_ready(), 20)
        status, body = await get(standby_port, "/readyz")
        assert status == 200, body
        status, text = await get(standby_port, "/metrics")
        assert 'rapport_lease_takeovers_total{kind="shard"} 1.0' in text
    finally:
        for bot, task in ((live, live_task), (standby, standby_task)):
            await bot.close()
            await asyncio.wait_for(task, 10)
