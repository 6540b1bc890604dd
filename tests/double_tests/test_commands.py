"""Command sync (bulk overwrite), slash commands with options, sub-command groups, autocomplete,
context menus, and what Discord checks before it delivers an invocation."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from tests.double import DoubleUsageError, perms, running_client

from .conftest import TreeClient, World

CITIES = ["London", "Londonderry", "Lisbon", "Paris", "Perth", "Prague"]


def _echo_client(world: World, got: dict[str, Any], *, sync_guild: int | None = None) -> TreeClient:
    client = TreeClient(sync_guild=sync_guild)

    @client.tree.command(description="Echo the options back")
    @app_commands.describe(text="Some text", count="How many", who="A member", role="A role", where="A channel")
    async def echo(
        interaction: discord.Interaction,
        text: str,
        count: app_commands.Range[int, 1, 10],
        who: discord.Member,
        role: discord.Role,
        where: discord.TextChannel | None = None,
        loud: bool = False,
    ) -> None:
        got.update(
            text=text,
            count=count,
            who=who,
            role=role,
            where=where,
            loud=loud,
            channel=interaction.channel,
            perms=interaction.permissions,
            app_perms=interaction.app_permissions,
        )
        await interaction.response.send_message(f"{text} x{count}")

    settings = app_commands.Group(name="settings", description="Settings")
    time = app_commands.Group(name="time", description="Time settings", parent=settings)

    @time.command(name="zone", description="Set your time zone")
    @app_commands.choices(tz=[app_commands.Choice(name=n, value=n) for n in ("Europe/Paris", "UTC")])
    async def zone(interaction: discord.Interaction, tz: str) -> None:
        got["tz"] = tz
        await interaction.response.send_message(f"tz={tz}", ephemeral=True)

    @settings.command(name="show", description="Show settings")
    async def show(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("settings")

    client.tree.add_command(settings)

    @client.tree.command(description="Pick a city")
    async def city(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @city.autocomplete("name")
    async def city_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        got["current"] = current
        return [app_commands.Choice(name=c, value=c) for c in CITIES if c.lower().startswith(current.lower())]

    @client.tree.context_menu(name="Summarize from here")
    async def summarize(interaction: discord.Interaction, message: discord.Message) -> None:
        got["target"] = message
        await interaction.response.send_message(f"summary of {message.id}", ephemeral=True)

    @client.tree.context_menu(name="Profile")
    async def profile(interaction: discord.Interaction, member: discord.Member) -> None:
        got["member"] = member
        await interaction.response.send_message(f"profile of {member.id}")

    @client.tree.command(description="Admins only")
    @app_commands.default_permissions(manage_guild=True)
    async def admin(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    return client


async def test_global_sync_is_stored_counted_and_listed(world: World) -> None:
    double = world.double
    client = _echo_client(world, {})
    async with running_client(double, client):
        names = sorted(c.name for c in double.commands())
        assert names == ["Profile", "Summarize from here", "admin", "city", "echo", "settings"]
        assert double.sync_count[None] == 1
        fetched = await client.tree.fetch_commands()
        assert sorted(c.name for c in fetched) == names
        echo = next(c for c in fetched if c.name == "echo")
        assert [o.name for o in echo.options] == ["text", "count", "who", "role", "where", "loud"]
        # A second sync keeps ids stable (bulk overwrite by name).
        ids = {c.name: c.id for c in double.commands()}
        await client.tree.sync()
        assert {c.name: c.id for c in double.commands()} == ids
        assert double.sync_count[None] == 2


async def test_invalid_sync_is_rejected(world: World) -> None:
    double = world.double
    client = TreeClient(sync=False)

    @client.tree.command(description="x" * 10)
    async def fine(interaction: discord.Interaction) -> None:
        pass

    async with running_client(double, client):
        fine.description = "y" * 101  # discord.py only checks this at definition time
        with pytest.raises(app_commands.CommandSyncFailure) as info:
            await client.tree.sync()
        assert info.value.code == 50035
        assert "description" in str(info.value)
        assert double.sync_count[None] == 0
        assert double.commands() == []
        too_many = app_commands.Command(name="choices", description="Too many choices", callback=_noop_str)
        too_many._params["value"].choices = [app_commands.Choice(name=str(i), value=str(i)) for i in range(26)]
        client.tree.remove_command("fine")
        client.tree.add_command(too_many)
        with pytest.raises(app_commands.CommandSyncFailure):
            await client.tree.sync()


async def _noop_str(interaction: discord.Interaction, value: str) -> None:
    pass


async def test_slash_with_all_option_kinds(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    role = double.create_role(world.guild, "Managers", permissions=perms.MANAGE_GUILD)
    other = double.create_channel(world.guild, "other")
    client = _echo_client(world, got)
    async with running_client(double, client):
        rec = await double.slash(
            world.bob, world.general, "echo", text="hi", count=3, who=world.alice, role=role, where=other
        )
        await rec.wait_response()
        assert rec.response_type == 4 and not rec.ephemeral
        assert rec.content == "hi x3"
        assert rec.message in double.messages(world.general)
        assert got["who"].id == world.alice.id and isinstance(got["who"], discord.Member)
        assert got["role"].id == role.id
        assert got["where"].id == other.id
        assert got["loud"] is False
        # member.permissions / app_permissions are computed by the double.
        assert got["perms"].value == double.world.permissions(world.general, world.bob.id)
        assert got["app_perms"].value == double.world.bot_permissions(world.general)
        assert got["app_perms"].create_public_threads


async def test_slash_in_a_thread(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    client = _echo_client(world, got)
    async with running_client(double, client):
        thread = double.create_thread(world.general, "standup", owner=world.bob)
        rec = await double.slash(
            world.bob, thread, "echo", text="in thread", count=1, who=world.bob, role=world.guild.everyone_role
        )
        await rec.wait_response()
        assert isinstance(got["channel"], discord.Thread)
        assert rec.message.channel_id == thread.id
        assert double.messages(thread)[-1].content == "in thread x1"


async def test_double_validates_like_discord_client(world: World) -> None:
    double = world.double
    client = _echo_client(world, {})
    async with running_client(double, client):
        with pytest.raises(DoubleUsageError, match="no command 'ehco'"):
            await double.slash(world.bob, world.general, "ehco")
        with pytest.raises(DoubleUsageError, match="required option 'who'"):
            await double.slash(world.bob, world.general, "echo", text="a", count=1)
        with pytest.raises(DoubleUsageError, match="within"):
            await double.slash(
                world.bob, world.general, "echo", text="a", count=11, who=world.bob, role=world.guild.everyone_role
            )
        with pytest.raises(DoubleUsageError, match="one of"):
            await double.slash(world.bob, world.general, "settings time zone", tz="Mars/Base")
        with pytest.raises(DoubleUsageError, match="cannot be run by itself"):
            await double.slash(world.bob, world.general, "settings")
        with pytest.raises(DoubleUsageError, match="no option 'colour'"):
            await double.slash(world.bob, world.general, "settings time zone", tz="UTC", colour="red")
        # default_member_permissions: bob cannot even see /admin; the owner can.
        with pytest.raises(DoubleUsageError, match="cannot see /admin"):
            await double.slash(world.bob, world.general, "admin")
        rec = await double.slash(world.alice, world.general, "admin")
        assert (await rec.wait_response()).content == "ok"


async def test_subcommand_group_and_guild_preference(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    client = _echo_client(world, got, sync_guild=world.guild.id)
    async with running_client(double, client):
        assert double.sync_count[world.guild.id] == 1
        rec = await double.slash(world.bob, world.general, "settings time zone", tz="Europe/Paris")
        await rec.wait_response()
        assert got["tz"] == "Europe/Paris"
        assert rec.ephemeral and rec.content == "tz=Europe/Paris"
        assert rec.payload["data"]["guild_id"] == str(world.guild.id)
        assert rec.message not in double.messages(world.general)
        assert rec.message in double.messages(world.general, include_ephemeral=True)
        rec = await double.slash(world.bob, world.general, "settings show")
        assert (await rec.wait_response()).content == "settings"


async def test_autocomplete(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    client = _echo_client(world, got)
    async with running_client(double, client):
        rec = await double.autocomplete(world.bob, world.general, "city", focused="name", name="lon")
        await rec.wait_response()
        assert rec.response_type == 8
        assert rec.choices == [{"name": "London", "value": "London"}, {"name": "Londonderry", "value": "Londonderry"}]
        assert got["current"] == "lon"
        with pytest.raises(DoubleUsageError, match="does not use autocomplete"):
            await double.autocomplete(world.bob, world.general, "echo", focused="text", text="x")


async def test_autocomplete_with_too_many_choices_is_rejected(world: World) -> None:
    double = world.double
    client = TreeClient()

    @client.tree.command(description="Many")
    async def many(interaction: discord.Interaction, value: str) -> None:
        pass

    @many.autocomplete("value")
    async def many_ac(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"n{i}", value=str(i)) for i in range(26)]

    async with running_client(double, client, fail_on_error_logs=False):
        rec = await double.autocomplete(world.bob, world.general, "many", focused="value", value="")
        await double.wait_until(lambda: rec.errors)
        assert rec.errors[0]["code"] == 50035 and rec.response_type is None


async def test_context_menus(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    client = _echo_client(world, got)
    async with running_client(double, client):
        message = await double.send_message(world.bob, world.general, "a long discussion")
        rec = await double.context_menu(world.alice, world.general, "Summarize from here", target=message)
        await rec.wait_response()
        assert got["target"].id == message.id and got["target"].content == "a long discussion"
        assert rec.ephemeral
        rec = await double.context_menu(world.alice, world.general, "Profile", target=world.bob)
        await rec.wait_response()
        assert got["member"].id == world.bob.id and rec.content == f"profile of {world.bob.id}"


async def test_slash_in_dm(world: World) -> None:
    double = world.double
    client = _echo_client(world, {})
    async with running_client(double, client):
        dm = double.dm_channel(world.bob)
        rec = await double.slash(world.bob, dm, "city", name="Paris")
        await rec.wait_response()
        assert rec.content == "Paris" and rec.message.channel_id == dm.id
        assert "user" in rec.payload and "member" not in rec.payload
