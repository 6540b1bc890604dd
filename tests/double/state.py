"""The double's world: users, guilds, channels, messages and registered commands.

Pure storage and queries; nothing here talks to the network. REST handlers, actors and
world-building methods mutate it and then ask ``events`` to tell the client.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from . import perms
from .errors import UNKNOWN_CHANNEL, UNKNOWN_GUILD, UNKNOWN_MESSAGE, UNKNOWN_USER, ApiError, missing_access, not_found
from .models import DM, Attachment, Channel, Guild, Message, RegisteredCommand, User

if TYPE_CHECKING:
    from .clock import Clock, Snowflakes


class World:
    def __init__(self, clock: Clock, ids: Snowflakes) -> None:
        self.clock = clock
        self.ids = ids
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.messages_by_channel: dict[int, list[Message]] = defaultdict(list)
        self.dm_by_user: dict[int, Channel] = {}
        self.commands: dict[int | None, list[RegisteredCommand]] = {}
        # (guild id, top-level command name) -> user ids an admin allowed despite default permissions
        self.command_overrides: dict[tuple[int, str], set[int]] = defaultdict(set)
        self.loose_attachments: dict[int, Attachment] = {}
        self.cdn_base = ""
        self.application_flags = 0
        self.bot_user: User = self.add_user("rapport", bot=True)
        self.application_id = self.bot_user.id
        self.app_owner: User = self.add_user("rapport-owner")

    # users ---------------------------------------------------------------------------------
    def add_user(self, name: str, *, bot: bool = False, dms_open: bool = True) -> User:
        user = User(id=self.ids.next(), name=name, bot=bot, dms_open=dms_open)
        self.users[user.id] = user
        return user

    def user(self, user_id: int) -> User:
        try:
            return self.users[int(user_id)]
        except (KeyError, ValueError):
            raise not_found(UNKNOWN_USER, "User") from None

    # guilds --------------------------------------------------------------------------------
    def guild(self, guild_id: int | str) -> Guild:
        try:
            guild = self.guilds[int(guild_id)]
        except (KeyError, ValueError):
            raise not_found(UNKNOWN_GUILD, "Guild") from None
        if not guild.bot_present:
            raise missing_access()
        return guild

    def bot_guilds(self) -> list[Guild]:
        return [g for g in self.guilds.values() if g.bot_present]

    def shared_guilds(self, user_id: int) -> list[Guild]:
        return [g for g in self.bot_guilds() if user_id in g.members]

    # channels ------------------------------------------------------------------------------
    def channel(self, channel_id: int | str) -> Channel:
        """A live channel the bot can at least know about, else Discord's 404 10003."""
        try:
            channel = self.channels[int(channel_id)]
        except (KeyError, ValueError):
            raise not_found(UNKNOWN_CHANNEL, "Channel") from None
        if channel.deleted:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        if channel.guild_id is not None and not self.guilds[channel.guild_id].bot_present:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        return channel

    def parent_of(self, channel: Channel) -> Channel | None:
        if channel.parent_id is None:
            return None
        return self.channels.get(channel.parent_id)

    def guild_channels(self, guild: Guild, *, threads: bool = False) -> list[Channel]:
        return [
            c for c in self.channels.values() if c.guild_id == guild.id and not c.deleted and c.is_thread == threads
        ]

    def threads_of(self, channel: Channel) -> list[Channel]:
        return [c for c in self.channels.values() if c.is_thread and c.parent_id == channel.id and not c.deleted]

    def dm_channel(self, user: User) -> Channel:
        channel = self.dm_by_user.get(user.id)
        if channel is None:
            channel = Channel(id=self.ids.next(), type=DM, name="", recipient_id=user.id)
            self.channels[channel.id] = channel
            self.dm_by_user[user.id] = channel
        return channel

    # permissions ---------------------------------------------------------------------------
    def permissions(self, channel: Channel, user_id: int) -> int:
        if channel.is_dm:
            return perms.DM_PERMISSIONS
        assert channel.guild_id is not None
        guild = self.guilds[channel.guild_id]
        return perms.channel_permissions(guild, channel, self.parent_of(channel), user_id)

    def bot_permissions(self, channel: Channel) -> int:
        return self.permissions(channel, self.bot_user.id)

    def guild_permissions(self, guild: Guild, user_id: int) -> int:
        return perms.base_permissions(guild, user_id)

    def bot_can_view(self, channel: Channel) -> bool:
        if channel.is_dm:
            return True
        return bool(self.bot_permissions(channel) & perms.VIEW_CHANNEL)

    def require_bot_view(self, channel: Channel) -> int:
        """The bot's permissions in ``channel``; 403 50001 Missing Access if it cannot see it."""
        p = self.bot_permissions(channel)
        if not p & perms.VIEW_CHANNEL:
            raise missing_access()
        return p

    # messages ------------------------------------------------------------------------------
    def add_message(self, message: Message) -> Message:
        self.messages[message.id] = message
        self.messages_by_channel[message.channel_id].append(message)
        channel = self.channels.get(message.channel_id)
        if channel is not None:
            if channel.last_message_id is None or message.id > channel.last_message_id:
                channel.last_message_id = message.id
            if channel.is_thread and message.type not in (18, 21):
                channel.message_count += 1
                channel.total_message_sent += 1
        return message

    def message(self, channel: Channel, message_id: int | str) -> Message:
        try:
            message = self.messages[int(message_id)]
        except (KeyError, ValueError):
            raise not_found(UNKNOWN_MESSAGE, "Message") from None
        if message.deleted or message.channel_id != channel.id or message.ephemeral:
            raise not_found(UNKNOWN_MESSAGE, "Message")
        return message

    def history(self, channel: Channel) -> list[Message]:
        """Messages Discord keeps in the channel (no ephemeral ones), oldest id first."""
        return sorted(
            (m for m in self.messages_by_channel[channel.id] if not m.deleted and not m.ephemeral),
            key=lambda m: m.id,
        )

    # commands ------------------------------------------------------------------------------
    def registered(self, guild_id: int | None) -> list[RegisteredCommand]:
        return self.commands.get(guild_id, [])

    def find_command(self, guild_id: int | None, name: str, type_: int) -> RegisteredCommand | None:
        if guild_id is not None:
            for cmd in self.registered(guild_id):
                if cmd.name == name and cmd.type == type_:
                    return cmd
        for cmd in self.registered(None):
            if cmd.name == name and cmd.type == type_:
                return cmd
        return None


def require(condition: bool, error: ApiError) -> None:
    if not condition:
        raise error
