"""JSON payloads in Discord's shapes (API v10), built from the double's objects.

Snowflakes are strings, permissions are strings, timestamps are ISO 8601 with an offset.
The required keys were checked against what discord.py 2.7.1 reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clock import iso, snowflake_time
from .models import Attachment, Channel, Guild, Member, Message, RegisteredCommand, Role, User

if TYPE_CHECKING:
    from .state import World


def user(u: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(u.id),
        "username": u.name,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "public_flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }
    if u.bot:
        data["bot"] = True
    return data


def current_user(u: User) -> dict[str, Any]:
    data = user(u)
    data.update({"verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-US", "email": None})
    return data


def role(r: Role) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": r.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": r.mentionable,
        "flags": 0,
    }
    if r.bot_id is not None:
        data["tags"] = {"bot_id": str(r.bot_id)}
    return data


def member(m: Member, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in m.role_ids],
        "joined_at": iso(m.joined_at),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user(m.user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def overwrites(ch: Channel) -> list[dict[str, Any]]:
    return [
        {
            "id": str(o["id"]),
            "type": int(o.get("type", 0)),
            "allow": str(o.get("allow", 0)),
            "deny": str(o.get("deny", 0)),
        }
        for o in ch.overwrites
    ]


def thread_metadata(ch: Channel) -> dict[str, Any]:
    data: dict[str, Any] = {
        "archived": ch.archived,
        "auto_archive_duration": ch.auto_archive_duration,
        "archive_timestamp": iso(ch.archive_timestamp or ch.create_timestamp),
        "locked": ch.locked,
        "create_timestamp": iso(ch.create_timestamp),
    }
    if ch.type == 12:
        data["invitable"] = ch.invitable
    return data


def thread_member(ch: Channel, user_id: int, *, guild: Guild | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(ch.id),
        "user_id": str(user_id),
        "join_timestamp": iso(ch.member_ids[user_id]),
        "flags": 1 if user_id == ch.owner_id else 0,
    }
    if guild is not None and user_id in guild.members:
        data["member"] = member(guild.members[user_id])
    return data


def channel(world: World, ch: Channel, *, bot_member: bool = False) -> dict[str, Any]:
    if ch.is_dm:
        assert ch.recipient_id is not None
        return {
            "id": str(ch.id),
            "type": 1,
            "last_message_id": None if ch.last_message_id is None else str(ch.last_message_id),
            "recipients": [user(world.users[ch.recipient_id])],
            "flags": 0,
        }
    data: dict[str, Any] = {
        "id": str(ch.id),
        "type": ch.type,
        "guild_id": str(ch.guild_id),
        "name": ch.name,
        "parent_id": None if ch.parent_id is None else str(ch.parent_id),
        "last_message_id": None if ch.last_message_id is None else str(ch.last_message_id),
        "rate_limit_per_user": ch.rate_limit_per_user,
        "flags": 0,
    }
    if ch.is_thread:
        data.update(
            {
                "owner_id": str(ch.owner_id),
                "message_count": ch.message_count,
                "member_count": min(len(ch.member_ids), 50),
                "total_message_sent": ch.total_message_sent,
                "thread_metadata": thread_metadata(ch),
                "applied_tags": [],
            }
        )
        if bot_member and world.bot_user.id in ch.member_ids:
            data["member"] = thread_member(ch, world.bot_user.id)
            data["member"].pop("user_id")
            data["member"].pop("id")
        return data
    data.update(
        {
            "position": ch.position,
            "permission_overwrites": overwrites(ch),
            "nsfw": ch.nsfw,
            "topic": ch.topic,
            "default_auto_archive_duration": 1440,
        }
    )
    if ch.type in (2, 13):
        data.update({"bitrate": 64000, "user_limit": 0, "rtc_region": None})
    return data


def guild(world: World, g: Guild) -> dict[str, Any]:
    """The guild object as ``GET /guilds/{id}`` returns it."""
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": g.preferred_locale,
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "max_members": 500000,
        "max_presences": None,
    }


def guild_create(world: World, g: Guild, *, all_members: bool) -> dict[str, Any]:
    data = guild(world, g)
    bot_id = world.bot_user.id
    members = list(g.members.values()) if all_members else [g.members[bot_id]]
    threads = [
        channel(world, t, bot_member=True)
        for t in world.guild_channels(g, threads=True)
        if not t.archived and world.bot_can_view(t)
    ]
    data.update(
        {
            "joined_at": iso(g.joined_at),
            "large": False,
            "unavailable": False,
            "member_count": len(g.members),
            "voice_states": [],
            "members": [member(m) for m in members],
            "channels": [
                {k: v for k, v in channel(world, c).items() if k != "guild_id"} for c in world.guild_channels(g)
            ],
            "threads": threads,
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
    )
    return data


def attachment(world: World, att: Attachment, channel_id: int) -> dict[str, Any]:
    url = f"{world.cdn_base}/attachments/{channel_id}/{att.id}/{att.filename}"
    data: dict[str, Any] = {
        "id": str(att.id),
        "filename": att.filename,
        "size": att.size,
        "url": url,
        "proxy_url": url,
        "flags": 0,
    }
    if att.content_type:
        data["content_type"] = att.content_type
    if att.description:
        data["description"] = att.description
    return data


def message(world: World, msg: Message, *, gateway: bool = False, nested: bool = False) -> dict[str, Any]:
    author = world.users[msg.author_id]
    g = world.guilds.get(msg.guild_id) if msg.guild_id is not None else None
    data: dict[str, Any] = {
        "id": str(msg.id),
        "channel_id": str(msg.channel_id),
        "author": user(author),
        "content": msg.content,
        "timestamp": iso(msg.timestamp or snowflake_time(msg.id)),
        "edited_timestamp": iso(msg.edited_timestamp),
        "tts": msg.tts,
        "mention_everyone": msg.mention_everyone,
        "mentions": [user(world.users[u]) for u in msg.mention_ids if u in world.users],
        "mention_roles": [str(r) for r in msg.mention_role_ids],
        "attachments": [attachment(world, a, msg.channel_id) for a in msg.attachments],
        "embeds": msg.embeds,
        "pinned": msg.pinned,
        "type": msg.type,
        "flags": msg.flags,
        "components": msg.components,
    }
    if msg.reactions:
        data["reactions"] = [
            {
                "emoji": _emoji_payload(key),
                "count": len(users),
                "count_details": {"burst": 0, "normal": len(users)},
                "me": world.bot_user.id in users,
                "me_burst": False,
                "burst_colors": [],
            }
            for key, users in msg.reactions.items()
            if users
        ]
    if msg.nonce is not None:
        data["nonce"] = msg.nonce
    if msg.webhook_id is not None:
        data["webhook_id"] = str(msg.webhook_id)
    if msg.application_id is not None:
        data["application_id"] = str(msg.application_id)
    if msg.interaction_metadata is not None:
        data["interaction_metadata"] = msg.interaction_metadata
    if msg.poll is not None:
        data["poll"] = msg.poll
    ch = world.channels.get(msg.channel_id)
    if ch is not None and ch.is_thread:
        data["position"] = max(ch.total_message_sent - 1, 0)
    if msg.message_reference is not None:
        data["message_reference"] = msg.message_reference
        ref_id = msg.message_reference.get("message_id")
        if not nested and msg.type in (0, 19) and ref_id is not None:
            ref = world.messages.get(int(ref_id))
            data["referenced_message"] = None if ref is None or ref.deleted else message(world, ref, nested=True)
    if msg.thread is not None and not msg.thread.deleted:
        data["thread"] = channel(world, msg.thread)
    if gateway and msg.guild_id is not None:
        data["guild_id"] = str(msg.guild_id)
        if g is not None and author.id in g.members and msg.webhook_id is None:
            data["member"] = member(g.members[author.id], with_user=False)
    return data


def _emoji_payload(key: str) -> dict[str, Any]:
    if ":" in key:
        name, _, emoji_id = key.partition(":")
        return {"id": emoji_id, "name": name}
    return {"id": None, "name": key}


def command(cmd: RegisteredCommand) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(cmd.id),
        "application_id": str(cmd.application_id),
        "version": str(cmd.version),
        "default_member_permissions": cmd.default_member_permissions,
        "type": cmd.type,
        "name": cmd.name,
        "name_localizations": None,
        "description": cmd.description,
        "description_localizations": None,
        "contexts": cmd.contexts,
        "integration_types": cmd.integration_types,
        "nsfw": cmd.nsfw,
    }
    if cmd.options:
        data["options"] = cmd.options
    if cmd.guild_id is not None:
        data["guild_id"] = str(cmd.guild_id)
    else:
        data["dm_permission"] = cmd.dm_permission
    return data


def application(world: World) -> dict[str, Any]:
    bot = world.bot_user
    owner = world.app_owner
    return {
        "id": str(world.application_id),
        "name": bot.name,
        "icon": None,
        "description": "Rapport under test",
        "summary": "",
        "type": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "owner": user(owner),
        "team": None,
        "flags": world.application_flags,
        "interactions_endpoint_url": None,
        "bot": user(bot),
        "install_params": None,
        "integration_types_config": {"0": {}},
        "approximate_guild_count": len(world.bot_guilds()),
        "tags": [],
        "redirect_uris": [],
    }
