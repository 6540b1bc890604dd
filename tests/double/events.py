"""Which gateway events Discord sends for each change in the world, to whom, with which intent.

Visibility follows Discord: guild events need the GUILDS intent, member events GUILD_MEMBERS,
message events GUILD_MESSAGES / DIRECT_MESSAGES, and messages in channels the bot cannot view are
not delivered at all. Without MESSAGE_CONTENT, content/embeds/attachments/components/poll are
blanked except in DMs, in messages that mention the bot and in the bot's own messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import payloads
from .gateway import (
    DIRECT_MESSAGE_REACTIONS,
    DIRECT_MESSAGES,
    GUILD_MEMBERS,
    GUILD_MESSAGE_REACTIONS,
    GUILD_MESSAGES,
    GUILDS,
    MESSAGE_CONTENT,
    Session,
)
from .models import Channel, Guild, Member, Message, Role

if TYPE_CHECKING:
    from .core import DoubleCore
    from .state import World


class Events:
    def __init__(self, core: DoubleCore) -> None:
        self.core = core

    @property
    def world(self) -> World:
        return self.core.world

    def _dispatch(self, t: str, d: Any, **kwargs: Any) -> None:
        self.core.gateway.dispatch(t, d, **kwargs)

    # guilds -----------------------------------------------------------------------------------
    def guild_create(self, guild: Guild) -> None:
        """The bot joined ``guild``: unlike the lazy load after READY, no ``unavailable`` key."""
        gateway = self.core.gateway
        for session in gateway.live_sessions():
            if session.intents & GUILDS and session.receives_guild(guild.id):
                data = gateway.guild_create_for(session, guild)
                data.pop("unavailable", None)
                gateway._send_dispatch(session, "GUILD_CREATE", data)

    def guild_delete(self, guild: Guild) -> None:
        self._dispatch("GUILD_DELETE", {"id": str(guild.id), "unavailable": False}, intent=GUILDS)

    def role_create(self, role: Role) -> None:
        self._dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(role.guild_id), "role": payloads.role(role)}, intent=GUILDS
        )

    def role_update(self, role: Role) -> None:
        self._dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(role.guild_id), "role": payloads.role(role)}, intent=GUILDS
        )

    def member_add(self, member: Member) -> None:
        data = payloads.member(member)
        data["guild_id"] = str(member.guild_id)
        self._dispatch("GUILD_MEMBER_ADD", data, intent=GUILD_MEMBERS)

    def member_update(self, member: Member) -> None:
        data = payloads.member(member)
        data["guild_id"] = str(member.guild_id)
        self._dispatch("GUILD_MEMBER_UPDATE", data, intent=GUILD_MEMBERS)

    def member_remove(self, guild: Guild, member: Member) -> None:
        data = {"guild_id": str(guild.id), "user": payloads.user(member.user)}
        self._dispatch("GUILD_MEMBER_REMOVE", data, intent=GUILD_MEMBERS)

    # channels ---------------------------------------------------------------------------------
    def channel_create(self, channel: Channel) -> None:
        if self.world.bot_can_view(channel):
            self._dispatch("CHANNEL_CREATE", payloads.channel(self.world, channel), intent=GUILDS)

    def channel_update(self, channel: Channel) -> None:
        self._dispatch("CHANNEL_UPDATE", payloads.channel(self.world, channel), intent=GUILDS)

    def channel_delete(self, channel: Channel) -> None:
        self._dispatch("CHANNEL_DELETE", payloads.channel(self.world, channel), intent=GUILDS)

    def thread_create(self, thread: Channel, *, newly_created: bool = True) -> None:
        if not self.world.bot_can_view(thread):
            return
        data = payloads.channel(self.world, thread, bot_member=True)
        if newly_created:
            data["newly_created"] = True
        self._dispatch("THREAD_CREATE", data, intent=GUILDS)

    def thread_update(self, thread: Channel) -> None:
        if self.world.bot_can_view(thread):
            self._dispatch("THREAD_UPDATE", payloads.channel(self.world, thread), intent=GUILDS)

    def thread_delete(self, thread: Channel) -> None:
        data = {
            "id": str(thread.id),
            "guild_id": str(thread.guild_id),
            "parent_id": str(thread.parent_id),
            "type": thread.type,
        }
        self._dispatch("THREAD_DELETE", data, intent=GUILDS)

    def thread_members_update(self, thread: Channel, *, added: Sequence[int] = (), removed: Sequence[int] = ()) -> None:
        world = self.world
        guild = world.guilds[thread.guild_id] if thread.guild_id is not None else None
        bot_id = world.bot_user.id
        data: dict[str, Any] = {
            "id": str(thread.id),
            "guild_id": str(thread.guild_id),
            "member_count": min(len(thread.member_ids), 50),
        }
        if added:
            data["added_members"] = [payloads.thread_member(thread, u, guild=guild) for u in added]
        if removed:
            data["removed_member_ids"] = [str(u) for u in removed]
        involves_bot = bot_id in added or bot_id in removed

        def visible(session: Session, d: Any) -> Any:
            # Without GUILD_MEMBERS, Discord only tells the bot about itself.
            if session.intents & GUILD_MEMBERS or involves_bot:
                return d
            return None

        if world.bot_can_view(thread) or involves_bot:
            self._dispatch("THREAD_MEMBERS_UPDATE", data, intent=GUILDS, transform=visible)

    # messages ---------------------------------------------------------------------------------
    def _message_intent(self, message: Message) -> int:
        return GUILD_MESSAGES if message.guild_id is not None else DIRECT_MESSAGES

    def _deliverable(self, message: Message) -> bool:
        if message.ephemeral:
            return False
        channel = self.world.channels.get(message.channel_id)
        return channel is not None and self.world.bot_can_view(channel)

    def _content_filter(self, message: Message) -> Callable[[Session, Any], Any]:
        bot_id = self.world.bot_user.id
        keeps_content = message.guild_id is None or message.author_id == bot_id or bot_id in message.mention_ids

        def transform(session: Session, d: Any) -> Any:
            if keeps_content or session.intents & MESSAGE_CONTENT:
                return d
            return strip_content(d)

        return transform

    def message_create(self, message: Message) -> None:
        if not self._deliverable(message):
            return
        data = payloads.message(self.world, message, gateway=True)
        self._dispatch(
            "MESSAGE_CREATE", data, intent=self._message_intent(message), transform=self._content_filter(message)
        )

    def message_update(self, message: Message) -> None:
        if not self._deliverable(message):
            return
        data = payloads.message(self.world, message, gateway=True)
        self._dispatch(
            "MESSAGE_UPDATE", data, intent=self._message_intent(message), transform=self._content_filter(message)
        )

    def message_delete(self, message: Message) -> None:
        if not self._deliverable(message):
            return
        data: dict[str, Any] = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        self._dispatch("MESSAGE_DELETE", data, intent=self._message_intent(message))

    def message_delete_bulk(self, channel: Channel, ids: list[int]) -> None:
        data = {"ids": [str(i) for i in ids], "channel_id": str(channel.id), "guild_id": str(channel.guild_id)}
        self._dispatch("MESSAGE_DELETE_BULK", data, intent=GUILD_MESSAGES)

    def reaction(self, t: str, message: Message, user_id: int, emoji: dict[str, Any]) -> None:
        if not self._deliverable(message):
            return
        data: dict[str, Any] = {
            "user_id": str(user_id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "emoji": emoji,
            "burst": False,
            "type": 0,
        }
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
            guild = self.world.guilds[message.guild_id]
            if t == "MESSAGE_REACTION_ADD" and user_id in guild.members:
                data["member"] = payloads.member(guild.members[user_id])
            data["message_author_id"] = str(message.author_id)
        intent = GUILD_MESSAGE_REACTIONS if message.guild_id is not None else DIRECT_MESSAGE_REACTIONS
        self._dispatch(t, data, intent=intent)

    # interactions -----------------------------------------------------------------------------
    def interaction_create(self, data: dict[str, Any]) -> None:
        self._dispatch("INTERACTION_CREATE", data)


def strip_content(d: dict[str, Any]) -> dict[str, Any]:
    stripped = dict(d)
    stripped.update({"content": "", "embeds": [], "attachments": [], "components": []})
    stripped.pop("poll", None)
    return stripped
