"""Creating and editing messages the way Discord does, shared by channel messages, interaction
responses, followups and user actors: body parsing, limits, mentions, attachments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import perms
from .errors import EMPTY_MESSAGE, REQUEST_TOO_LARGE, ApiError, FormErrors
from .models import Attachment, Channel, Message, User
from .validation import MAX_FILES, is_empty, validate_message_fields

if TYPE_CHECKING:
    from .core import DoubleCore

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass
class UploadedFile:
    index: int
    filename: str
    data: bytes
    content_type: str | None = None


def empty_message_error() -> ApiError:
    return ApiError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def check_files(core: DoubleCore, files: list[UploadedFile]) -> None:
    if len(files) > MAX_FILES:
        errs = FormErrors()
        errs.max_length(("files",), MAX_FILES)
        errs.raise_if_any()
    limit = core.attachment_size_limit
    if sum(len(f.data) for f in files) > limit:
        raise ApiError(413, REQUEST_TOO_LARGE, "Request entity too large")


def _attachments_from(core: DoubleCore, body: dict[str, Any], files: list[UploadedFile]) -> list[Attachment]:
    meta = {int(a["id"]): a for a in body.get("attachments") or [] if str(a.get("id", "")).isdigit()}
    out = []
    for f in files:
        info = meta.get(f.index, {})
        out.append(
            Attachment(
                id=core.ids.next(),
                filename=info.get("filename") or f.filename,
                data=f.data,
                content_type=f.content_type if f.content_type != "application/octet-stream" else None,
                description=info.get("description"),
            )
        )
    return out


def compute_mentions(core: DoubleCore, message: Message, channel: Channel, author: User) -> None:
    """Fills mention fields from the content, honouring ``allowed_mentions`` like Discord."""
    world = core.world
    am = message.allowed_mentions
    parse = {"users", "roles", "everyone"} if am is None else set(am.get("parse") or [])
    allowed_users = {int(u) for u in (am or {}).get("users") or []}
    allowed_roles = {int(r) for r in (am or {}).get("roles") or []}
    users: list[int] = []
    for raw in USER_MENTION.findall(message.content):
        uid = int(raw)
        if uid in world.users and ("users" in parse or uid in allowed_users) and uid not in users:
            users.append(uid)
    if message.message_reference and message.type == 19:
        replied = world.messages.get(int(message.message_reference.get("message_id", 0)))
        wants = True if am is None else bool(am.get("replied_user", False))
        if replied is not None and wants and replied.author_id not in users:
            users.append(replied.author_id)
    message.mention_ids = users
    roles: list[int] = []
    guild = world.guilds.get(channel.guild_id) if channel.guild_id is not None else None
    if guild is not None:
        for raw in ROLE_MENTION.findall(message.content):
            rid = int(raw)
            if rid in guild.roles and ("roles" in parse or rid in allowed_roles):
                roles.append(rid)
    message.mention_role_ids = roles
    can_everyone = channel.is_dm or bool(world.permissions(channel, author.id) & perms.MENTION_EVERYONE)
    message.mention_everyone = (
        "everyone" in parse and can_everyone and ("@everyone" in message.content or "@here" in message.content)
    )


def new_message(
    core: DoubleCore,
    channel: Channel,
    author: User,
    body: dict[str, Any],
    files: list[UploadedFile],
    *,
    allowed_flags: int,
    message_type: int = 0,
    extra_flags: int = 0,
    allow_empty: bool = False,
) -> Message:
    """Validates a create body and returns the (not yet stored) message."""
    flags = int(body.get("flags") or 0)
    errs = FormErrors()
    validate_message_fields(errs, body, flags=flags)
    errs.raise_if_any()
    check_files(core, files)
    if not allow_empty and is_empty(
        body.get("content"),
        body.get("embeds"),
        body.get("components"),
        len(files),
        poll=body.get("poll"),
        stickers=body.get("sticker_ids"),
    ):
        raise empty_message_error()
    guild_id = channel.guild_id if not channel.is_dm else None
    message = Message(
        id=core.ids.next(),
        channel_id=channel.id,
        author_id=author.id,
        guild_id=guild_id,
        content=body.get("content") or "",
        embeds=[_normalise_embed(e) for e in body.get("embeds") or []],
        components=body.get("components") or [],
        attachments=_attachments_from(core, body, files),
        flags=(flags & allowed_flags) | extra_flags,
        type=message_type,
        allowed_mentions=body.get("allowed_mentions"),
        nonce=body.get("nonce"),
        tts=bool(body.get("tts", False)),
        timestamp=core.clock.now(),
        poll=_poll(body.get("poll")),
    )
    return message


def _normalise_embed(embed: dict[str, Any]) -> dict[str, Any]:
    out = dict(embed)
    out.setdefault("type", "rich")
    return out


def _poll(poll: dict[str, Any] | None) -> dict[str, Any] | None:
    if poll is None:
        return None
    out = dict(poll)
    out.setdefault("allow_multiselect", False)
    out.setdefault("layout_type", 1)
    out["answers"] = [dict(a, answer_id=i + 1) for i, a in enumerate(poll.get("answers") or [])]
    out.setdefault("expiry", None)
    out.setdefault("results", {"is_finalized": False, "answer_counts": []})
    return out


def apply_edit(
    core: DoubleCore,
    message: Message,
    body: dict[str, Any],
    files: list[UploadedFile],
    *,
    allowed_flags: int,
) -> None:
    """Validates an edit body against the *resulting* message, then applies it."""
    flags = message.flags
    if "flags" in body and body["flags"] is not None:
        flags = (message.flags & ~allowed_flags) | (int(body["flags"]) & allowed_flags)
    errs = FormErrors()
    validate_message_fields(errs, body, flags=flags)
    errs.raise_if_any()
    check_files(core, files)
    content = body.get("content", message.content)
    embeds = body.get("embeds", message.embeds)
    components = body.get("components", message.components)
    attachments = message.attachments
    if "attachments" in body and body["attachments"] is not None:
        keep = {int(a["id"]) for a in body["attachments"] if int(a["id"]) in {x.id for x in message.attachments}}
        attachments = [a for a in message.attachments if a.id in keep]
    new_files = _attachments_from(core, body, files)
    if is_empty(content, embeds, components, len(attachments) + len(new_files), poll=message.poll):
        raise empty_message_error()
    message.content = content or ""
    message.embeds = [_normalise_embed(e) for e in embeds or []]
    message.components = components or []
    message.attachments = attachments + new_files
    message.flags = flags
    if "allowed_mentions" in body:
        message.allowed_mentions = body["allowed_mentions"]
    message.edited_timestamp = core.clock.now()
    message.edits += 1
