"""Fixtures for the double's own regression tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest
from discord import app_commands

from tests.double import Channel, DiscordDouble, Guild, User, client_kwargs
from tests.double.fixtures import discord_double  # noqa: F401  (re-exported fixture)


@dataclass
class World:
    double: DiscordDouble
    alice: User
    bob: User
    guild: Guild
    general: Channel


@pytest.fixture
async def world(discord_double: DiscordDouble) -> AsyncIterator[World]:  # noqa: F811
    alice = discord_double.create_user("alice")
    bob = discord_double.create_user("bob")
    guild = discord_double.create_guild("Team", owner=alice)
    discord_double.add_member(guild, bob)
    general = discord_double.create_channel(guild, "general")
    yield World(discord_double, alice, bob, guild, general)


def make_client(**overrides: object) -> discord.Client:
    return discord.Client(**client_kwargs(**overrides))


class TreeClient(discord.Client):
    """A client with a CommandTree that syncs in setup_hook (globally, or to ``sync_guild``)."""

    def __init__(self, *, sync_guild: int | None = None, sync: bool = True, **overrides: object) -> None:
        super().__init__(**client_kwargs(**overrides))
        self.tree = app_commands.CommandTree(self)
        self.sync_guild = sync_guild
        self.do_sync = sync

    async def setup_hook(self) -> None:
        if self.do_sync:
            guild = None if self.sync_guild is None else discord.Object(self.sync_guild)
            if guild is not None:
                self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
