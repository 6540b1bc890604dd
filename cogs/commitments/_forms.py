"""The Renegotiate form: a new due date and an optional note.

A :class:`~bot.adapter.forms.Form` (``form:commit-reneg:<commitment id>``, no timeout, never kept in memory):
a submission after any delay or a restart is checked again (who may change it, still open) and a refusal
echoes what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.forms import Form, Submission
from bot.adapter.tree import send_ephemeral
from bot.commitments.models import Commitment
from bot.i18n import t
from bot.markup import when
from cogs.commitments import _render as render
from cogs.commitments._access import actor_is_manager, scoped, service_of

if TYPE_CHECKING:
    from bot.adapter.forms import FormRouter

DUE_LIMIT = 100
NOTE_LIMIT = 300
LABELS = {"commit-due": "New due date", "commit-note": "Note (optional)"}


class RenegotiateForm(Form, kind="commit-reneg"):
    def __init__(self, commitment: Commitment, locale: str | None = None) -> None:
        # A form title is at most 45 characters: every translation of this one is far shorter.
        super().__init__(title=t(locale, "Renegotiate {label}", label=commitment.label), ref=commitment.id)
        due: discord.ui.TextInput[RenegotiateForm] = discord.ui.TextInput(
            custom_id="commit-due",
            max_length=DUE_LIMIT,
            placeholder=t(locale, "e.g. fri 5pm, in 3 days, 2026-12-01 17:00"),
        )
        note: discord.ui.TextInput[RenegotiateForm] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            custom_id="commit-note",
            required=False,
            max_length=NOTE_LIMIT,
        )
        self.add_item(discord.ui.Label(text=t(locale, "New due date"), component=due))
        self.add_item(discord.ui.Label(text=t(locale, "Note (optional)"), component=note))


async def submit_renegotiation(interaction: discord.Interaction[Any], form: Submission) -> None:
    service = service_of(interaction)
    commitment = await scoped(interaction, await service.get(form.ref))
    manager = await actor_is_manager(interaction, commitment)
    service.require_may_change(commitment, interaction.user.id, manager)
    service.require_open(commitment)
    due = await service.read_due(
        form.text("commit-due", DUE_LIMIT), owner_id=commitment.owner_id, guild_id=commitment.guild_id
    )
    moved = await service.renegotiate(
        commitment,
        actor_id=interaction.user.id,
        actor_is_manager=manager,
        due=due,
        note=form.text("commit-note", NOTE_LIMIT) or None,
    )
    change = t(str(interaction.locale), "new due date {when}. Thanks for saying so early.", when=when(due))
    await send_ephemeral(interaction, render.changed_text(moved, change))


def register_forms(router: FormRouter) -> None:
    router.register(RenegotiateForm.kind, submit_renegotiation, labels=LABELS)


def unregister_forms(router: FormRouter) -> None:
    router.unregister(RenegotiateForm.kind)
