"""The optional question of **Ask for clarification**.

A :class:`~bot.adapter.forms.Form` (``form:clarify:<message id>``, no timeout, never kept in memory): the
message is looked up again when the form is submitted, so a question written for a long time, or sent after a
restart, is still asked, and one about a message that is gone is echoed back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.adapter.forms import Form, FormRouter, Submission
from bot.clarify.models import MAX_QUESTION
from bot.i18n import t

QUESTION_LABEL = "What would help you understand? (optional)"

Ask = Callable[[discord.Interaction[Any], int, str], Awaitable[None]]


class AskForm(Form, kind="clarify"):
    def __init__(self, message_id: int, locale: str | None = None) -> None:
        super().__init__(title=t(locale, "Ask for clarification"), ref=message_id)
        question: discord.ui.TextInput[AskForm] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            custom_id="clarify-question",
            required=False,
            max_length=MAX_QUESTION,
            placeholder=t(locale, "e.g. Which release do you mean? What's the deadline?"),
        )
        label = t(locale, "What would help you understand? (optional)")
        self.add_item(discord.ui.Label(text=label, component=question))


def register_form(router: FormRouter, ask: Ask) -> None:
    """Route submitted questions to ``ask(interaction, message_id, question)``."""

    async def submit(interaction: discord.Interaction[Any], form: Submission) -> None:
        await ask(interaction, form.ref, form.text("clarify-question", MAX_QUESTION))

    router.register(AskForm.kind, submit, labels={"clarify-question": QUESTION_LABEL})
