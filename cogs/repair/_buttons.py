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
from bot.repair.models import Repair
from bot.repair.service import Role
from bot.repair.summary import status_lines, who
from cogs.repair import _render as render
from cogs.repair._access import bot_of, role_in, service_of
from cogs.repair._forms import FollowupForm, NotQuiteForm, OwnForm, ReflectForm, ViewForm
from cogs.repair._posting import post_summary, post_views, share_in_channel

Action = Literal["view", "reflect", "own", "status", "review", "approve", "share", "better", "same", "worse"]

_BUTTONS: dict[str, tuple[str, discord.ButtonStyle]] = {
    "view": ("Share your view", discord.ButtonStyle.primary),
    "reflect": ("Reflect back", discord.ButtonStyle.primary),
    "own": ("Own my part", discord.ButtonStyle.primary),
    "status": ("Where are we?", discord.ButtonStyle.secondary),
    "review": ("Review the summary", discord.ButtonStyle.primary),
    "approve": ("Approve", discord.ButtonStyle.success),
    "share": ("Share in the channel", discord.ButtonStyle.secondary),
    "better": ("Better", discord.ButtonStyle.success),
    "same": ("About the same", discord.ButtonStyle.secondary),
    "worse": ("Worse", discord.ButtonStyle.secondary),
}


def button(repair_id: int, action: Action, version: int | None = None, *, label: str | None = None) -> RepairButton:
    return RepairButton(repair_id, action, version, label=label)


def control_view(repair: Repair) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    actions: tuple[Action, ...] = ("view", "reflect", "own", "status")
    for action in actions:
        view.add_item(button(repair.id, action))
    return view


def review_view(repair: Repair) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(button(repair.id, "review", repair.summary_version))
    return view


def approve_view(repair: Repair) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(button(repair.id, "approve", repair.summary_version))
    return view


def share_view(repair: Repair, channel_name: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(button(repair.id, "share", label=f"Share in #{channel_name}"[:80]))
    return view


def followup_view(repair: Repair) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    actions: tuple[Action, ...] = ("better", "same", "worse")
    for action in actions:
        view.add_item(button(repair.id, action))
    return view


def reflection_view(reflection_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReflectionButton(reflection_id, "right"))
    view.add_item(ReflectionButton(reflection_id, "notquite"))
    return view


class RepairButton(
    PersistentButton,
    template=r"repair:(?P<id>\d+):(?P<action>view|reflect|own|status|review|approve|share|better|same|worse)"
    r"(?::(?P<version>\d+))?",
):
    def __init__(self, repair_id: int, action: Action, version: int | None = None, *, label: str | None = None) -> None:
        default_label, style = _BUTTONS[action]
        custom_id = f"repair:{repair_id}:{action}" + (f":{version}" if version is not None else "")
        super().__init__(discord.ui.Button(label=label or default_label, style=style, custom_id=custom_id))
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
        if self.action == "status":
            await self._status(interaction, repair)
        elif self.action == "view":
            await service.check_can_share(repair, user_id)
            await interaction.response.send_modal(ViewForm(repair.id))
        elif self.action == "reflect":
            service.check_can_reflect(repair, user_id)
            await interaction.response.send_modal(ReflectForm(repair.id))
        elif self.action == "own":
            await service.check_can_own(repair, user_id)
            await interaction.response.send_modal(OwnForm(repair.id))
        elif self.action == "review":
            await self._review(interaction, repair, role)
        elif self.action == "approve":
            await self._approve(interaction)
        elif self.action == "share":
            await self._share(interaction)
        else:
            await service.check_can_answer_followup(repair.id, user_id)
            await interaction.response.send_modal(FollowupForm(repair.id, self.action))

    async def _status(self, interaction: discord.Interaction[Any], repair: Repair) -> None:
        service = service_of(interaction)
        if await service.reveal_if_ready(repair):
            repair = await service.get(repair.id)
            await post_views(bot_of(interaction), repair)
        progress = await service.progress(repair)
        embed = discord.Embed(title="Where we are", description="\n".join(status_lines(repair, progress)),
                              colour=WARM_COLOUR)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _review(self, interaction: discord.Interaction[Any], repair: Repair, role: Role) -> None:
        if role == "manager":
            raise NotAllowed("Only the people in this repair and its mediator read the draft summary.")
        repair = await service_of(interaction).check_draft(repair.id, self.version or 0)
        lines = service_of(interaction).summary_lines(repair)
        approver = repair.is_person(interaction.user.id)
        footer = "Approve it if it's right. Nothing is posted until both of you approve." if approver else (
            "Only the two people approve it; as mediator you can read it."
        )
        embeds = render.summary_embeds(lines, title="Draft summary (only you can see this)", footer=footer)
        groups = render.batches(embeds)
        view = approve_view(repair) if approver else discord.utils.MISSING
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
        if not result.act:
            waiting = [uid for uid in repair.people if uid not in result.consents]
            text = "You approved this draft."
            if waiting:
                text += f" Waiting for {who(waiting[0])}: nothing is posted until they approve too."
            await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_MENTIONS)
            return
        await interaction.response.edit_message(
            content="You approved this draft. Both of you have: posting it in the thread.", view=None,
            allowed_mentions=NO_MENTIONS,
        )
        await post_summary(
            bot_of(interaction), repair,
            lambda channel_name: add_feedback_buttons(share_view(repair, channel_name), "repair", repair.id),
        )

    async def _share(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        result = await service.consent_share(self.repair_id, interaction.user.id)
        repair = result.repair
        if not result.act:
            other = repair.other(interaction.user.id)
            await send_ephemeral(
                interaction,
                f"Noted. I'll share the summary in <#{repair.channel_id}> only once {who(other)} agrees too.",
            )
            return
        await interaction.response.defer()
        await share_in_channel(bot_of(interaction), repair)
        if interaction.message is not None:
            await interaction.message.edit(view=None)
        await send_ephemeral(interaction, f"Shared in <#{repair.channel_id}> with both your consent.")


class ReflectionButton(PersistentButton, template=r"repair-reflection:(?P<id>\d+):(?P<answer>right|notquite)"):
    def __init__(self, reflection_id: int, answer: Literal["right", "notquite"]) -> None:
        label = "That's right" if answer == "right" else "Not quite"
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
            await interaction.response.send_modal(NotQuiteForm(self.reflection_id))
            return
        _, updated = await service.answer(self.reflection_id, interaction.user.id, "right")
        await interaction.response.edit_message(
            content=render.reflection_content(updated) + f"\n{who(updated.subject_id)}: **That's right.**",
            embed=render.reflection_embed(updated),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )
