"""Interaction callbacks and interaction webhooks (followups, ``@original``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import payloads
from .errors import (
    ALREADY_ACKNOWLEDGED,
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
    FormErrors,
)
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    PING,
    InteractionRecord,
)
from .messaging import apply_edit, compute_mentions, new_message
from .models import EPHEMERAL, IS_COMPONENTS_V2, LOADING, SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, Message
from .rest import RequestContext, RouteTable
from .validation import validate_choices, validate_modal

if TYPE_CHECKING:
    from .core import DoubleCore

routes = RouteTable()

CREATE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2
EDIT_FLAGS = SUPPRESS_EMBEDS | IS_COMPONENTS_V2

ALLOWED_RESPONSES = {
    PING: {1},
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


def unknown_interaction() -> ApiError:
    return ApiError(404, UNKNOWN_INTERACTION, "Unknown interaction")


def _metadata(core: DoubleCore, rec: InteractionRecord, *, original: Message | None = None) -> dict[str, Any]:
    owner = str(rec.guild.id) if rec.guild is not None else "0"
    meta: dict[str, Any] = {
        "id": str(rec.id),
        "type": rec.type,
        "user": payloads.user(rec.user),
        "authorizing_integration_owners": {"0": owner},
    }
    if rec.command is not None:
        meta["name"] = rec.command.name
        meta["command_type"] = rec.command.type
    if rec.type == MESSAGE_COMPONENT and rec.source_message is not None:
        meta["interacted_message_id"] = str(rec.source_message.id)
    if rec.type == MODAL_SUBMIT and rec.parent is not None:
        meta["triggering_interaction_metadata"] = _metadata(core, rec.parent)
    if original is not None:
        meta["original_response_message_id"] = str(original.id)
    return meta


def _message_type(rec: InteractionRecord) -> int:
    if rec.type == APPLICATION_COMMAND and rec.command is not None:
        return 20 if rec.command.type == 1 else 23
    return 0


def _create_response_message(
    core: DoubleCore, rec: InteractionRecord, data: dict[str, Any], ctx: RequestContext, *, loading: bool
) -> Message:
    world = core.world
    bot = world.bot_user
    if loading:
        flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
        message = new_message(
            core,
            rec.channel,
            bot,
            {},
            [],
            allowed_flags=0,
            extra_flags=flags,
            message_type=_message_type(rec),
            allow_empty=True,
        )
    else:
        message = new_message(
            core, rec.channel, bot, data, ctx.files, allowed_flags=CREATE_FLAGS, message_type=_message_type(rec)
        )
    message.webhook_id = world.application_id
    message.application_id = world.application_id
    message.interaction_metadata = _metadata(core, rec)
    if message.ephemeral:
        message.visible_to = rec.user.id
    compute_mentions(core, message, rec.channel, bot)
    world.add_message(message)
    core.events.message_create(message)
    return message


@routes.post("/interactions/{interaction_id}/{interaction_token}/callback", auth=False, global_limited=False)
async def interaction_callback(core: DoubleCore, ctx: RequestContext) -> Any:
    try:
        rec = core.interactions[int(ctx.params["interaction_id"])]
    except (KeyError, ValueError):
        raise unknown_interaction() from None
    if rec.token != ctx.params["interaction_token"]:
        raise unknown_interaction()
    try:
        return _callback(core, rec, ctx)
    except ApiError as exc:
        rec.errors.append({"status": exc.status, **exc.body()})
        core.notifier.changed()
        raise


def _callback(core: DoubleCore, rec: InteractionRecord, ctx: RequestContext) -> Any:
    if rec.response_type is not None:
        raise ApiError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")
    if core.clock.monotonic() - rec.created_at > core.interaction_timeout:
        raise unknown_interaction()
    body = ctx.body()
    rtype = body.get("type")
    data = body.get("data") or {}
    allowed = set(ALLOWED_RESPONSES[rec.type])
    if rec.type == MODAL_SUBMIT and rec.source_message is None:
        allowed -= {6, 7}
    if rtype not in allowed:
        errs = FormErrors()
        errs.add(
            ("type",),
            "INTERACTION_RESPONSE_TYPE_INVALID",
            f"Response type {rtype} is not valid for interaction type {rec.type} (allowed: {sorted(allowed)})",
        )
        errs.raise_if_any()
    message: Message | None = None
    if rtype == 4:
        message = _create_response_message(core, rec, data, ctx, loading=False)
        rec.ephemeral = message.ephemeral
    elif rtype == 5:
        message = _create_response_message(core, rec, data, ctx, loading=True)
        rec.ephemeral = message.ephemeral
    elif rtype == 6:
        message = rec.source_message
        rec.ephemeral = bool(message is not None and message.ephemeral)
    elif rtype == 7:
        message = rec.source_message
        assert message is not None
        if message.deleted:
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        apply_edit(core, message, data, ctx.files, allowed_flags=EDIT_FLAGS)
        compute_mentions(core, message, rec.channel, core.world.bot_user)
        core.events.message_update(message)
        rec.ephemeral = message.ephemeral
    elif rtype == 8:
        errs = FormErrors()
        choices = validate_choices(errs, data, rec.focused_type or 3)
        errs.raise_if_any()
        rec.choices = choices
    elif rtype == 9:
        errs = FormErrors()
        validate_modal(errs, data)
        errs.raise_if_any()
        rec.modal = data
    rec.message = message
    rec.response_type = rtype
    rec.responded_at = core.clock.monotonic()
    core.notifier.changed()
    if ctx.query.get("with_response") not in ("1", "true", "True"):
        return None
    interaction: dict[str, Any] = {"id": str(rec.id), "type": rec.type}
    resource: dict[str, Any] = {"type": rtype}
    if message is not None:
        interaction["response_message_id"] = str(message.id)
        interaction["response_message_loading"] = message.loading
        interaction["response_message_ephemeral"] = message.ephemeral
        if rtype in (4, 5, 7):
            resource["message"] = payloads.message(core.world, message)
    return {"interaction": interaction, "resource": resource}


# ----------------------------------------------------------------------------------------------
# interaction webhooks


def _webhook_interaction(core: DoubleCore, ctx: RequestContext) -> InteractionRecord:
    if ctx.params["webhook_id"] != str(core.world.application_id):
        raise ApiError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
    rec = core.interactions_by_token.get(ctx.params["webhook_token"])
    if rec is None or core.clock.monotonic() - rec.created_at > core.interaction_token_lifetime:
        raise ApiError(401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")
    if rec.response_type is None:
        raise ApiError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
    return rec


def _original(rec: InteractionRecord) -> Message:
    message = rec.message
    if rec.response_type not in (4, 5, 6, 7) or message is None or message.deleted:
        raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
    return message


def _owned_message(rec: InteractionRecord, message_id: str) -> Message:
    if message_id == "@original":
        return _original(rec)
    for message in [rec.message, *rec.followups]:
        if message is not None and str(message.id) == message_id and not message.deleted:
            return message
    raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")


def _record_errors(rec: InteractionRecord | None, core: DoubleCore, exc: ApiError) -> None:
    if rec is not None:
        rec.errors.append({"status": exc.status, **exc.body()})
        core.notifier.changed()


@routes.post("/webhooks/{webhook_id}/{webhook_token}", auth=False, global_limited=False)
async def execute_followup(core: DoubleCore, ctx: RequestContext) -> Any:
    rec = _webhook_interaction(core, ctx)
    try:
        message = _followup(core, rec, ctx)
    except ApiError as exc:
        _record_errors(rec, core, exc)
        raise
    rec.followups.append(message)
    core.notifier.changed()
    if ctx.query.get("wait") in ("1", "true", "True"):
        return payloads.message(core.world, message)
    return None


def _followup(core: DoubleCore, rec: InteractionRecord, ctx: RequestContext) -> Message:
    if rec.response_type not in (4, 5, 6, 7):
        raise ApiError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
    data = ctx.body()
    original = rec.message
    if rec.response_type == 5 and original is not None and original.loading and not original.deleted:
        # Discord: the first followup after a deferred response edits the loading message
        # (keeping its ephemeral state) instead of creating a new one.
        apply_edit(core, original, data, ctx.files, allowed_flags=EDIT_FLAGS)
        original.flags &= ~LOADING
        compute_mentions(core, original, rec.channel, core.world.bot_user)
        core.events.message_update(original)
        rec.loading_replaced_by_followup = True
        return original
    world = core.world
    message = new_message(core, rec.channel, world.bot_user, data, ctx.files, allowed_flags=CREATE_FLAGS)
    message.webhook_id = world.application_id
    message.application_id = world.application_id
    message.interaction_metadata = _metadata(core, rec, original=original)
    if message.ephemeral:
        message.visible_to = rec.user.id
    compute_mentions(core, message, rec.channel, world.bot_user)
    world.add_message(message)
    core.events.message_create(message)
    return message


@routes.get("/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False, global_limited=False)
async def get_webhook_message(core: DoubleCore, ctx: RequestContext) -> Any:
    rec = _webhook_interaction(core, ctx)
    return payloads.message(core.world, _owned_message(rec, ctx.params["message_id"]))


@routes.patch("/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False, global_limited=False)
async def edit_webhook_message(core: DoubleCore, ctx: RequestContext) -> Any:
    rec = _webhook_interaction(core, ctx)
    try:
        message = _owned_message(rec, ctx.params["message_id"])
        apply_edit(core, message, ctx.body(), ctx.files, allowed_flags=EDIT_FLAGS)
    except ApiError as exc:
        _record_errors(rec, core, exc)
        raise
    message.flags &= ~LOADING
    compute_mentions(core, message, rec.channel, core.world.bot_user)
    core.events.message_update(message)
    core.notifier.changed()
    return payloads.message(core.world, message)


@routes.delete("/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False, global_limited=False)
async def delete_webhook_message(core: DoubleCore, ctx: RequestContext) -> Any:
    rec = _webhook_interaction(core, ctx)
    message = _owned_message(rec, ctx.params["message_id"])
    message.deleted = True
    core.events.message_delete(message)
    core.notifier.changed()
    return None
