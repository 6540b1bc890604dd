"""The Discord side of the access rule: gathers the facts :mod:`bot.access` decides on, and the one helper that
says which permissions the bot itself is missing in a channel.

A :class:`Viewer` is made per interaction and remembers what it learned (one look-up per channel), so a list of
hundreds of objects in a handful of channels costs a handful of checks. Private-thread membership is read
from the thread's members (the cache first, then one request), never from the parent's permissions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import discord

from bot.access import GONE, NOWHERE, ChannelAccess, Place, Subject, may_see
from bot.errors import ObjectNotFound
from bot.i18n import t

log = logging.getLogger(__name__)

T = TypeVar("T")


class Viewer:
    """One member asking to see things, in the server they are asking from."""

    def __init__(self, client: discord.Client, member: discord.Member) -> None:
        self.client = client
        self.member = member
        self._channels: dict[int, ChannelAccess] = {}

    @classmethod
    def of(cls, interaction: discord.Interaction[Any]) -> Viewer:
        from bot.adapter.permissions import guild_member

        return cls(interaction.client, guild_member(interaction))

    @property
    def guild_id(self) -> int:
        return self.member.guild.id

    async def channel(self, channel_id: int | None) -> ChannelAccess:
        if channel_id is None:
            return NOWHERE
        known = self._channels.get(channel_id)
        if known is None:
            known = await self._look(channel_id)
            self._channels[channel_id] = known
        return known

    async def _look(self, channel_id: int) -> ChannelAccess:
        guild = self.member.guild
        channel: Any = guild.get_channel_or_thread(channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden):
                return GONE
            except discord.HTTPException:
                log.warning("could not look up channel %s; treating it as hidden", channel_id)
                return GONE
        if getattr(getattr(channel, "guild", None), "id", None) != guild.id:
            return GONE
        if isinstance(channel, discord.Thread):
            if channel.parent is None:
                return GONE  # the parent is gone or unknown: its permissions cannot be worked out
            perms = channel.permissions_for(self.member)
            if channel.type is not discord.ChannelType.private_thread:
                return ChannelAccess(Place.CHANNEL, perms.view_channel, perms.read_message_history)
            return ChannelAccess(
                Place.PRIVATE_THREAD, perms.view_channel, perms.read_message_history, await self._in_thread(channel)
            )
        if not isinstance(channel, discord.abc.GuildChannel):
            return GONE
        perms = channel.permissions_for(self.member)
        return ChannelAccess(Place.CHANNEL, perms.view_channel, perms.read_message_history)

    async def _in_thread(self, thread: discord.Thread) -> bool:
        if any(m.id == self.member.id for m in thread.members):
            return True
        try:
            await thread.fetch_member(self.member.id)
        except discord.NotFound:
            return False
        except discord.HTTPException:
            log.warning("could not check membership of thread %s; treating it as hidden", thread.id)
            return False
        return True

    async def may_see(self, subject: Subject) -> bool:
        if subject.guild_id != self.guild_id:
            return False
        access = NOWHERE
        if subject.channel_id is not None and not subject.private and self.member.id not in subject.parties:
            access = await self.channel(subject.channel_id)
        return may_see(self.member.id, self.guild_id, subject, access)

    async def visible(self, items: Iterable[T], subject: Callable[[T], Subject]) -> list[T]:
        return [item for item in items if await self.may_see(subject(item))]

    async def require(self, subject: Subject, not_found: str) -> None:
        """Raise :class:`ObjectNotFound` (never "forbidden") unless the member may see it."""
        if not await self.may_see(subject):
            raise ObjectNotFound(not_found)


async def viewer_in(interaction: discord.Interaction[Any], guild_id: int, not_found: str) -> Viewer:
    """The presser of a persistent button or form, as a member of the server the object belongs to.

    Custom ids carry row ids, so a payload can be replayed anywhere: pressed in a server, the object must
    belong to that server; pressed in a DM, the presser must still be a member of the object's server. Any
    other case is :class:`ObjectNotFound`, like an object that does not exist.
    """
    client = interaction.client
    if interaction.guild_id is not None:
        if interaction.guild_id != guild_id or not isinstance(interaction.user, discord.Member):
            raise ObjectNotFound(not_found)
        return Viewer(client, interaction.user)
    guild = client.get_guild(guild_id)
    if guild is None:
        raise ObjectNotFound(not_found)
    member = guild.get_member(interaction.user.id)
    if member is None:
        try:
            member = await guild.fetch_member(interaction.user.id)
        except discord.HTTPException:
            raise ObjectNotFound(not_found) from None
    return Viewer(client, member)


async def require_scope(interaction: discord.Interaction[Any], subject: Subject, not_found: str) -> Viewer:
    """:func:`viewer_in` the object's server, then the access rule on the object itself."""
    viewer = await viewer_in(interaction, subject.guild_id, not_found)
    await viewer.require(subject, not_found)
    return viewer


# -- what the bot itself lacks ----------------------------------------------------------------------------

def permission_labels(locale: str | None = None) -> dict[str, str]:
    """Readable names of the permissions the bot asks for, in the reader's language (as Discord names them)."""
    return {
        "view_channel": t(locale, "View Channel"),
        "send_messages": t(locale, "Send Messages"),
        "send_messages_in_threads": t(locale, "Send Messages in Threads"),
        "embed_links": t(locale, "Embed Links"),
        "attach_files": t(locale, "Attach Files"),
        "read_message_history": t(locale, "Read Message History"),
        "create_public_threads": t(locale, "Create Public Threads"),
        "create_private_threads": t(locale, "Create Private Threads"),
        "manage_threads": t(locale, "Manage Threads"),
        "manage_messages": t(locale, "Manage Messages"),
        "add_reactions": t(locale, "Add Reactions"),
        "manage_guild": t(locale, "Manage Server"),
        "administrator": t(locale, "Administrator"),
    }


#: Readable names of the permissions the bot asks for, in English.
LABELS = permission_labels()


def missing_permissions(
    permissions: discord.Permissions, needed: Iterable[str], locale: str | None = None
) -> list[str]:
    """The readable names (in ``locale``) of the ``needed`` permission flags that ``permissions`` lacks, in order."""
    labels = permission_labels(locale)
    return [labels.get(flag, flag.replace("_", " ").title()) for flag in needed if not getattr(permissions, flag)]
