"""Persistent buttons (Answer, Skip this time) and the answer form.

The buttons are ``DynamicItem``s whose ``custom_id`` carries the run id (``checkin:<run>:answer``), so they keep
working after a restart. The form is never kept in discord.py's memory: its ``custom_id`` carries the run id
too (``checkin:<run>:form``, older than and kept beside the ``form:<kind>:<id>`` scheme) and the bot's form
router (``bot.adapter.forms``) hands every submission to the cog from the raw interaction, so a form opened
before a restart can still be submitted after it, and one that can no longer be taken echoes the answers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.access import Subject
from bot.adapter.forms import Form
from bot.adapter.render import NO_MENTIONS
from bot.adapter.ui import PersistentButton
from bot.adapter.visibility import require_scope
from bot.checkins.digest import mood_label
from bot.checkins.models import Answer, Run
from bot.checkins.service import MAX_ANSWER_CHARS, CheckinService
from bot.checkins.templates import modal_label, question_text
from bot.checkins.wording import in_language
from bot.errors import ObjectNotFound
from bot.i18n import ENGLISH, t
from bot.markup import shorten, timestamp

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

FORM_ID = re.compile(r"checkin:(?P<run>\d+):form")
MODAL_TITLE_LIMIT = 45


def _service(interaction: discord.Interaction[Any]) -> CheckinService:
    client: Rapport = interaction.client
    return client.service(CheckinService)


NO_RUN = t(ENGLISH, "I couldn't find that check-in run.")  # a catalog entry: the error path translates it
ANSWER = t(ENGLISH, "Answer")
SKIP = t(ENGLISH, "Skip this time")


async def scoped_run(interaction: discord.Interaction[Any], run_id: int) -> Run:
    """The open run a button or form names, only for a member of its server who may see its channel (pressed
    in a DM, the presser must still be a member). Anything else is "not found", before "closed" is told."""
    service = _service(interaction)
    found = await service.run_and_guild(run_id)
    if found is None:
        raise ObjectNotFound(NO_RUN)
    run, guild_id = found
    await require_scope(interaction, Subject(guild_id, run.channel_id), NO_RUN)
    return service.still_open(run)


class AnswerButton(PersistentButton, template=r"checkin:(?P<run>\d+):answer"):
    """Opens the answer form, pre-filled with the member's earlier answer."""

    def __init__(self, run_id: int, *, label: str = ANSWER) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=f"checkin:{run_id}:answer")
        )
        self.run_id = run_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnswerButton:
        label = item.label if isinstance(item, discord.ui.Button) and item.label else ANSWER
        return cls(int(match["run"]), label=label)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await open_form(interaction, self.run_id)


class SkipButton(PersistentButton, template=r"checkin:(?P<run>\d+):skip"):
    def __init__(self, run_id: int, *, label: str = SKIP) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=f"checkin:{run_id}:skip")
        )
        self.run_id = run_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SkipButton:
        label = item.label if isinstance(item, discord.ui.Button) and item.label else SKIP
        return cls(int(match["run"]), label=label)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
        await scoped_run(interaction, self.run_id)
        stored = await service.skip(self.run_id, interaction.user.id)
        run = await service.open_run(self.run_id)
        locale = str(interaction.locale)
        if stored.answered:
            text = t(locale, "You've already answered this one, so your answer stays. "
                     "You can still edit it until the close.")
            view = answer_view(run.id, label=t(locale, "Edit my answer"))
        else:
            text = t(locale, "Skipped this time: no reminder for this one. Changed your mind? "
                     "You can still answer until {time}.", time=timestamp(run.closes_at, "t"))
            view = answer_view(run.id, label=t(locale, "Answer after all"))
        await interaction.response.send_message(text, ephemeral=True, view=view, allowed_mentions=NO_MENTIONS)


def answer_view(
    run_id: int, *, label: str | None = None, skip: bool = False, locale: str | None = ENGLISH
) -> discord.ui.View:
    """The Answer button (``label``, else "Answer" in ``locale``) and, with ``skip``, Skip this time."""
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton(run_id, label=label or in_language(locale, ANSWER)))
    if skip:
        view.add_item(SkipButton(run_id, label=in_language(locale, SKIP)))
    return view


class AnswerForm(Form, kind="checkin"):
    """The questions (labels of at most 45 characters, the full question below) and the optional mood."""

    def __init__(self, run: Run, existing: Answer | None, locale: str | None = ENGLISH) -> None:
        super().__init__(title=shorten(run.name, MODAL_TITLE_LIMIT), ref=run.id, legacy_id=f"checkin:{run.id}:form")
        previous = existing.answers if existing is not None and existing.source == "modal" else ()
        for index, question in enumerate(run.questions):
            label, description = modal_label(question_text(locale, question), index + 1)
            field: discord.ui.TextInput[Any] = discord.ui.TextInput(
                style=discord.TextStyle.paragraph,
                custom_id=f"q{index}",
                required=False,
                max_length=MAX_ANSWER_CHARS,
                default=previous[index] if index < len(previous) and previous[index] else None,
            )
            self.add_item(discord.ui.Label(text=label, description=description, component=field))
        if run.mood:
            chosen = existing.mood if existing is not None else None
            select: discord.ui.Select[Any] = discord.ui.Select(
                custom_id="mood",
                placeholder=t(locale, "Pick one, or leave it empty"),
                required=False,
                min_values=0,
                max_values=1,
                options=[
                    discord.SelectOption(label=f"{value} · {mood_label(locale, value)}", value=str(value),
                                         default=value == chosen)
                    for value in range(1, 6)
                ],
            )
            if run.anonymous_mood:
                note = t(locale, "Only the average is shared.")
            else:
                note = t(locale, "Optional: 1 is rough, 5 is great.")
            self.add_item(discord.ui.Label(text=t(locale, "How are you feeling?"), description=note, component=select))


async def open_form(interaction: discord.Interaction[Any], run_id: int) -> None:
    service = _service(interaction)
    run = await scoped_run(interaction, run_id)
    existing = await service.answer_of(run.id, interaction.user.id)
    await interaction.response.send_modal(AnswerForm(run, existing, str(interaction.locale)))


def read_form(data: dict[str, Any]) -> tuple[dict[int, str], int | None]:
    """The answers (by question index) and mood of a submitted answer form."""
    answers: dict[int, str] = {}
    mood: int | None = None

    def visit(components: list[dict[str, Any]]) -> None:
        for component in components:
            if component.get("type") == 1:
                visit(component.get("components", []))
            elif component.get("type") == 18:
                visit([component.get("component", {})])
            else:
                custom_id = str(component.get("custom_id", ""))
                if custom_id.startswith("q") and custom_id[1:].isascii() and custom_id[1:].isdigit():
                    answers[int(custom_id[1:])] = str(component.get("value") or "")
                elif custom_id == "mood":
                    values = component.get("values") or []
                    nonlocal mood
                    mood = int(values[0]) if values and str(values[0]) in {"1", "2", "3", "4", "5"} else None

    visit(list(data.get("components", [])))
    return answers, mood


async def submit_form(interaction: discord.Interaction[Any], run_id: int) -> None:
    """Store the answer, then (only then) tell the member it is saved."""
    service = _service(interaction)
    data: dict[str, Any] = dict(interaction.data or {})
    by_index, mood = read_form(data)
    run = await scoped_run(interaction, run_id)
    answers = [by_index.get(i, "") for i in range(len(run.questions))]
    await service.save_answer(run, interaction.user.id, answers, mood)
    locale = str(interaction.locale)
    await interaction.response.send_message(
        t(locale, "Saved. Thank you! You can edit your answer until {time} ({relative}).",
          time=timestamp(run.closes_at, "t"), relative=timestamp(run.closes_at, "R")),
        ephemeral=True,
        view=answer_view(run.id, label=t(locale, "Edit my answer")),
        allowed_mentions=NO_MENTIONS,
    )
