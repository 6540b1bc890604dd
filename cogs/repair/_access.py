"""Who is pressing or submitting: the repair's people, its mediator, a manager (when allowed), or nobody."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import discord

from bot.adapter.permissions import is_manager
from bot.errors import NotAllowed
from bot.repair.models import Repair
from bot.repair.service import RepairService, Role

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

OUTSIDER = "This repair is private to the people in it, so its buttons aren't for you."


def bot_of(interaction: discord.Interaction[Any]) -> Rapport:
    return cast("Rapport", interaction.client)


def service_of(interaction: discord.Interaction[Any]) -> RepairService:
    return bot_of(interaction).service(RepairService)


async def role_in(interaction: discord.Interaction[Any], repair: Repair) -> Role:
    """The member's part in the repair; anyone else (or anyone in another server) is refused privately."""
    user_id = interaction.user.id
    manager = False
    outsider = not repair.is_member(user_id) and interaction.guild_id == repair.guild_id
    if outsider and isinstance(interaction.user, discord.Member):
        manager = await is_manager(interaction, bot_of(interaction).prefs)
    role = await service_of(interaction).role_of(repair, user_id, is_manager=manager)
    if role is None:
        raise NotAllowed(OUTSIDER)
    return role
