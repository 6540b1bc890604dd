"""Discord's limits on message bodies, embeds, components, modals and autocomplete choices.

Everything here fills a ``FormErrors`` (so one request can report several problems, as Discord
does) and the caller raises ``400 50035 Invalid Form Body``. Limits are Discord's documented ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .errors import FormErrors
from .models import IS_COMPONENTS_V2

Path = tuple[str | int, ...]

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_FILES = 10

V2_TOP_LEVEL = {1, 9, 10, 12, 13, 14, 17}
V2_IN_CONTAINER = {1, 9, 10, 12, 13, 14}
SELECT_TYPES = {3, 5, 6, 7, 8}
MODAL_LABEL_CHILDREN = {3, 4, 5, 6, 7, 8, 19, 21, 22, 23}


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _url_ok(value: Any, *, attachment: bool = False) -> bool:
    if not isinstance(value, str):
        return False
    schemes = ("http://", "https://") + (("attachment://",) if attachment else ())
    return value.startswith(schemes) and len(value) <= 2048


def check_length(errs: FormErrors, path: Path, value: Any, high: int, *, low: int = 0, required: bool = False) -> int:
    """Checks an optional string field; returns its length (0 when absent)."""
    if value is None:
        if required:
            errs.required(path)
        return 0
    if not isinstance(value, str):
        errs.add(path, "BASE_TYPE_STRING", "Could not interpret value as string.")
        return 0
    if required and low == 0:
        low = 1
    if len(value) > high or len(value) < low:
        if low:
            errs.bad_length(path, low, high)
        else:
            errs.max_length(path, high)
    return len(value)


# --------------------------------------------------------------------------------------------
# embeds


def validate_embeds(errs: FormErrors, embeds: Any, path: Path = ("embeds",)) -> None:
    if embeds is None:
        return
    if not isinstance(embeds, list):
        errs.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if len(embeds) > MAX_EMBEDS:
        errs.max_length(path, MAX_EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        total += _validate_embed(errs, embed, (*path, i))
    if total > MAX_EMBED_TOTAL:
        errs.add(path, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


def _validate_embed(errs: FormErrors, embed: Any, path: Path) -> int:
    if not isinstance(embed, dict):
        errs.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return 0
    total = check_length(errs, (*path, "title"), embed.get("title"), 256)
    total += check_length(errs, (*path, "description"), embed.get("description"), 4096)
    if "url" in embed and embed["url"] is not None and not _url_ok(embed["url"]):
        errs.add((*path, "url"), "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    color = embed.get("color")
    if color is not None and (not isinstance(color, int) or not 0 <= color <= 0xFFFFFF):
        errs.add((*path, "color"), "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
    ts = embed.get("timestamp")
    if ts is not None:
        try:
            datetime.fromisoformat(str(ts).replace("Z", "+00:00"))
        except ValueError:
            errs.add((*path, "timestamp"), "DATE_TYPE_PARSE", "Could not parse timestamp.")
    fields = embed.get("fields") or []
    if not isinstance(fields, list):
        errs.add((*path, "fields"), "BASE_TYPE_ARRAY", "Must be an array.")
        fields = []
    if len(fields) > 25:
        errs.max_length((*path, "fields"), 25)
    for j, fld in enumerate(fields):
        fpath = (*path, "fields", j)
        if not isinstance(fld, dict):
            errs.add(fpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        total += check_length(errs, (*fpath, "name"), fld.get("name"), 256, required=True)
        total += check_length(errs, (*fpath, "value"), fld.get("value"), 1024, required=True)
    footer = embed.get("footer")
    if footer is not None:
        total += check_length(errs, (*path, "footer", "text"), footer.get("text"), 2048, required=True)
        if footer.get("icon_url") is not None and not _url_ok(footer["icon_url"], attachment=True):
            errs.add((*path, "footer", "icon_url"), "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    author = embed.get("author")
    if author is not None:
        total += check_length(errs, (*path, "author", "name"), author.get("name"), 256, required=True)
        for key in ("url", "icon_url"):
            if author.get(key) is not None and not _url_ok(author[key], attachment=key == "icon_url"):
                errs.add((*path, "author", key), "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    for key in ("image", "thumbnail"):
        media = embed.get(key)
        if media is not None and not _url_ok(media.get("url"), attachment=True):
            errs.add((*path, key, "url"), "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    return total


# --------------------------------------------------------------------------------------------
# message components


class _ComponentCheck:
    def __init__(self, errs: FormErrors, *, v2: bool) -> None:
        self.errs = errs
        self.v2 = v2
        self.custom_ids: dict[str, Path] = {}
        self.count = 0
        self.text_total = 0

    def custom_id(self, comp: dict[str, Any], path: Path, *, required: bool = True) -> None:
        cid = comp.get("custom_id")
        if cid is None:
            if required:
                self.errs.required((*path, "custom_id"))
            return
        check_length(self.errs, (*path, "custom_id"), cid, 100, low=1)
        if isinstance(cid, str):
            if cid in self.custom_ids:
                self.errs.add(
                    (*path, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            self.custom_ids[cid] = path

    def button(self, comp: dict[str, Any], path: Path) -> None:
        style = comp.get("style")
        if style not in (1, 2, 3, 4, 5, 6):
            self.errs.add((*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4, 5, 6).")
            return
        check_length(self.errs, (*path, "label"), comp.get("label"), 80)
        if style == 5:
            if "custom_id" in comp and comp["custom_id"] is not None:
                self.errs.add(
                    (*path, "custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                    "A link button cannot have a custom id",
                )
            if not (isinstance(comp.get("url"), str) and comp["url"].startswith(("http://", "https://", "discord://"))):
                self.errs.add((*path, "url"), "BUTTON_COMPONENT_URL_REQUIRED", "A link button must have a url")
        elif style == 6:
            if not comp.get("sku_id"):
                self.errs.required((*path, "sku_id"))
        else:
            if comp.get("url") is not None:
                self.errs.add((*path, "url"), "BUTTON_COMPONENT_URL_NOT_ALLOWED", "A non-link button cannot have a url")
            self.custom_id(comp, path)
        if style != 6 and not comp.get("label") and not comp.get("emoji"):
            self.errs.add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A button must have a label or an emoji")

    def select(self, comp: dict[str, Any], path: Path, *, in_modal: bool = False) -> None:
        self.custom_id(comp, path)
        check_length(self.errs, (*path, "placeholder"), comp.get("placeholder"), 150)
        min_values = comp.get("min_values", 1)
        max_values = comp.get("max_values", 1)
        if not isinstance(min_values, int) or not 0 <= min_values <= 25:
            self.errs.add((*path, "min_values"), "NUMBER_TYPE_MAX", "int value should be between 0 and 25.")
        if not isinstance(max_values, int) or not 1 <= max_values <= 25:
            self.errs.add((*path, "max_values"), "NUMBER_TYPE_MAX", "int value should be between 1 and 25.")
        if isinstance(min_values, int) and isinstance(max_values, int) and min_values > max_values:
            self.errs.add(
                (*path, "min_values"),
                "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
                "min_values must be less than or equal to max_values",
            )
        if comp.get("type") == 3:
            options = comp.get("options")
            if not isinstance(options, list) or not 1 <= len(options) <= 25:
                self.errs.bad_length((*path, "options"), 1, 25)
                return
            values = set()
            for i, opt in enumerate(options):
                opath = (*path, "options", i)
                check_length(self.errs, (*opath, "label"), opt.get("label"), 100, required=True)
                check_length(self.errs, (*opath, "value"), opt.get("value"), 100, required=True)
                check_length(self.errs, (*opath, "description"), opt.get("description"), 100)
                if opt.get("value") in values:
                    self.errs.add(
                        (*opath, "value"),
                        "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                        "Select option values must be unique",
                    )
                values.add(opt.get("value"))
            if isinstance(max_values, int) and max_values > len(options):
                self.errs.add(
                    (*path, "max_values"),
                    "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
                    "max_values must be less than or equal to the number of options",
                )

    def action_row(self, row: dict[str, Any], path: Path) -> None:
        children = row.get("components")
        if not isinstance(children, list) or not 1 <= len(children) <= 5:
            self.errs.bad_length((*path, "components"), 1, 5)
            return
        has_select = any(isinstance(c, dict) and c.get("type") in SELECT_TYPES for c in children)
        if has_select and len(children) > 1:
            self.errs.add(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for i, child in enumerate(children):
            cpath = (*path, "components", i)
            self.count += 1
            ctype = child.get("type") if isinstance(child, dict) else None
            if ctype == 2:
                self.button(child, cpath)
            elif ctype in SELECT_TYPES:
                self.select(child, cpath)
            else:
                self.errs.add(
                    (*cpath, "type"), "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).'
                )

    def v2_component(self, comp: dict[str, Any], path: Path, allowed: set[int]) -> None:
        self.count += 1
        ctype = comp.get("type")
        if ctype not in allowed:
            self.errs.add(
                (*path, "type"), "UNION_TYPE_CHOICES", f'Value of field "type" must be one of {tuple(sorted(allowed))}.'
            )
            return
        if ctype == 1:
            self.action_row(comp, path)
        elif ctype == 10:
            self.text_total += check_length(self.errs, (*path, "content"), comp.get("content"), 4000, required=True)
        elif ctype == 9:
            texts = comp.get("components")
            if not isinstance(texts, list) or not 1 <= len(texts) <= 3:
                self.errs.bad_length((*path, "components"), 1, 3)
            else:
                for i, text in enumerate(texts):
                    self.v2_component(text, (*path, "components", i), {10})
            accessory = comp.get("accessory")
            if not isinstance(accessory, dict):
                self.errs.required((*path, "accessory"))
            elif accessory.get("type") == 2:
                self.count += 1
                self.button(accessory, (*path, "accessory"))
            else:
                self.v2_component(accessory, (*path, "accessory"), {11})
        elif ctype == 11:
            if not _url_ok((comp.get("media") or {}).get("url"), attachment=True):
                self.errs.add((*path, "media", "url"), "URL_TYPE_INVALID_URL", "Not a well formed URL.")
        elif ctype == 12:
            items = comp.get("items")
            if not isinstance(items, list) or not 1 <= len(items) <= 10:
                self.errs.bad_length((*path, "items"), 1, 10)
        elif ctype == 13:
            if not str((comp.get("file") or {}).get("url", "")).startswith("attachment://"):
                self.errs.add(
                    (*path, "file", "url"), "URL_TYPE_INVALID_URL", "File components must use attachment:// urls"
                )
        elif ctype == 17:
            children = comp.get("components")
            if not isinstance(children, list) or not children:
                self.errs.required((*path, "components"))
            else:
                for i, child in enumerate(children):
                    self.v2_component(child, (*path, "components", i), V2_IN_CONTAINER)


def validate_components(errs: FormErrors, components: Any, *, flags: int) -> None:
    if components is None:
        return
    if not isinstance(components, list):
        errs.add(("components",), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    v2 = bool(flags & IS_COMPONENTS_V2)
    check = _ComponentCheck(errs, v2=v2)
    if v2:
        for i, comp in enumerate(components):
            check.v2_component(comp, ("components", i), V2_TOP_LEVEL)
        if check.count > 40:
            errs.add(
                ("components",), "COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED", "Total number of components exceeds 40"
            )
        if check.text_total > 4000:
            errs.add(("components",), "COMPONENT_MAX_TEXT_LENGTH_EXCEEDED", "Total text display length exceeds 4000")
        return
    if len(components) > 5:
        errs.max_length(("components",), 5)
    for i, row in enumerate(components):
        if not isinstance(row, dict) or row.get("type") != 1:
            errs.add(("components", i, "type"), "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).')
            continue
        check.action_row(row, ("components", i))


# --------------------------------------------------------------------------------------------
# whole message bodies


def validate_allowed_mentions(errs: FormErrors, am: Any) -> None:
    if am is None:
        return
    if not isinstance(am, dict):
        errs.add(("allowed_mentions",), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = am.get("parse", [])
    if not isinstance(parse, list) or any(p not in ("roles", "users", "everyone") for p in parse):
        errs.add(
            ("allowed_mentions", "parse"), "BASE_TYPE_CHOICES", "Value must be one of ('roles', 'users', 'everyone')."
        )
        parse = []
    for key in ("users", "roles"):
        ids = am.get(key)
        if ids is None:
            continue
        if key in parse:
            errs.add(
                ("allowed_mentions",),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{key}"] and {key}: [ids...] are mutually exclusive.',
            )
        if len(ids) > 100:
            errs.max_length(("allowed_mentions", key), 100)


def validate_message_fields(errs: FormErrors, body: dict[str, Any], *, flags: int) -> None:
    """Checks the fields present in ``body`` (used for creates, edits and interaction messages)."""
    content = body.get("content")
    if content is not None:
        if not isinstance(content, str):
            errs.add(("content",), "BASE_TYPE_STRING", "Could not interpret value as string.")
        elif len(content) > MAX_CONTENT:
            errs.max_length(("content",), MAX_CONTENT)
    validate_embeds(errs, body.get("embeds"))
    validate_components(errs, body.get("components"), flags=flags)
    validate_allowed_mentions(errs, body.get("allowed_mentions"))
    if flags & IS_COMPONENTS_V2:
        if body.get("content"):
            errs.add(
                ("content",),
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
        if body.get("embeds"):
            errs.add(
                ("embeds",),
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
    nonce = body.get("nonce")
    if nonce is not None and not (isinstance(nonce, int) or (isinstance(nonce, str) and len(nonce) <= 25)):
        errs.max_length(("nonce",), 25)
    poll = body.get("poll")
    if poll is not None:
        question = (poll.get("question") or {}).get("text")
        check_length(errs, ("poll", "question", "text"), question, 300, required=True)
        answers = poll.get("answers") or []
        if not 1 <= len(answers) <= 10:
            errs.bad_length(("poll", "answers"), 1, 10)


def is_empty(content: Any, embeds: Any, components: Any, files: int, *, poll: Any = None, stickers: Any = None) -> bool:
    has_content = isinstance(content, str) and content.strip() != ""
    return not (has_content or embeds or components or files or poll or stickers)


# --------------------------------------------------------------------------------------------
# modals (interaction response type 9)


def validate_modal(errs: FormErrors, data: Any) -> None:
    path: Path = ("data",)
    if not isinstance(data, dict):
        errs.required(path)
        return
    check_length(errs, (*path, "custom_id"), data.get("custom_id"), 100, required=True)
    check_length(errs, (*path, "title"), data.get("title"), 45, required=True)
    components = data.get("components")
    if not isinstance(components, list) or not 1 <= len(components) <= 5:
        errs.bad_length((*path, "components"), 1, 5)
        return
    check = _ComponentCheck(errs, v2=True)
    for i, top in enumerate(components):
        tpath = (*path, "components", i)
        ttype = top.get("type") if isinstance(top, dict) else None
        if ttype == 1:
            children = top.get("components")
            if not isinstance(children, list) or len(children) != 1:
                errs.bad_length((*tpath, "components"), 1, 1)
                continue
            child = children[0]
            if child.get("type") != 4:
                errs.add(
                    (*tpath, "components", 0, "type"),
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (4,).',
                )
                continue
            _text_input(errs, check, child, (*tpath, "components", 0), label_required=True)
        elif ttype == 18:
            check_length(errs, (*tpath, "label"), top.get("label"), 45, required=True)
            check_length(errs, (*tpath, "description"), top.get("description"), 100)
            child = top.get("component")
            cpath = (*tpath, "component")
            if not isinstance(child, dict) or child.get("type") not in MODAL_LABEL_CHILDREN:
                errs.add(
                    (*cpath, "type"),
                    "UNION_TYPE_CHOICES",
                    f'Value of field "type" must be one of {tuple(sorted(MODAL_LABEL_CHILDREN))}.',
                )
                continue
            if child["type"] == 4:
                _text_input(errs, check, child, cpath, label_required=False)
            elif child["type"] in SELECT_TYPES:
                check.select(child, cpath, in_modal=True)
            else:
                check.custom_id(child, cpath)
        elif ttype == 10:
            check_length(errs, (*tpath, "content"), top.get("content"), 4000, required=True)
        else:
            errs.add((*tpath, "type"), "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1, 10, 18).')


def _text_input(
    errs: FormErrors, check: _ComponentCheck, comp: dict[str, Any], path: Path, *, label_required: bool
) -> None:
    check.custom_id(comp, path)
    if comp.get("style") not in (1, 2):
        errs.add((*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")
    if label_required:
        check_length(errs, (*path, "label"), comp.get("label"), 45, required=True)
    else:
        check_length(errs, (*path, "label"), comp.get("label"), 45)
    check_length(errs, (*path, "placeholder"), comp.get("placeholder"), 100)
    min_length = comp.get("min_length")
    max_length = comp.get("max_length")
    if min_length is not None and (not isinstance(min_length, int) or not 0 <= min_length <= 4000):
        errs.add((*path, "min_length"), "NUMBER_TYPE_MAX", "int value should be between 0 and 4000.")
    if max_length is not None and (not isinstance(max_length, int) or not 1 <= max_length <= 4000):
        errs.add((*path, "max_length"), "NUMBER_TYPE_MAX", "int value should be between 1 and 4000.")
    if isinstance(min_length, int) and isinstance(max_length, int) and min_length > max_length:
        errs.add(
            (*path, "min_length"),
            "TEXT_INPUT_MIN_LENGTH_TOO_LARGE",
            "min_length must be less than or equal to max_length",
        )
    value = comp.get("value")
    limit = max_length if isinstance(max_length, int) else 4000
    check_length(errs, (*path, "value"), value, min(limit, 4000))


# --------------------------------------------------------------------------------------------
# autocomplete (interaction response type 8)


def validate_choices(errs: FormErrors, data: Any, option_type: int) -> list[dict[str, Any]]:
    path: Path = ("data", "choices")
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list):
        errs.required(path)
        return []
    if len(choices) > 25:
        errs.max_length(path, 25)
    for i, choice in enumerate(choices):
        cpath = (*path, i)
        check_length(errs, (*cpath, "name"), choice.get("name"), 100, required=True)
        value = choice.get("value")
        if option_type == 3:
            check_length(errs, (*cpath, "value"), value, 100, required=True)
        elif option_type == 4:
            if not isinstance(value, int) or isinstance(value, bool):
                errs.add((*cpath, "value"), "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
        elif option_type == 10 and (not isinstance(value, int | float) or isinstance(value, bool)):
            errs.add((*cpath, "value"), "NUMBER_TYPE_COERCE", f'Value "{value}" is not a valid number.')
    return choices
