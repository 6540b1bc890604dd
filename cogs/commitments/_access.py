"""Who may press a commitment's button or submit its form: the same rule as the slash path."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import discord

from bot.adapter.permissions import is_manager
from bot.adapter.visibility import require_scope
from bot.commitments.models import Commitment
from bot.commitments.service import CommitmentService
from bot.errors import ObjectNotFound

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


def service_of(interaction: discord.Interaction[Any]) -> CommitmentService:
    bot = cast("Rapport", interaction.client)
    return bot.service(CommitmentService)


async def scoped(interaction: discord.Interaction[Any], commitment: Commitment) -> Commitment:
    """A commitment of another server, from a channel the presser cannot read, or made in a repair they are
    not party to, is "not found" (pressed in a DM: only for a member)."""
    try:
        await require_scope(interaction, commitment.subject, "I couldn't find that commitment.")
    except ObjectNotFound:
        raise ObjectNotFound("I couldn't find commitment #{number}.", number=commitment.number) from None
    return commitment


async def actor_is_manager(interaction: discord.Interaction[Any], commitment: Commitment) -> bool:
    """A manager of the commitment's own server, pressing or typing in that server."""
    if interaction.guild_id != commitment.guild_id or not isinstance(interaction.user, discord.Member):
        return False
    bot = cast("Rapport", interaction.client)
    return await is_manager(interaction, bot.prefs)
