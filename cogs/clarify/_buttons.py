"""The persistent Clarified button (the question form is in ``_forms``).

The button's custom id is a wire format (keep it stable): ``clarify:<request id>:done``. Its state comes from
the database when pressed, so it keeps working after a restart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.adapter.render import NO_MENTIONS
from bot.adapter.ui import PersistentButton
from bot.clarify.service import ClarifyService
from cogs.clarify._render import clarified_label, closed_content

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


def _bot(interaction: discord.Interaction[Any]) -> Rapport:
    return cast("Rapport", interaction.client)


def _service(interaction: discord.Interaction[Any]) -> ClarifyService:
    return _bot(interaction).service(ClarifyService)


def clarified_view(clarification_id: int, locale: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ClarifiedButton(clarification_id, locale))
    return view


class ClarifiedButton(PersistentButton, template=r"clarify:(?P<id>\d+):done"):
    def __init__(self, clarification_id: int, locale: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=clarified_label(locale),
                style=discord.ButtonStyle.success,
                custom_id=f"clarify:{clarification_id}:done",
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
        # The request is a post in the server's thread: it stays in the server's language.
        locale = (await _bot(interaction).prefs.guild(closed.guild_id)).channel_locale
        await interaction.response.edit_message(
            content=closed_content(
                closed, in_thread_of_message=closed.thread_id == closed.message_id, locale=locale
            ),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )
