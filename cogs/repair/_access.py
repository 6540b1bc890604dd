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




def bot_of(interaction: discord.Interaction[Any]) -> Rapport:
    return cast("Rapport", interaction.client)


def service_of(interaction: discord.Interaction[Any]) -> RepairService:
    return bot_of(interaction).service(RepairService)


def reader(interaction: discord.Interaction[Any]) -> str:
    """The locale of a reply to this interaction (what only the member pressing or submitting sees)."""
    return str(interaction.locale)


async def thread_locale(bot: Rapport, repair: Repair) -> str:
    """The language of what is posted in the repair's thread for both people: the server's channel language."""
    return (await bot.prefs.guild(repair.guild_id)).channel_locale


async def followup_locale(bot: Rapport, repair: Repair) -> str:
    """The follow-up's language: the two people's own when they share one, else the server's channel language."""
    members = await bot.prefs.members(list(repair.people))
    known = [m for m in members.values() if m.locale or m.last_locale]
    chosen = {m.message_locale for m in known}
    if len(known) == 2 and len(chosen) == 1:
        return chosen.pop()
    return await thread_locale(bot, repair)


async def role_in(interaction: discord.Interaction[Any], repair: Repair) -> Role:
    """The member's part in the repair; anyone else (or anyone in another server) is refused privately."""
    user_id = interaction.user.id
    manager = False
    outsider = not repair.is_member(user_id) and interaction.guild_id == repair.guild_id
    if outsider and isinstance(interaction.user, discord.Member):
        manager = await is_manager(interaction, bot_of(interaction).prefs)
    role = await service_of(interaction).role_of(repair, user_id, is_manager=manager)
    if role is None:
        raise NotAllowed("This repair is private to the people in it, so its buttons aren't for you.")
    return role
