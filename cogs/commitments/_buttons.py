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
from bot.markup import when
from cogs.commitments import _render as render
from cogs.commitments._access import actor_is_manager, scoped, service_of
from cogs.commitments._forms import RenegotiateForm

Action = Literal["accept", "decline", "done", "snooze", "reneg", "help"]

_BUTTONS: dict[str, tuple[str, discord.ButtonStyle]] = {
    "accept": ("Accept", discord.ButtonStyle.success),
    "decline": ("Decline", discord.ButtonStyle.secondary),
    "done": ("Done", discord.ButtonStyle.success),
    "snooze": ("Snooze 1 day", discord.ButtonStyle.secondary),
    "reneg": ("Renegotiate", discord.ButtonStyle.primary),
    "help": ("Need help", discord.ButtonStyle.secondary),
}


class CommitmentButton(
    PersistentButton, template=r"commit:(?P<id>\d+):(?P<action>accept|decline|done|snooze|reneg|help)"
):
    def __init__(self, commitment_id: int, action: Action) -> None:
        label, style = _BUTTONS[action]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"commit:{commitment_id}:{action}"))
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
        await scoped(interaction, await service.get(self.commitment_id))
        if self.action == "accept":
            accepted = await service.accept(self.commitment_id, user_id)
            due = f", due {when(accepted.due_at)}" if accepted.due_at else ""
            await interaction.response.edit_message(
                content=f"You took on **{accepted.label}** {render.what(accepted)}{due}. "
                "I'll remind you privately before it's due.",
                view=None,
                allowed_mentions=NO_MENTIONS,
            )
            return
        if self.action == "decline":
            declined = await service.decline(self.commitment_id, user_id)
            await interaction.response.edit_message(
                content=f"You declined **{declined.label}** {render.what(declined)}. No problem: nothing is tracked.",
                view=None,
                allowed_mentions=NO_MENTIONS,
            )
            return
        commitment = await service.get(self.commitment_id)
        manager = await actor_is_manager(interaction, commitment)
        if self.action == "done":
            done, celebrate = await service.done(commitment, actor_id=user_id, actor_is_manager=manager)
            extra = " I'll share the good news in the channel." if celebrate else ""
            # Reply first (the change is saved); the celebration may wait on Discord's rate limits.
            await interaction.response.edit_message(
                content=f"**{done.label}** {render.what(done)} is done. Thank you for following through!{extra}",
                view=None,
                allowed_mentions=NO_MENTIONS,
            )
            if celebrate:
                await service.celebrate(done)
        elif self.action == "snooze":
            until = service.clock.now() + SNOOZE_BUTTON
            snoozed = await service.snooze(commitment, actor_id=user_id, actor_is_manager=manager, until=until)
            await send_ephemeral(
                interaction, render.changed_text(snoozed, f"I'll remind you again {when(until)}.")
            )
        elif self.action == "reneg":
            service.require_may_change(commitment, user_id, manager)
            service.require_open(commitment)
            await interaction.response.send_modal(RenegotiateForm(commitment))
        else:
            # Acknowledge first: asking in the channel is a post that may wait on Discord's rate limits.
            await interaction.response.defer(ephemeral=True, thinking=True)
            helped = await service.ask_for_help(commitment, actor_id=user_id)
            channel = f"<#{helped.source_channel_id}>"
            await send_ephemeral(
                interaction, f"I asked in {channel} whether someone can lend a hand with **{helped.label}**."
            )


def buttons_view(commitment: Commitment, actions: list[Action]) -> discord.ui.View:
    """A view of persistent buttons (no timeout); discord.py routes presses to :class:`CommitmentButton`."""
    view = discord.ui.View(timeout=None)
    for action in actions:
        view.add_item(CommitmentButton(commitment.id, action))
    return view


def proposal_view(commitment: Commitment) -> discord.ui.View:
    return buttons_view(commitment, ["accept", "decline"])


def nudge_view(commitment: Commitment) -> discord.ui.View:
    actions: list[Action] = ["done", "snooze", "reneg"]
    if commitment.source_channel_id is not None:
        actions.append("help")
    return buttons_view(commitment, actions)
