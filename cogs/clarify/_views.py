"""The Clarified button and the optional question form.

The button's custom id is a wire format (keep it stable): ``clarify:<request id>:done``. Its state comes from
the database when pressed, so it keeps working after a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.adapter.render import NO_MENTIONS
from bot.adapter.ui import GuardedButton, RapportModal
from bot.clarify.models import MAX_QUESTION, Clarification
from bot.clarify.service import ClarifyService
from bot.markup import clean_user_text, shorten

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


def _bot(interaction: discord.Interaction[Any]) -> Rapport:
    return cast("Rapport", interaction.client)


def _service(interaction: discord.Interaction[Any]) -> ClarifyService:
    return _bot(interaction).service(ClarifyService)


#: A quoted question keeps at most this many lines; the rest joins the last one.
QUOTED_LINES = 10
MESSAGE_CHARS = 2000


def request_content(clarification: Clarification, *, in_thread_of_message: bool) -> str:
    """The request as posted: it names only the author and the asker."""
    about = "this message" if in_thread_of_message else f"[this message]({clarification.message_url()})"
    text = (
        f"<@{clarification.author_id}>, <@{clarification.asker_id}> would like a little more clarity on {about}."
    )
    footer = "\nA reply here, or the **Clarified** button once it's clear, closes this. Thank you!"
    if clarification.question:
        # Quoting adds two characters a line: many short lines would pass 2,000 characters, so fold the tail
        # into the last quoted line and keep the quote inside what the message has left.
        lines = [line for line in clean_user_text(clarification.question).splitlines() if line.strip()]
        if len(lines) > QUOTED_LINES:
            lines = [*lines[: QUOTED_LINES - 1], " ".join(lines[QUOTED_LINES - 1 :])]
        quoted = "\n".join(f"> {line}" for line in lines)
        text += "\n" + shorten(quoted, MESSAGE_CHARS - len(text) - len(footer) - 1)
    return text + footer


def closed_content(clarification: Clarification, *, in_thread_of_message: bool) -> str:
    base = request_content(clarification, in_thread_of_message=in_thread_of_message).rsplit("\n", 1)[0]
    how = "replied" if clarification.closed_by == "reply" else "marked it clarified"
    return f"{base}\n✅ Clarified: <@{clarification.author_id}> {how}. Thank you!"


def clarified_view(clarification_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ClarifiedButton(clarification_id))
    return view


class ClarifiedButton(GuardedButton, template=r"clarify:(?P<id>\d+):done"):
    def __init__(self, clarification_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Clarified", style=discord.ButtonStyle.success, custom_id=f"clarify:{clarification_id}:done"
            )
        )
        self.clarification_id = clarification_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ClarifiedButton:
        return cls(int(match["id"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        closed = await _service(interaction).clarified(self.clarification_id, interaction.user.id)
        await interaction.response.edit_message(
            content=closed_content(closed, in_thread_of_message=closed.thread_id == closed.message_id),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )


@dataclass(frozen=True, slots=True)
class Target:
    """The message asked about, as plain ids (the form outlives nothing but these)."""

    guild_id: int
    channel_id: int
    message_id: int
    author_id: int
    author_is_bot: bool
    in_thread: bool
    thread_id: int | None


class AskModal(RapportModal):
    question: discord.ui.TextInput[AskModal] = discord.ui.TextInput(
        label="What would help you understand? (optional)",
        style=discord.TextStyle.paragraph,
        custom_id="clarify-question",
        required=False,
        max_length=MAX_QUESTION,
        placeholder="e.g. Which release do you mean? What's the deadline?",
    )

    def __init__(self, target: Target) -> None:
        super().__init__(title="Ask for clarification", timeout=1800)
        self.target = target

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        from cogs.clarify._cog import Clarify

        cog = _bot(interaction).get_cog(Clarify.__cog_name__)
        if not isinstance(cog, Clarify):
            raise RuntimeError("the clarify cog is not loaded")
        await cog.submit(interaction, self.target, self.question.value)
