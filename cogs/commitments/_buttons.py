"""Persistent buttons on proposals and nudges (the Renegotiate form is in ``_forms``).

Every button is one :class:`CommitmentButton` whose ``custom_id`` is ``commit:<row id>:<action>`` (a wire
format: keep it stable). Its state comes from the database when pressed, so buttons keep working after a
restart, and pressing one on a commitment that is already resolved says so instead of changing anything.
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast

import discord

from bot.adapter.render import NO_MENTIONS
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import PersistentButton
from bot.commitments.models import Commitment
from bot.commitments.service import SNOOZE_BUTTON
from bot.i18n import t
from bot.markup import when
from cogs.commitments import _render as render
from cogs.commitments._access import actor_is_manager, scoped, service_of
from cogs.commitments._forms import RenegotiateForm

Action = Literal["accept", "decline", "done", "snooze", "reneg", "help"]

_STYLES: dict[str, discord.ButtonStyle] = {
    "accept": discord.ButtonStyle.success,
    "decline": discord.ButtonStyle.secondary,
    "done": discord.ButtonStyle.success,
    "snooze": discord.ButtonStyle.secondary,
    "reneg": discord.ButtonStyle.primary,
    "help": discord.ButtonStyle.secondary,
}


def button_label(action: str, locale: str | None = None) -> str:
    """A button's label in the reader's language (the recipient's, since the message is theirs)."""
    if action == "accept":
        return t(locale, "Accept")
    if action == "decline":
        return t(locale, "Decline")
    if action == "done":
        return t(locale, "Done")
    if action == "snooze":
        return t(locale, "Snooze 1 day")
    if action == "reneg":
        return t(locale, "Renegotiate")
    return t(locale, "Need help")


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


class CommitmentButton(
    PersistentButton, template=r"commit:(?P<id>\d+):(?P<action>accept|decline|done|snooze|reneg|help)"
):
    def __init__(self, commitment_id: int, action: Action, locale: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=button_label(action, locale), style=_STYLES[action], custom_id=f"commit:{commitment_id}:{action}"
            )
        )
        self.commitment_id = commitment_id
        self.action: Action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CommitmentButton:
        return cls(int(match["id"]), cast(Action, match["action"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        user_id = interaction.user.id
        locale = _locale(interaction)
        await scoped(interaction, await service.get(self.commitment_id))
        if self.action == "accept":
            accepted = await service.accept(self.commitment_id, user_id)
            if accepted.due_at:
                took = t(
                    locale,
                    "You took on **{label}** {what}, due {when}. I'll remind you privately before it's due.",
                    label=accepted.label,
                    what=render.what(accepted),
                    when=when(accepted.due_at),
                )
            else:
                took = t(
                    locale,
                    "You took on **{label}** {what}. I'll remind you privately before it's due.",
                    label=accepted.label,
                    what=render.what(accepted),
                )
            await interaction.response.edit_message(
                content=took,
                view=None,
                allowed_mentions=NO_MENTIONS,
            )
            return
        if self.action == "decline":
            declined = await service.decline(self.commitment_id, user_id)
            await interaction.response.edit_message(
                content=t(
                    locale,
                    "You declined **{label}** {what}. No problem: nothing is tracked.",
                    label=declined.label,
                    what=render.what(declined),
                ),
                view=None,
                allowed_mentions=NO_MENTIONS,
            )
            return
        commitment = await service.get(self.commitment_id)
        manager = await actor_is_manager(interaction, commitment)
        if self.action == "done":
            done, celebrate = await service.done(commitment, actor_id=user_id, actor_is_manager=manager)
            content = t(
                locale, "**{label}** {what} is done. Thank you for following through!", label=done.label,
                what=render.what(done),
            )
            if celebrate:
                content += " " + t(locale, "I'll share the good news in the channel.")
            # Reply first (the change is saved); the celebration may wait on Discord's rate limits.
            await interaction.response.edit_message(
                content=content,
                view=None,
                allowed_mentions=NO_MENTIONS,
            )
            if celebrate:
                await service.celebrate(done)
        elif self.action == "snooze":
            until = service.clock.now() + SNOOZE_BUTTON
            snoozed = await service.snooze(commitment, actor_id=user_id, actor_is_manager=manager, until=until)
            await send_ephemeral(
                interaction,
                render.changed_text(snoozed, t(locale, "I'll remind you again {when}.", when=when(until))),
            )
        elif self.action == "reneg":
            service.require_may_change(commitment, user_id, manager)
            service.require_open(commitment)
            await interaction.response.send_modal(RenegotiateForm(commitment, locale))
        else:
            # Acknowledge first: asking in the channel is a post that may wait on Discord's rate limits.
            await interaction.response.defer(ephemeral=True, thinking=True)
            helped = await service.ask_for_help(commitment, actor_id=user_id)
            await send_ephemeral(
                interaction,
                t(
                    locale,
                    "I asked in {channel} whether someone can lend a hand with **{label}**.",
                    channel=f"<#{helped.source_channel_id}>",
                    label=helped.label,
                ),
            )


def buttons_view(commitment: Commitment, actions: list[Action], locale: str | None = None) -> discord.ui.View:
    """A view of persistent buttons (no timeout), labelled in ``locale``; discord.py routes presses to
    :class:`CommitmentButton`."""
    view = discord.ui.View(timeout=None)
    for action in actions:
        view.add_item(CommitmentButton(commitment.id, action, locale))
    return view


def proposal_view(commitment: Commitment, locale: str | None = None) -> discord.ui.View:
    return buttons_view(commitment, ["accept", "decline"], locale)


def nudge_view(commitment: Commitment, locale: str | None = None) -> discord.ui.View:
    actions: list[Action] = ["done", "snooze", "reneg"]
    if commitment.source_channel_id is not None:
        actions.append("help")
    return buttons_view(commitment, actions, locale)
