"""``/commit``: add, list, show and change commitments. A thin adapter over :class:`CommitmentService`."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.permissions import guild_member
from bot.adapter.render import NO_MENTIONS
from bot.adapter.ui import send_pages
from bot.adapter.visibility import Viewer
from bot.commitments.models import Commitment, ListFilter
from bot.commitments.service import CommitmentService
from bot.errors import BadInput, NotAllowed, ObjectNotFound
from bot.i18n import t
from bot.markup import clean_user_text, shorten, when
from bot.safety import MAX_PENDING_PROPOSALS, SafetyRepo
from bot.timezones import resolve_local
from cogs.commitments import _render as render
from cogs.commitments._access import actor_is_manager
from cogs.commitments._buttons import CommitmentButton, buttons_view
from cogs.commitments._forms import register_forms, unregister_forms
from cogs.commitments._notifier import DiscordNotifier

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

StatusChoice = Literal["open", "done", "dropped", "all"]
WhenChoice = Literal["overdue", "this-week", "all"]


async def own_open_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    """The caller's own open commitments in this server whose number or text matches, with a snippet."""
    if interaction.guild_id is None:
        return []
    bot = cast("Rapport", interaction.client)
    found = await bot.service(CommitmentService).search_own_open(interaction.guild_id, interaction.user.id, current)
    choices = []
    for c in found[:25]:
        snippet = " ".join(c.text.split())
        choices.append(app_commands.Choice(name=shorten(f"{c.label} · {snippet}", 100), value=str(c.number)))
    return choices


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


@app_commands.guild_only()
class Commitments(commands.GroupCog, group_name="commit", group_description="Commitments the group keeps."):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        if not hasattr(self.bot, "db"):
            # Loaded without set-up (e.g. to list commands): there is no database to serve.
            return
        service = CommitmentService(
            self.bot.db,
            self.bot.prefs,
            self.bot.clock,
            self.bot.jobs,
            DiscordNotifier(self.bot),
            default_timezone=self.bot.settings.default_timezone,
            scope=self.bot.shard_scope,
            dispatcher=self.bot.dispatcher,
        )
        self.bot.register_service(service)
        self.bot.add_dynamic_items(CommitmentButton)
        register_forms(self.bot.forms)
        await service.reconcile()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CommitmentButton)
        unregister_forms(self.bot.forms)

    @property
    def service(self) -> CommitmentService:
        return self.bot.service(CommitmentService)

    async def _find(self, interaction: discord.Interaction[Rapport], typed: str) -> tuple[Commitment, bool]:
        member = guild_member(interaction)
        commitment = await self.service.lookup(member.guild.id, typed)
        # Private (made in a repair), or from a channel the member cannot read: to them it does not exist.
        if not await Viewer(self.bot, member).may_see(commitment.subject):
            raise ObjectNotFound("I couldn't find commitment #{number} in this server.", number=commitment.number)
        return commitment, await actor_is_manager(interaction, commitment)

    async def _zone_name(self, user_id: int, guild_id: int) -> str:
        return (await self.service.zone_for(user_id, guild_id)).key

    # -- add ---------------------------------------------------------------------------------------------
    @app_commands.command(name="add", description="Commit to something, for yourself or (proposed) for someone else.")
    @app_commands.describe(
        what="What you (or they) will do, up to 300 characters.",
        due="When, in the owner's time: tomorrow 5pm, fri, in 3 days, 2026-12-01 17:00. A date alone means 17:00.",
        owner="Who will do it (default: you). Someone else is asked to accept first.",
    )
    async def add(
        self,
        interaction: discord.Interaction[Rapport],
        what: app_commands.Range[str, 1, 300],
        due: str | None = None,
        owner: discord.Member | None = None,
    ) -> None:
        member = guild_member(interaction)
        owner_id = owner.id if owner is not None else member.id
        if owner is not None and owner.bot:
            raise BadInput("Bots can't keep commitments; pick a person.")
        if owner is not None and owner.guild.id != member.guild.id:
            raise BadInput("Pick someone from this server.")
        due_at = None
        if due is not None and due.strip():
            due_at = await self.service.read_due(due, owner_id=owner_id, guild_id=member.guild.id)
        if owner_id != member.id:
            safety = SafetyRepo(self.bot.db)
            await safety.require_not_blocked(member.guild.id, owner_id, member.id)
            if await self.service.pending_between(member.guild.id, member.id, owner_id) >= MAX_PENDING_PROPOSALS:
                raise NotAllowed(
                    "You already have {count} proposals waiting for them. Let them answer those "
                    "first (`/commit list member:` shows them).",
                    count=MAX_PENDING_PROPOSALS,
                )
            await safety.take(member.guild.id, member.id, "propose", self.bot.clock.now())
        channel_id = interaction.channel_id
        source = render.channel_link(member.guild.id, channel_id) if channel_id else None
        zone_name = await self._zone_name(owner_id, member.guild.id)
        if owner_id == member.id:
            commitment = await self.service.add(
                guild_id=member.guild.id,
                owner_id=owner_id,
                text=what,
                due=due_at,
                source_kind="manual",
                source_url=source,
                source_channel_id=channel_id,
            )
            text = render.added_text(commitment, zone_name, _locale(interaction))
        else:
            # Acknowledge first: asking the owner may take a DM round-trip and a fallback.
            await interaction.response.defer(ephemeral=True, thinking=True)
            commitment, delivery = await self.service.propose_with_delivery(
                guild_id=member.guild.id,
                owner_id=owner_id,
                creator_id=member.id,
                text=what,
                due=due_at,
                source_kind="manual",
                source_url=source,
                source_channel_id=channel_id,
            )
            text = render.proposed_text(commitment, delivery, zone_name, _locale(interaction))
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    # -- list and show -----------------------------------------------------------------------------------
    @app_commands.command(name="list", description="List commitments, sorted by due time.")
    @app_commands.describe(
        member="Whose commitments (default: yours).",
        status="open (default), done, dropped or all.",
        when="overdue, this-week (due this week, your time) or all (default).",
    )
    async def list_(
        self,
        interaction: discord.Interaction[Rapport],
        member: discord.Member | None = None,
        status: StatusChoice = "open",
        when: WhenChoice = "all",
    ) -> None:
        caller = guild_member(interaction)
        target = member or caller
        now = self.bot.clock.now()
        statuses: tuple[str, ...] = () if status == "all" else (status,)
        due_from: datetime | None = None
        due_before: datetime | None = None
        if when == "overdue":
            if status not in ("open", "all"):
                raise BadInput("Only open commitments can be overdue: use `status: open` with `when: overdue`.")
            statuses, due_before = ("open",), now
        elif when == "this-week":
            zone = await self.service.zone_for(caller.id, caller.guild.id)
            today = now.astimezone(zone).date()
            monday = today - timedelta(days=today.weekday())
            due_from = resolve_local(datetime.combine(monday, datetime.min.time()), zone)
            due_before = resolve_local(datetime.combine(monday + timedelta(days=7), datetime.min.time()), zone)
        found = await self.service.find(
            ListFilter(
                caller.guild.id, target.id, statuses, due_before=due_before, due_from=due_from, viewer_id=caller.id
            )
        )
        found = await Viewer(self.bot, caller).visible(found, lambda c: c.subject)
        locale = _locale(interaction)
        whose = None if target.id == caller.id else clean_user_text(target.display_name, 60)
        title = render.list_title(locale, whose, status, when)
        if not found:
            await interaction.response.send_message(
                t(locale, "{title}: nothing here.", title=title), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await send_pages(interaction, render.list_pages(title, found, show_owner=False, locale=locale))

    @app_commands.command(name="show", description="Show a commitment: owner, due time, source and history.")
    @app_commands.describe(id="The commitment's number, like 12 (pick from the list).")
    @app_commands.autocomplete(id=own_open_autocomplete)
    async def show(self, interaction: discord.Interaction[Rapport], id: str) -> None:
        commitment, _ = await self._find(interaction, id)
        events, nudges = await self.service.history(commitment)
        locale = _locale(interaction)
        embeds = render.show_embeds(commitment, events, nudges, locale)
        user_id = interaction.user.id
        view: discord.ui.View | None = None
        if commitment.status == "proposed" and user_id == commitment.owner_id:
            view = buttons_view(commitment, ["accept", "decline"], locale)
        kwargs: dict[str, Any] = {"view": view} if view is not None else {}
        await interaction.response.send_message(
            embeds=embeds[:10], ephemeral=True, allowed_mentions=NO_MENTIONS, **kwargs
        )

    # -- changes -----------------------------------------------------------------------------------------
    @app_commands.command(name="done", description="Mark a commitment done.")
    @app_commands.describe(id="The commitment's number, like 12 (pick from the list).", note="An optional note.")
    @app_commands.autocomplete(id=own_open_autocomplete)
    async def done(
        self, interaction: discord.Interaction[Rapport], id: str, note: app_commands.Range[str, 1, 300] | None = None
    ) -> None:
        commitment, manager = await self._find(interaction, id)
        updated, celebrate = await self.service.done(
            commitment, actor_id=interaction.user.id, actor_is_manager=manager, note=note
        )
        locale = _locale(interaction)
        change = t(locale, "done. Thank you for following through!")
        if celebrate:
            change += " " + t(locale, "I'll share the good news in its channel.")
        # Reply first (the change is saved); the celebration may wait on Discord's rate limits.
        await interaction.response.send_message(
            render.changed_text(updated, change),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        if celebrate:
            await self.service.celebrate(updated)

    @app_commands.command(name="snooze", description="Hold the reminders for a commitment until a later time.")
    @app_commands.describe(
        id="The commitment's number, like 12 (pick from the list).",
        until="When to remind you again, your time: tomorrow 9am, mon, in 2 days.",
    )
    @app_commands.autocomplete(id=own_open_autocomplete)
    async def snooze(self, interaction: discord.Interaction[Rapport], id: str, until: str) -> None:
        commitment, manager = await self._find(interaction, id)
        self.service.require_may_change(commitment, interaction.user.id, manager)
        self.service.require_open(commitment)
        at = await self.service.read_until(until, user_id=interaction.user.id, guild_id=commitment.guild_id)
        updated = await self.service.snooze(
            commitment, actor_id=interaction.user.id, actor_is_manager=manager, until=at
        )
        await interaction.response.send_message(
            render.changed_text(
                updated,
                t(_locale(interaction), "no reminders until {when}; the due date stays as it is.", when=when(at)),
            ),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="renegotiate", description="Agree a new due date; the old one stays in the history.")
    @app_commands.describe(
        id="The commitment's number, like 12 (pick from the list).",
        due="The new due time, in the owner's time: fri 5pm, in 3 days, 2026-12-01 17:00.",
        note="Optional: what changed.",
    )
    @app_commands.autocomplete(id=own_open_autocomplete)
    async def renegotiate(
        self,
        interaction: discord.Interaction[Rapport],
        id: str,
        due: str,
        note: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        commitment, manager = await self._find(interaction, id)
        self.service.require_may_change(commitment, interaction.user.id, manager)
        self.service.require_open(commitment)
        at = await self.service.read_due(due, owner_id=commitment.owner_id, guild_id=commitment.guild_id)
        updated = await self.service.renegotiate(
            commitment, actor_id=interaction.user.id, actor_is_manager=manager, due=at, note=note
        )
        await interaction.response.send_message(
            render.changed_text(
                updated,
                t(_locale(interaction), "new due date {when}. Renegotiating early is a kindness.", when=when(at)),
            ),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="drop", description="Drop a commitment that no longer makes sense.")
    @app_commands.describe(id="The commitment's number, like 12 (pick from the list).", reason="An optional reason.")
    @app_commands.autocomplete(id=own_open_autocomplete)
    async def drop(
        self,
        interaction: discord.Interaction[Rapport],
        id: str,
        reason: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        commitment, manager = await self._find(interaction, id)
        updated = await self.service.drop(
            commitment, actor_id=interaction.user.id, actor_is_manager=manager, reason=reason
        )
        await interaction.response.send_message(
            render.changed_text(updated, t(_locale(interaction), "dropped. No more reminders about it.")),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
