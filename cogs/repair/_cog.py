"""``/repair``: a private, three-step conversation after a disagreement, closed with a summary both approve."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.permissions import guild_member, require_manage_server
from bot.adapter.render import NO_MENTIONS, WARM_COLOUR, embeds_from_lines, mention_users
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import ConfirmView, send_pages
from bot.adapter.visibility import Viewer, missing_permissions
from bot.delivery import message_nonce
from bot.errors import BadInput, NotAllowed, UserFacingError
from bot.i18n import t
from bot.repair.models import FOLLOWUP_DEFAULT, Repair
from bot.repair.repository import RepairRepo
from bot.repair.service import RepairService, check_followup_days, check_people
from bot.repair.summary import state_label, who
from bot.safety import SafetyRepo
from cogs.repair import _render as render
from cogs.repair._access import followup_locale, reader, thread_locale
from cogs.repair._buttons import ReflectionButton, RepairButton, control_view, followup_view, review_view
from cogs.repair._posting import fetch_thread
from cogs.repair._submissions import register_forms, unregister_forms

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

#: What the bot needs in the channel to open a private repair thread, with the names Discord shows.
THREAD_PERMISSIONS = ("view_channel", "create_private_threads", "send_messages_in_threads", "embed_links")


def missing_thread_permissions(permissions: discord.Permissions) -> list[str]:
    return missing_permissions(permissions, THREAD_PERMISSIONS)


class DiscordRepairPoster:
    """Posts the follow-up in the repair's thread (the one thing a repair does later, on a timer)."""

    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    async def post_followup(self, repair: Repair) -> int | None:
        thread = await fetch_thread(self.bot, repair.thread_id)
        if thread is None:
            return None
        locale = await followup_locale(self.bot, repair)
        message = await thread.send(
            content=render.followup_content(repair, locale),
            view=followup_view(repair, locale),
            allowed_mentions=mention_users(*repair.people),
            nonce=message_nonce("rf", repair.id),
        )
        return message.id


class CommitmentBridge:
    """Proposes "what I'll do differently" through the commitments feature, when it is loaded."""

    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    async def __call__(
        self, *, guild_id: int, owner_id: int, text: str, source_url: str | None, source_channel_id: int | None
    ) -> tuple[int, int] | None:
        from bot.commitments.service import CommitmentService

        try:
            commitments = self.bot.service(CommitmentService)
        except LookupError:
            log.warning("commitments are not loaded; a repair's commitment was not proposed")
            return None
        proposed = await commitments.propose(
            guild_id=guild_id,
            owner_id=owner_id,
            creator_id=owner_id,
            text=text,
            due=None,
            source_kind="repair",
            source_url=source_url,
            source_channel_id=source_channel_id,
        )
        return proposed.id, proposed.number


@app_commands.guild_only()
class Repairs(commands.GroupCog, group_name="repair", group_description="Talk a disagreement through, privately."):
    settings = app_commands.Group(name="settings", description="How repairs work in this server.")

    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        if not hasattr(self.bot, "db"):
            return  # loaded without set-up (e.g. to list commands)
        service = RepairService(
            RepairRepo(self.bot.db), self.bot.clock, self.bot.jobs, DiscordRepairPoster(self.bot),
            CommitmentBridge(self.bot),
            scope=self.bot.shard_scope,
            dispatcher=self.bot.dispatcher,
        )
        self.bot.register_service(service)
        self.bot.add_dynamic_items(RepairButton, ReflectionButton)
        register_forms(self.bot.forms)
        orphans = await service.clean_up_orphans()
        cut_short = await service.reconcile_shares()
        if cut_short:
            log.info("%d repair share(s) cut short will resume on the next press", cut_short)
        log.info("%d repair(s) without a thread removed", orphans)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(RepairButton, ReflectionButton)
        unregister_forms(self.bot.forms)

    @property
    def service(self) -> RepairService:
        return self.bot.service(RepairService)

    # -- /repair start -----------------------------------------------------------------------------------
    @app_commands.command(name="start", description="Open a private thread to talk a disagreement through.")
    @app_commands.rename(partner="with")
    @app_commands.describe(
        partner="The person you'd like to talk it through with.",
        topic="A few words on what it's about (optional; it names the private thread).",
        mediator="Someone both of you trust to help (optional).",
        followup="Days after closing before I ask how things are: 1 to 60 (default 7).",
    )
    async def start(
        self,
        interaction: discord.Interaction[Rapport],
        partner: discord.Member,
        topic: str | None = None,
        mediator: discord.Member | None = None,
        followup: int = FOLLOWUP_DEFAULT,
    ) -> None:
        member = guild_member(interaction)
        channel = interaction.channel
        check_people(
            member.id, partner.id, partner_is_bot=partner.bot,
            mediator_id=mediator.id if mediator else None, mediator_is_bot=bool(mediator and mediator.bot),
        )
        check_followup_days(followup)
        if not isinstance(channel, discord.TextChannel):
            raise BadInput("Start a repair from a regular text channel: I open a private thread there.")
        for person in (partner, mediator):
            if person is not None and not channel.permissions_for(person).view_channel:
                raise BadInput(
                    "{person} can't see {channel}, so they couldn't join a private thread here. Start the repair "
                    "in a channel you can all see.",
                    person=person.mention, channel=channel.mention,
                )
        missing = missing_thread_permissions(interaction.app_permissions)
        if len(missing) == 1:
            raise NotAllowed(
                "I need the {permission} permission in {channel} to open a private repair thread. A server admin "
                "can grant it to my role, then try again.",
                permission=missing[0], channel=channel.mention,
            )
        if missing:
            raise NotAllowed(
                "I need the {permissions} permissions in {channel} to open a private repair thread. A server "
                "admin can grant them to my role, then try again.",
                permissions=", ".join(missing), channel=channel.mention,
            )
        safety = SafetyRepo(self.bot.db)
        await safety.require_not_blocked(member.guild.id, partner.id, member.id)
        if mediator is not None:
            await safety.require_not_blocked(member.guild.id, mediator.id, member.id)
        await self.service.check_request(  # refusals first: a refused request uses no turn
            guild_id=member.guild.id, starter_id=member.id, partner_id=partner.id, partner_is_bot=partner.bot,
            mediator_id=mediator.id if mediator else None, mediator_is_bot=bool(mediator and mediator.bot),
            topic=topic, followup_days=followup,
        )
        await safety.take(member.guild.id, member.id, "repair", self.bot.clock.now())
        repair = await self.service.begin(
            guild_id=member.guild.id,
            channel_id=channel.id,
            starter_id=member.id,
            partner_id=partner.id,
            partner_is_bot=partner.bot,
            mediator_id=mediator.id if mediator else None,
            mediator_is_bot=bool(mediator and mediator.bot),
            topic=topic,
            followup_days=followup,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        shared = await thread_locale(self.bot, repair)
        thread: discord.Thread | None = None
        try:
            thread = await channel.create_thread(
                name=render.thread_name(repair.topic, member.display_name, partner.display_name, shared),
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=10080,
                reason="A repair conversation",
            )
            people = [member.id, partner.id] + ([mediator.id] if mediator else [])
            for user_id in people:
                await thread.add_user(discord.Object(user_id))
            managers = await self.service.managers_can_view(member.guild.id)
            control = await thread.send(
                content=" ".join(who(uid) for uid in people),
                embed=render.intro_embed(repair, managers, shared),
                view=control_view(repair, shared),
                allowed_mentions=mention_users(*people),
            )
        except Exception:
            await self.service.abandon(repair)
            if thread is not None:
                with contextlib.suppress(discord.HTTPException):
                    await thread.delete()
            raise
        await self.service.attach_thread(repair, thread.id, control.id)
        locale = reader(interaction)
        if mediator is not None:
            opened = t(
                locale,
                "I opened {thread}, a private thread for you and {partner} with {mediator}. Nothing in it is "
                "shared without both of you agreeing.",
                thread=thread.mention, partner=partner.mention, mediator=mediator.mention,
            )
        else:
            opened = t(
                locale,
                "I opened {thread}, a private thread for you and {partner}. Nothing in it is shared without both "
                "of you agreeing.",
                thread=thread.mention, partner=partner.mention,
            )
        await interaction.followup.send(
            opened,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    # -- /repair close -----------------------------------------------------------------------------------
    async def _repair_here(self, interaction: discord.Interaction[Rapport]) -> Repair:
        member = guild_member(interaction)
        if isinstance(interaction.channel, discord.Thread):
            here = await self.service.by_thread(interaction.channel.id)
            if here is not None:
                return here
        active = await self.service.active_for(member.guild.id, member.id)
        if len(active) == 1:
            return active[0]
        if not active:
            raise UserFacingError("You have no repair in progress here.")
        raise BadInput("You have more than one repair in progress: run `/repair close` inside its thread.")

    @app_commands.command(name="close", description="Draft a written summary of the repair for both to approve.")
    @app_commands.describe(note="Anything you agreed together, added to the summary (optional).")
    async def close(self, interaction: discord.Interaction[Rapport], note: str | None = None) -> None:
        # Acknowledge first: fetching the thread and posting in it can take longer than Discord's three seconds.
        await interaction.response.defer(ephemeral=True, thinking=True)
        repair = await self._repair_here(interaction)
        shared = await thread_locale(self.bot, repair)
        repair, _ = await self.service.request_close(repair, interaction.user.id, note, shared)
        thread = await fetch_thread(self.bot, repair.thread_id)
        if thread is None:
            raise UserFacingError(
                "I saved the request to wrap up, but I can't reach this repair's thread any more to ask for the "
                "review."
            )
        first, second = repair.people
        await thread.send(
            content=t(
                shared,
                "{person} would like to wrap up. I drafted a written summary. {first} and {second}: please review "
                "it privately and approve it if it's right. It's posted here only when both of you approve, and "
                "shared nowhere else without both of you agreeing again.",
                person=who(interaction.user.id), first=who(first), second=who(second),
            ),
            view=review_view(repair, shared),
            allowed_mentions=mention_users(first, second),
        )
        await interaction.followup.send(
            t(reader(interaction), "I drafted the summary and asked you both to review it in {thread}.",
              thread=thread.mention),
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )

    # -- /repair end -------------------------------------------------------------------------------------
    @app_commands.command(name="end", description="End a repair now, without a summary (asks to confirm).")
    async def end(self, interaction: discord.Interaction[Rapport]) -> None:
        repair = await self._repair_here(interaction)
        self.service.require_person(repair, interaction.user.id, "end it")
        self.service.require_active(repair)
        locale = reader(interaction)
        view = ConfirmView(interaction.user.id, confirm_label=t(locale, "End the repair"))
        view.cancel.label = t(locale, "Cancel")
        await interaction.response.send_message(
            t(
                locale,
                "End this repair now? Nothing is summarised or shared, no follow-up is asked, and the thread stays "
                "as it is. You can start a new repair later.",
            ),
            view=view, ephemeral=True, allowed_mentions=NO_MENTIONS,
        )
        await view.wait()
        if view.value is not True:
            if view.value is None:
                await interaction.edit_original_response(
                    content=t(locale, "Nothing changed: the repair goes on."), view=None
                )
            return
        repair = await self.service.end(repair, interaction.user.id)
        await interaction.edit_original_response(content=t(locale, "Ended. Nothing from it was shared."), view=None)
        thread = await fetch_thread(self.bot, repair.thread_id)
        if thread is not None:
            try:
                await thread.send(
                    t(
                        await thread_locale(self.bot, repair),
                        "{person} ended this repair. Nothing from it is summarised or shared.",
                        person=who(interaction.user.id),
                    ),
                    allowed_mentions=NO_MENTIONS,
                )
            except discord.HTTPException:
                log.warning("could not post the end of repair %s in its thread", repair.id)

    # -- /repair list ------------------------------------------------------------------------------------
    @app_commands.command(name="list", description="Your repairs and where each one stands (only you see this).")
    async def list_(self, interaction: discord.Interaction[Rapport]) -> None:
        member = guild_member(interaction)
        found = await Viewer(self.bot, member).visible(
            await self.service.list_for(member.guild.id, member.id), lambda pair: pair[0].subject
        )
        locale = reader(interaction)
        if not found:
            await send_ephemeral(interaction, t(locale, "You have no repairs in this server."))
            return
        lines = []
        for repair, progress in found:
            where, state = f"<#{repair.thread_id}>", state_label(repair, progress, locale)
            if repair.is_person(member.id):
                line = t(locale, "**#{id}** with {person} in {thread}: {state}", id=repair.id,
                         person=who(repair.other(member.id)), thread=where, state=state)
            else:
                first, second = repair.people
                line = t(locale, "**#{id}** between {first} and {second} (you mediate) in {thread}: {state}",
                         id=repair.id, first=who(first), second=who(second), thread=where, state=state)
            lines.append(line)
        await send_pages(interaction, embeds_from_lines(t(locale, "Your repairs"), lines, colour=WARM_COLOUR))

    # -- /repair settings managers-can-view --------------------------------------------------------------
    @settings.command(name="managers-can-view", description="Whether server managers may check on repairs.")
    @app_commands.describe(
        allowed="on: managers may check a repair's progress (never its content); off (default): not."
    )
    async def managers_can_view(self, interaction: discord.Interaction[Rapport], allowed: Literal["on", "off"]) -> None:
        member = guild_member(interaction)
        require_manage_server(interaction)
        await self.service.set_managers_can_view(member.guild.id, allowed == "on")
        locale = reader(interaction)
        text = (
            t(locale, "Managers (Manage Server or the manager role) may now check where a repair stands.")
            if allowed == "on"
            else t(locale, "Only the people in a repair (and its mediator) may press its buttons.")
        )
        await send_ephemeral(interaction, f"{text}\n{render.who_sees_thread(locale)}")
