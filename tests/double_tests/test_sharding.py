"""Sharding: several sessions at once, events routed by ``(guild_id >> 22) % count``, DMs to shard 0,
4010 for an invalid shard, ``GET /gateway/bot`` and the IDENTIFY concurrency limit."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.double import DiscordDouble, client_kwargs, running_client
from tests.double.gateway import INVALID_SESSION, shard_of


def sharded(shard_ids: list[int], shard_count: int | None, **overrides: Any) -> discord.AutoShardedClient:
    kwargs = client_kwargs(**overrides)
    if shard_count is not None:
        kwargs["shard_count"] = shard_count
    return discord.AutoShardedClient(shard_ids=shard_ids, **kwargs)


class _Raw:
    """A bare websocket to the double's gateway, to check frames discord.py would never send."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def identify(self, double: DiscordDouble, shard: Any) -> None:
        hello = await self.ws.receive_json(timeout=5)
        assert hello["op"] == 10
        d: dict[str, Any] = {"token": double.token, "intents": 1, "properties": {}}
        if shard is not None:
            d["shard"] = shard
        await self.ws.send_str(json.dumps({"op": 2, "d": d}))

    async def next_frame(self) -> aiohttp.WSMessage:
        return await self.ws.receive(timeout=5)


@contextlib.asynccontextmanager
async def raw_gateway(double: DiscordDouble) -> AsyncIterator[_Raw]:
    async with aiohttp.ClientSession() as http, http.ws_connect(double.gateway_url + "?v=10&encoding=json") as ws:
        yield _Raw(ws)


async def test_guild_ids_fall_on_the_shard_asked_for(discord_double: DiscordDouble) -> None:
    for shard_id in (0, 1, 2, 2, 0):
        guild = discord_double.create_guild(f"G{shard_id}", shard=(shard_id, 3))
        assert shard_of(guild.id, 3) == shard_id


async def test_two_processes_each_get_only_their_guilds_and_dms_go_to_shard_0(
    discord_double: DiscordDouble,
) -> None:
    double = discord_double
    alice = double.create_user("alice")
    g0 = double.create_guild("Zero", owner=alice, shard=(0, 2))
    g1 = double.create_guild("One", owner=alice, shard=(1, 2))
    c0 = double.create_channel(g0, "general")
    c1 = double.create_channel(g1, "general")
    first, second = sharded([0], 2), sharded([1], 2)
    seen: dict[int, list[str]] = {0: [], 1: []}

    def record(index: int):
        async def on_message(message: discord.Message) -> None:
            seen[index].append(message.content)

        return on_message

    first.event(record(0))
    second.event(record(1))
    async with running_client(double, first), running_client(double, second):
        assert [g.id for g in first.guilds] == [g0.id]
        assert [g.id for g in second.guilds] == [g1.id]
        await double.send_message(alice, c1, "for shard one")
        await double.send_message(alice, c0, "for shard zero")
        await double.send_dm(alice, "a direct message")
        await double.wait_until(lambda: len(seen[0]) == 2 and len(seen[1]) == 1)
        await asyncio.sleep(0.1)  # nothing more arrives late
        assert seen == {0: ["for shard zero", "a direct message"], 1: ["for shard one"]}
    identifies = [r.d["shard"] for r in double.gateway_received if r.op == 2]
    assert sorted(identifies) == [[0, 2], [1, 2]]


async def test_an_interaction_reaches_only_the_session_of_its_guilds_shard(discord_double: DiscordDouble) -> None:
    double = discord_double
    alice = double.create_user("alice")
    guilds = [double.create_guild(f"G{i}", owner=alice, shard=(i, 3)) for i in range(3)]
    channels = [double.create_channel(g, "general") for g in guilds]
    clients = [sharded([i], 3) for i in range(3)]
    answered_by: dict[int, int] = {}
    trees = []
    for index, client in enumerate(clients):
        tree = app_commands.CommandTree(client)

        def make(i: int) -> Any:
            @app_commands.command(name="where", description="which process answers")
            async def where(interaction: discord.Interaction) -> None:
                answered_by[interaction.guild_id or 0] = i
                await interaction.response.send_message(f"process {i}")

            return where

        tree.add_command(make(index))
        trees.append(tree)
    async with contextlib.AsyncExitStack() as stack:
        for client in clients:
            await stack.enter_async_context(running_client(double, client))
        await trees[0].sync()
        for index, channel in enumerate(channels):
            rec = await double.slash(alice, channel, "where")
            await rec.wait_response()
            assert rec.content == f"process {index}"
        assert answered_by == {g.id: i for i, g in enumerate(guilds)}
        created = [d for d in double.dispatched if d.t == "INTERACTION_CREATE"]
        assert len(created) == 3  # each went to exactly one session
        shard_of_session = {s.id: s.shard_id for s in double.gateway.sessions.values()}
        assert [shard_of_session[d.session_id] for d in created] == [0, 1, 2]


async def test_identify_with_another_shard_count_is_closed_4010(discord_double: DiscordDouble) -> None:
    double = discord_double
    async with raw_gateway(double) as first:
        await first.identify(double, [0, 2])
        ready = await first.next_frame()
        assert json.loads(ready.data)["t"] == "READY"
        async with raw_gateway(double) as other:
            await other.identify(double, [1, 3])
            frame = await other.next_frame()
            assert frame.type == aiohttp.WSMsgType.CLOSE and frame.data == 4010
        async with raw_gateway(double) as unsharded:
            await unsharded.identify(double, None)
            frame = await unsharded.next_frame()
            assert frame.type == aiohttp.WSMsgType.CLOSE and frame.data == 4010
        async with raw_gateway(double) as same_count:
            await same_count.identify(double, [1, 2])
            assert json.loads((await same_count.next_frame()).data)["t"] == "READY"


@pytest.mark.parametrize("shard", [[2, 2], [-1, 2], [0, 0], [0], "0,1", [True, 2]])
async def test_malformed_or_out_of_range_shard_is_closed_4010(discord_double: DiscordDouble, shard: Any) -> None:
    async with raw_gateway(discord_double) as raw:
        await raw.identify(discord_double, shard)
        frame = await raw.next_frame()
        assert frame.type == aiohttp.WSMsgType.CLOSE and frame.data == 4010
    assert not discord_double.gateway.sessions


async def test_discord_py_stops_on_4010(discord_double: DiscordDouble) -> None:
    double = discord_double
    async with running_client(double, sharded([0], 2)):
        wrong = sharded([1], 3)
        with pytest.raises(discord.ConnectionClosed) as raised:
            await asyncio.wait_for(wrong.start(double.token), 10)
        await wrong.close()
        assert raised.value.code == 4010


async def test_gateway_bot_reports_shards_and_session_start_limit(discord_double: DiscordDouble) -> None:
    double = discord_double
    double.shards = 2
    double.max_concurrency = 2
    alice = double.create_user("alice")
    g0 = double.create_guild("Zero", owner=alice, shard=(0, 2))
    g1 = double.create_guild("One", owner=alice, shard=(1, 2))
    client = sharded(None, None)  # type: ignore[arg-type]  # all shards, count from /gateway/bot
    async with running_client(double, client):
        assert client.shard_count == 2
        assert {g.id for g in client.guilds} == {g0.id, g1.id}
        assert {client.get_guild(g0.id).shard_id, client.get_guild(g1.id).shard_id} == {0, 1}
    request = next(r for r in double.requests if r.key == "GET /gateway/bot")
    assert request.status == 200
    async with aiohttp.ClientSession() as http:
        resp = await http.get(f"{double.api_base}/gateway/bot", headers={"Authorization": f"Bot {double.token}"})
        data = json.loads(await resp.text())
    assert data["shards"] == 2
    assert data["session_start_limit"]["max_concurrency"] == 2
    assert data["session_start_limit"]["remaining"] == 998  # two IDENTIFYs so far


async def test_identify_concurrency_is_enforced_per_bucket(discord_double: DiscordDouble) -> None:
    double = discord_double
    double.enforce_identify_concurrency = True
    double.max_concurrency = 2
    async with raw_gateway(double) as a, raw_gateway(double) as b, raw_gateway(double) as c:
        await a.identify(double, [0, 4])
        assert json.loads((await a.next_frame()).data)["t"] == "READY"
        await b.identify(double, [1, 4])  # bucket 1: allowed alongside bucket 0
        assert json.loads((await b.next_frame()).data)["t"] == "READY"
        await c.identify(double, [2, 4])  # bucket 0 again within 5 s: op 9, no session
        frame = json.loads((await c.next_frame()).data)
        assert frame["op"] == INVALID_SESSION and frame["d"] is False
    assert double.gateway.identify_rejections == 1
    assert sorted(s.shard_id for s in double.gateway.sessions.values()) == [0, 1]


async def test_unenforced_by_default(discord_double: DiscordDouble) -> None:
    async with raw_gateway(discord_double) as a, raw_gateway(discord_double) as b:
        await a.identify(discord_double, [0, 2])
        await b.identify(discord_double, [0, 2])  # Discord lets two sessions hold one shard
        assert json.loads((await a.next_frame()).data)["t"] == "READY"
        assert json.loads((await b.next_frame()).data)["t"] == "READY"
    assert discord_double.gateway.identify_rejections == 0
