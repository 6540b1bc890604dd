"""Autocomplete callbacks shared by several commands."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.timezones import search_timezones


async def timezone_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """IANA zones containing what was typed (case-insensitive), at most 25."""
    return [app_commands.Choice(name=name, value=name) for name in search_timezones(current[:100], limit=25)]
