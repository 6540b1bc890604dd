"""Channel messages: Discord's limits, nonce dedupe, history paging, edits, files, permissions."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta

import discord
import pytest

from tests.double import perms, running_client

from .conftest import World, make_client


def _text_channel(client: discord.Client, world: World) -> discord.TextChannel:
    channel = client.get_channel(world.general.id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_send_is_stored_and_dispatched(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = _text_channel(client, world)
        sent = await channel.send("hello", allowed_mentions=discord.AllowedMentions(users=False))
        own = await client.wait_for("message", timeout=5)  # Discord dispatches the bot's own messages too
        assert own.id == sent.id and own.author.id == double.bot_user.id
        stored = double.messages(world.general)[-1]
        assert stored.id == sent.id and stored.content == "hello" and stored.author_id == double.bot_user.id
        assert stored.allowed_mentions is not None and "users" not in stored.allowed_mentions["parse"]
        assert stored.nonce is not None


async def test_discord_limits_are_enforced(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = _text_channel(client, world)
        with pytest.raises(discord.HTTPException) as info:
            await channel.send("x" * 2001)
        assert info.value.status == 400 and info.value.code == 50035 and "content" in str(info.value)
        embed = discord.Embed(title="fields")
        for i in range(26):
            embed.add_field(name=f"f{i}", value="v")
        with pytest.raises(discord.HTTPException) as info:
            await channel.send(embed=embed)
        assert info.value.code == 50035 and "fields" in str(info.value)
        with pytest.raises(discord.HTTPException) as info:
            await channel.send(embed=discord.Embed(title="t" * 257))
        assert info.value.code == 50035
        big = [discord.Embed(description="d" * 4000), discord.Embed(description="d" * 2001)]
        with pytest.raises(discord.HTTPException) as info:
            await channel.send(embeds=big)
        assert "6000" in str(info.value)
        with pytest.raises(discord.HTTPException) as info:
            await channel.send(embed=discord.Embed().add_field(name="", value="v"))
        assert info.value.code == 50035
        with pytest.raises(discord.HTTPException) as info:
            await channel.send()
        assert info.value.code == 50006
        with pytest.raises(discord.HTTPException) as info:
            await channel.send("   ")
        assert info.value.code == 50006
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="a", custom_id="same"))
        view.add_item(discord.ui.Button(label="b", custom_id="same"))
        with pytest.raises(discord.HTTPException) as info:
            await channel.send("dupes", view=view)
        assert info.value.code == 50035 and "custom_id" in str(info.value)
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="l" * 81, custom_id="long"))
        with pytest.raises(discord.HTTPException):
            await channel.send("long label", view=view)
        assert double.messages(world.general) == []
        assert await channel.send(embed=discord.Embed(title="ok", description="fine"))


async def test_nonce_dedupe(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = _text_channel(client, world)
        first = await channel.send("once", nonce=42)
        again = await channel.send("once", nonce=42)
        assert first.id == again.id
        assert [m.content for m in double.messages(world.general)] == ["once"]
        double.advance_clock(10 * 60)
        third = await channel.send("once", nonce=42)
        assert third.id != first.id


async def test_history_newest_first_and_paging(world: World) -> None:
    double = world.double
    start = datetime.now(UTC) - timedelta(days=2)
    for i in range(130):
        double.send_message_now(world.bob, world.general, f"m{i}", at=start + timedelta(minutes=i))
    client = make_client()
    async with running_client(double, client):
        channel = _text_channel(client, world)
        newest_first = [m.content async for m in channel.history(limit=None)]
        assert newest_first == [f"m{i}" for i in reversed(range(130))]
        oldest_first = [m.content async for m in channel.history(limit=None, oldest_first=True)]
        assert oldest_first == [f"m{i}" for i in range(130)]
        stored = double.messages(world.general)
        pivot = discord.Object(stored[60].id)
        before = [m.content async for m in channel.history(limit=10, before=pivot)]
        assert before == [f"m{i}" for i in range(59, 49, -1)]
        after = [m.content async for m in channel.history(limit=5, after=pivot)]
        assert after == [f"m{i}" for i in range(61, 66)]
        around = [m.content async for m in channel.history(limit=5, around=pivot)]
        assert around == [f"m{i}" for i in range(62, 57, -1)]
        since = [m.content async for m in channel.history(limit=None, after=start + timedelta(minutes=124, seconds=30))]
        assert since == ["m125", "m126", "m127", "m128", "m129"]
        paged = [r for r in double.requests if r.key == "GET /channels/{channel_id}/messages"]
        assert all(1 <= int(r.query["limit"]) <= 100 for r in paged)
        with pytest.raises(discord.HTTPException) as info:
            await client.http.logs_from(channel.id, 101)
        assert info.value.code == 50035


async def test_edit_delete_fetch(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = _text_channel(client, world)
        sent = await channel.send("draft")
        edited = await sent.edit(content="final", embed=discord.Embed(title="t"))
        assert edited.content == "final" and double.messages(world.general)[-1].content == "final"
        fetched = await channel.fetch_message(sent.id)
        assert fetched.content == "final" and fetched.edited_at is not None
        with pytest.raises(discord.HTTPException) as info:
            await sent.edit(content="", embeds=[])
        assert info.value.code == 50006
        theirs = await double.send_message(world.bob, world.general, "bob's")
        their_message = await channel.fetch_message(theirs.id)
        with pytest.raises(discord.Forbidden) as forbidden:
            await their_message.edit(content="hijack")
        assert forbidden.value.code == 50005
        with pytest.raises(discord.Forbidden) as forbidden:
            await their_message.delete()
        assert forbidden.value.code == 50013
        await sent.delete()
        with pytest.raises(discord.NotFound) as missing:
            await channel.fetch_message(sent.id)
        assert missing.value.code == 10008
        with pytest.raises(discord.NotFound) as missing:
            await client.fetch_channel(123)
        assert missing.value.code == 10003


async def test_files_and_attachment_download(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = _text_channel(client, world)
        sent = await channel.send("report", file=discord.File(io.BytesIO(b"col1,col2\n1,2\n"), filename="report.csv"))
        stored = double.messages(world.general)[-1]
        assert [(a.filename, a.data) for a in stored.attachments] == [("report.csv", b"col1,col2\n1,2\n")]
        assert await sent.attachments[0].read() == b"col1,col2\n1,2\n"
        request = next(r for r in double.requests if r.files)
        assert request.json["content"] == "report"


async def test_missing_permissions(world: World) -> None:
    double = world.double
    client = make_client()
    bot_role = world.guild.bot_role
    assert bot_role is not None
    async with running_client(double, client):
        channel = _text_channel(client, world)
        double.set_overwrites(world.general, [{"id": bot_role.id, "type": 0, "allow": 0, "deny": perms.SEND_MESSAGES}])
        with pytest.raises(discord.Forbidden) as info:
            await channel.send("nope")
        assert info.value.code == 50013
        double.set_overwrites(
            world.general, [{"id": bot_role.id, "type": 0, "allow": 0, "deny": perms.EMBED_LINKS | perms.ATTACH_FILES}]
        )
        await channel.send("text is fine")
        with pytest.raises(discord.Forbidden):
            await channel.send(embed=discord.Embed(title="x"))
        with pytest.raises(discord.Forbidden):
            await channel.send(file=discord.File(io.BytesIO(b"x"), filename="x.txt"))
        double.set_overwrites(world.general, [])
        double.set_bot_permissions(world.guild, perms.VIEW_CHANNEL)
        with pytest.raises(discord.Forbidden) as info:
            await channel.send("no send")
        assert info.value.code == 50013
        double.set_bot_permissions(world.guild, 0)
        with pytest.raises(discord.Forbidden) as info:
            await channel.send("cannot see")
        assert info.value.code == 50001  # Missing Access: the bot cannot see the channel
        double.set_bot_permissions(world.guild, perms.VIEW_CHANNEL | perms.SEND_MESSAGES)
        # Without READ_MESSAGE_HISTORY, Discord answers history with no messages.
        assert [m async for m in channel.history(limit=5)] == []
        assert client.get_guild(world.guild.id).me.guild_permissions.value == perms.VIEW_CHANNEL | perms.SEND_MESSAGES


async def test_typing_reply_and_mentions(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = _text_channel(client, world)
        async with channel.typing():
            pass
        question = await double.send_message(world.bob, world.general, f"hi {double.bot_user.mention}")
        incoming = await client.wait_for("message", check=lambda m: m.id == question.id, timeout=5)
        assert client.user in incoming.mentions
        assert isinstance(incoming.author, discord.Member)
        reply = await incoming.reply(f"hello {world.alice.mention}", mention_author=False)
        stored = double.messages(world.general)[-1]
        assert stored.id == reply.id and stored.type == 19
        assert stored.message_reference["message_id"] == str(question.id)
        assert stored.mention_ids == [world.alice.id]
        assert stored.allowed_mentions is not None and stored.allowed_mentions["replied_user"] is False


async def test_reactions_and_pins(world: World) -> None:
    double = world.double
    client = make_client()
    async with running_client(double, client):
        channel = _text_channel(client, world)
        sent = await channel.send("vote")
        await sent.add_reaction("👍")
        stored = double.messages(world.general)[-1]
        assert stored.reactions == {"👍": [double.bot_user.id]}
        reacted = asyncio.create_task(
            client.wait_for("raw_reaction_add", check=lambda p: p.user_id == world.bob.id, timeout=5)
        )
        await double.react(world.bob, stored, "👍")
        assert str((await reacted).emoji) == "👍"
        users = [u.id async for u in (await channel.fetch_message(sent.id)).reactions[0].users()]
        assert sorted(users) == sorted([double.bot_user.id, world.bob.id])
        raw = await client.http.get_reaction_users(channel.id, sent.id, "👍", 100)
        assert [int(u["id"]) for u in raw] == sorted(users)  # Discord lists reaction users by id
        with pytest.raises(discord.HTTPException) as info:
            await sent.add_reaction("notanemoji")
        assert info.value.code == 10014
        with pytest.raises(discord.Forbidden):
            await sent.pin()  # pinning needs PIN_MESSAGES (or MANAGE_MESSAGES)
        double.set_role_permissions(world.guild.bot_role, perms.DEFAULT_BOT | perms.PIN_MESSAGES)
        await sent.pin()
        assert stored.pinned
        assert [m.id async for m in channel.pins()] == [sent.id]
