"""Rate limit headers, injected 429s (bucket, global, without Via), 5xx retries, the global limit,
and the raw wire format (exact Content-Type, unknown routes)."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from tests.double import DiscordDouble, running_client

from .conftest import World, make_client


async def test_wire_format_and_bucket_headers(discord_double: DiscordDouble) -> None:
    headers = {"Authorization": f"Bot {discord_double.token}"}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{discord_double.api_base}/users/@me", headers=headers) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "application/json"
            for name in (
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
                "X-RateLimit-Reset-After",
                "X-RateLimit-Bucket",
            ):
                assert name in resp.headers
            assert (await resp.json())["id"] == str(discord_double.bot_user.id)
        async with session.get(f"{discord_double.api_base}/users/@me", headers={"Authorization": "Bot wrong"}) as resp:
            assert resp.status == 401
        async with session.get(f"{discord_double.api_base}/no/such/route", headers=headers) as resp:
            assert resp.status == 404 and (await resp.json())["code"] == 0
    assert discord_double.unknown_routes == ["GET /no/such/route"]


async def test_unknown_route_fails_the_harness(world: World) -> None:
    double = world.double
    client = make_client()
    with pytest.raises(AssertionError, match="no route for"):
        async with running_client(double, client):
            with pytest.raises(discord.NotFound) as info:
                await client.http.request(discord.http.Route("GET", "/not/a/route"))
            assert info.value.code == 0


async def test_bucket_429_with_via_is_retried(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = client.get_channel(world.general.id)
        double.rate_limit("POST /channels/{channel_id}/messages", retry_after=0.2)
        sent = await channel.send("after a 429")
        attempts = [r for r in double.requests if r.key == "POST /channels/{channel_id}/messages"]
        assert [r.status for r in attempts] == [429, 200]
        assert attempts[1].at - attempts[0].at >= 0.19
        assert double.messages(world.general)[-1].id == sent.id
        assert double.stats["429"] == 1


async def test_global_429_blocks_every_route(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = client.get_channel(world.general.id)
        double.rate_limit(global_=True, retry_after=0.3)
        send = asyncio.create_task(channel.send("global"))
        await double.wait_request(lambda r: r.status == 429)
        await double.wait_until(lambda: not client.http._global_over.is_set())  # the client saw it
        user = await client.fetch_user(world.bob.id)  # another route must wait for the global reset
        await send
        limited = next(r for r in double.requests if r.status == 429)
        fetch = next(r for r in double.requests if r.key == "GET /users/{user_id}")
        assert user.id == world.bob.id and fetch.at - limited.at >= 0.28


async def test_429_without_via_is_not_retried(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = client.get_channel(world.general.id)
        double.rate_limit("POST /channels/{channel_id}/messages", retry_after=0.1, via=False)
        with pytest.raises(discord.HTTPException) as info:
            await channel.send("cloudflare")
        assert info.value.status == 429
        assert double.messages(world.general) == []


async def test_server_error_is_retried(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        double.fail_next("GET /users/{user_id}", status=500)
        user = await client.fetch_user(world.bob.id)  # discord.py sleeps 1 s, then retries
        assert user.id == world.bob.id
        statuses = [r.status for r in double.requests if r.key == "GET /users/{user_id}"]
        assert statuses == [500, 200]
        double.fail_next("GET /users/{user_id}", status=403)
        with pytest.raises(discord.Forbidden):
            await client.fetch_user(world.bob.id)


async def test_global_limit_per_second_is_enforced(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        double.global_limit_per_second = 8
        ids = [world.bob.id, world.alice.id] * 7
        users = await asyncio.gather(*(client.fetch_user(i) for i in ids))
        assert [u.id for u in users] == ids
        assert double.stats["429"] >= 1
        assert double.global_limiter.max_in_any_window() <= 8
        limited = [r for r in double.requests if r.status == 429]
        assert limited


async def test_bucket_exhaustion_is_announced_and_enforced(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        double.bucket_limit("GET /users/{user_id}", 2, per=0.3)
        for _ in range(4):
            await client.fetch_user(world.bob.id)
        # discord.py saw Remaining: 0 and waited for the reset itself: no 429 needed.
        statuses = [r.status for r in double.requests if r.key == "GET /users/{user_id}"]
        assert statuses == [200, 200, 200, 200]
        fetches = [r.at for r in double.requests if r.key == "GET /users/{user_id}"]
        assert fetches[2] - fetches[0] >= 0.25
