"""Login, READY, heartbeats, RESUME with replay, op 7, op 9, intents, world events."""

from __future__ import annotations

import asyncio
import math

import discord
import pytest

from tests.double import DiscordDouble, running_client
from tests.double.gateway import HEARTBEAT, IDENTIFY, MESSAGE_CONTENT, RESUME

from .conftest import World, make_client


async def test_login_ready_and_guild_cache(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        assert client.user is not None and client.user.id == double.bot_user.id
        assert client.application_id == double.application_id
        guild = client.get_guild(world.guild.id)
        assert guild is not None and guild.name == "Team"
        assert guild.owner_id == world.alice.id
        # Members arrived through op 8 chunking (GUILD_CREATE only lists the bot).
        assert guild.chunked
        assert {m.id for m in guild.members} == {world.alice.id, world.bob.id, double.bot_user.id}
        assert isinstance(guild.get_channel(world.general.id), discord.TextChannel)
        me = guild.me
        perms = guild.get_channel(world.general.id).permissions_for(me)
        assert perms.send_messages and perms.create_public_threads and not perms.administrator
    keys = [r.key for r in double.requests[:2]]
    assert keys == ["GET /users/@me", "GET /oauth2/applications/@me"]
    assert any(r.op == 8 for r in double.gateway_received)


async def test_bad_token_is_rejected(discord_double: DiscordDouble) -> None:
    client = make_client()
    with pytest.raises(discord.LoginFailure):
        await client.start("not-the-token")
    await client.close()
    assert discord_double.requests[0].status == 401


async def test_disallowed_privileged_intent_closes_4014(discord_double: DiscordDouble) -> None:
    discord_double.privileged_intents = 0
    client = make_client()
    with pytest.raises(discord.PrivilegedIntentsRequired):
        await asyncio.wait_for(client.start(discord_double.token), 5)
    await client.close()


async def test_heartbeats_are_acked(discord_double: DiscordDouble) -> None:
    discord_double.heartbeat_interval_ms = 30
    client = make_client()
    async with running_client(discord_double, client):
        for _ in range(3):
            await discord_double.wait_gateway(lambda r: r.op == HEARTBEAT, new_only=True)
        assert math.isfinite(client.latency)
        await discord_double.request_heartbeat()
        await discord_double.wait_gateway(lambda r: r.op == HEARTBEAT, new_only=True)


async def test_unacked_heartbeats_make_the_client_resume(discord_double: DiscordDouble) -> None:
    discord_double.heartbeat_interval_ms = 30
    client = make_client(heartbeat_timeout=0.3)
    async with running_client(discord_double, client):
        discord_double.ack_heartbeats = False
        await discord_double.wait_gateway(lambda r: r.op == RESUME)
        discord_double.ack_heartbeats = True


async def test_close_4000_resumes_and_replays_missed_events(world: World) -> None:
    double = world.double
    client = make_client()
    resumed = asyncio.Event()
    client.event(_setter("on_resumed", resumed))
    async with running_client(double, client):
        await double.close_gateway(4000)
        # Dispatched while the client has no socket: must be replayed after RESUME.
        late = double.create_channel(world.guild, "created-while-offline")
        await asyncio.wait_for(resumed.wait(), 5)
        resume = next(r for r in double.gateway_received if r.op == RESUME)
        created = next(d for d in double.dispatched if d.t == "CHANNEL_CREATE")
        assert resume.d["seq"] < created.s
        assert client.get_channel(late.id) is not None
        assert sum(1 for r in double.gateway_received if r.op == IDENTIFY) == 1


async def test_abort_resumes(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        await double.abort_gateway()
        await double.wait_gateway(lambda r: r.op == RESUME)
        await double.send_message(world.bob, world.general, "after abort")
        msg = await client.wait_for("message", timeout=5)
        assert msg.content == "after abort"


async def test_op7_reconnect_resumes(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        await double.send_reconnect()
        await double.wait_gateway(lambda r: r.op == RESUME)
        assert sum(1 for r in double.gateway_received if r.op == IDENTIFY) == 1


async def test_op9_resumable_resumes(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        await double.invalidate_session(True)
        await double.wait_gateway(lambda r: r.op == RESUME)


async def test_op9_not_resumable_identifies_again(world: World) -> None:
    double = world.double
    client = make_client()
    readies = []
    client.event(_appender("on_ready", readies))
    async with running_client(double, client):
        await double.invalidate_session(False)
        await double.wait_gateway(lambda r: r.op == IDENTIFY, new_only=True)
        await double.wait_until(lambda: len(readies) >= 2)
        assert sum(1 for r in double.gateway_received if r.op == IDENTIFY) == 2
        assert not any(r.op == RESUME for r in double.gateway_received)


async def test_world_changes_are_dispatched(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        carol = double.create_user("carol")
        role = double.create_role(world.guild, "Managers", permissions=0)
        joined = asyncio.create_task(client.wait_for("member_join", timeout=5))
        double.add_member(world.guild, carol, roles=[role])
        member = await joined
        assert member.id == carol.id and [r.id for r in member.roles[1:]] == [role.id]
        guild = client.get_guild(world.guild.id)
        assert guild.get_role(role.id) is not None
        deleted = asyncio.create_task(client.wait_for("guild_channel_delete", timeout=5))
        double.delete_channel(world.general)
        assert (await deleted).id == world.general.id
        second = asyncio.create_task(client.wait_for("guild_join", timeout=5))
        double.create_guild("Second", owner=carol)
        assert (await second).name == "Second"


async def test_message_content_needs_the_intent(world: World) -> None:
    double = world.double
    intents = discord.Intents.default()  # no message_content, no members
    client = make_client(intents=intents)
    async with running_client(double, client):
        await double.send_message(world.bob, world.general, "secret words")
        msg = await client.wait_for("message", timeout=5)
        assert msg.content == ""
        await double.send_message(world.bob, world.general, f"hey {double.bot_user.mention}")
        msg = await client.wait_for("message", timeout=5)
        assert "hey" in msg.content
        await double.send_dm(world.bob, "dm text")
        msg = await client.wait_for("message", timeout=5)
        assert msg.content == "dm text"
        # REST reads follow the app's portal setting, not the IDENTIFY intents.
        double.privileged_intents = 0
        fetched = await client.get_channel(world.general.id).fetch_message(double.messages(world.general)[0].id)
        assert fetched.content == ""
    assert not next(r for r in double.gateway_received if r.op == IDENTIFY).d["intents"] & MESSAGE_CONTENT


def _setter(name: str, event: asyncio.Event):
    async def handler(*_args: object) -> None:
        event.set()

    handler.__name__ = name
    return handler


def _appender(name: str, items: list[object]):
    async def handler(*args: object) -> None:
        items.append(args)

    handler.__name__ = name
    return handler
