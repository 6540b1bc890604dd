"""Threads (from a message, without one, members, archive) and direct messages."""

from __future__ import annotations

import asyncio

import discord
import pytest

from tests.double import DoubleUsageError, perms, running_client

from .conftest import World, make_client


async def test_thread_from_message_and_thread_messages(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = client.get_channel(world.general.id)
        assert isinstance(channel, discord.TextChannel)
        created = asyncio.create_task(client.wait_for("thread_create", timeout=5))
        post = await channel.send("Daily check-in")
        thread = await post.create_thread(name="Check-in answers", auto_archive_duration=1440)
        assert thread.id == post.id and thread.parent_id == channel.id
        assert (await created).id == thread.id
        with pytest.raises(discord.HTTPException) as info:
            await post.create_thread(name="again")
        assert info.value.code == 160004
        stored = double.threads(world.general)
        assert [t.id for t in stored] == [thread.id]
        assert double.messages(world.general)[-1].thread is stored[0]
        await thread.send("first answer")
        assert [m.content for m in double.messages(stored[0])] == ["first answer"]
        answer = await double.send_message(world.bob, stored[0], "my answer")
        incoming = await client.wait_for("message", check=lambda m: m.id == answer.id, timeout=5)
        assert isinstance(incoming.channel, discord.Thread)
        assert world.bob.id in stored[0].member_ids
        history = [m.content async for m in thread.history(limit=10)]
        assert history == ["my answer", "first answer"]


async def test_threads_without_message_members_and_archive(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = client.get_channel(world.general.id)
        assert isinstance(channel, discord.TextChannel)
        private = await channel.create_thread(name="1:1", type=discord.ChannelType.private_thread, invitable=False)
        assert private.type is discord.ChannelType.private_thread
        await private.add_user(discord.Object(world.bob.id))
        member = await private.fetch_member(world.bob.id)
        assert member.id == world.bob.id
        assert {m.id for m in await private.fetch_members()} == {double.bot_user.id, world.bob.id}
        await private.remove_user(discord.Object(world.bob.id))
        with pytest.raises(discord.NotFound):
            await private.fetch_member(world.bob.id)
        public = await channel.create_thread(name="open", type=discord.ChannelType.public_thread)
        notice = double.messages(world.general)[-1]
        assert notice.type == 18 and notice.content == "open"  # THREAD_CREATED system message
        archived = await public.edit(archived=True)
        assert archived.archived and double.channel(public.id).archived
        await public.send("wakes it up")
        assert not double.channel(public.id).archived
        with pytest.raises(discord.HTTPException) as info:
            await client.http.start_thread_without_message(channel.id, name="", auto_archive_duration=60, type=11)
        assert info.value.code == 50035


async def test_thread_permissions(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = client.get_channel(world.general.id)
        assert isinstance(channel, discord.TextChannel)
        post = await channel.send("needs a thread")
        double.set_bot_permissions(world.guild, perms.VIEW_CHANNEL | perms.SEND_MESSAGES | perms.READ_MESSAGE_HISTORY)
        with pytest.raises(discord.Forbidden) as info:
            await post.create_thread(name="no")
        assert info.value.code == 50013
        double.set_bot_permissions(world.guild, perms.DEFAULT_BOT & ~perms.SEND_MESSAGES_IN_THREADS)
        thread = await post.create_thread(name="yes")
        with pytest.raises(discord.Forbidden):
            await thread.send("cannot talk in threads")
        # set_bot_permissions also trimmed @everyone, so bob lost it too; give it back.
        with pytest.raises(DoubleUsageError, match="cannot send messages in thread"):
            await double.send_message(world.bob, double.channel(thread.id), "no permission")
        double.set_role_permissions(world.guild.everyone_role, perms.DEFAULT_EVERYONE)
        double.archive_thread(double.channel(thread.id), locked=True)
        with pytest.raises(DoubleUsageError, match="locked"):
            await double.send_message(world.bob, double.channel(thread.id), "locked")


async def test_direct_messages(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        bob = await client.fetch_user(world.bob.id)
        await bob.send("reminder: check-in at 9")
        assert [m.content for m in double.dm_messages(world.bob)] == ["reminder: check-in at 9"]
        double.set_dms_open(world.alice, False)
        alice = await client.fetch_user(world.alice.id)
        with pytest.raises(discord.Forbidden) as info:
            await alice.send("blocked")
        assert info.value.code == 50007
        stranger = double.create_user("stranger")
        with pytest.raises(discord.Forbidden) as info:
            await (await client.fetch_user(stranger.id)).send("no shared guild")
        assert info.value.code == 50007
        incoming = await double.send_dm(world.bob, "thanks!")
        received = await client.wait_for("message", check=lambda m: m.id == incoming.id, timeout=5)
        assert isinstance(received.channel, discord.DMChannel) and received.guild is None
        with pytest.raises(DoubleUsageError):
            await double.send_dm(stranger, "hi")


async def test_members_roles_and_users_endpoints(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        guild = client.get_guild(world.guild.id)
        member = await guild.fetch_member(world.bob.id)
        assert member.id == world.bob.id
        stranger = double.create_user("stranger")
        with pytest.raises(discord.NotFound) as info:
            await guild.fetch_member(stranger.id)
        assert info.value.code == 10007
        with pytest.raises(discord.NotFound) as info:
            await client.fetch_user(1)
        assert info.value.code == 10013
        roles = await guild.fetch_roles()
        assert {r.name for r in roles} == {"@everyone", "rapport"}
        channels = await guild.fetch_channels()
        assert [c.id for c in channels] == [world.general.id]
        fetched = await client.fetch_guild(world.guild.id)
        assert fetched.owner_id == world.alice.id
        members = [m.id async for m in guild.fetch_members(limit=None)]
        assert sorted(members) == sorted([world.alice.id, world.bob.id, double.bot_user.id])
