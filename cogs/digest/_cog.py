from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.autocomplete import timezone_autocomplete
from bot.adapter.permissions import guild_member, require_manager
from bot.adapter.render import NO_MENTIONS
from bot.adapter.visibility import missing_permissions
from bot.commitments.service import CommitmentService
from bot.digest.schedule import DAY_NAMES, describe
from bot.digest.service import DigestService
from bot.digest.sources import CommitmentStatsProvider, DigestSources
from bot.errors import BadInput
from bot.i18n import CATALOG_FOLDERS, ENGLISH, resolve, t
from bot.markup import timestamp
from bot.scheduling.recurrence import Recurrence
from cogs.digest._embed import digest_embed, digest_files
from cogs.digest._poster import NEEDED, DiscordDigestPoster, channel_problem

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


def day_names(locale: str | None) -> list[str]:
    """The weekdays, Monday first, as the reader's language writes them."""
    code = resolve(locale)
    if code == ENGLISH:
        return [name.capitalize() for name in DAY_NAMES]
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=CATALOG_FOLDERS[code])
    return [str(names[index])[:1].upper() + str(names[index])[1:] for index in range(7)]


async def day_autocomplete(interaction: discord.Interaction[Rapport], current: str) -> list[app_commands.Choice[str]]:
    typed = current.strip().lower()[:20]
    shown = day_names(_locale(interaction))
    choices = [app_commands.Choice(name=local, value=name) for name, local in zip(DAY_NAMES, shown, strict=True)]
    return [c for c in choices if c.value.startswith(typed) or c.name.lower().startswith(typed)] or choices


@app_commands.guild_only()
class Digest(commands.GroupCog, group_name="digest", group_description="The weekly \"progress together\" digest."):
    """Anyone may preview; configuring and turning off need Manage Server or the manager role (checked in code,
    so no default permissions hide the commands from members with the manager role)."""

    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        if not hasattr(self.bot, "db"):
            # Loaded without set-up (e.g. to list commands): there is no database to serve.
            return
        sources = DigestSources(self.bot.db, commitments=self._commitments)
        self.service = DigestService(
            self.bot.db,
            self.bot.prefs,
            self.bot.clock,
            self.bot.jobs,
            sources,
            DiscordDigestPoster(self.bot),
            self.bot.settings.default_timezone,
            scope=self.bot.shard_scope,
            dispatcher=self.bot.dispatcher,
        )
        self.bot.register_service(self.service)

    def _commitments(self) -> CommitmentStatsProvider | None:
        """The commitments service's counts when it is loaded (looked up at use: cogs load in any order)."""
        try:
            return self.bot.service(CommitmentService)
        except LookupError:
            return None

    async def _schedule_line(self, guild_id: int, locale: str) -> str:
        schedule = await self.service.schedule_of(guild_id)
        if schedule is None:
            return t(locale, "No weekly digest is set up yet: a manager can start one with `/digest configure`.")
        rec = Recurrence.from_text(schedule.schedule)
        return t(
            locale,
            "The digest is posted in {channel} {when} ({timezone}); next {next}.",
            channel=f"<#{schedule.channel_id}>",
            when=describe(rec, locale),
            timezone=schedule.timezone,
            next=timestamp(schedule.next_run_at, "F"),
        )

    @app_commands.command(name="configure", description="Post the weekly digest in a channel, on a day and time.")
    @app_commands.describe(
        channel="The channel the digest is posted in.",
        day="The day of the week, e.g. monday or fri.",
        time="The local time, e.g. 09:00 or 5pm.",
        timezone="An IANA time zone such as Europe/London (default: the server's).",
    )
    @app_commands.autocomplete(day=day_autocomplete, timezone=timezone_autocomplete)
    async def configure(
        self,
        interaction: discord.Interaction[Rapport],
        channel: discord.TextChannel,
        day: str,
        time: str,
        timezone: str | None = None,
    ) -> None:
        member = guild_member(interaction)
        await require_manager(interaction, self.bot.prefs, "set up the weekly digest")
        if channel.guild.id != member.guild.id:
            raise BadInput("Pick a channel in this server.")
        problem = channel_problem(channel)
        if problem is not None:
            raise BadInput(
                "I need {permissions} in {channel} to post the digest there. Nothing was changed.",
                permissions=", ".join(missing_permissions(channel.permissions_for(channel.guild.me), NEEDED)),
                channel=channel.mention,
            )
        configured = await self.service.configure(
            guild_id=member.guild.id,
            channel_id=channel.id,
            day=day,
            time=time,
            timezone=timezone,
            actor_id=member.id,
        )
        upcoming = ", ".join(timestamp(at, "F") for at in configured.upcoming)
        locale = _locale(interaction)
        await interaction.response.send_message(
            t(
                locale,
                "The weekly digest will be posted in {channel} {when} ({timezone}). Next: {upcoming}.",
                channel=channel.mention,
                when=describe(configured.recurrence, locale),
                timezone=configured.schedule.timezone,
                upcoming=upcoming,
            )
            + "\n"
            + t(
                locale,
                "It shows counts only (never names) for the last 7 days against the week before. "
                "Use `/digest preview` to see it now.",
            ),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="off", description="Stop posting the weekly digest in this server.")
    async def off(self, interaction: discord.Interaction[Rapport]) -> None:
        member = guild_member(interaction)
        await require_manager(interaction, self.bot.prefs, "turn off the weekly digest")
        await self.service.turn_off(member.guild.id)
        await interaction.response.send_message(
            t(
                _locale(interaction),
                "The weekly digest is off. Nothing else changed; `/digest configure` starts it again.",
            ),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(
        name="preview", description="See the weekly digest as of the start of today (managers; only you see it)."
    )
    async def preview(self, interaction: discord.Interaction[Rapport]) -> None:
        member = guild_member(interaction)
        await require_manager(interaction, self.bot.prefs, "preview the digest")
        await interaction.response.defer(ephemeral=True, thinking=True)
        locale = _locale(interaction)
        digest = await self.service.preview(member.guild.id, locale)
        await interaction.followup.send(
            t(locale, "Preview, only for you: the digest as of the start of today (never live numbers).")
            + "\n"
            + await self._schedule_line(member.guild.id, locale),
            embed=digest_embed(digest),
            files=digest_files(digest),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
