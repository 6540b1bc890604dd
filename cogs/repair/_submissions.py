"""What each repair form does when it is submitted, minutes or days after it was opened, restart or not.

Every handler loads the repair again and re-checks who may act and whether the step is still open, exactly as
the button that opened the form did; a refusal reaches the member with what they wrote (see
:mod:`bot.adapter.forms`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import discord

from bot.adapter.forms import Submission
from bot.adapter.render import NO_MENTIONS
from bot.adapter.tree import send_ephemeral
from bot.errors import BadInput
from bot.i18n import t
from bot.repair.models import (
    MAX_CLARIFICATION,
    MAX_FOLLOWUP_NOTE,
    MAX_OWNED,
    MAX_REFLECTION,
    MAX_VIEW_PART,
    MAX_WILL_DO,
    FollowupAnswer,
)
from bot.repair.summary import who
from cogs.repair import _render as render
from cogs.repair._access import bot_of, reader, role_in, service_of, thread_locale
from cogs.repair._buttons import reflection_view
from cogs.repair._forms import LABELS, FollowupForm, NotQuiteForm, OwnForm, ReflectForm, ViewForm
from cogs.repair._posting import (
    post_clarification,
    post_ownership,
    post_reflection,
    post_views,
    remove_followup_buttons,
)

if TYPE_CHECKING:
    from bot.adapter.forms import FormRouter


async def submit_view(interaction: discord.Interaction[Any], form: Submission) -> None:
    service = service_of(interaction)
    await role_in(interaction, await service.get(form.ref))
    result = await service.share_view(
        form.ref, interaction.user.id, form.text("repair-happened", MAX_VIEW_PART),
        form.text("repair-affected", MAX_VIEW_PART), form.text("repair-need", MAX_VIEW_PART),
    )
    repair = await service.get(form.ref)
    if not result.reveal:
        other = repair.other(interaction.user.id)
        await send_ephemeral(
            interaction,
            t(
                reader(interaction),
                "Thank you. Your view is saved privately: nobody sees it until {person} has shared theirs too. "
                "Then I'll post both side by side.",
                person=who(other),
            ),
        )
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    await post_views(bot_of(interaction), repair)
    await interaction.followup.send(
        t(reader(interaction), "Thank you. You have both shared, so I posted your views side by side."),
        ephemeral=True, allowed_mentions=NO_MENTIONS,
    )


async def submit_reflection(interaction: discord.Interaction[Any], form: Submission) -> None:
    # Acknowledge first: fetching the thread and posting can take longer than Discord's three seconds.
    await interaction.response.defer(ephemeral=True, thinking=True)
    service = service_of(interaction)
    await role_in(interaction, await service.get(form.ref))
    reflection = await service.reflect(form.ref, interaction.user.id, form.text("repair-heard", MAX_REFLECTION))
    repair = await service.get(form.ref)
    shared = await thread_locale(bot_of(interaction), repair)
    await post_reflection(bot_of(interaction), repair, reflection, reflection_view(reflection.id, shared))
    await interaction.followup.send(
        t(reader(interaction), "Posted. {person} can answer *That's right* or *Not quite*.",
          person=who(reflection.subject_id)),
        ephemeral=True, allowed_mentions=NO_MENTIONS,
    )


async def submit_not_quite(interaction: discord.Interaction[Any], form: Submission) -> None:
    service = service_of(interaction)
    repair, _ = await service.reflection(form.ref)
    await role_in(interaction, repair)
    repair, updated = await service.answer(
        form.ref, interaction.user.id, "not_quite", form.text("repair-meant", MAX_CLARIFICATION)
    )
    # The reflection is a message in the thread, for both people: it stays in the thread's language.
    locale = await thread_locale(bot_of(interaction), repair)
    await interaction.response.edit_message(
        content=render.reflection_content(updated, locale) + "\n"
        + render.reflection_answer_line(updated, "not_quite", locale),
        embed=render.reflection_embed(updated, locale),
        view=None,
        allowed_mentions=NO_MENTIONS,
    )
    await post_clarification(bot_of(interaction), repair, updated)


async def submit_ownership(interaction: discord.Interaction[Any], form: Submission) -> None:
    service = service_of(interaction)
    repair = await service.get(form.ref)
    await role_in(interaction, repair)
    await service.check_can_own(repair, interaction.user.id)
    await interaction.response.defer(ephemeral=True, thinking=True)
    ownership = await service.own_part(
        repair.id, interaction.user.id, form.text("repair-owned", MAX_OWNED),
        form.text("repair-will-do", MAX_WILL_DO), render.thread_url(repair),
    )
    await post_ownership(bot_of(interaction), repair, ownership)
    locale = reader(interaction)
    text = t(locale, "Thank you for owning your part.")
    if ownership.commitment_number is not None:
        text += " " + t(
            locale,
            "I proposed **#{number}** to you privately: accept it and I'll help you keep it.",
            number=ownership.commitment_number,
        )
    await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def submit_followup(interaction: discord.Interaction[Any], form: Submission) -> None:
    if form.detail not in ("better", "same", "worse"):
        raise BadInput("I couldn't tell which answer that form was for. Please press the button again.")
    service = service_of(interaction)
    await role_in(interaction, await service.get(form.ref))
    repair, reply, both = await service.answer_followup(
        form.ref, interaction.user.id, cast(FollowupAnswer, form.detail),
        form.text("repair-followup-note", MAX_FOLLOWUP_NOTE),
    )
    # A public answer in the thread, for both people: in the thread's language.
    locale = await thread_locale(bot_of(interaction), repair)
    await interaction.response.send_message(
        render.followup_answer_content(reply.user_id, reply.answer, reply.note, locale), allowed_mentions=NO_MENTIONS
    )
    if both:
        await remove_followup_buttons(bot_of(interaction), repair)


HANDLERS = {
    ViewForm.kind: submit_view,
    ReflectForm.kind: submit_reflection,
    NotQuiteForm.kind: submit_not_quite,
    OwnForm.kind: submit_ownership,
    FollowupForm.kind: submit_followup,
}


def register_forms(router: FormRouter) -> None:
    for kind, handler in HANDLERS.items():
        router.register(kind, handler, labels=LABELS)


def unregister_forms(router: FormRouter) -> None:
    for kind in HANDLERS:
        router.unregister(kind)
