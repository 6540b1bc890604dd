"""Shared interaction building blocks: views, persistent buttons, confirm, pages (forms: bot.adapter.forms)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.adapter.render import NO_MENTIONS
from bot.adapter.tree import reply_error


class RapportView(discord.ui.View):
    """A view whose errors take the common error path, optionally pressable by some members only."""

    def __init__(self, *, timeout: float | None = 600, allowed_user_ids: Sequence[int] | None = None) -> None:
        super().__init__(timeout=timeout)
        self.allowed_user_ids = set(allowed_user_ids) if allowed_user_ids is not None else None

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if self.allowed_user_ids is not None and interaction.user.id not in self.allowed_user_ids:
            await interaction.response.send_message(
                "These buttons belong to someone else.", ephemeral=True, allowed_mentions=NO_MENTIONS
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
    """Two buttons; ``value`` is True, False, or None on timeout. Only ``user_id`` may press them."""

    def __init__(self, user_id: int, *, confirm_label: str = "Confirm", timeout: float = 120) -> None:
        super().__init__(timeout=timeout, allowed_user_ids=[user_id])
        self.value: bool | None = None
        self.confirm.label = confirm_label

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        self.value = True
        await interaction.response.defer()
        self.stop()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        self.value = False
        await interaction.response.edit_message(content="Cancelled: nothing changed.", embed=None, view=None)
        self.stop()


class PageView(RapportView):
    """Previous / Next over pre-rendered embeds, for the member who asked."""

    def __init__(self, user_id: int, pages: Sequence[discord.Embed]) -> None:
        super().__init__(timeout=600, allowed_user_ids=[user_id])
        self.pages = list(pages)
        self.index = 0
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        self.index = max(0, self.index - 1)
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        self.index = min(len(self.pages) - 1, self.index + 1)
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)


async def send_pages(interaction: discord.Interaction[Any], pages: Sequence[discord.Embed]) -> None:
    """Send pages privately; a single page gets no buttons."""
    if len(pages) <= 1:
        await interaction.response.send_message(embeds=list(pages)[:1], ephemeral=True, allowed_mentions=NO_MENTIONS)
        return
    for index, page in enumerate(pages):
        page.set_footer(text=f"Page {index + 1} of {len(pages)}")
    await interaction.response.send_message(
        embed=pages[0], view=PageView(interaction.user.id, pages), ephemeral=True, allowed_mentions=NO_MENTIONS
    )
