"""Application commands: validating a bulk overwrite, storing it, and building the options
payload of a command invocation from a test's keyword arguments (validated like Discord's client
does before it sends anything)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import payloads
from .errors import DoubleUsageError, FormErrors
from .models import Attachment, Channel, Guild, RegisteredCommand, Role, User
from .validation import check_length

if TYPE_CHECKING:
    from .state import World

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11
MAX_SAFE_INT = 2**53
LIMITS = {CHAT_INPUT: 100, USER_COMMAND: 15, MESSAGE_COMMAND: 15}
NAME_RE = re.compile(r"^[-_'\w]{1,32}$")

Path = tuple[str | int, ...]

#: The locales Discord accepts as keys of ``name_localizations`` / ``description_localizations``.
LOCALES = frozenset(
    {
        "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
        "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja",
        "zh-TW", "ko",
    }
)
#: A command's size limit: names, descriptions and choice names and values, counting for each field the
#: longest of its default and its localisations.
COMMAND_SIZE_LIMIT = 8000


def _localizations(
    errs: FormErrors, path: Path, owner: dict[str, Any], field: str, limit: int, *, name: bool
) -> None:
    values = owner.get(f"{field}_localizations")
    if values is None:
        return
    where = (*path, f"{field}_localizations")
    if not isinstance(values, dict):
        errs.add(where, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    for locale, text in values.items():
        if locale not in LOCALES:
            errs.add((*where, locale), "LOCALE_INVALID", f"Invalid locale: {locale!r}")
        elif name:
            if not isinstance(text, str) or not NAME_RE.match(text) or text != text.lower():
                errs.add((*where, locale), "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {text!r}")
        else:
            check_length(errs, (*where, locale), text, limit, required=True)


def _longest(owner: dict[str, Any], field: str) -> int:
    values = [owner.get(field) or "", *((owner.get(f"{field}_localizations") or {}).values())]
    return max(len(str(v)) for v in values)


def command_size(cmd: dict[str, Any]) -> int:
    """Discord's size of one command, as its 8,000-character limit counts it."""
    total = _longest(cmd, "name") + _longest(cmd, "description")
    for opt in cmd.get("options") or []:
        if isinstance(opt, dict):
            total += command_size(opt)
            for choice in opt.get("choices") or []:
                total += _longest(choice, "name") + len(str(choice.get("value", "")))
    return total


def _check_name(errs: FormErrors, path: Path, name: Any) -> None:
    if not isinstance(name, str) or not NAME_RE.match(name):
        errs.add((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")
    elif name != name.lower():
        errs.add((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name must be lowercase")


def validate_bulk(payload: Any) -> list[dict[str, Any]]:
    errs = FormErrors()
    if not isinstance(payload, list):
        errs.add((), "BASE_TYPE_ARRAY", "Must be an array.")
        errs.raise_if_any()
    seen: set[tuple[str, int]] = set()
    counts = {CHAT_INPUT: 0, USER_COMMAND: 0, MESSAGE_COMMAND: 0}
    for i, cmd in enumerate(payload):
        path: Path = (i,)
        if not isinstance(cmd, dict):
            errs.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        ctype = cmd.get("type", CHAT_INPUT)
        if ctype not in counts:
            errs.add((*path, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4).")
            continue
        counts[ctype] += 1
        name = cmd.get("name")
        if ctype == CHAT_INPUT:
            _check_name(errs, path, name)
            check_length(errs, (*path, "description"), cmd.get("description"), 100, required=True)
            _localizations(errs, path, cmd, "name", 32, name=True)
            _localizations(errs, path, cmd, "description", 100, name=False)
            _validate_options(errs, path, cmd.get("options") or [], depth=0)
            if command_size(cmd) > COMMAND_SIZE_LIMIT:
                errs.add(path, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (8000)")
        else:
            check_length(errs, (*path, "name"), name, 32, required=True)
            if cmd.get("description"):
                errs.add(
                    (*path, "description"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                    "Context menu commands cannot have a description",
                )
            if cmd.get("options"):
                errs.add(
                    (*path, "options"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                    "Context menu commands cannot have options",
                )
        key = (str(name), ctype)
        if key in seen:
            errs.add(
                (*path, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {name!r}",
            )
        seen.add(key)
        perms = cmd.get("default_member_permissions")
        if perms is not None:
            try:
                int(perms)
            except (TypeError, ValueError):
                errs.add((*path, "default_member_permissions"), "BASE_TYPE_INT", "Value is not a permission integer")
        for key_name, allowed in (("contexts", {0, 1, 2}), ("integration_types", {0, 1})):
            values = cmd.get(key_name)
            if values is not None and (not isinstance(values, list) or any(v not in allowed for v in values)):
                errs.add((*path, key_name), "BASE_TYPE_CHOICES", f"Value must be one of {tuple(sorted(allowed))}.")
    for ctype, count in counts.items():
        if count > LIMITS[ctype]:
            errs.add(
                (),
                "APPLICATION_COMMANDS_TOO_MANY",
                f"Maximum number of application commands of type {ctype} reached ({LIMITS[ctype]})",
            )
    errs.raise_if_any()
    return payload


def _validate_options(errs: FormErrors, path: Path, options: Any, *, depth: int) -> None:
    opath = (*path, "options")
    if not isinstance(options, list):
        errs.add(opath, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if len(options) > 25:
        errs.max_length(opath, 25)
    names: set[str] = set()
    seen_optional = False
    types = {o.get("type") for o in options if isinstance(o, dict)}
    if types & {SUB_COMMAND, SUB_COMMAND_GROUP} and types - {SUB_COMMAND, SUB_COMMAND_GROUP}:
        errs.add(
            opath,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-commands and sub-command groups cannot be mixed with other options",
        )
    for i, opt in enumerate(options):
        p = (*opath, i)
        if not isinstance(opt, dict):
            errs.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        otype = opt.get("type")
        if otype not in range(1, 12):
            errs.add((*p, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, ..., 11).")
            continue
        _check_name(errs, p, opt.get("name"))
        check_length(errs, (*p, "description"), opt.get("description"), 100, required=True)
        _localizations(errs, p, opt, "name", 32, name=True)
        _localizations(errs, p, opt, "description", 100, name=False)
        if opt.get("name") in names:
            errs.add((*p, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
        names.add(opt.get("name"))
        if otype == SUB_COMMAND_GROUP:
            if depth != 0:
                errs.add(
                    (*p, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command groups can only be top-level"
                )
            children = opt.get("options") or []
            if not children or any(c.get("type") != SUB_COMMAND for c in children):
                errs.add(
                    (*p, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "A sub-command group must contain only sub-commands",
                )
            _validate_options(errs, p, children, depth=depth + 1)
            continue
        if otype == SUB_COMMAND:
            if depth > 1:
                errs.add(
                    (*p, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-commands nest at most two levels deep",
                )
            children = opt.get("options") or []
            if any(c.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for c in children if isinstance(c, dict)):
                errs.add(
                    (*p, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "A sub-command cannot contain sub-commands",
                )
            _validate_options(errs, p, children, depth=depth + 2)
            continue
        if opt.get("required"):
            if seen_optional:
                errs.add(
                    (*p, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = opt.get("choices")
        if choices:
            if otype not in (STRING, INTEGER, NUMBER):
                errs.add(
                    (*p, "choices"),
                    "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
                    "Only string, integer and number options can have choices",
                )
            if len(choices) > 25:
                errs.max_length((*p, "choices"), 25)
            if opt.get("autocomplete"):
                errs.add(
                    (*p, "autocomplete"),
                    "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES",
                    "Autocomplete and choices are mutually exclusive",
                )
            for j, choice in enumerate(choices):
                cp = (*p, "choices", j)
                check_length(errs, (*cp, "name"), choice.get("name"), 100, required=True)
                _localizations(errs, cp, choice, "name", 100, name=False)
                value = choice.get("value")
                if otype == STRING:
                    check_length(errs, (*cp, "value"), value, 100, required=True)
                elif otype == INTEGER and (not isinstance(value, int) or isinstance(value, bool)):
                    errs.add((*cp, "value"), "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
        if opt.get("autocomplete") and otype not in (STRING, INTEGER, NUMBER):
            errs.add(
                (*p, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
                "Only string, integer and number options support autocomplete",
            )
        if ("min_value" in opt or "max_value" in opt) and otype not in (INTEGER, NUMBER):
            errs.add(
                (*p, "min_value"),
                "APPLICATION_COMMAND_OPTION_VALUE_RANGE_INVALID",
                "min_value/max_value only apply to integer and number options",
            )
        low, high = opt.get("min_value"), opt.get("max_value")
        if low is not None and high is not None and low > high:
            errs.add(
                (*p, "min_value"),
                "APPLICATION_COMMAND_OPTION_VALUE_RANGE_INVALID",
                "min_value must be less than or equal to max_value",
            )
        if "min_length" in opt or "max_length" in opt:
            if otype != STRING:
                errs.add(
                    (*p, "min_length"),
                    "APPLICATION_COMMAND_OPTION_LENGTH_INVALID",
                    "min_length/max_length only apply to string options",
                )
            low, high = opt.get("min_length"), opt.get("max_length")
            if low is not None and not 0 <= low <= 6000:
                errs.add((*p, "min_length"), "NUMBER_TYPE_MAX", "int value should be between 0 and 6000.")
            if high is not None and not 1 <= high <= 6000:
                errs.add((*p, "max_length"), "NUMBER_TYPE_MAX", "int value should be between 1 and 6000.")
        if opt.get("channel_types") and otype != CHANNEL:
            errs.add(
                (*p, "channel_types"),
                "APPLICATION_COMMAND_OPTION_CHANNEL_TYPES_INVALID",
                "channel_types only apply to channel options",
            )


def store(world: World, guild_id: int | None, payload: list[dict[str, Any]]) -> list[RegisteredCommand]:
    """Bulk overwrite: replaces the scope's commands, keeping ids of commands with the same name."""
    previous = {(c.name, c.type): c for c in world.registered(guild_id)}
    stored = []
    for cmd in payload:
        ctype = cmd.get("type", CHAT_INPUT)
        old = previous.get((cmd["name"], ctype))
        perms = cmd.get("default_member_permissions")
        stored.append(
            RegisteredCommand(
                id=old.id if old else world.ids.next(),
                application_id=world.application_id,
                guild_id=guild_id,
                name=cmd["name"],
                type=ctype,
                description=cmd.get("description") or "",
                options=[_normalise_option(o) for o in cmd.get("options") or []],
                default_member_permissions=None if perms is None else str(perms),
                dm_permission=cmd.get("dm_permission", True) if guild_id is None else None,
                contexts=cmd.get("contexts"),
                integration_types=cmd.get("integration_types") or [0],
                nsfw=bool(cmd.get("nsfw", False)),
                version=world.ids.next(),
                submitted=cmd,
            )
        )
    world.commands[guild_id] = stored
    return stored


def _normalise_option(opt: dict[str, Any]) -> dict[str, Any]:
    out = {
        k: v for k, v in opt.items() if v is not None and k not in ("name_localizations", "description_localizations")
    }
    if out.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        out.pop("required", None)
        out["options"] = [_normalise_option(o) for o in opt.get("options") or []]
        if not out["options"]:
            out.pop("options")
    elif not out.get("required"):
        out.pop("required", None)
    return out


# --------------------------------------------------------------------------------------------
# invocation


@dataclass
class Invocation:
    command: RegisteredCommand
    options: list[dict[str, Any]]
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    focused_type: int | None = None


def _resolve_path(
    command: RegisteredCommand, path: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Walks sub-command groups / sub-commands. Returns (leaf option defs, wrapper chain, names)."""
    defs = command.options
    chain: list[dict[str, Any]] = []
    walked = [command.name]
    for part in path:
        match = next((o for o in defs if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) and o["name"] == part), None)
        if match is None:
            subs = [o["name"] for o in defs if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)]
            raise DoubleUsageError(f"/{' '.join(walked)} has no sub-command {part!r} (it has {subs})")
        chain.append(match)
        walked.append(part)
        defs = match.get("options", [])
    if any(o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in defs):
        subs = [o["name"] for o in defs]
        raise DoubleUsageError(f"/{' '.join(walked)} cannot be run by itself; pick one of {subs}")
    return defs, chain, walked


class OptionBuilder:
    """Turns test kwargs into Discord's option payload + ``resolved`` for one invocation."""

    def __init__(self, world: World, guild: Guild | None, channel: Channel, invoker: User) -> None:
        self.world = world
        self.guild = guild
        self.channel = channel
        self.invoker = invoker
        self.resolved: dict[str, dict[str, Any]] = {}

    def build(
        self,
        command: RegisteredCommand,
        path: list[str],
        values: dict[str, Any],
        *,
        focused: str | None = None,
    ) -> Invocation:
        defs, chain, walked = _resolve_path(command, path)
        known = {o["name"]: o for o in defs}
        for name in values:
            if name not in known:
                raise DoubleUsageError(f"/{' '.join(walked)} has no option {name!r} (it has {sorted(known)})")
        focused_type = None
        leaf: list[dict[str, Any]] = []
        for definition in defs:
            name = definition["name"]
            if name == focused:
                if not definition.get("autocomplete"):
                    raise DoubleUsageError(f"option {name!r} of /{' '.join(walked)} does not use autocomplete")
                focused_type = definition["type"]
                leaf.append(
                    {"name": name, "type": definition["type"], "value": str(values.get(name, "")), "focused": True}
                )
                continue
            if name not in values:
                if definition.get("required") and focused is None:
                    raise DoubleUsageError(f"/{' '.join(walked)} needs the required option {name!r}")
                continue
            leaf.append(
                {"name": name, "type": definition["type"], "value": self._value(definition, values[name], walked)}
            )
        if focused is not None and focused_type is None:
            raise DoubleUsageError(f"/{' '.join(walked)} has no option {focused!r} to autocomplete")
        options = leaf
        for wrapper in reversed(chain):
            options = [{"name": wrapper["name"], "type": wrapper["type"], "options": options}]
        return Invocation(command=command, options=options, resolved=self.resolved, focused_type=focused_type)

    def _value(self, definition: dict[str, Any], value: Any, walked: list[str]) -> Any:
        otype = definition["type"]
        where = f"option {definition['name']!r} of /{' '.join(walked)}"
        choices = definition.get("choices")
        if otype == STRING:
            if not isinstance(value, str):
                raise DoubleUsageError(f"{where} takes a string, got {value!r}")
            low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
            if not low <= len(value) <= high:
                raise DoubleUsageError(f"{where} must be {low}-{high} characters, got {len(value)}")
        elif otype == INTEGER:
            if not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_SAFE_INT:
                raise DoubleUsageError(f"{where} takes an integer, got {value!r}")
            self._range(definition, value, where)
        elif otype == NUMBER:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise DoubleUsageError(f"{where} takes a number, got {value!r}")
            self._range(definition, value, where)
        elif otype == BOOLEAN:
            if not isinstance(value, bool):
                raise DoubleUsageError(f"{where} takes a bool, got {value!r}")
        elif otype == USER:
            return self._user(value, where)
        elif otype == ROLE:
            return self._role(value, where)
        elif otype == MENTIONABLE:
            if isinstance(value, Role):
                return self._role(value, where)
            return self._user(value, where)
        elif otype == CHANNEL:
            return self._channel(definition, value, where)
        elif otype == ATTACHMENT:
            return self._attachment(value, where)
        if choices and value not in [c["value"] for c in choices]:
            raise DoubleUsageError(f"{where} must be one of {[c['value'] for c in choices]}, got {value!r}")
        return value

    @staticmethod
    def _range(definition: dict[str, Any], value: float, where: str) -> None:
        low, high = definition.get("min_value"), definition.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise DoubleUsageError(f"{where} must be within [{low}, {high}], got {value}")

    def _user(self, value: Any, where: str) -> str:
        if not isinstance(value, User):
            raise DoubleUsageError(f"{where} takes a double User, got {value!r}")
        self.resolved.setdefault("users", {})[str(value.id)] = payloads.user(value)
        if self.guild is not None and value.id in self.guild.members:
            member = payloads.member(self.guild.members[value.id], with_user=False)
            member["permissions"] = str(self.world.permissions(self.channel, value.id))
            self.resolved.setdefault("members", {})[str(value.id)] = member
        return str(value.id)

    def _role(self, value: Any, where: str) -> str:
        if not isinstance(value, Role) or self.guild is None or value.guild_id != self.guild.id:
            raise DoubleUsageError(f"{where} takes a Role of this guild, got {value!r}")
        self.resolved.setdefault("roles", {})[str(value.id)] = payloads.role(value)
        return str(value.id)

    def _channel(self, definition: dict[str, Any], value: Any, where: str) -> str:
        if not isinstance(value, Channel) or self.guild is None or value.guild_id != self.guild.id:
            raise DoubleUsageError(f"{where} takes a Channel of this guild, got {value!r}")
        allowed = definition.get("channel_types")
        if allowed and value.type not in allowed:
            raise DoubleUsageError(f"{where} only accepts channel types {allowed}, got type {value.type}")
        data = payloads.channel(self.world, value)
        data["permissions"] = str(self.world.permissions(value, self.invoker.id))
        self.resolved.setdefault("channels", {})[str(value.id)] = data
        return str(value.id)

    def _attachment(self, value: Any, where: str) -> str:
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes)):
            raise DoubleUsageError(f"{where} takes a (filename, bytes) tuple, got {value!r}")
        att = Attachment(id=self.world.ids.next(), filename=value[0], data=value[1])
        self.world.loose_attachments[att.id] = att
        self.resolved.setdefault("attachments", {})[str(att.id)] = payloads.attachment(self.world, att, self.channel.id)
        return str(att.id)
