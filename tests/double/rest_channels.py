"""Channels, messages, history, threads, thread members, DMs, reactions, pins, typing."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import payloads, perms
from .errors import (
    ARCHIVED_THREAD,
    CANNOT_EDIT_OTHERS_MESSAGE,
    CANNOT_EXECUTE_ON_DM,
    CANNOT_SEND_TO_USER,
    NON_TEXT_CHANNEL,
    THREAD_ALREADY_CREATED,
    UNKNOWN_EMOJI,
    UNKNOWN_MEMBER,
    WRONG_CHANNEL_TYPE,
    ApiError,
    FormErrors,
    missing_permissions,
)
from .events import strip_content
from .gateway import GUILD_MEMBERS, MESSAGE_CONTENT
from .messaging import apply_edit, compute_mentions, new_message
from .models import (
    ANNOUNCEMENT,
    ANNOUNCEMENT_THREAD,
    HAS_THREAD,
    IS_COMPONENTS_V2,
    MESSAGEABLE_GUILD_TYPES,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    SUPPRESS_EMBEDS,
    SUPPRESS_NOTIFICATIONS,
    TEXT,
    Channel,
    Message,
)
from .rest import RequestContext, RouteTable
from .validation import check_length

if TYPE_CHECKING:
    from .core import DoubleCore

routes = RouteTable()

CREATE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2
EDIT_FLAGS = SUPPRESS_EMBEDS | IS_COMPONENTS_V2
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)


def _need(permissions: int, bit: int) -> None:
    if not permissions & bit:
        raise missing_permissions()


def _send_bit(channel: Channel) -> int:
    return perms.SEND_MESSAGES_IN_THREADS if channel.is_thread else perms.SEND_MESSAGES


def _check_dm_recipient(core: DoubleCore, channel: Channel) -> None:
    assert channel.recipient_id is not None
    user = core.world.users[channel.recipient_id]
    if user.bot or not user.dms_open or not core.world.shared_guilds(user.id):
        raise ApiError(403, CANNOT_SEND_TO_USER, "Cannot send messages to this user")


def _unarchive_for_send(core: DoubleCore, thread: Channel, permissions: int) -> None:
    if not thread.archived:
        return
    if thread.locked and not permissions & perms.MANAGE_THREADS:
        raise ApiError(400, ARCHIVED_THREAD, "Thread is locked")
    thread.archived = False
    thread.archive_timestamp = core.clock.now()
    core.events.thread_update(thread)


# channels ---------------------------------------------------------------------------------------


@routes.get("/channels/{channel_id}")
async def get_channel(core: DoubleCore, ctx: RequestContext) -> Any:
    channel = core.world.channel(ctx.params["channel_id"])
    if not channel.is_dm:
        core.world.require_bot_view(channel)
    return payloads.channel(core.world, channel, bot_member=True)


@routes.patch("/channels/{channel_id}")
async def edit_channel(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if channel.is_dm:
        raise ApiError(403, CANNOT_EXECUTE_ON_DM, "Cannot execute action on a DM channel")
    p = world.require_bot_view(channel)
    body = ctx.body()
    errs = FormErrors()
    if "name" in body:
        check_length(errs, ("name",), body["name"], 100, low=1, required=True)
    if "auto_archive_duration" in body and body["auto_archive_duration"] not in ARCHIVE_DURATIONS:
        errs.add(("auto_archive_duration",), "BASE_TYPE_CHOICES", f"Value must be one of {ARCHIVE_DURATIONS}.")
    errs.raise_if_any()
    bot_id = world.bot_user.id
    if channel.is_thread:
        manages = bool(p & perms.MANAGE_THREADS)
        is_owner = channel.owner_id == bot_id
        if ("locked" in body or "invitable" in body) and not manages:
            raise missing_permissions()
        if "archived" in body:
            if body["archived"] and not (manages or is_owner):
                raise missing_permissions()
            if not body["archived"] and channel.locked and not manages:
                raise missing_permissions()
        if "name" in body and not (manages or is_owner):
            raise missing_permissions()
        for key in ("name", "locked", "invitable", "auto_archive_duration", "rate_limit_per_user"):
            if key in body and body[key] is not None:
                setattr(channel, key, body[key])
        if "archived" in body and body["archived"] != channel.archived:
            channel.archived = bool(body["archived"])
            channel.archive_timestamp = core.clock.now()
        core.events.thread_update(channel)
    else:
        _need(p, perms.MANAGE_CHANNELS)
        for key in ("name", "topic", "nsfw", "rate_limit_per_user", "position"):
            if key in body:
                setattr(channel, key, body[key])
        if "permission_overwrites" in body:
            _need(p, perms.MANAGE_ROLES)
            channel.overwrites = [dict(o) for o in body["permission_overwrites"]]
        core.events.channel_update(channel)
    return payloads.channel(world, channel, bot_member=True)


@routes.delete("/channels/{channel_id}")
async def delete_channel(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if channel.is_dm:
        return payloads.channel(world, channel)
    p = world.require_bot_view(channel)
    _need(p, perms.MANAGE_THREADS if channel.is_thread else perms.MANAGE_CHANNELS)
    channel.deleted = True
    if channel.is_thread:
        core.events.thread_delete(channel)
    else:
        core.events.channel_delete(channel)
    return payloads.channel(world, channel)


@routes.post("/channels/{channel_id}/typing")
async def trigger_typing(core: DoubleCore, ctx: RequestContext) -> Any:
    channel = core.world.channel(ctx.params["channel_id"])
    if channel.is_dm:
        return None
    p = core.world.require_bot_view(channel)
    _need(p, _send_bit(channel))
    return None


# messages ---------------------------------------------------------------------------------------


def _find_nonce_duplicate(core: DoubleCore, channel: Channel, nonce: Any) -> Message | None:
    horizon = core.clock.now() - timedelta(seconds=core.nonce_window)
    bot_id = core.world.bot_user.id
    for message in reversed(core.world.messages_by_channel[channel.id]):
        recent = message.timestamp is None or message.timestamp >= horizon
        if recent and message.author_id == bot_id and message.nonce == nonce and not message.deleted:
            return message
    return None


def _readable(core: DoubleCore, message: Message) -> dict[str, Any]:
    """A fetched message; without the MESSAGE_CONTENT intent enabled for the app, Discord blanks
    the content of other users' guild messages that do not mention the bot."""
    data = payloads.message(core.world, message)
    bot_id = core.world.bot_user.id
    exempt = message.guild_id is None or message.author_id == bot_id or bot_id in message.mention_ids
    if exempt or core.privileged_intents & MESSAGE_CONTENT:
        return data
    return strip_content(data)


@routes.post("/channels/{channel_id}/messages")
async def create_message(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    body = ctx.body()
    p = perms.DM_PERMISSIONS
    if channel.is_dm:
        _check_dm_recipient(core, channel)
    else:
        p = world.require_bot_view(channel)
        if channel.type not in MESSAGEABLE_GUILD_TYPES:
            raise ApiError(400, NON_TEXT_CHANNEL, "Cannot send messages in a non-text channel")
        _need(p, _send_bit(channel))
        if body.get("embeds"):
            _need(p, perms.EMBED_LINKS)
        if ctx.files:
            _need(p, perms.ATTACH_FILES)
    nonce = body.get("nonce")
    if nonce is not None and body.get("enforce_nonce"):
        existing = _find_nonce_duplicate(core, channel, nonce)
        if existing is not None:
            return payloads.message(world, existing)
    message_type = 0
    reference = body.get("message_reference")
    if reference is not None:
        reference = _check_reference(core, channel, reference, p)
        message_type = 19 if reference.get("type", 0) == 0 else 0
    message = new_message(
        core, channel, world.bot_user, body, ctx.files, allowed_flags=CREATE_FLAGS, message_type=message_type
    )
    message.message_reference = reference
    compute_mentions(core, message, channel, world.bot_user)
    if channel.is_thread:
        _unarchive_for_send(core, channel, p)
    world.add_message(message)
    core.events.message_create(message)
    return payloads.message(world, message)


def _check_reference(core: DoubleCore, channel: Channel, reference: dict[str, Any], p: int) -> dict[str, Any]:
    _need(p, perms.READ_MESSAGE_HISTORY)
    ref_channel_id = int(reference.get("channel_id") or channel.id)
    target = core.world.messages.get(int(reference.get("message_id", 0)))
    ok = target is not None and not target.deleted and target.channel_id == ref_channel_id
    if reference.get("type", 0) == 0 and ref_channel_id != channel.id:
        ok = False
    if not ok:
        if reference.get("fail_if_not_exists", True):
            errs = FormErrors()
            errs.add(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
            errs.raise_if_any()
        return None  # type: ignore[return-value]
    out = {"type": reference.get("type", 0), "message_id": str(target.id), "channel_id": str(ref_channel_id)}  # type: ignore[union-attr]
    if channel.guild_id is not None:
        out["guild_id"] = str(channel.guild_id)
    return out


@routes.get("/channels/{channel_id}/messages")
async def get_messages(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    p = perms.DM_PERMISSIONS if channel.is_dm else world.require_bot_view(channel)
    try:
        limit = int(ctx.query.get("limit", 50))
    except ValueError:
        limit = -1
    if not 1 <= limit <= 100:
        errs = FormErrors()
        errs.add(("limit",), "NUMBER_TYPE_MAX", "int value should be between 1 and 100.")
        errs.raise_if_any()
    # Discord: without READ_MESSAGE_HISTORY the endpoint answers with no messages.
    if not p & perms.READ_MESSAGE_HISTORY:
        return []
    history = world.history(channel)  # oldest first
    if "around" in ctx.query:
        around = int(ctx.query["around"])
        older = [m for m in history if m.id < around]
        center = [m for m in history if m.id == around]
        newer = [m for m in history if m.id > around]
        half = limit // 2
        picked = older[-half:] if half else []
        picked += center
        picked += newer[: limit - len(picked)]
        picked = picked[-limit:] if len(picked) > limit else picked
    elif "after" in ctx.query:
        after = int(ctx.query["after"])
        picked = [m for m in history if m.id > after][:limit]
    elif "before" in ctx.query:
        before = int(ctx.query["before"])
        picked = [m for m in history if m.id < before][-limit:]
    else:
        picked = history[-limit:]
    return [_readable(core, m) for m in reversed(picked)]


@routes.get("/channels/{channel_id}/messages/{message_id}")
async def get_message(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if not channel.is_dm:
        _need(world.require_bot_view(channel), perms.READ_MESSAGE_HISTORY)
    return _readable(core, world.message(channel, ctx.params["message_id"]))


@routes.patch("/channels/{channel_id}/messages/{message_id}")
async def edit_message(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    p = perms.DM_PERMISSIONS if channel.is_dm else world.require_bot_view(channel)
    message = world.message(channel, ctx.params["message_id"])
    body = ctx.body()
    if message.author_id != world.bot_user.id:
        # Only the flags (suppress embeds) of someone else's message may be changed.
        if set(body) - {"flags"}:
            raise ApiError(403, CANNOT_EDIT_OTHERS_MESSAGE, "Cannot edit a message authored by another user")
        _need(p, perms.MANAGE_MESSAGES)
    if body.get("embeds"):
        _need(p, perms.EMBED_LINKS)
    apply_edit(core, message, body, ctx.files, allowed_flags=EDIT_FLAGS)
    compute_mentions(core, message, channel, world.users[message.author_id])
    core.events.message_update(message)
    core.notifier.changed()
    return payloads.message(world, message)


@routes.delete("/channels/{channel_id}/messages/{message_id}")
async def delete_message(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    message = world.message(channel, ctx.params["message_id"])
    if message.author_id != world.bot_user.id:
        if channel.is_dm:
            raise ApiError(403, CANNOT_EXECUTE_ON_DM, "Cannot execute action on a DM channel")
        _need(world.require_bot_view(channel), perms.MANAGE_MESSAGES)
    message.deleted = True
    core.events.message_delete(message)
    core.notifier.changed()
    return None


@routes.post("/channels/{channel_id}/messages/bulk-delete")
async def bulk_delete(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if channel.is_dm:
        raise ApiError(403, CANNOT_EXECUTE_ON_DM, "Cannot execute action on a DM channel")
    _need(world.require_bot_view(channel), perms.MANAGE_MESSAGES)
    ids = ctx.body().get("messages") or []
    if not 2 <= len(ids) <= 100:
        errs = FormErrors()
        errs.bad_length(("messages",), 2, 100)
        errs.raise_if_any()
    horizon = core.clock.now() - timedelta(days=14)
    deleted = []
    for raw in ids:
        message = world.message(channel, raw)
        if message.timestamp is not None and message.timestamp < horizon:
            raise ApiError(400, 50034, "You can only bulk delete messages that are under 14 days old.")
        message.deleted = True
        deleted.append(message.id)
    core.events.message_delete_bulk(channel, deleted)
    core.notifier.changed()
    return None


# reactions and pins -----------------------------------------------------------------------------


def _emoji_key(raw: str) -> str:
    text = unquote(raw)
    if ":" in text:
        name, _, emoji_id = text.partition(":")
        if not emoji_id.isdigit():
            raise ApiError(400, UNKNOWN_EMOJI, "Unknown Emoji")
        return f"{name}:{emoji_id}"
    if not text or text.isascii():
        raise ApiError(400, UNKNOWN_EMOJI, "Unknown Emoji")
    return text


def _emoji_payload(key: str) -> dict[str, Any]:
    if ":" in key:
        name, _, emoji_id = key.partition(":")
        return {"id": emoji_id, "name": name}
    return {"id": None, "name": key}


@routes.put("/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def add_reaction(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    p = perms.DM_PERMISSIONS if channel.is_dm else world.require_bot_view(channel)
    _need(p, perms.READ_MESSAGE_HISTORY)
    message = world.message(channel, ctx.params["message_id"])
    key = _emoji_key(ctx.params["emoji"])
    users = message.reactions.get(key)
    if not users:
        _need(p, perms.ADD_REACTIONS)
        if len([k for k, v in message.reactions.items() if v]) >= 20:
            raise ApiError(400, 30010, "Maximum number of reactions reached (20)")
    users = message.reactions.setdefault(key, [])
    bot_id = world.bot_user.id
    if bot_id not in users:
        users.append(bot_id)
        core.events.reaction("MESSAGE_REACTION_ADD", message, bot_id, _emoji_payload(key))
    core.notifier.changed()
    return None


@routes.delete("/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}")
async def remove_reaction(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    p = perms.DM_PERMISSIONS if channel.is_dm else world.require_bot_view(channel)
    message = world.message(channel, ctx.params["message_id"])
    key = _emoji_key(ctx.params["emoji"])
    raw_user = ctx.params["user_id"]
    user_id = world.bot_user.id if raw_user == "@me" else int(raw_user)
    if user_id != world.bot_user.id:
        _need(p, perms.MANAGE_MESSAGES)
    users = message.reactions.get(key, [])
    if user_id in users:
        users.remove(user_id)
        core.events.reaction("MESSAGE_REACTION_REMOVE", message, user_id, _emoji_payload(key))
    core.notifier.changed()
    return None


@routes.get("/channels/{channel_id}/messages/{message_id}/reactions/{emoji}")
async def get_reactions(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if not channel.is_dm:
        world.require_bot_view(channel)
    message = world.message(channel, ctx.params["message_id"])
    key = _emoji_key(ctx.params["emoji"])
    limit = int(ctx.query.get("limit", 25))
    if not 1 <= limit <= 100:
        errs = FormErrors()
        errs.add(("limit",), "NUMBER_TYPE_MAX", "int value should be between 1 and 100.")
        errs.raise_if_any()
    after = int(ctx.query.get("after", 0))
    users = sorted(u for u in message.reactions.get(key, []) if u > after)[:limit]
    return [payloads.user(world.users[u]) for u in users]


@routes.put("/channels/{channel_id}/messages/pins/{message_id}")
@routes.put("/channels/{channel_id}/pins/{message_id}")
async def pin_message(core: DoubleCore, ctx: RequestContext) -> Any:
    return _set_pin(core, ctx, True)


@routes.delete("/channels/{channel_id}/messages/pins/{message_id}")
@routes.delete("/channels/{channel_id}/pins/{message_id}")
async def unpin_message(core: DoubleCore, ctx: RequestContext) -> Any:
    return _set_pin(core, ctx, False)


def _set_pin(core: DoubleCore, ctx: RequestContext, pinned: bool) -> None:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if not channel.is_dm:
        p = world.require_bot_view(channel)
        if not p & (perms.MANAGE_MESSAGES | perms.PIN_MESSAGES):
            raise missing_permissions()
    message = world.message(channel, ctx.params["message_id"])
    message.pinned = pinned
    message.pinned_at = core.clock.now() if pinned else None
    core.events.message_update(message)
    core.notifier.changed()


@routes.get("/channels/{channel_id}/messages/pins")
async def get_pins(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if not channel.is_dm:
        _need(world.require_bot_view(channel), perms.READ_MESSAGE_HISTORY)
    pinned = sorted(
        (m for m in world.history(channel) if m.pinned), key=lambda m: m.pinned_at or core.clock.now(), reverse=True
    )
    return {
        "items": [
            {"pinned_at": m.pinned_at.isoformat() if m.pinned_at else None, "message": _readable(core, m)}
            for m in pinned
        ],
        "has_more": False,
    }


# threads ----------------------------------------------------------------------------------------


def _new_thread(core: DoubleCore, parent: Channel, body: dict[str, Any], thread_type: int, thread_id: int) -> Channel:
    errs = FormErrors()
    check_length(errs, ("name",), body.get("name"), 100, low=1, required=True)
    duration = body.get("auto_archive_duration")
    if duration is not None and duration not in ARCHIVE_DURATIONS:
        errs.add(("auto_archive_duration",), "BASE_TYPE_CHOICES", f"Value must be one of {ARCHIVE_DURATIONS}.")
    slowmode = body.get("rate_limit_per_user")
    if slowmode is not None and not 0 <= int(slowmode) <= 21600:
        errs.add(("rate_limit_per_user",), "NUMBER_TYPE_MAX", "int value should be between 0 and 21600.")
    errs.raise_if_any()
    now = core.clock.now()
    bot_id = core.world.bot_user.id
    thread = Channel(
        id=thread_id,
        type=thread_type,
        name=body["name"],
        guild_id=parent.guild_id,
        parent_id=parent.id,
        owner_id=bot_id,
        auto_archive_duration=duration or 1440,
        archive_timestamp=now,
        create_timestamp=now,
        invitable=bool(body.get("invitable", True)),
        rate_limit_per_user=int(slowmode or 0),
        member_ids={bot_id: now},
    )
    core.world.channels[thread.id] = thread
    return thread


@routes.post("/channels/{channel_id}/messages/{message_id}/threads")
async def start_thread_from_message(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if channel.is_dm or channel.type not in (TEXT, ANNOUNCEMENT):
        raise ApiError(400, WRONG_CHANNEL_TYPE, "Cannot execute action on this channel type")
    p = world.require_bot_view(channel)
    _need(p, perms.CREATE_PUBLIC_THREADS)
    _need(p, perms.READ_MESSAGE_HISTORY)
    message = world.message(channel, ctx.params["message_id"])
    if message.thread is not None:
        raise ApiError(400, THREAD_ALREADY_CREATED, "A thread has already been created for this message")
    thread_type = ANNOUNCEMENT_THREAD if channel.type == ANNOUNCEMENT else PUBLIC_THREAD
    thread = _new_thread(core, channel, ctx.body(), thread_type, message.id)
    thread.starter_message_id = message.id
    message.thread = thread
    message.flags |= HAS_THREAD
    core.events.thread_create(thread)
    core.notifier.changed()
    return payloads.channel(world, thread, bot_member=True)


@routes.post("/channels/{channel_id}/threads")
async def start_thread(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    if channel.is_dm or channel.type not in (TEXT, ANNOUNCEMENT):
        raise ApiError(400, WRONG_CHANNEL_TYPE, "Cannot execute action on this channel type")
    body = ctx.body()
    thread_type = body.get("type")
    if thread_type not in (ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD):
        errs = FormErrors()
        errs.add(("type",), "BASE_TYPE_CHOICES", "Value must be one of (10, 11, 12).")
        errs.raise_if_any()
    p = world.require_bot_view(channel)
    _need(p, perms.CREATE_PRIVATE_THREADS if thread_type == PRIVATE_THREAD else perms.CREATE_PUBLIC_THREADS)
    thread = _new_thread(core, channel, body, thread_type, core.ids.next())
    core.events.thread_create(thread)
    if thread_type != PRIVATE_THREAD:
        # Discord announces public threads started without a message in the parent channel.
        notice = Message(
            id=core.ids.next(),
            channel_id=channel.id,
            author_id=world.bot_user.id,
            guild_id=channel.guild_id,
            content=thread.name,
            type=18,
            timestamp=core.clock.now(),
            message_reference={"channel_id": str(thread.id), "guild_id": str(channel.guild_id)},
        )
        world.add_message(notice)
        core.events.message_create(notice)
    core.notifier.changed()
    return payloads.channel(world, thread, bot_member=True)


def _thread(core: DoubleCore, ctx: RequestContext) -> tuple[Channel, int]:
    channel = core.world.channel(ctx.params["channel_id"])
    if not channel.is_thread:
        raise ApiError(400, WRONG_CHANNEL_TYPE, "Cannot execute action on this channel type")
    return channel, core.world.require_bot_view(channel)


@routes.put("/channels/{channel_id}/thread-members/@me")
@routes.put("/channels/{channel_id}/thread-members/{user_id}")
async def add_thread_member(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    thread, p = _thread(core, ctx)
    bot_id = world.bot_user.id
    raw = ctx.params.get("user_id")
    user_id = bot_id if raw is None else int(raw) if raw.isdigit() else -1
    if thread.archived:
        raise ApiError(400, ARCHIVED_THREAD, "Thread is archived")
    guild = world.guilds[thread.guild_id]  # type: ignore[index]
    if user_id not in guild.members:
        raise ApiError(404, UNKNOWN_MEMBER, "Unknown Member")
    if user_id != bot_id:
        _need(p, perms.SEND_MESSAGES_IN_THREADS)
        if (
            thread.type == PRIVATE_THREAD
            and not thread.invitable
            and not p & perms.MANAGE_THREADS
            and thread.owner_id != bot_id
        ):
            raise missing_permissions()
    if user_id not in thread.member_ids:
        thread.member_ids[user_id] = core.clock.now()
        core.events.thread_members_update(thread, added=[user_id])
    core.notifier.changed()
    return None


@routes.delete("/channels/{channel_id}/thread-members/@me")
@routes.delete("/channels/{channel_id}/thread-members/{user_id}")
async def remove_thread_member(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    thread, p = _thread(core, ctx)
    bot_id = world.bot_user.id
    raw = ctx.params.get("user_id")
    user_id = bot_id if raw is None else int(raw) if raw.isdigit() else -1
    if thread.archived:
        raise ApiError(400, ARCHIVED_THREAD, "Thread is archived")
    owns_private = thread.type == PRIVATE_THREAD and thread.owner_id == bot_id
    if user_id != bot_id and not p & perms.MANAGE_THREADS and not owns_private:
        raise missing_permissions()
    if user_id in thread.member_ids:
        del thread.member_ids[user_id]
        core.events.thread_members_update(thread, removed=[user_id])
    core.notifier.changed()
    return None


@routes.get("/channels/{channel_id}/thread-members/{user_id}")
async def get_thread_member(core: DoubleCore, ctx: RequestContext) -> Any:
    thread, _p = _thread(core, ctx)
    raw = ctx.params["user_id"]
    user_id = int(raw) if raw.isdigit() else -1
    if user_id not in thread.member_ids:
        raise ApiError(404, UNKNOWN_MEMBER, "Unknown Member")
    guild = core.world.guilds[thread.guild_id] if ctx.query.get("with_member") in ("true", "1") else None  # type: ignore[index]
    return payloads.thread_member(thread, user_id, guild=guild)


@routes.get("/channels/{channel_id}/thread-members")
async def list_thread_members(core: DoubleCore, ctx: RequestContext) -> Any:
    thread, _p = _thread(core, ctx)
    if not core.privileged_intents & GUILD_MEMBERS:
        raise ApiError(403, 50001, "Missing Access")
    guild = core.world.guilds[thread.guild_id] if ctx.query.get("with_member") in ("true", "1") else None  # type: ignore[index]
    return [payloads.thread_member(thread, u, guild=guild) for u in thread.member_ids]


@routes.get("/channels/{channel_id}/threads/archived/public")
@routes.get("/channels/{channel_id}/threads/archived/private")
@routes.get("/channels/{channel_id}/users/@me/threads/archived/private")
async def archived_threads(core: DoubleCore, ctx: RequestContext) -> Any:
    world = core.world
    channel = world.channel(ctx.params["channel_id"])
    p = world.require_bot_view(channel)
    _need(p, perms.READ_MESSAGE_HISTORY)
    private = ctx.path.endswith("/private")
    wanted = PRIVATE_THREAD if private else PUBLIC_THREAD
    if private and "/users/@me/" not in ctx.path:
        _need(p, perms.MANAGE_THREADS)
    threads = [t for t in world.threads_of(channel) if t.archived and t.type in (wanted, ANNOUNCEMENT_THREAD)]
    if "/users/@me/" in ctx.path:
        threads = [t for t in threads if world.bot_user.id in t.member_ids]
    threads.sort(key=lambda t: t.archive_timestamp or core.clock.now(), reverse=True)
    bot_id = world.bot_user.id
    return {
        "threads": [payloads.channel(world, t) for t in threads],
        "members": [payloads.thread_member(t, bot_id) for t in threads if bot_id in t.member_ids],
        "has_more": False,
    }


# DMs --------------------------------------------------------------------------------------------


@routes.post("/users/@me/channels")
async def create_dm(core: DoubleCore, ctx: RequestContext) -> Any:
    body = ctx.body()
    recipient = body.get("recipient_id")
    if recipient is None:
        errs = FormErrors()
        errs.required(("recipient_id",))
        errs.raise_if_any()
    user = core.world.user(recipient)
    channel = core.world.dm_channel(user)
    return payloads.channel(core.world, channel)
