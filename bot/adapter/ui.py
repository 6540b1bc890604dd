"""Shared interaction building blocks: views, persistent buttons, confirm, pages (forms: bot.adapter.forms)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.adapter.render import NO_MENTIONS
from bot.adapter.tree import reply_error
from bot.i18n import t


def _locale(interaction: discord.Interaction[Any]) -> str | None:
    return str(interaction.locale) if interaction.locale else None


class RapportView(discord.ui.View):
    """A view whose errors take the common error path, optionally pressable by some members only."""

    def __init__(self, *, timeout: float | None = 600, allowed_user_ids: Sequence[int] | None = None) -> None:
        super().__init__(timeout=timeout)
        self.allowed_user_ids = set(allowed_user_ids) if allowed_user_ids is not None else None

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if self.allowed_user_ids is not None and interaction.user.id not in self.allowed_user_ids:
            await interaction.response.send_message(
                t(_locale(interaction), "These buttons belong to someone else."),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return False
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await reply_error(interaction, error, where=f"{type(self).__name__} button")


class PersistentButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button that survives restarts (a ``DynamicItem`` whose custom id carries its state): subclasses
    implement :meth:`run`; failures get the common reply.

    discord.py only logs exceptions raised by dynamic items; this routes them to the member instead.
    """

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.run(interaction)
        except Exception as error:
            await reply_error(interaction, error, where=f"{type(self).__name__} button")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


class ConfirmView(RapportView):
    """Two buttons; ``value`` is True, False, or None on timeout. Only ``user_id`` may press them.

    ``locale``: the language of the member asked (``str(interaction.locale)``); ``confirm_label``, already in
    that language, replaces "Confirm".
    """

    def __init__(
        self, user_id: int, *, confirm_label: str | None = None, locale: str | None = None, timeout: float = 120
    ) -> None:
        super().__init__(timeout=timeout, allowed_user_ids=[user_id])
        self.value: bool | None = None
        self.locale = locale
        self.confirm.label = confirm_label or t(locale, "Confirm")
        self.cancel.label = t(locale, "Cancel")

    @discord.ui.button(style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        self.value = True
        await interaction.response.defer()
        self.stop()

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        self.value = False
        await interaction.response.edit_message(
            content=t(_locale(interaction) or self.locale, "Cancelled: nothing changed."), embed=None, view=None
        )
        self.stop()


class PageView(RapportView):
    """Previous / Next over pre-rendered embeds, for the member who asked."""

    def __init__(self, user_id: int, pages: Sequence[discord.Embed], locale: str | None = None) -> None:
        super().__init__(timeout=600, allowed_user_ids=[user_id])
        self.pages = list(pages)
        self.index = 0
        self.previous.label = t(locale, "Previous")
        self.next.label = t(locale, "Next")
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        self.index = max(0, self.index - 1)
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        self.index = min(len(self.pages) - 1, self.index + 1)
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)


async def send_pages(interaction: discord.Interaction[Any], pages: Sequence[discord.Embed]) -> None:
    """Send pages privately, in the asker's language; a single page gets no buttons."""
    if len(pages) <= 1:
        await interaction.response.send_message(embeds=list(pages)[:1], ephemeral=True, allowed_mentions=NO_MENTIONS)
        return
    locale = _locale(interaction)
    for index, page in enumerate(pages):
        page.set_footer(text=t(locale, "Page {page} of {pages}", page=index + 1, pages=len(pages)))
    view = PageView(interaction.user.id, pages, locale)
    await interaction.response.send_message(embed=pages[0], view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)
