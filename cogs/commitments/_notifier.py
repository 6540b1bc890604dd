"""The service's :class:`~bot.commitments.service.CommitmentNotifier`, implemented with discord.py.

Private first: proposals and nudges are DMs (through :func:`bot.adapter.delivery.deliver_privately`, which falls back
to one mention of that member in the commitment's channel when their DMs are closed). Channel posts mention
the owner only where the feature calls for it (escalation, asking for help); a celebration pings nobody.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot.adapter.delivery import deliver_privately, resolve_messageable
from bot.adapter.render import NO_MENTIONS, mention_users
from bot.commitments.models import Commitment
from bot.delivery import Delivery
from bot.i18n import t
from cogs.commitments import _render as render
from cogs.commitments._buttons import nudge_view, proposal_view

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

T = TypeVar("T")
#: Tries for a delivery that Discord answers with 429 (discord.py itself gives up after five 429s in a row).
RATE_LIMITED_TRIES = 4


async def _retry_rate_limited(send: Callable[[], Awaitable[T]]) -> T:
    """Try again when Discord answered 429: a rate-limited request was not carried out, so nothing doubles."""
    for attempt in range(1, RATE_LIMITED_TRIES + 1):
        try:
            return await send()
        except discord.HTTPException as error:
            if error.status != 429 or attempt == RATE_LIMITED_TRIES:
                raise
            log.warning("delivery rate limited (attempt %d); trying again", attempt)
            await asyncio.sleep(attempt)
    raise AssertionError("unreachable")


class DiscordNotifier:
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    def _guild_name(self, guild_id: int, locale: str | None = None) -> str:
        guild = self.bot.get_guild(guild_id)
        return guild.name if guild is not None else t(locale, "your server")

    async def _member_locale(self, commitment: Commitment) -> str:
        """What is sent later to the owner is in their language (chosen, last used, else the server's)."""
        return await self.bot.prefs.message_locale(commitment.owner_id, commitment.guild_id)

    async def _channel_locale(self, guild_id: int) -> str:
        """What is posted in a channel is in the server's language."""
        return (await self.bot.prefs.guild(guild_id)).channel_locale

    async def _channel(self, channel_id: int | None) -> discord.abc.Messageable | None:
        if channel_id is None:
            return None
        return await resolve_messageable(self.bot, channel_id)

    async def _post(self, channel_id: int | None, **kwargs: Any) -> bool:
        channel = await self._channel(channel_id)
        if channel is None:
            return False
        try:
            await _retry_rate_limited(lambda: channel.send(**kwargs))
        except (discord.Forbidden, discord.NotFound):
            log.warning("could not post in channel %s", channel_id)
            return False
        return True

    async def ask_owner(self, commitment: Commitment) -> Delivery:
        locale = await self._member_locale(commitment)
        view = proposal_view(commitment, locale)
        delivery = await deliver_privately(
            self.bot,
            commitment.owner_id,
            dm={
                "content": render.proposal_dm(commitment, self._guild_name(commitment.guild_id, locale), locale),
                "view": view,
                "allowed_mentions": NO_MENTIONS,
            },
            fallback_channel_id=commitment.source_channel_id,
            fallback={"content": render.proposal_fallback(commitment, locale), "view": view},
            nonce=commitment.ask_nonce,
        )
        return delivery

    async def nudge(self, commitment: Commitment, kind: str, *, nonce: str) -> Delivery:
        locale = await self._member_locale(commitment)
        view = nudge_view(commitment, locale)
        delivery = await _retry_rate_limited(
            lambda: deliver_privately(
                self.bot,
                commitment.owner_id,
                dm={
                    "content": render.nudge_dm(commitment, kind, self._guild_name(commitment.guild_id, locale), locale),
                    "view": view,
                    "allowed_mentions": NO_MENTIONS,
                },
                fallback_channel_id=commitment.source_channel_id,
                fallback={"content": render.nudge_fallback(commitment, locale), "view": view},
                nonce=nonce,
            )
        )
        return delivery

    async def escalate(self, commitment: Commitment, *, nonce: str) -> bool:
        locale = await self._channel_locale(commitment.guild_id)
        return await self._post(
            commitment.source_channel_id,
            nonce=nonce,
            content=render.escalation_text(commitment, locale),
            view=nudge_view(commitment, locale),
            allowed_mentions=mention_users(commitment.owner_id),
        )

    async def celebrate(self, commitment: Commitment) -> bool:
        locale = await self._channel_locale(commitment.guild_id)
        return await self._post(
            commitment.source_channel_id,
            content=render.celebration_text(commitment, locale),
            allowed_mentions=NO_MENTIONS,
        )

    async def ask_for_help(self, commitment: Commitment) -> bool:
        locale = await self._channel_locale(commitment.guild_id)
        return await self._post(
            commitment.source_channel_id,
            content=render.help_text(commitment, locale),
            allowed_mentions=mention_users(commitment.owner_id),
        )
