"""Discord permission bits and the permission maths Discord applies.

Reference: https://discord.com/developers/docs/topics/permissions (base permissions, then channel
overwrites in the order @everyone, roles, member; owner and ADMINISTRATOR get everything; no
VIEW_CHANNEL means nothing; no send permission implicitly removes mention/tts/embed/attach).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Channel, Guild

CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_AUDIT_LOG = 1 << 7
PRIORITY_SPEAKER = 1 << 8
STREAM = 1 << 9
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
SEND_TTS_MESSAGES = 1 << 12
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
VIEW_GUILD_INSIGHTS = 1 << 19
CONNECT = 1 << 20
SPEAK = 1 << 21
MUTE_MEMBERS = 1 << 22
DEAFEN_MEMBERS = 1 << 23
MOVE_MEMBERS = 1 << 24
USE_VAD = 1 << 25
CHANGE_NICKNAME = 1 << 26
MANAGE_NICKNAMES = 1 << 27
MANAGE_ROLES = 1 << 28
MANAGE_WEBHOOKS = 1 << 29
MANAGE_GUILD_EXPRESSIONS = 1 << 30
USE_APPLICATION_COMMANDS = 1 << 31
REQUEST_TO_SPEAK = 1 << 32
MANAGE_EVENTS = 1 << 33
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
USE_EXTERNAL_STICKERS = 1 << 37
SEND_MESSAGES_IN_THREADS = 1 << 38
USE_EMBEDDED_ACTIVITIES = 1 << 39
MODERATE_MEMBERS = 1 << 40
SEND_POLLS = 1 << 49
USE_EXTERNAL_APPS = 1 << 50
PIN_MESSAGES = 1 << 51

ALL = (1 << 53) - 1

DEFAULT_EVERYONE = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | READ_MESSAGE_HISTORY
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
    | USE_APPLICATION_COMMANDS
    | EMBED_LINKS
    | ATTACH_FILES
    | ADD_REACTIONS
)

# What Rapport asks for in its invite link: post check-ins and summaries, open threads for
# answers, DM reminders, read history for summaries.
DEFAULT_BOT = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | SEND_MESSAGES_IN_THREADS
    | CREATE_PUBLIC_THREADS
    | CREATE_PRIVATE_THREADS
    | MANAGE_THREADS
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
)

# Permissions an app has in a DM with a user (Discord's app_permissions in DMs).
DM_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | SEND_TTS_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | MENTION_EVERYONE
    | USE_EXTERNAL_EMOJIS
    | ADD_REACTIONS
    | USE_APPLICATION_COMMANDS
    | USE_EXTERNAL_STICKERS
    | SEND_POLLS
    | USE_EXTERNAL_APPS
)

_IMPLIED_BY_SEND = MENTION_EVERYONE | SEND_TTS_MESSAGES | ATTACH_FILES | EMBED_LINKS


def base_permissions(guild: Guild, user_id: int) -> int:
    """Guild-wide permissions of a member (0 for non-members)."""
    if guild.owner_id == user_id:
        return ALL
    member = guild.members.get(user_id)
    if member is None:
        return 0
    perms = guild.roles[guild.id].permissions
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            perms |= role.permissions
    if perms & ADMINISTRATOR:
        return ALL
    return perms


def _apply_overwrites(guild: Guild, channel: Channel, user_id: int, perms: int) -> int:
    member = guild.members[user_id]
    by_id = {int(o["id"]): o for o in channel.overwrites}
    everyone = by_id.get(guild.id)
    if everyone is not None:
        perms &= ~int(everyone["deny"])
        perms |= int(everyone["allow"])
    allow = deny = 0
    for role_id in member.role_ids:
        ow = by_id.get(role_id)
        if ow is not None and int(ow.get("type", 0)) == 0:
            allow |= int(ow["allow"])
            deny |= int(ow["deny"])
    perms &= ~deny
    perms |= allow
    own = by_id.get(user_id)
    if own is not None and int(own.get("type", 1)) == 1:
        perms &= ~int(own["deny"])
        perms |= int(own["allow"])
    return perms


def channel_permissions(guild: Guild, channel: Channel, parent: Channel | None, user_id: int) -> int:
    """Permissions of a member in a guild channel or thread (``parent`` is the thread's parent)."""
    base = base_permissions(guild, user_id)
    if base == ALL:
        return ALL
    if base == 0:
        return 0
    target = parent if channel.is_thread and parent is not None else channel
    perms = _apply_overwrites(guild, target, user_id, base)
    if not perms & VIEW_CHANNEL:
        return 0
    # Private threads are only visible to their members and to thread managers.
    private = channel.is_thread and channel.type == 12
    if private and user_id not in channel.member_ids and not perms & MANAGE_THREADS:
        return 0
    send_bit = SEND_MESSAGES_IN_THREADS if channel.is_thread else SEND_MESSAGES
    if not perms & send_bit:
        perms &= ~_IMPLIED_BY_SEND
    return perms


def names(perms: int) -> list[str]:
    """Readable names of the bits in ``perms`` (for error messages)."""
    out = []
    for name, value in globals().items():
        single_bit = isinstance(value, int) and value > 0 and (value & (value - 1)) == 0
        if name.isupper() and single_bit and perms & value:
            out.append(name)
    return out
