"""The digest's Discord side: checking a channel and posting the digest in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.adapter.render import NO_MENTIONS
from bot.adapter.visibility import missing_permissions
from bot.digest.render import RenderedDigest
from bot.digest.service import PostingFailed
from bot.i18n import t
from cogs.digest._embed import digest_embed, digest_files

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

#: What the bot needs in the digest's channel, with the names members see in Discord.
NEEDED = ("view_channel", "send_messages", "embed_links", "attach_files")


def channel_problem(channel: discord.abc.GuildChannel, locale: str | None = None) -> str | None:
    """What stops the digest being posted there, in ``locale`` (English for the logs and the post row)."""
    missing = missing_permissions(channel.permissions_for(channel.guild.me), NEEDED)
    if missing:
        return t(
            locale,
            "I need {permissions} in {channel} to post the digest there.",
            permissions=", ".join(missing),
            channel=channel.mention,
        )
    return None


class DiscordDigestPoster:
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    def _channel(self, guild_id: int, channel_id: int) -> discord.TextChannel | None:
        guild = self.bot.get_guild(guild_id)
        channel = guild.get_channel(channel_id) if guild is not None else None
        return channel if isinstance(channel, discord.TextChannel) else None

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        await self.bot.wait_until_ready()  # a digest due at start-up waits for the server list
        channel = self._channel(guild_id, channel_id)
        if channel is None:
            return "the digest's channel no longer exists (or I was removed from the server)"
        return channel_problem(channel)

    async def post(self, channel_id: int, digest: RenderedDigest, nonce: str) -> int:
        await self.bot.wait_until_ready()
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise PostingFailed("the digest's channel no longer exists")
        try:
            message = await channel.send(
                embed=digest_embed(digest), files=digest_files(digest), nonce=nonce, allowed_mentions=NO_MENTIONS
            )
        except discord.Forbidden as error:
            raise PostingFailed(f"Discord refused: {error.text or 'missing permission'}") from error
        except discord.NotFound as error:
            raise PostingFailed("the digest's channel no longer exists") from error
        except discord.HTTPException as error:
            raise PostingFailed(f"Discord error {error.status}: {error.text}") from error
        return message.id
