"""Persistent repair buttons and the forms behind them.

Custom ids are a wire format (keep them stable): ``repair:<repair id>:<action>[:<draft version>]`` and
``repair-reflection:<reflection id>:<right|notquite>``. State is loaded from the database on every press, so
buttons keep working after a restart. Anyone who is not in the repair (nor a manager, when the server allows
managers) gets a private refusal, and nothing changes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import discord

from bot.adapter.delivery import resolve_messageable
from bot.adapter.feedback_buttons import add_feedback_buttons
from bot.adapter.permissions import is_manager
from bot.adapter.render import NO_MENTIONS, WARM_COLOUR, mention_users
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import GuardedButton, RapportModal
from bot.errors import NotAllowed, UserFacingError
from bot.markup import shorten
from bot.repair.models import (
    MAX_CLARIFICATION,
    MAX_FOLLOWUP_NOTE,
    MAX_OWNED,
    MAX_REFLECTION,
    MAX_VIEW_PART,
    MAX_WILL_DO,
    FollowupAnswer,
    Repair,
)
from bot.repair.service import RepairService, Role
from bot.repair.summary import status_lines, who
from cogs.repair import _render as render

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

OUTSIDER = "This repair is private to the people in it, so its buttons aren't for you."

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


def _bot(interaction: discord.Interaction[Any]) -> Rapport:
    return cast("Rapport", interaction.client)


def _service(interaction: discord.Interaction[Any]) -> RepairService:
    return _bot(interaction).service(RepairService)


async def fetch_thread(bot: Rapport, thread_id: int | None) -> discord.Thread | None:
    if thread_id is None:
        return None
    channel = bot.get_channel(thread_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(thread_id)
        except (discord.NotFound, discord.Forbidden):
            return None
    return channel if isinstance(channel, discord.Thread) else None


async def role_in(interaction: discord.Interaction[Any], repair: Repair) -> Role:
    """The presser's part in the repair; anyone else is refused privately."""
    user_id = interaction.user.id
    manager = False
    outsider = not repair.is_member(user_id) and interaction.guild_id == repair.guild_id
    if outsider and isinstance(interaction.user, discord.Member):
        manager = await is_manager(interaction, _bot(interaction).prefs)
    role = await _service(interaction).role_of(repair, user_id, is_manager=manager)
    if role is None:
        raise NotAllowed(OUTSIDER)
    return role


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


async def send_embeds(
    target: discord.abc.Messageable,
    embeds: Sequence[discord.Embed],
    *,
    content: str | None = None,
    last_view: discord.ui.View | None = None,
) -> discord.Message:
    """Post embeds over as many messages as Discord's limits need; the view goes on the last one."""
    groups = render.batches(embeds)
    message: discord.Message | None = None
    for index, group in enumerate(groups):
        kwargs: dict[str, Any] = {"embeds": group, "allowed_mentions": NO_MENTIONS}
        if index == 0 and content:
            kwargs["content"] = content
        if index == len(groups) - 1 and last_view is not None:
            kwargs["view"] = last_view
        message = await target.send(**kwargs)
    assert message is not None
    return message


class RepairButton(
    GuardedButton,
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
        service = _service(interaction)
        repair = await service.get(self.repair_id)
        role = await role_in(interaction, repair)
        user_id = interaction.user.id
        if self.action == "status":
            await self._status(interaction, repair)
        elif self.action == "view":
            await service.check_can_share(repair, user_id)
            await interaction.response.send_modal(ViewModal(repair.id))
        elif self.action == "reflect":
            service.check_can_reflect(repair, user_id)
            await interaction.response.send_modal(ReflectModal(repair.id))
        elif self.action == "own":
            await service.check_can_own(repair, user_id)
            await interaction.response.send_modal(OwnModal(repair.id))
        elif self.action == "review":
            await self._review(interaction, repair, role)
        elif self.action == "approve":
            await self._approve(interaction)
        elif self.action == "share":
            await self._share(interaction)
        else:
            await service.check_can_answer_followup(repair.id, user_id)
            await interaction.response.send_modal(FollowupModal(repair.id, self.action))

    async def _status(self, interaction: discord.Interaction[Any], repair: Repair) -> None:
        service = _service(interaction)
        if await service.reveal_if_ready(repair):
            repair = await service.get(repair.id)
            await post_views(_bot(interaction), repair)
        progress = await service.progress(repair)
        embed = discord.Embed(title="Where we are", description="\n".join(status_lines(repair, progress)),
                              colour=WARM_COLOUR)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _review(self, interaction: discord.Interaction[Any], repair: Repair, role: Role) -> None:
        if role == "manager":
            raise NotAllowed("Only the people in this repair and its mediator read the draft summary.")
        repair = await _service(interaction).check_draft(repair.id, self.version or 0)
        lines = _service(interaction).summary_lines(repair)
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
        service = _service(interaction)
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
        await post_summary(_bot(interaction), repair)

    async def _share(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
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
        target = await resolve_messageable(_bot(interaction), repair.channel_id)
        first, second = repair.people
        try:
            if target is None:
                raise UserFacingError(f"I can't reach <#{repair.channel_id}> any more, so nothing was shared.")
            embeds = render.summary_embeds(service.summary_lines(repair), title=_summary_title(repair))
            await send_embeds(
                target, embeds, content=f"A repair summary, shared with the consent of both {who(first)} and "
                f"{who(second)}."
            )
        except discord.Forbidden:
            await service.share_failed(repair)
            raise UserFacingError(
                f"I'm not allowed to post in <#{repair.channel_id}>, so nothing was shared. "
                "A server admin can check my permissions there, then press the button again."
            ) from None
        except Exception:
            await service.share_failed(repair)
            raise
        if interaction.message is not None:
            await interaction.message.edit(view=None)
        await send_ephemeral(interaction, f"Shared in <#{repair.channel_id}> with both your consent.")


class ReflectionButton(GuardedButton, template=r"repair-reflection:(?P<id>\d+):(?P<answer>right|notquite)"):
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
        service = _service(interaction)
        repair, _ = await service.reflection(self.reflection_id)
        await role_in(interaction, repair)
        await service.check_can_answer(self.reflection_id, interaction.user.id)
        if self.answer == "notquite":
            await interaction.response.send_modal(NotQuiteModal(self.reflection_id))
            return
        _, updated = await service.answer(self.reflection_id, interaction.user.id, "right")
        await interaction.response.edit_message(
            content=render.reflection_content(updated) + f"\n{who(updated.subject_id)}: **That's right.**",
            embed=render.reflection_embed(updated),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )


# -- posting ----------------------------------------------------------------------------------------------
def _summary_title(repair: Repair) -> str:
    return f"Repair summary: {repair.topic}" if repair.topic else "Repair summary"


async def _names(bot: Rapport, repair: Repair) -> dict[int, str]:
    guild = bot.get_guild(repair.guild_id)
    names: dict[int, str] = {}
    for user_id in repair.people:
        member = guild.get_member(user_id) if guild else None
        if member is not None:
            names[user_id] = member.display_name
        else:
            user = bot.get_user(user_id)
            names[user_id] = user.display_name if user else "Someone"
    return names


async def post_views(bot: Rapport, repair: Repair) -> None:
    """Post both views side by side (the caller claimed this); undo the claim if it cannot be posted."""
    service = bot.service(RepairService)
    thread = await fetch_thread(bot, repair.thread_id)
    try:
        if thread is None:
            raise UserFacingError("I can't reach this repair's thread any more.")
        embed = render.views_embed(repair, await service.views(repair), await _names(bot, repair))
        first, second = repair.people
        await thread.send(
            content=f"{who(first)} and {who(second)} have both shared their view.",
            embed=embed,
            allowed_mentions=mention_users(first, second),
        )
    except Exception:
        await service.views_post_failed(repair)
        raise


async def post_summary(bot: Rapport, repair: Repair) -> None:
    """Both approved (the caller claimed closing): post the summary in the thread and arm the follow-up."""
    service = bot.service(RepairService)
    thread = await fetch_thread(bot, repair.thread_id)
    try:
        if thread is None:
            raise UserFacingError("I can't reach this repair's thread any more, so the summary was not posted.")
        parent = bot.get_channel(repair.channel_id)
        channel_name = getattr(parent, "name", "the channel")
        first, second = repair.people
        embeds = render.summary_embeds(
            service.summary_lines(repair),
            title=_summary_title(repair),
            footer=f"Both approved. Sharing it in #{channel_name} needs both of you to press the button below; "
            f"I'll ask how things are {render.followup_when(repair)}.",
        )
        message = await send_embeds(
            thread,
            embeds,
            content=f"{who(first)} and {who(second)} both approved this summary.",
            last_view=add_feedback_buttons(share_view(repair, channel_name), "repair", repair.id),
        )
    except Exception:
        await service.summary_post_failed(repair)
        raise
    await service.summary_posted(repair, message.id)


# -- forms ------------------------------------------------------------------------------------------------
class ViewModal(RapportModal):
    happened: discord.ui.TextInput[ViewModal] = discord.ui.TextInput(
        label="What happened, from my side", style=discord.TextStyle.paragraph, custom_id="repair-happened",
        max_length=MAX_VIEW_PART,
    )
    affected: discord.ui.TextInput[ViewModal] = discord.ui.TextInput(
        label="How it affected me", style=discord.TextStyle.paragraph, custom_id="repair-affected",
        max_length=MAX_VIEW_PART,
    )
    need: discord.ui.TextInput[ViewModal] = discord.ui.TextInput(
        label="What I need", style=discord.TextStyle.paragraph, custom_id="repair-need", max_length=MAX_VIEW_PART,
    )

    def __init__(self, repair_id: int) -> None:
        super().__init__(title="Share your view", timeout=1800)
        self.repair_id = repair_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
        result = await service.share_view(
            self.repair_id, interaction.user.id, self.happened.value, self.affected.value, self.need.value
        )
        repair = await service.get(self.repair_id)
        if not result.reveal:
            other = repair.other(interaction.user.id)
            await send_ephemeral(
                interaction,
                f"Thank you. Your view is saved privately: nobody sees it until {who(other)} has shared "
                "theirs too. Then I'll post both side by side.",
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await post_views(_bot(interaction), repair)
        await interaction.followup.send(
            "Thank you. You have both shared, so I posted your views side by side.", ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )


class ReflectModal(RapportModal):
    heard: discord.ui.TextInput[ReflectModal] = discord.ui.TextInput(
        label="What I heard you say", style=discord.TextStyle.paragraph, custom_id="repair-heard",
        max_length=MAX_REFLECTION,
    )

    def __init__(self, repair_id: int) -> None:
        super().__init__(title="Reflect back", timeout=1800)
        self.repair_id = repair_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        # Acknowledge first: fetching the thread and posting can take longer than Discord's three seconds.
        await interaction.response.defer(ephemeral=True, thinking=True)
        service = _service(interaction)
        reflection = await service.reflect(self.repair_id, interaction.user.id, self.heard.value)
        repair = await service.get(self.repair_id)
        thread = await fetch_thread(_bot(interaction), repair.thread_id)
        if thread is None:
            raise UserFacingError(
                "I saved what you heard, but I can't reach this repair's thread any more to post it. "
                f"Here is your text, so it isn't lost:\n>>> {shorten(self.heard.value, 1500)}"
            )
        message = await thread.send(
            content=render.reflection_content(reflection),
            embed=render.reflection_embed(reflection),
            view=reflection_view(reflection.id),
            allowed_mentions=mention_users(reflection.subject_id),
        )
        await service.set_reflection_message(reflection, message.id)
        await interaction.followup.send(
            f"Posted. {who(reflection.subject_id)} can answer *That's right* or *Not quite*.", ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )


class NotQuiteModal(RapportModal):
    meant: discord.ui.TextInput[NotQuiteModal] = discord.ui.TextInput(
        label="What I meant", style=discord.TextStyle.paragraph, custom_id="repair-meant",
        max_length=MAX_CLARIFICATION,
    )

    def __init__(self, reflection_id: int) -> None:
        super().__init__(title="Not quite", timeout=1800)
        self.reflection_id = reflection_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
        repair, updated = await service.answer(self.reflection_id, interaction.user.id, "not_quite", self.meant.value)
        await interaction.response.edit_message(
            content=render.reflection_content(updated) + f"\n{who(updated.subject_id)}: **Not quite.**",
            embed=render.reflection_embed(updated),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )
        thread = await fetch_thread(_bot(interaction), repair.thread_id)
        if thread is None:
            raise UserFacingError("I can't reach this repair's thread any more.")
        reference = thread.get_partial_message(updated.message_id) if updated.message_id else None
        await thread.send(
            content=render.clarification_content(updated),
            reference=reference or discord.utils.MISSING,
            allowed_mentions=mention_users(updated.author_id),
        )


class OwnModal(RapportModal):
    owned: discord.ui.TextInput[OwnModal] = discord.ui.TextInput(
        label="What I own", style=discord.TextStyle.paragraph, custom_id="repair-owned", max_length=MAX_OWNED,
    )
    will_do: discord.ui.TextInput[OwnModal] = discord.ui.TextInput(
        label="What I'll do differently", style=discord.TextStyle.paragraph, custom_id="repair-will-do",
        max_length=MAX_WILL_DO,
    )

    def __init__(self, repair_id: int) -> None:
        super().__init__(title="Own my part", timeout=1800)
        self.repair_id = repair_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
        repair = await service.get(self.repair_id)
        await service.check_can_own(repair, interaction.user.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        ownership = await service.own_part(
            repair.id, interaction.user.id, self.owned.value, self.will_do.value, render.thread_url(repair)
        )
        thread = await fetch_thread(_bot(interaction), repair.thread_id)
        if thread is not None:
            await thread.send(
                content=render.ownership_content(ownership),
                embed=render.ownership_embed(ownership),
                allowed_mentions=NO_MENTIONS,
            )
        extra = (
            f" I proposed **#{ownership.commitment_number}** to you privately: accept it and I'll help you keep it."
            if ownership.commitment_number is not None
            else ""
        )
        await interaction.followup.send(f"Thank you for owning your part.{extra}", ephemeral=True,
                                        allowed_mentions=NO_MENTIONS)


class FollowupModal(RapportModal):
    note: discord.ui.TextInput[FollowupModal] = discord.ui.TextInput(
        label="A note (optional)", style=discord.TextStyle.paragraph, custom_id="repair-followup-note",
        required=False, max_length=MAX_FOLLOWUP_NOTE,
    )

    def __init__(self, repair_id: int, answer: FollowupAnswer) -> None:
        super().__init__(title="How are things now?", timeout=1800)
        self.repair_id = repair_id
        self.answer: FollowupAnswer = answer

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
        repair, reply, both = await service.answer_followup(
            self.repair_id, interaction.user.id, self.answer, self.note.value
        )
        await interaction.response.send_message(
            render.followup_answer_content(reply.user_id, reply.answer, reply.note), allowed_mentions=NO_MENTIONS
        )
        if both and repair.followup_message_id is not None:
            thread = await fetch_thread(_bot(interaction), repair.thread_id)
            if thread is not None:
                try:
                    await thread.get_partial_message(repair.followup_message_id).edit(view=None)
                except discord.HTTPException:
                    log.warning("could not remove the follow-up buttons of repair %s", repair.id)
