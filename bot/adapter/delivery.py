"""Private-first delivery: a DM, and when DMs are closed (50007) one gentle mention in a channel instead."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.render import NO_MENTIONS, mention_users
from bot.delivery import Delivery

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

UNREACHABLE_FOR = timedelta(days=7)
CANNOT_DM = 50007


async def _dm_channel(bot: Rapport, user_id: int) -> discord.DMChannel | None:
    """The member's DM channel: from the cache, else opened by id (one request, no user lookup)."""
    try:
        return await bot.create_dm(discord.Object(user_id))
    except discord.NotFound:
        return None


async def resolve_messageable(bot: Rapport, channel_id: int) -> discord.abc.Messageable | None:
    """A channel or thread to send to: from the cache, else fetched; None when gone or not visible."""
    channel = bot.get_channel(channel_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden):
            return None
    return channel if isinstance(channel, discord.abc.Messageable) else None


async def deliver_privately(
    bot: Rapport,
    user_id: int,
    *,
    dm: dict[str, Any],
    fallback_channel_id: int | None,
    fallback: dict[str, Any] | None = None,
    nonce: str | None = None,
) -> Delivery:
    """Send ``dm`` (``send`` keyword arguments) to the member; if their DMs are closed, mention them once.

    ``fallback`` holds the ``send`` arguments for the channel message; its content is prefixed with the
    member's mention, and only that member may be pinged. A member whose DMs are closed is remembered as
    unreachable by DM for a week, so the next message goes straight to the fallback.

    ``nonce`` (see :func:`bot.delivery.message_nonce`) goes with the DM and with the fallback: a send retried
    after a 5xx or a restart is dropped by Discord when the first one arrived.
    """
    once: dict[str, Any] = {} if nonce is None else {"nonce": nonce}
    now = bot.clock.now()
    member = await bot.prefs.member(user_id)
    if member.dm_reachable(now):
        dm_channel = await _dm_channel(bot, user_id)
        if dm_channel is not None:
            try:
                await dm_channel.send(**{"allowed_mentions": NO_MENTIONS, **once, **dm})
                return Delivery.DM
            except discord.Forbidden as error:
                if error.code != CANNOT_DM:
                    raise
                log.info("DMs closed for user %s; falling back to a channel mention", user_id)
                await bot.prefs.mark_dm_unreachable(user_id, now + UNREACHABLE_FOR, now)
    if fallback_channel_id is None:
        return Delivery.FAILED
    channel = await resolve_messageable(bot, fallback_channel_id)
    if channel is None:
        return Delivery.FAILED
    payload = {**once, **(fallback if fallback is not None else dm)}
    payload["content"] = f"<@{user_id}> {payload.get('content') or ''}".rstrip()
    payload["allowed_mentions"] = mention_users(user_id)
    try:
        await channel.send(**payload)
    except discord.Forbidden:
        log.warning("could not reach user %s by DM or in channel %s", user_id, fallback_channel_id)
        return Delivery.FAILED
    return Delivery.CHANNEL
