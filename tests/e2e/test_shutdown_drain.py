"""Shutdown drains running jobs while the HTTP session is still open, then closes the gateway, HTTP, database."""

from __future__ import annotations

import asyncio

import discord

from bot.adapter.client import Rapport
from tests.e2e.conftest import World


async def test_a_job_sending_at_shutdown_finishes_before_http_closes(rapport: Rapport, world: World) -> None:
    finished: list[str] = []

    async def send_digest_like_post() -> None:
        channel = rapport.get_channel(world.general.id)
        assert isinstance(channel, discord.TextChannel)
        await channel.send("the weekly digest", allowed_mentions=discord.AllowedMentions.none())
        finished.append("sent")

    # The post is held back by a 429 (discord.py waits 0.5 s and retries) while shutdown begins.
    world.double.rate_limit(f"POST /channels/{world.general.id}/messages", retry_after=0.5)
    rapport.jobs.schedule("digest-like", rapport.clock.now(), send_digest_like_post)
    running = asyncio.create_task(rapport.jobs.run_due())
    await world.double.wait_request(lambda r: r.method == "POST" and r.status == 429)
    await rapport.close()
    await running
    assert finished == ["sent"]
    assert [m.content for m in world.double.messages(world.general)] == ["the weekly digest"]
    assert rapport.is_closed()


async def test_new_commands_during_shutdown_are_refused_kindly(rapport: Rapport, world: World) -> None:
    rapport._closing = True  # the first step of close(): no new work
    try:
        record = await world.double.slash(world.alice, world.general, "me timezone", timezone="Asia/Tokyo")
        await record.wait_response(timeout=5)
        assert record.ephemeral and "restarting" in (record.content or "")
    finally:
        rapport._closing = False
    assert await rapport.db.fetchval("SELECT count(*) FROM member_settings") == 0


async def test_a_command_refused_during_shutdown_gives_back_what_was_typed(rapport: Rapport, world: World) -> None:
    rapport._closing = True
    try:
        words = "The retro format works well, but could we keep it to 30 minutes?"
        record = await world.double.slash(world.alice, world.general, "feedback", text=words)
        await record.wait_response(timeout=5)
        assert record.ephemeral and "restarting" in (record.content or "")
        assert f"text: {words}" in (record.content or "") and "```" in (record.content or "")
    finally:
        rapport._closing = False
    assert await rapport.db.fetchval("SELECT count(*) FROM server_feedback") == 0
