"""World building: users, guilds, roles, members, channels, permissions.

Usable before or after the bot connects; after, each change dispatches the gateway event
Discord would send (GUILD_CREATE, GUILD_ROLE_CREATE/UPDATE, GUILD_MEMBER_ADD/UPDATE/REMOVE,
CHANNEL_CREATE/UPDATE/DELETE, THREAD_UPDATE...).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import perms
from .core import DoubleCore
from .errors import DoubleUsageError
from .models import (
    ANNOUNCEMENT,
    CATEGORY,
    HAS_THREAD,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT,
    Channel,
    Guild,
    Member,
    Message,
    Role,
    User,
)


class WorldBuilding(DoubleCore):
    @property
    def bot_user(self) -> User:
        return self.world.bot_user

    @property
    def application_id(self) -> int:
        return self.world.application_id

    def create_user(self, name: str, *, bot: bool = False, dms_open: bool = True) -> User:
        return self.world.add_user(name, bot=bot, dms_open=dms_open)

    def create_guild(
        self,
        name: str,
        *,
        owner: User | None = None,
        bot_permissions: int = perms.DEFAULT_BOT,
        everyone_permissions: int = perms.DEFAULT_EVERYONE,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """A guild with @everyone, the bot's managed role, the owner and the bot as members.

        ``shard=(shard_id, shard_count)`` picks an id that Discord routes to that shard."""
        world = self.world
        if owner is None:
            owner = self.create_user(f"{name.lower().replace(' ', '-')}-owner")
        now = self.clock.now()
        guild_id = self.ids.next() if shard is None else self.ids.next_on_shard(*shard)
        guild = Guild(id=guild_id, name=name, owner_id=owner.id, joined_at=now)
        guild.roles[guild.id] = Role(id=guild.id, guild_id=guild.id, name="@everyone", permissions=everyone_permissions)
        bot_role = Role(
            id=self.ids.next(),
            guild_id=guild.id,
            name=world.bot_user.name,
            permissions=bot_permissions,
            position=1,
            managed=True,
            bot_id=world.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.bot_role_id = bot_role.id
        guild.members[owner.id] = Member(user=owner, guild_id=guild.id, role_ids=[], joined_at=now)
        guild.members[world.bot_user.id] = Member(
            user=world.bot_user, guild_id=guild.id, role_ids=[bot_role.id], joined_at=now
        )
        world.guilds[guild.id] = guild
        self.events.guild_create(guild)
        self.notifier.changed()
        return guild

    def remove_bot_from_guild(self, guild: Guild) -> None:
        """The bot is kicked: GUILD_DELETE; its REST calls for that guild now fail."""
        self.events.guild_delete(guild)
        guild.bot_present = False
        self.notifier.changed()

    def create_role(
        self, guild: Guild, name: str, *, permissions: int = 0, mentionable: bool = False, position: int | None = None
    ) -> Role:
        role = Role(
            id=self.ids.next(),
            guild_id=guild.id,
            name=name,
            permissions=permissions,
            mentionable=mentionable,
            position=position if position is not None else len(guild.roles),
        )
        guild.roles[role.id] = role
        self.events.role_create(role)
        self.notifier.changed()
        return role

    def set_role_permissions(self, role: Role, permissions: int) -> None:
        role.permissions = permissions
        self.events.role_update(role)
        self.notifier.changed()

    def allow_command(self, guild: Guild, command_name: str, user: User) -> None:
        """What a server admin does under Server Settings > Integrations: let ``user`` use a command
        despite its default member permissions. Rapport must still enforce its own checks."""
        self.world.command_overrides[(guild.id, command_name)].add(user.id)

    def set_bot_permissions(self, guild: Guild, permissions: int) -> None:
        """Makes the bot's guild-wide permissions exactly ``permissions``.

        The bot's managed role gets ``permissions``; because @everyone applies to every member,
        bits @everyone grants beyond ``permissions`` are removed from @everyone too (as an admin
        would have to). Channel overwrites still apply on top.
        """
        role = guild.bot_role
        assert role is not None
        self.set_role_permissions(role, permissions)
        everyone = guild.everyone_role
        if everyone.permissions & ~permissions:
            self.set_role_permissions(everyone, everyone.permissions & permissions)

    def add_member(self, guild: Guild, user: User, *, roles: Iterable[Role] = (), nick: str | None = None) -> Member:
        if user.id in guild.members:
            raise DoubleUsageError(f"{user!r} is already a member of {guild!r}")
        member = Member(
            user=user, guild_id=guild.id, role_ids=[r.id for r in roles], joined_at=self.clock.now(), nick=nick
        )
        guild.members[user.id] = member
        self.events.member_add(member)
        self.notifier.changed()
        return member

    def set_member_roles(self, guild: Guild, user: User, roles: Iterable[Role]) -> None:
        member = self._member(guild, user)
        member.role_ids = [r.id for r in roles]
        self.events.member_update(member)
        self.notifier.changed()

    def remove_member(self, guild: Guild, user: User) -> None:
        member = self._member(guild, user)
        del guild.members[user.id]
        self.events.member_remove(guild, member)
        self.notifier.changed()

    def _member(self, guild: Guild, user: User) -> Member:
        try:
            return guild.members[user.id]
        except KeyError:
            raise DoubleUsageError(f"{user!r} is not a member of {guild!r}") from None

    def create_channel(
        self,
        guild: Guild,
        name: str,
        *,
        type: int = 0,
        overwrites: list[dict[str, Any]] | None = None,
        parent: Channel | None = None,
        topic: str | None = None,
    ) -> Channel:
        """``overwrites``: ``[{"id", "type" (0 role / 1 member), "allow", "deny"}]``."""
        if parent is not None and parent.type != CATEGORY:
            raise DoubleUsageError("a channel's parent must be a category (type 4)")
        if type not in (0, 2, 4, 5, 13, 15):
            raise DoubleUsageError(f"create_channel makes guild channels (0, 2, 4, 5, 13, 15), not type {type}")
        channel = Channel(
            id=self.ids.next(),
            type=type,
            name=name,
            guild_id=guild.id,
            position=len(self.world.guild_channels(guild)),
            parent_id=None if parent is None else parent.id,
            topic=topic,
            overwrites=[_overwrite(o) for o in overwrites or []],
        )
        self.world.channels[channel.id] = channel
        self.events.channel_create(channel)
        self.notifier.changed()
        return channel

    def set_overwrites(self, channel: Channel, overwrites: list[dict[str, Any]]) -> None:
        was_visible = self.world.bot_can_view(channel)
        channel.overwrites = [_overwrite(o) for o in overwrites]
        if not was_visible and self.world.bot_can_view(channel):
            self.events.channel_create(channel)
        else:
            self.events.channel_update(channel)
        self.notifier.changed()

    def delete_channel(self, channel: Channel) -> None:
        channel.deleted = True
        if channel.is_thread:
            self.events.thread_delete(channel)
        else:
            self.events.channel_delete(channel)
            for thread in self.world.threads_of(channel):
                thread.deleted = True
        self.notifier.changed()

    def create_thread(
        self,
        channel: Channel,
        name: str,
        *,
        owner: User,
        message: Message | None = None,
        type: int = PUBLIC_THREAD,
        members: Iterable[User] = (),
    ) -> Channel:
        """A user starts a thread (from ``message`` when given): THREAD_CREATE like Discord."""
        if channel.type not in (TEXT, ANNOUNCEMENT):
            raise DoubleUsageError(f"threads live under text or announcement channels, not {channel!r}")
        guild = self.world.guilds[channel.guild_id]  # type: ignore[index]
        if owner.id not in guild.members:
            raise DoubleUsageError(f"{owner!r} is not a member of {guild!r}")
        needed = perms.CREATE_PRIVATE_THREADS if type == PRIVATE_THREAD else perms.CREATE_PUBLIC_THREADS
        if not self.world.permissions(channel, owner.id) & needed:
            raise DoubleUsageError(f"{owner!r} may not create this kind of thread in {channel!r}")
        if message is not None:
            if message.channel_id != channel.id or message.thread is not None:
                raise DoubleUsageError(f"cannot start a thread from {message!r}")
            if type == PRIVATE_THREAD:
                raise DoubleUsageError("threads started from a message are public")
        now = self.clock.now()
        thread = Channel(
            id=message.id if message is not None else self.ids.next(),
            type=type,
            name=name,
            guild_id=channel.guild_id,
            parent_id=channel.id,
            owner_id=owner.id,
            archive_timestamp=now,
            create_timestamp=now,
            member_ids={owner.id: now},
        )
        for user in members:
            thread.member_ids[user.id] = now
        self.world.channels[thread.id] = thread
        if message is not None:
            message.thread = thread
            message.flags |= HAS_THREAD
            thread.starter_message_id = message.id
        self.events.thread_create(thread)
        self.notifier.changed()
        return thread

    def archive_thread(self, thread: Channel, *, locked: bool = False) -> None:
        if not thread.is_thread:
            raise DoubleUsageError(f"{thread!r} is not a thread")
        thread.archived = True
        thread.locked = locked
        thread.archive_timestamp = self.clock.now()
        self.events.thread_update(thread)
        self.notifier.changed()

    def set_dms_open(self, user: User, open_: bool) -> None:
        user.dms_open = open_


def _overwrite(raw: dict[str, Any]) -> dict[str, Any]:
    target = raw["id"]
    target_id = getattr(target, "id", target)
    kind = raw.get("type")
    if kind is None:
        kind = 0 if isinstance(target, Role) else 1 if isinstance(target, User) else None
    if kind not in (0, 1):
        raise DoubleUsageError("an overwrite needs 'type': 0 (role) or 1 (member)")
    return {"id": int(target_id), "type": kind, "allow": int(raw.get("allow", 0)), "deny": int(raw.get("deny", 0))}
