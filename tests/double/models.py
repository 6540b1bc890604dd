"""The double's in-memory Discord objects (what tests get back and inspect).

They are plain mutable dataclasses: an edited message is the same object with new content, so a
test holding ``rec.message`` always sees the latest state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

TEXT = 0
DM = 1
VOICE = 2
CATEGORY = 4
ANNOUNCEMENT = 5
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
STAGE = 13
FORUM = 15

THREAD_TYPES = (ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD)
MESSAGEABLE_GUILD_TYPES = (TEXT, VOICE, ANNOUNCEMENT, STAGE, *THREAD_TYPES)

# Message flags
CROSSPOSTED = 1 << 0
SUPPRESS_EMBEDS = 1 << 2
HAS_THREAD = 1 << 5
EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_COMPONENTS_V2 = 1 << 15


@dataclass(eq=False)
class User:
    id: int
    name: str
    bot: bool = False
    dms_open: bool = True
    global_name: str | None = None
    #: The language of the member's Discord client, sent as ``locale`` with each of their interactions.
    locale: str = "en-US"

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def __repr__(self) -> str:
        return f"<double User {self.name} id={self.id}>"


@dataclass(eq=False)
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    bot_id: int | None = None
    mentionable: bool = False
    hoist: bool = False
    color: int = 0

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def __repr__(self) -> str:
        return f"<double Role {self.name} id={self.id}>"


@dataclass(eq=False)
class Member:
    user: User
    guild_id: int
    role_ids: list[int]
    joined_at: datetime
    nick: str | None = None


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    bot_role_id: int | None = None
    joined_at: datetime | None = None
    bot_present: bool = True
    preferred_locale: str = "en-US"

    @property
    def everyone_role(self) -> Role:
        return self.roles[self.id]

    @property
    def bot_role(self) -> Role | None:
        return None if self.bot_role_id is None else self.roles.get(self.bot_role_id)

    def __repr__(self) -> str:
        return f"<double Guild {self.name} id={self.id}>"


@dataclass(eq=False)
class Channel:
    id: int
    type: int
    name: str
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: list[dict[str, Any]] = field(default_factory=list)
    nsfw: bool = False
    rate_limit_per_user: int = 0
    last_message_id: int | None = None
    deleted: bool = False
    # threads
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    archive_timestamp: datetime | None = None
    create_timestamp: datetime | None = None
    member_ids: dict[int, datetime] = field(default_factory=dict)
    message_count: int = 0
    total_message_sent: int = 0
    starter_message_id: int | None = None
    # DMs
    recipient_id: int | None = None

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_dm(self) -> bool:
        return self.type == DM

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def __repr__(self) -> str:
        return f"<double Channel #{self.name} id={self.id} type={self.type}>"


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None

    @property
    def bytes(self) -> bytes:
        return self.data

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(eq=False)
class Message:
    id: int
    channel_id: int
    author_id: int
    content: str = ""
    guild_id: int | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    message_reference: dict[str, Any] | None = None
    allowed_mentions: dict[str, Any] | None = None
    nonce: str | int | None = None
    thread: Channel | None = None
    timestamp: datetime | None = None
    edited_timestamp: datetime | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    mention_ids: list[int] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    pinned: bool = False
    pinned_at: datetime | None = None
    reactions: dict[str, list[int]] = field(default_factory=dict)
    tts: bool = False
    deleted: bool = False
    poll: dict[str, Any] | None = None
    edits: int = 0
    # For ephemeral messages: the only user who can see (and click) it.
    visible_to: int | None = None

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in iter_components(self.components) if "custom_id" in c]

    def find_component(self, custom_id: str) -> dict[str, Any] | None:
        for comp in iter_components(self.components):
            if comp.get("custom_id") == custom_id:
                return comp
        return None

    def __repr__(self) -> str:
        text = self.content if len(self.content) < 40 else self.content[:37] + "..."
        return f"<double Message id={self.id} channel={self.channel_id} author={self.author_id} {text!r}>"


def iter_components(components: list[dict[str, Any]]):
    """Every component in a (possibly nested, components v2) component tree."""
    for comp in components:
        yield comp
        if isinstance(comp.get("components"), list):
            yield from iter_components(comp["components"])
        if isinstance(comp.get("component"), dict):
            yield from iter_components([comp["component"]])
        if isinstance(comp.get("accessory"), dict):
            yield from iter_components([comp["accessory"]])


@dataclass(eq=False)
class RegisteredCommand:
    """An application command as stored after a sync."""

    id: int
    application_id: int
    guild_id: int | None
    name: str
    type: int
    description: str
    options: list[dict[str, Any]]
    default_member_permissions: str | None
    dm_permission: bool | None
    contexts: list[int] | None
    integration_types: list[int] | None
    nsfw: bool
    version: int
    #: The command exactly as the bot sent it (localisations included), for tests to inspect.
    submitted: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        scope = "global" if self.guild_id is None else f"guild {self.guild_id}"
        return f"<double Command {self.name!r} type={self.type} {scope}>"
