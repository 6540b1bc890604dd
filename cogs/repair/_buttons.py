"""The repair's persistent buttons, and the views that carry them.

Custom ids are a wire format (keep them stable): ``repair:<repair id>:<action>[:<draft version>]`` and
``repair-reflection:<reflection id>:<right|notquite>``. State is loaded from the database on every press, so
buttons keep working after a restart. Anyone who is not in the repair (nor a manager, when the server allows
managers) gets a private refusal, and nothing changes.
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast

import discord

from bot.adapter.feedback_buttons import add_feedback_buttons
from bot.adapter.render import NO_MENTIONS, WARM_COLOUR
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import PersistentButton
from bot.errors import NotAllowed
from bot.i18n import t
from bot.repair.models import Repair
from bot.repair.service import Role
from bot.repair.summary import status_lines, who
from cogs.repair import _render as render
from cogs.repair._access import bot_of, reader, role_in, service_of, thread_locale
from cogs.repair._forms import FollowupForm, NotQuiteForm, OwnForm, ReflectForm, ViewForm
from cogs.repair._posting import post_summary, post_views, share_in_channel

Action = Literal["view", "reflect", "own", "status", "review", "approve", "share", "better", "same", "worse"]

_STYLES: dict[str, discord.ButtonStyle] = {
    "view": discord.ButtonStyle.primary,
    "reflect": discord.ButtonStyle.primary,
    "own": discord.ButtonStyle.primary,
    "status": discord.ButtonStyle.secondary,
    "review": discord.ButtonStyle.primary,
    "approve": discord.ButtonStyle.success,
    "share": discord.ButtonStyle.secondary,
    "better": discord.ButtonStyle.success,
    "same": discord.ButtonStyle.secondary,
    "worse": discord.ButtonStyle.secondary,
}


def button_label(action: str, locale: str | None = None) -> str:
    """A button's label in the language of the message it is on."""
    labels = {
        "view": t(locale, "Share your view"),
        "reflect": t(locale, "Reflect back"),
        "own": t(locale, "Own my part"),
        "status": t(locale, "Where are we?"),
        "review": t(locale, "Review the summary"),
        "approve": t(locale, "Approve"),
        "share": t(locale, "Share in the channel"),
        "better": t(locale, "Better"),
        "same": t(locale, "About the same"),
        "worse": t(locale, "Worse"),
    }
    return labels[action]


def button(
    repair_id: int, action: Action, version: int | None = None, *, label: str | None = None,
    locale: str | None = None,
) -> RepairButton:
    return RepairButton(repair_id, action, version, label=label or button_label(action, locale))


def control_view(repair: Repair, locale: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    actions: tuple[Action, ...] = ("view", "reflect", "own", "status")
    for action in actions:
        view.add_item(button(repair.id, action, locale=locale))
    return view


def review_view(repair: Repair, locale: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(button(repair.id, "review", repair.summary_version, locale=locale))
    return view


def approve_view(repair: Repair, locale: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(button(repair.id, "approve", repair.summary_version, locale=locale))
    return view


def share_view(repair: Repair, channel_name: str, locale: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(button(repair.id, "share", label=t(locale, "Share in #{channel}", channel=channel_name)[:80]))
    return view


def followup_view(repair: Repair, locale: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    actions: tuple[Action, ...] = ("better", "same", "worse")
    for action in actions:
        view.add_item(button(repair.id, action, locale=locale))
    return view


def reflection_view(reflection_id: int, locale: str | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReflectionButton(reflection_id, "right", locale))
    view.add_item(ReflectionButton(reflection_id, "notquite", locale))
    return view


class RepairButton(
    PersistentButton,
    template=r"repair:(?P<id>\d+):(?P<action>view|reflect|own|status|review|approve|share|better|same|worse)"
    r"(?::(?P<version>\d+))?",
):
    def __init__(self, repair_id: int, action: Action, version: int | None = None, *, label: str | None = None) -> None:
        custom_id = f"repair:{repair_id}:{action}" + (f":{version}" if version is not None else "")
        super().__init__(
            discord.ui.Button(label=label or button_label(action), style=_STYLES[action], custom_id=custom_id)
        )
        self.repair_id = repair_id
        self.action: Action = action
        self.version = version

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RepairButton:
        version = int(match["version"]) if match["version"] is not None else None
        return cls(int(match["id"]), cast(Action, match["action"]), version)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        repair = await service.get(self.repair_id)
        role = await role_in(interaction, repair)
        user_id = interaction.user.id
        locale = reader(interaction)
        if self.action == "status":
            await self._status(interaction, repair)
        elif self.action == "view":
            await service.check_can_share(repair, user_id)
            await interaction.response.send_modal(ViewForm(repair.id, locale))
        elif self.action == "reflect":
            service.check_can_reflect(repair, user_id)
            await interaction.response.send_modal(ReflectForm(repair.id, locale))
        elif self.action == "own":
            await service.check_can_own(repair, user_id)
            await interaction.response.send_modal(OwnForm(repair.id, locale))
        elif self.action == "review":
            await self._review(interaction, repair, role)
        elif self.action == "approve":
            await self._approve(interaction)
        elif self.action == "share":
            await self._share(interaction)
        else:
            await service.check_can_answer_followup(repair.id, user_id)
            await interaction.response.send_modal(FollowupForm(repair.id, self.action, locale))

    async def _status(self, interaction: discord.Interaction[Any], repair: Repair) -> None:
        service = service_of(interaction)
        if await service.reveal_if_ready(repair):
            repair = await service.get(repair.id)
            await post_views(bot_of(interaction), repair)
        progress = await service.progress(repair)
        locale = reader(interaction)
        embed = discord.Embed(title=t(locale, "Where we are"),
                              description="\n".join(status_lines(repair, progress, locale)), colour=WARM_COLOUR)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _review(self, interaction: discord.Interaction[Any], repair: Repair, role: Role) -> None:
        if role == "manager":
            raise NotAllowed("Only the people in this repair and its mediator read the draft summary.")
        repair = await service_of(interaction).check_draft(repair.id, self.version or 0)
        lines = service_of(interaction).summary_lines(repair)
        approver = repair.is_person(interaction.user.id)
        locale = reader(interaction)
        footer = (
            t(locale, "Approve it if it's right. Nothing is posted until both of you approve.") if approver
            else t(locale, "Only the two people approve it; as mediator you can read it.")
        )
        embeds = render.summary_embeds(lines, title=t(locale, "Draft summary (only you can see this)"), footer=footer)
        groups = render.batches(embeds)
        view = approve_view(repair, locale) if approver else discord.utils.MISSING
        for index, group in enumerate(groups):
            last = index == len(groups) - 1
            if index == 0:
                await interaction.response.send_message(
                    embeds=group, view=view if last else discord.utils.MISSING, ephemeral=True,
                    allowed_mentions=NO_MENTIONS,
                )
            else:
                await interaction.followup.send(
                    embeds=group, view=view if last else discord.utils.MISSING, ephemeral=True,
                    allowed_mentions=NO_MENTIONS,
                )

    async def _approve(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        result = await service.approve(self.repair_id, interaction.user.id, self.version or 0)
        repair = result.repair
        locale = reader(interaction)
        if not result.act:
            waiting = [uid for uid in repair.people if uid not in result.consents]
            text = t(locale, "You approved this draft.")
            if waiting:
                text += " " + t(
                    locale, "Waiting for {person}: nothing is posted until they approve too.", person=who(waiting[0])
                )
            await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_MENTIONS)
            return
        await interaction.response.edit_message(
            content=t(locale, "You approved this draft. Both of you have: posting it in the thread."), view=None,
            allowed_mentions=NO_MENTIONS,
        )
        shared_in = await thread_locale(bot_of(interaction), repair)
        await post_summary(
            bot_of(interaction), repair,
            lambda channel_name: add_feedback_buttons(
                share_view(repair, channel_name, shared_in), "repair", repair.id
            ),
        )

    async def _share(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        result = await service.consent_share(self.repair_id, interaction.user.id)
        repair = result.repair
        locale = reader(interaction)
        if not result.act:
            other = repair.other(interaction.user.id)
            await send_ephemeral(
                interaction,
                t(locale, "Noted. I'll share the summary in {channel} only once {person} agrees too.",
                  channel=f"<#{repair.channel_id}>", person=who(other)),
            )
            return
        await interaction.response.defer()
        await share_in_channel(bot_of(interaction), repair)
        if interaction.message is not None:
            await interaction.message.edit(view=None)
        await send_ephemeral(
            interaction, t(locale, "Shared in {channel} with both your consent.", channel=f"<#{repair.channel_id}>")
        )


class ReflectionButton(PersistentButton, template=r"repair-reflection:(?P<id>\d+):(?P<answer>right|notquite)"):
    def __init__(self, reflection_id: int, answer: Literal["right", "notquite"], locale: str | None = None) -> None:
        label = t(locale, "That's right") if answer == "right" else t(locale, "Not quite")
        style = discord.ButtonStyle.success if answer == "right" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"repair-reflection:{reflection_id}:{answer}")
        )
        self.reflection_id = reflection_id
        self.answer: Literal["right", "notquite"] = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReflectionButton:
        return cls(int(match["id"]), cast(Literal["right", "notquite"], match["answer"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        repair, _ = await service.reflection(self.reflection_id)
        await role_in(interaction, repair)
        await service.check_can_answer(self.reflection_id, interaction.user.id)
        if self.answer == "notquite":
            await interaction.response.send_modal(NotQuiteForm(self.reflection_id, reader(interaction)))
            return
        repair, updated = await service.answer(self.reflection_id, interaction.user.id, "right")
        # The reflection is a message in the thread, for both people: it stays in the thread's language.
        locale = await thread_locale(bot_of(interaction), repair)
        await interaction.response.edit_message(
            content=render.reflection_content(updated, locale) + "\n"
            + render.reflection_answer_line(updated, "right", locale),
            embed=render.reflection_embed(updated, locale),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )
