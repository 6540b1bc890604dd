"""Actors: what users do in Discord's client. Each interaction returns an ``InteractionRecord``.

The double refuses (``DoubleUsageError``) what Discord's client would not let a user send: an
unregistered command, a missing required option, a value outside the choices or range, a disabled
or unknown button, a modal field that does not exist, a message in a channel the user cannot use.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from . import payloads, perms
from .building import WorldBuilding
from .commands import OptionBuilder
from .errors import DoubleUsageError
from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, MESSAGE_COMPONENT, MODAL_SUBMIT, InteractionRecord
from .messaging import compute_mentions
from .models import Attachment, Channel, Guild, Message, RegisteredCommand, Role, User

SELECT_TYPES = (3, 5, 6, 7, 8)


class Actors(WorldBuilding):
    # helpers ----------------------------------------------------------------------------------
    def _guild_of(self, channel: Channel) -> Guild | None:
        return None if channel.guild_id is None else self.world.guilds[channel.guild_id]

    def _user_channel_perms(self, user: User, channel: Channel) -> int:
        if channel.is_dm:
            if channel.recipient_id != user.id:
                raise DoubleUsageError(f"{user!r} is not in the DM channel {channel!r}")
            return perms.DM_PERMISSIONS
        guild = self._guild_of(channel)
        if guild is None or user.id not in guild.members:
            raise DoubleUsageError(f"{user!r} is not a member of the guild of {channel!r}")
        if channel.deleted:
            raise DoubleUsageError(f"{channel!r} was deleted")
        p = self.world.permissions(channel, user.id)
        if not p & perms.VIEW_CHANNEL:
            raise DoubleUsageError(f"{user!r} cannot see {channel!r}")
        return p

    def _new_interaction(
        self,
        type_: int,
        user: User,
        channel: Channel,
        data: dict[str, Any],
        label: str,
        *,
        message: Message | None = None,
        command: RegisteredCommand | None = None,
        parent: InteractionRecord | None = None,
        focused_type: int | None = None,
    ) -> InteractionRecord:
        world = self.world
        guild = self._guild_of(channel)
        interaction_id = self.ids.next()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(64)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(world.application_id),
            "type": type_,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": str(channel.id),
            "channel": payloads.channel(world, channel),
            "locale": user.locale,
            "entitlements": [],
            "attachment_size_limit": self.attachment_size_limit,
            "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
            "context": 0 if guild is not None else 1,
        }
        if guild is not None:
            payload["guild_id"] = str(guild.id)
            payload["guild"] = {"id": str(guild.id), "locale": guild.preferred_locale, "features": []}
            payload["guild_locale"] = guild.preferred_locale
            payload["member"] = payloads.member(guild.members[user.id], permissions=world.permissions(channel, user.id))
            payload["app_permissions"] = str(world.bot_permissions(channel))
        else:
            payload["user"] = payloads.user(user)
            payload["app_permissions"] = str(perms.DM_PERMISSIONS)
        if message is not None:
            payload["message"] = payloads.message(world, message)
        rec = InteractionRecord(
            self,
            id=interaction_id,
            token=token,
            type=type_,
            user=user,
            channel=channel,
            guild=guild,
            payload=payload,
            label=label,
            command=command,
            source_message=message,
            parent=parent,
            focused_type=focused_type,
        )
        self.interactions[interaction_id] = rec
        self.interactions_by_token[token] = rec
        self.events.interaction_create(payload)
        self.notifier.changed()
        return rec

    def _command(self, user: User, channel: Channel, name: str, type_: int) -> RegisteredCommand:
        guild = self._guild_of(channel)
        command = self.world.find_command(None if guild is None else guild.id, name, type_)
        if command is None:
            scopes = [None] if guild is None else [guild.id, None]
            known = [c.name for s in scopes for c in self.world.registered(s) if c.type == type_]
            where = "in DMs" if guild is None else f"in {guild!r}"
            raise DoubleUsageError(f"no command {name!r} (type {type_}) is registered {where}; registered: {known}")
        # What Discord enforces before delivering: contexts and default_member_permissions.
        if guild is None:
            allowed = command.contexts is None and command.dm_permission is not False
            if command.contexts is not None and 1 in command.contexts:
                allowed = True
            if not allowed:
                raise DoubleUsageError(f"/{name} is not available in DMs (contexts={command.contexts})")
        else:
            if command.contexts is not None and 0 not in command.contexts:
                raise DoubleUsageError(f"/{name} is not available in guilds (contexts={command.contexts})")
            p = self._user_channel_perms(user, channel)
            if not p & perms.USE_APPLICATION_COMMANDS:
                raise DoubleUsageError(f"{user!r} lacks USE_APPLICATION_COMMANDS in {channel!r}")
            overridden = user.id in self.world.command_overrides.get((guild.id, command.name), set())
            if command.default_member_permissions is not None and not overridden:
                needed = int(command.default_member_permissions)
                have = self.world.guild_permissions(guild, user.id)
                if have != perms.ALL and (needed == 0 or have & needed != needed):
                    raise DoubleUsageError(
                        f"{user!r} cannot see /{name}: it needs {perms.names(needed) or 'administrators'}"
                    )
        return command

    @staticmethod
    def _command_data(command: RegisteredCommand) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(command.id), "name": command.name, "type": command.type}
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return data

    # application commands ---------------------------------------------------------------------
    async def slash(self, user: User, channel: Channel, name: str, /, **options: Any) -> InteractionRecord:
        """Runs ``/name`` (``"group sub"`` for sub-commands) with ``options`` as keyword arguments."""
        parts = name.split()
        command = self._command(user, channel, parts[0], 1)
        builder = OptionBuilder(self.world, self._guild_of(channel), channel, user)
        invocation = builder.build(command, parts[1:], options)
        data = self._command_data(command)
        if invocation.options:
            data["options"] = invocation.options
        if invocation.resolved:
            data["resolved"] = invocation.resolved
        return self._new_interaction(APPLICATION_COMMAND, user, channel, data, f"/{name}", command=command)

    async def autocomplete(
        self, user: User, channel: Channel, name: str, /, *, focused: str, **options: Any
    ) -> InteractionRecord:
        """The user is typing in option ``focused`` of ``/name``; ``options[focused]`` is the text."""
        parts = name.split()
        command = self._command(user, channel, parts[0], 1)
        builder = OptionBuilder(self.world, self._guild_of(channel), channel, user)
        invocation = builder.build(command, parts[1:], options, focused=focused)
        data = self._command_data(command)
        data["options"] = invocation.options
        if invocation.resolved:
            data["resolved"] = invocation.resolved
        return self._new_interaction(
            AUTOCOMPLETE,
            user,
            channel,
            data,
            f"autocomplete /{name} {focused}",
            command=command,
            focused_type=invocation.focused_type,
        )

    async def context_menu(
        self, user: User, channel: Channel, name: str, *, target: Message | User
    ) -> InteractionRecord:
        """Runs a message (target=Message) or user (target=User) context menu command."""
        guild = self._guild_of(channel)
        if isinstance(target, Message):
            if target.channel_id != channel.id or target.deleted:
                raise DoubleUsageError(f"{target!r} is not a live message of {channel!r}")
            command = self._command(user, channel, name, 3)
            resolved: dict[str, Any] = {"messages": {str(target.id): payloads.message(self.world, target)}}
        elif isinstance(target, User):
            command = self._command(user, channel, name, 2)
            resolved = {"users": {str(target.id): payloads.user(target)}}
            if guild is not None and target.id in guild.members:
                member = payloads.member(
                    guild.members[target.id], with_user=False, permissions=self.world.permissions(channel, target.id)
                )
                resolved["members"] = {str(target.id): member}
        else:
            raise DoubleUsageError(f"a context menu target is a Message or a User, not {target!r}")
        data = self._command_data(command)
        data.update({"target_id": str(target.id), "resolved": resolved})
        return self._new_interaction(
            APPLICATION_COMMAND, user, channel, data, f"context menu {name!r}", command=command
        )

    # components -------------------------------------------------------------------------------
    def _component(self, user: User, message: Message, custom_id: str) -> tuple[Channel, dict[str, Any]]:
        live = self.world.messages.get(message.id)
        if live is None or live.deleted:
            raise DoubleUsageError(f"{message!r} does not exist (any more)")
        if live.visible_to is not None and live.visible_to != user.id:
            raise DoubleUsageError(f"{message!r} is ephemeral; only its recipient can use it")
        channel = self.world.channels[live.channel_id]
        self._user_channel_perms(user, channel)
        component = live.find_component(custom_id)
        if component is None:
            raise DoubleUsageError(f"{message!r} has no component {custom_id!r}; it has {live.custom_ids()}")
        if component.get("disabled"):
            raise DoubleUsageError(f"component {custom_id!r} of {message!r} is disabled")
        return channel, component

    async def click(self, user: User, message: Message, custom_id: str) -> InteractionRecord:
        channel, component = self._component(user, message, custom_id)
        if component.get("type") != 2:
            raise DoubleUsageError(f"{custom_id!r} is not a button (type {component.get('type')}); use select()")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
        if "id" in component:
            data["id"] = component["id"]
        return self._new_interaction(MESSAGE_COMPONENT, user, channel, data, f"click {custom_id!r}", message=message)

    async def select(self, user: User, message: Message, custom_id: str, values: list[Any]) -> InteractionRecord:
        """``values``: option values for string selects; Users/Roles/Channels for the others."""
        channel, component = self._component(user, message, custom_id)
        ctype = component.get("type")
        if ctype not in SELECT_TYPES:
            raise DoubleUsageError(f"{custom_id!r} is not a select menu (type {ctype})")
        resolved, raw_values = self._select_values(component, values, channel, user)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": ctype, "values": raw_values}
        if resolved:
            data["resolved"] = resolved
        if "id" in component:
            data["id"] = component["id"]
        return self._new_interaction(MESSAGE_COMPONENT, user, channel, data, f"select {custom_id!r}", message=message)

    def _select_values(
        self, component: dict[str, Any], values: list[Any], channel: Channel, user: User
    ) -> tuple[dict[str, Any], list[str]]:
        custom_id = component.get("custom_id")
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise DoubleUsageError(f"select {custom_id!r} takes {low}-{high} values, got {len(values)}")
        if component["type"] == 3:
            options = [o["value"] for o in component.get("options", [])]
            for value in values:
                if value not in options:
                    raise DoubleUsageError(f"{value!r} is not an option of select {custom_id!r}: {options}")
            return {}, list(values)
        builder = OptionBuilder(self.world, self._guild_of(channel), channel, user)
        raw = []
        for value in values:
            if isinstance(value, Role) and component["type"] in (6, 7):
                raw.append(builder._role(value, f"select {custom_id!r}"))
            elif isinstance(value, User) and component["type"] in (5, 7):
                raw.append(builder._user(value, f"select {custom_id!r}"))
            elif isinstance(value, Channel) and component["type"] == 8:
                raw.append(
                    builder._channel({"channel_types": component.get("channel_types")}, value, f"select {custom_id!r}")
                )
            else:
                raise DoubleUsageError(f"{value!r} cannot be picked in select {custom_id!r} (type {component['type']})")
        return builder.resolved, raw

    async def submit_modal(self, user: User, opened_by: InteractionRecord, values: dict[str, Any]) -> InteractionRecord:
        """Submits the modal the bot answered ``opened_by`` with.

        ``values`` maps a field's custom_id (or, for convenience, its label text) to what the user
        entered: a str for text inputs, a list for selects, a bool for a checkbox, a list of
        ``(filename, bytes)`` for file uploads. Fields left out keep their default value.
        """
        modal = opened_by.modal
        if opened_by.response_type != 9 or modal is None:
            raise DoubleUsageError(f"{opened_by!r} was not answered with a modal")
        if opened_by.modal_submitted:
            raise DoubleUsageError(f"the modal of {opened_by!r} was already submitted")
        if user is not opened_by.user:
            raise DoubleUsageError(f"only {opened_by.user!r} sees the modal of {opened_by!r}")
        values = _values_by_custom_id(modal, values)
        resolved: dict[str, Any] = {}
        counter = iter(range(1, 1000))
        submitted = [self._modal_row(row, values, resolved, counter, opened_by) for row in modal["components"]]
        data: dict[str, Any] = {"custom_id": modal["custom_id"], "components": submitted}
        if resolved:
            data["resolved"] = resolved
        opened_by.modal_submitted = True
        return self._new_interaction(
            MODAL_SUBMIT,
            user,
            opened_by.channel,
            data,
            f"modal {modal['title']!r}",
            message=opened_by.source_message,
            parent=opened_by,
        )

    def _modal_row(
        self,
        row: dict[str, Any],
        values: dict[str, Any],
        resolved: dict[str, Any],
        counter: Any,
        rec: InteractionRecord,
    ) -> dict[str, Any]:
        row_id = row.get("id", next(counter))
        if row["type"] == 1:
            return {
                "type": 1,
                "id": row_id,
                "components": [self._modal_field(c, values, resolved, counter, rec) for c in row["components"]],
            }
        if row["type"] == 18:
            return {
                "type": 18,
                "id": row_id,
                "component": self._modal_field(row["component"], values, resolved, counter, rec),
            }
        return {"type": row["type"], "id": row_id}

    def _modal_field(
        self,
        comp: dict[str, Any],
        values: dict[str, Any],
        resolved: dict[str, Any],
        counter: Any,
        rec: InteractionRecord,
    ) -> dict[str, Any]:
        cid = comp["custom_id"]
        out: dict[str, Any] = {"type": comp["type"], "id": comp.get("id", next(counter)), "custom_id": cid}
        required = comp.get("required", True)
        if comp["type"] == 4:
            value = values.get(cid, comp.get("value") or "")
            if not isinstance(value, str):
                raise DoubleUsageError(f"modal field {cid!r} takes text, got {value!r}")
            low, high = comp.get("min_length", 0), comp.get("max_length", 4000)
            if required and not value:
                raise DoubleUsageError(f"modal field {cid!r} is required")
            if value and not low <= len(value) <= high:
                raise DoubleUsageError(f"modal field {cid!r} takes {low}-{high} characters, got {len(value)}")
            out["value"] = value
        elif comp["type"] in SELECT_TYPES:
            picked = values.get(cid, [])
            if required and not picked:
                raise DoubleUsageError(f"modal field {cid!r} is required")
            sub_resolved, raw = (
                self._select_values(comp, list(picked), rec.channel, rec.user) if picked or required else ({}, [])
            )
            for key, items in sub_resolved.items():
                resolved.setdefault(key, {}).update(items)
            out["values"] = raw
        elif comp["type"] == 19:
            files = values.get(cid, [])
            if required and not files:
                raise DoubleUsageError(f"modal field {cid!r} is required")
            ids = []
            for filename, blob in files:
                att = Attachment(id=self.ids.next(), filename=filename, data=blob)
                self.world.loose_attachments[att.id] = att
                resolved.setdefault("attachments", {})[str(att.id)] = payloads.attachment(
                    self.world, att, rec.channel.id
                )
                ids.append(str(att.id))
            out["values"] = ids
        elif comp["type"] == 21:
            value = values.get(cid)
            options = [o["value"] for o in comp.get("options", [])]
            if value is None and required:
                raise DoubleUsageError(f"modal field {cid!r} is required")
            if value is not None and value not in options:
                raise DoubleUsageError(f"{value!r} is not an option of {cid!r}: {options}")
            out["value"] = value
        elif comp["type"] == 22:
            picked = list(values.get(cid, []))
            options = [o["value"] for o in comp.get("options", [])]
            if any(v not in options for v in picked):
                raise DoubleUsageError(f"{picked!r} are not all options of {cid!r}: {options}")
            out["values"] = picked
        elif comp["type"] == 23:
            out["value"] = bool(values.get(cid, False))
        return out

    # messages ---------------------------------------------------------------------------------
    def send_message_now(
        self,
        user: User,
        channel: Channel,
        content: str,
        *,
        reply_to: Message | None = None,
        attachments: list[tuple[str, bytes]] | None = None,
        embeds: list[dict[str, Any]] | None = None,
        at: datetime | None = None,
    ) -> Message:
        """Synchronous ``send_message`` (for building history before or during a test)."""
        p = self._user_channel_perms(user, channel)
        if channel.is_thread:
            if not p & perms.SEND_MESSAGES_IN_THREADS:
                raise DoubleUsageError(f"{user!r} cannot send messages in thread {channel!r}")
            if channel.archived:
                if channel.locked and not p & perms.MANAGE_THREADS:
                    raise DoubleUsageError(f"{channel!r} is locked")
                channel.archived = False
                channel.archive_timestamp = self.clock.now()
                self.events.thread_update(channel)
        elif not channel.is_dm and not p & perms.SEND_MESSAGES:
            raise DoubleUsageError(f"{user!r} cannot send messages in {channel!r}")
        if attachments and not p & perms.ATTACH_FILES:
            raise DoubleUsageError(f"{user!r} cannot attach files in {channel!r}")
        if len(content) > 2000:
            raise DoubleUsageError("users without Nitro cannot send more than 2000 characters")
        if not content.strip() and not attachments and not embeds:
            raise DoubleUsageError("Discord's client does not send empty messages")
        if at is not None and at.tzinfo is None:
            raise DoubleUsageError("at= must be a timezone-aware datetime")
        message_id = self.ids.at(at) if at is not None else self.ids.next()
        message = Message(
            id=message_id,
            channel_id=channel.id,
            author_id=user.id,
            guild_id=channel.guild_id,
            content=content,
            embeds=list(embeds or []),
            attachments=[Attachment(id=self.ids.next(), filename=n, data=b) for n, b in attachments or []],
            type=19 if reply_to is not None else 0,
            timestamp=at or self.clock.now(),
            nonce=str(self.ids.next()),
        )
        if reply_to is not None:
            if reply_to.channel_id != channel.id:
                raise DoubleUsageError("a reply must be in the same channel as the message it answers")
            message.message_reference = {"type": 0, "message_id": str(reply_to.id), "channel_id": str(channel.id)}
            if channel.guild_id is not None:
                message.message_reference["guild_id"] = str(channel.guild_id)
        compute_mentions(self, message, channel, user)
        if channel.is_thread and user.id not in channel.member_ids:
            channel.member_ids[user.id] = self.clock.now()
            self.events.thread_members_update(channel, added=[user.id])
        self.world.add_message(message)
        self.events.message_create(message)
        self.notifier.changed()
        return message

    async def send_message(self, user: User, channel: Channel, content: str, /, **kwargs: Any) -> Message:
        """A user posts in a guild channel or thread (MESSAGE_CREATE with ``member``)."""
        if channel.is_dm:
            raise DoubleUsageError("use send_dm() for direct messages to the bot")
        return self.send_message_now(user, channel, content, **kwargs)

    def dm_channel(self, user: User) -> Channel:
        """The DM channel between ``user`` and the bot (created on first use)."""
        return self.world.dm_channel(user)

    async def send_dm(self, user: User, content: str, **kwargs: Any) -> Message:
        """``user`` DMs the bot (they must share a guild with it, as on Discord)."""
        if not self.world.shared_guilds(user.id):
            raise DoubleUsageError(f"{user!r} shares no guild with the bot, so cannot DM it")
        return self.send_message_now(user, self.world.dm_channel(user), content, **kwargs)

    async def delete_message_as(self, user: User, message: Message) -> None:
        """A user deletes their own message (MESSAGE_DELETE)."""
        if message.author_id != user.id:
            raise DoubleUsageError(f"{user!r} can only delete their own messages")
        message.deleted = True
        self.events.message_delete(message)
        self.notifier.changed()

    async def react(self, user: User, message: Message, emoji: str) -> None:
        """A user adds a (unicode) reaction (MESSAGE_REACTION_ADD)."""
        channel = self.world.channels[message.channel_id]
        p = self._user_channel_perms(user, channel)
        users = message.reactions.setdefault(emoji, [])
        if not users and not p & perms.ADD_REACTIONS:
            raise DoubleUsageError(f"{user!r} cannot add reactions in {channel!r}")
        if user.id not in users:
            users.append(user.id)
            self.events.reaction("MESSAGE_REACTION_ADD", message, user.id, {"id": None, "name": emoji})
        self.notifier.changed()


def _values_by_custom_id(modal: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Accepts custom_ids or labels as keys; unknown or ambiguous keys raise."""
    by_label: dict[str, list[str]] = {}
    custom_ids: set[str] = set()
    for row in modal["components"]:
        children = [row["component"]] if row.get("type") == 18 else row.get("components", [])
        for child in children:
            if "custom_id" not in child:
                continue
            custom_ids.add(child["custom_id"])
            label = row.get("label") if row.get("type") == 18 else child.get("label")
            if label:
                by_label.setdefault(label, []).append(child["custom_id"])
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in custom_ids:
            out[key] = value
        elif len(by_label.get(key, [])) == 1:
            out[by_label[key][0]] = value
        else:
            known = sorted(custom_ids | set(by_label))
            raise DoubleUsageError(
                f"modal {modal.get('title')!r} has no field {key!r} (custom_ids and labels: {known})"
            )
    return out
