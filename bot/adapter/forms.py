"""Forms that survive time and restarts: one mechanism for every modal Rapport opens.

A form's ``custom_id`` says what it is for, ``form:<kind>:<object id>[:<detail>]`` (a wire format: keep it
stable), and the form is never kept in discord.py's memory: it has no timeout, and every submission, whether
minutes or days later and whether or not the bot restarted meanwhile, is routed by the :class:`FormRouter`
registered at start-up to the handler of its kind. A handler re-checks access and state through the
feature's services, exactly as the button that opened the form did.

When a submission cannot be taken (the object is gone or closed, the member may no longer act on it, the
bot is stopping, or anything unexpected), the member gets the usual short private sentence *and* what they
wrote, echoed back in a code block (or an attached file when long), so nothing they typed is lost.

A feature declares a form by subclassing :class:`Form` and registers its handler in ``cog_load``::

    class NoteForm(Form, kind="thing-note"):
        note = discord.ui.TextInput(label="Note", custom_id="thing-note")

    bot.forms.register("thing-note", submit_note, labels={"thing-note": "Note"})
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import discord

from bot.adapter.tree import error_text, send_ephemeral
from bot.errors import UserFacingError
from bot.i18n import t, translated
from bot.markup import shorten

log = logging.getLogger(__name__)

#: ``form:<kind>:<object id>[:<detail>]``; kinds and details are short lowercase words.
FORM_ID = re.compile(r"form:(?P<kind>[a-z][a-z-]{0,30}):(?P<ref>[0-9]{1,20})(?::(?P<detail>[a-z0-9-]{1,30}))?")
#: Discord's limits: a modal title, a text input's value, a message's content.
TITLE_LIMIT = 45
INPUT_LIMIT = 4000
CONTENT_LIMIT = 2000
#: The most an echo file holds (every field of the largest form fits).
ECHO_FILE_LIMIT = 20_000
#: The English of the line before an echo (the reply is in the member's language).
ECHO_INTRO = "Here is what you wrote, so nothing is lost:"


def form_id(kind: str, ref: int, detail: str | None = None) -> str:
    custom_id = f"form:{kind}:{ref}" + (f":{detail}" if detail is not None else "")
    if FORM_ID.fullmatch(custom_id) is None:
        raise ValueError(f"not a form custom id: {custom_id!r}")
    return custom_id


class Form(discord.ui.Modal):
    """A modal with a persistent custom id and no timeout, never stored in discord.py's memory."""

    kind: ClassVar[str]

    def __init_subclass__(cls, *, kind: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind is not None:
            cls.kind = kind

    def __init__(self, *, title: str, ref: int, detail: str | None = None, legacy_id: str | None = None) -> None:
        """``legacy_id``: the custom id of a form older than this scheme, kept stable (see ``register``)."""
        custom_id = legacy_id if legacy_id is not None else form_id(self.kind, ref, detail)
        super().__init__(title=shorten(title, TITLE_LIMIT), timeout=None, custom_id=custom_id)
        # Finished before it is sent: discord.py then keeps no copy, and the submission goes to the router.
        self.stop()


@dataclass(frozen=True, slots=True)
class Submission:
    """A submitted form: what it is for and what the member entered, by field custom id."""

    kind: str
    ref: int
    detail: str | None
    values: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def text(self, custom_id: str, limit: int = INPUT_LIMIT) -> str:
        """A text field's value, capped to ``limit`` characters before anything reads it."""
        return self.values.get(custom_id, "")[:limit]


def read_submission(data: Mapping[str, Any], legacy: Mapping[str, re.Pattern[str]] | None = None) -> Submission | None:
    """The submission of a form's raw interaction data, or None when it is not one of ours.

    ``legacy`` maps a kind to an older custom id pattern it still answers to (its first group is the object id).
    """
    custom_id = str(data.get("custom_id", ""))
    match = FORM_ID.fullmatch(custom_id)
    if match is not None:
        kind, ref, detail = match["kind"], int(match["ref"]), match["detail"]
    else:
        found = [(k, m) for k, pattern in (legacy or {}).items() if (m := pattern.fullmatch(custom_id)) is not None]
        if not found:
            return None
        kind, ref, detail = found[0][0], int(found[0][1].group(1)), None
    values: dict[str, str] = {}
    choices: dict[str, tuple[str, ...]] = {}

    def visit(components: list[Any]) -> None:
        for component in components[:25]:
            if not isinstance(component, dict):
                continue
            if component.get("type") == 1:
                visit(list(component.get("components") or []))
            elif component.get("type") == 18:
                visit([component.get("component") or {}])
            elif component.get("custom_id") is not None:
                custom_id = str(component["custom_id"])[:100]
                if "values" in component:
                    choices[custom_id] = tuple(str(v)[:100] for v in list(component.get("values") or [])[:25])
                else:
                    values[custom_id] = str(component.get("value") or "")[:INPUT_LIMIT]

    visit(list(data.get("components") or []))
    return Submission(kind, ref, detail, values, choices)


def _fenced(text: str) -> str:
    # A code block cannot be closed early from inside: break any run of three backticks.
    return "```\n" + text.replace("```", "`\u200b`\u200b`") + "\n```"


def echo_of(submission: Submission, labels: Mapping[str, str], locale: str | None = None) -> str:
    """What the member typed, field by field (labelled), empty fields left out.

    ``labels`` are the fields' English labels; each is shown in ``locale`` when the catalogs have it (the
    form's own ``t(locale, "Label")`` puts it there).
    """
    parts = []
    for custom_id, value in submission.values.items():
        if value.strip():
            label = labels.get(custom_id)
            if label:
                label = translated(locale, label, report=False)
            parts.append(f"{label}:\n{value}" if label and len(submission.values) > 1 else value)
    return "\n\n".join(parts)[:ECHO_FILE_LIMIT]


async def reply_keeping_text(interaction: discord.Interaction[Any], message: str, echo: str) -> None:
    """A private reply: ``message`` (already in the member's language), then the echo in a code block, or in
    a file when it would not fit."""
    if not echo:
        await send_ephemeral(interaction, message)
        return
    locale = str(interaction.locale) if interaction.locale else None
    intro = t(locale, "Here is what you wrote, so nothing is lost:")
    inline = f"{message}\n\n{intro}\n{_fenced(echo)}"
    if len(inline) <= CONTENT_LIMIT:
        await send_ephemeral(interaction, inline)
        return
    file = discord.File(io.BytesIO(echo.encode("utf-8")), filename="what-you-wrote.txt")
    in_file = t(locale, "Here is what you wrote, so nothing is lost: it is in the attached file.")
    text = shorten(message, CONTENT_LIMIT - 200) + f"\n\n{in_file}"
    await send_ephemeral(interaction, text, file=file)


Handler = Callable[[discord.Interaction[Any], Submission], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class _Kind:
    handler: Handler
    labels: Mapping[str, str]


class FormGone(UserFacingError):
    """A form whose feature no longer takes submissions."""


class FormRouter:
    """Routes every form submission by its custom id; one per bot, listening from start-up."""

    def __init__(self) -> None:
        self._kinds: dict[str, _Kind] = {}
        self._legacy: dict[str, re.Pattern[str]] = {}
        self._running: set[asyncio.Task[Any]] = set()

    def register(
        self,
        kind: str,
        handler: Handler,
        *,
        labels: Mapping[str, str] | None = None,
        legacy: re.Pattern[str] | None = None,
    ) -> None:
        """Route ``form:<kind>:…`` submissions to ``handler``; ``labels`` name the fields in an echo.

        ``legacy``: a form whose custom id predates this scheme and must stay stable (first group: the object id).
        """
        if kind in self._kinds:
            raise ValueError(f"form kind {kind!r} is already registered")
        self._kinds[kind] = _Kind(handler, dict(labels or {}))
        if legacy is not None:
            self._legacy[kind] = legacy

    def unregister(self, kind: str) -> None:
        self._kinds.pop(kind, None)
        self._legacy.pop(kind, None)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._kinds)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        submission = read_submission(dict(interaction.data or {}), self._legacy)
        if submission is None:
            return
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self.handle(interaction, submission)
        finally:
            if task is not None:
                self._running.discard(task)

    async def handle(self, interaction: discord.Interaction[Any], submission: Submission) -> None:
        kind = self._kinds.get(submission.kind)
        labels = kind.labels if kind is not None else {}
        try:
            if kind is None:
                raise FormGone("This form isn't taken any more (the feature it belongs to is off).")
            await kind.handler(interaction, submission)
        except Exception as error:
            message = error_text(interaction, error, where=f"{submission.kind} form")
            locale = str(interaction.locale) if interaction.locale else None
            try:
                await reply_keeping_text(interaction, message, echo_of(submission, labels, locale))
            except discord.HTTPException:
                log.warning("could not answer form %s of interaction %s", submission.kind, interaction.id)

    async def drain(self, seconds: float) -> int:
        """Wait (at most ``seconds``) for submissions being handled; return how many did not finish."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        current = asyncio.current_task()
        while True:
            running = {task for task in self._running if task is not current and not task.done()}
            remaining = deadline - loop.time()
            if not running or remaining <= 0:
                return len(running)
            await asyncio.wait(running, timeout=remaining)

