"""Who may do what: Manage Server, and the server's manager role."""

from __future__ import annotations

from typing import Any

import discord

from bot.db.preferences import PreferencesRepo
from bot.errors import NotAllowed


def guild_member(interaction: discord.Interaction[Any]) -> discord.Member:
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        raise NotAllowed("This only works in a server.")
    return interaction.user


def can_manage_server(interaction: discord.Interaction[Any]) -> bool:
    member = guild_member(interaction)
    perms = interaction.permissions if interaction.permissions else member.guild_permissions
    return perms.manage_guild or perms.administrator


def require_manage_server(interaction: discord.Interaction[Any]) -> None:
    """Enforced in code too: server admins can override a command's default permissions."""
    if not can_manage_server(interaction):
        raise NotAllowed("You need the Manage Server permission to change this.")


async def is_manager(interaction: discord.Interaction[Any], prefs: PreferencesRepo) -> bool:
    """Manage Server, or the server's manager role."""
    member = guild_member(interaction)
    if can_manage_server(interaction):
        return True
    settings = await prefs.guild(member.guild.id)
    return settings.manager_role_id is not None and any(r.id == settings.manager_role_id for r in member.roles)


async def require_manager(interaction: discord.Interaction[Any], prefs: PreferencesRepo, action: str) -> None:
    """``action``: what the member tried, as ``Term("set up the weekly digest")`` (shown in their language)."""
    if not await is_manager(interaction, prefs):
        raise NotAllowed("Only members with Manage Server or the server's manager role can {action}.", action=action)
