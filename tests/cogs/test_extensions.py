"""Every extension loads; command names are unique; every command and option is described."""

from __future__ import annotations

from pathlib import Path

import discord
from discord import app_commands

from bot.adapter.client import Rapport
from bot.config import Secret, Settings
from bot.db.preferences import PreferencesRepo
from cogs import feature_extensions
from tests.support.databases import TestDatabases


def _walk(commands: list[object]) -> list[object]:
    found: list[object] = []
    for command in commands:
        found.append(command)
        if isinstance(command, app_commands.Group):
            found.extend(_walk(list(command.commands)))
    return found


async def test_every_extension_loads_with_described_unique_commands(tmp_path: Path, databases: TestDatabases) -> None:
    extensions = feature_extensions()
    assert "cogs.about" in extensions and "cogs.settings" in extensions and "cogs.me" in extensions
    bot = Rapport(Settings(token=Secret("x" * 20), database_path=tmp_path / "x.db"), realtime_jobs=False)
    # What setup_hook does before loading extensions (cogs read the database in cog_load).
    bot.db = await databases.open("x")
    bot.prefs = PreferencesRepo(bot.db)
    for name in extensions:
        await bot.load_extension(name)
    top = bot.tree.get_commands()
    names = [(c.name, type(c).__name__ if not isinstance(c, app_commands.ContextMenu) else c.type) for c in top]
    assert len(names) == len(set(names)), names
    for command in _walk(list(top)):
        if isinstance(command, app_commands.ContextMenu):
            continue
        assert isinstance(command, app_commands.Command | app_commands.Group)
        assert command.description and command.description != "…", command.qualified_name
        assert len(command.description) <= 100, command.qualified_name
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                assert parameter.description and parameter.description != "…", (
                    f"/{command.qualified_name} option {parameter.name} has no description"
                )
                assert len(parameter.description) <= 100
    # The payload Discord receives is valid JSON-able and stable between two calls.
    assert bot.command_payload(None) == bot.command_payload(None)
    for payload in bot.command_payload(None):
        if payload.get("type", 1) == 1:  # slash commands; context menus have display names
            assert payload["name"] == payload["name"].lower()
        else:
            assert 1 <= len(payload["name"]) <= 32
    await bot.close()


def test_bot_never_pings_by_default(tmp_path: Path) -> None:
    bot = Rapport(Settings(token=Secret("x" * 20), database_path=tmp_path / "x.db"), realtime_jobs=False)
    mentions = bot.allowed_mentions
    assert mentions is not None
    assert mentions.everyone is False and mentions.roles is False and mentions.users is False
    assert isinstance(mentions, discord.AllowedMentions)
