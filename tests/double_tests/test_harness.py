"""The harness itself: a dying client fails fast, logged errors fail the test, commands.Bot works,
interaction tokens expire."""

from __future__ import annotations

import logging
from typing import Any

import discord
import pytest
from discord.ext import commands

from tests.double import ClientDiedError, client_kwargs, running_client

from .conftest import TreeClient, World


async def test_a_dying_client_fails_waits_fast(world: World) -> None:
    double = world.double
    client = discord.Client(**client_kwargs())
    with pytest.raises(ClientDiedError):
        async with running_client(double, client):
            # A malformed dispatch kills discord.py's gateway loop (parsers are not guarded).
            double.gateway.dispatch("MESSAGE_CREATE", {"channel_id": str(world.general.id)})
            await double.wait_for_message(lambda m: False, timeout=5)


async def test_errors_logged_by_discord_py_fail_the_test(world: World) -> None:
    double = world.double
    client = TreeClient()

    @client.tree.command(description="Broken")
    async def broken(interaction: discord.Interaction) -> None:
        raise RuntimeError("boom")

    seen: list[logging.LogRecord] = []
    watcher = logging.Handler(level=logging.ERROR)
    watcher.emit = seen.append  # type: ignore[method-assign]
    logging.getLogger("discord").addHandler(watcher)
    try:
        with pytest.raises(AssertionError, match="boom"):
            async with running_client(double, client):
                await double.slash(world.bob, world.general, "broken")
                await double.wait_until(lambda: seen)
    finally:
        logging.getLogger("discord").removeHandler(watcher)


async def test_commands_bot_prefix_command(world: World) -> None:
    double = world.double
    bot = commands.Bot(command_prefix="!", **client_kwargs())

    @bot.command()
    async def ping(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.reply("pong")

    async with running_client(double, bot):
        asked = await double.send_message(world.bob, world.general, "!ping")
        reply = await double.wait_for_message(lambda m: m.author_id == double.bot_user.id)
        assert reply.content == "pong" and reply.message_reference["message_id"] == str(asked.id)


async def test_interaction_tokens_expire_after_15_minutes(world: World) -> None:
    double = world.double
    client = TreeClient()
    got: dict[str, Any] = {}

    @client.tree.command(description="Later")
    async def later(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        got["interaction"] = interaction

    async with running_client(double, client):
        rec = await double.slash(world.bob, world.general, "later")
        await rec.wait_response()
        await double.wait_until(lambda: "interaction" in got)
        double.advance_clock(16 * 60)
        with pytest.raises(discord.HTTPException) as info:
            await got["interaction"].followup.send("too late")
        assert info.value.status == 401 and info.value.code == 50027
