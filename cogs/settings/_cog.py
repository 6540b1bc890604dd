from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.autocomplete import timezone_autocomplete
from bot.adapter.permissions import guild_member, require_manage_server
from bot.adapter.render import BRAND_COLOUR, NO_MENTIONS
from bot.adapter.translator import LANGUAGE_CHOICES, chosen_locale
from bot.adapter.visibility import missing_permissions
from bot.commitments.policy import MAX_REMIND_BEFORE, MIN_REMIND_BEFORE, NudgePolicy, describe_policy
from bot.commitments.service import CommitmentService
from bot.datarights.retention import CATEGORIES, describe_days, last_run, parse_days, retention_of, set_retention
from bot.db.preferences import GuildSettings
from bot.errors import BadInput, UserFacingError
from bot.i18n import SHIPPED, number, t
from bot.timeparse import parse_duration
from bot.timezones import get_zone

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

def missing_text(locale: str | None, mode: str) -> str:
    """What check-in digests show about members who didn't answer, in the reader's language."""
    texts = {
        "count": t(locale, "a plain count of members not heard from"),
        "names": t(locale, "the names of members not heard from (no pings)"),
        "off": t(locale, "nothing about who didn't answer"),
    }
    return texts[mode]


def on_off(locale: str | None, on: bool) -> str:
    return t(locale, "on") if on else t(locale, "off")

FEEDBACK_NEEDED = ("view_channel", "send_messages", "embed_links")


def settings_embed(settings: GuildSettings, default_timezone: str, locale: str | None = None) -> discord.Embed:
    embed = discord.Embed(title=t(locale, "Server settings"), colour=BRAND_COLOUR)
    zone = settings.timezone or t(locale, "{zone} (default)", zone=default_timezone)
    embed.add_field(name=t(locale, "Time zone"), value=zone, inline=False)
    role = (
        f"<@&{settings.manager_role_id}>" if settings.manager_role_id
        else t(locale, "not set (Manage Server only)")
    )
    embed.add_field(name=t(locale, "Manager role"), value=role, inline=False)
    embed.add_field(
        name=t(locale, "Check-in digests show"), value=missing_text(locale, settings.checkin_missing), inline=False
    )
    embed.add_field(name=t(locale, "Celebrate kept commitments"), value=on_off(locale, settings.celebrate),
                    inline=False)
    feedback = f"<#{settings.feedback_channel_id}>" if settings.feedback_channel_id else t(locale, "not set")
    embed.add_field(name=t(locale, "Feedback channel"), value=feedback, inline=False)
    language = SHIPPED[settings.channel_locale]
    if settings.locale is None:
        language = t(locale, "{language} (the server's preferred language in Discord)", language=language)
    embed.add_field(name=t(locale, "Language of posts in channels"), value=language, inline=False)
    return embed


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ServerSettings(commands.GroupCog, group_name="settings", group_description="Rapport's settings for this server."):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        super().__init__()

    async def _reply(self, interaction: discord.Interaction[Rapport], text: str, settings: GuildSettings) -> None:
        await interaction.response.send_message(
            text,
            embed=settings_embed(settings, self.bot.settings.default_timezone, _locale(interaction)),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="show", description="Show this server's Rapport settings.")
    async def show(self, interaction: discord.Interaction[Rapport]) -> None:
        member = guild_member(interaction)
        settings = await self.bot.prefs.guild(member.guild.id)
        locale = _locale(interaction)
        embed = settings_embed(settings, self.bot.settings.default_timezone, locale)
        embed.add_field(
            name=t(locale, "Data kept"), value=await self._retention_text(member.guild.id, locale), inline=False
        )
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _retention_text(self, guild_id: int, locale: str | None = None) -> str:
        kept = await retention_of(self.bot.db, guild_id)
        lines = [f"{c.label.text(locale)}: {describe_days(kept[c.key], locale)}" for c in CATEGORIES]
        run = await last_run(self.bot.db, guild_id)
        if run is None:
            lines.append(t(locale, "Last purge: not run yet (daily, 03:30 UTC)"))
        else:
            at, counts = run
            removed = ", ".join(
                f"{number(locale, n)} {kind.replace('_', ' ')}" for kind, n in sorted(counts.items())
            ) or t(locale, "nothing")
            lines.append(
                t(locale, "Last purge {when}: removed {removed}", when=f"<t:{int(at.timestamp())}:R>", removed=removed)
            )
        return "\n".join(lines)[:1024]

    @app_commands.command(name="retention", description="How many days Rapport keeps each kind of data here.")
    @app_commands.describe(
        checkin_answers="Days to keep check-in answers (default 365), or forever, or default.",
        closed_commitments="Days to keep done, dropped or declined commitments (default 365).",
        summaries="Days to keep summaries and drafts (default 365).",
        repairs="Days to keep the content of closed repairs (default 180).",
        clarifications="Days to keep answered clarification requests (default 90).",
        feedback="Days to keep feedback votes, notes and posts (default 365).",
    )
    async def retention(
        self,
        interaction: discord.Interaction[Rapport],
        checkin_answers: str | None = None,
        closed_commitments: str | None = None,
        summaries: str | None = None,
        repairs: str | None = None,
        clarifications: str | None = None,
        feedback: str | None = None,
    ) -> None:
        member = guild_member(interaction)
        given = {
            "checkin_answers": checkin_answers, "closed_commitments": closed_commitments, "summaries": summaries,
            "repairs": repairs, "clarifications": clarifications, "feedback": feedback,
        }
        changes: dict[str, int | None] = {}
        if any(v is not None for v in given.values()):
            require_manage_server(interaction)
            for key, text in given.items():
                if text is None:
                    continue
                try:
                    changes[key] = parse_days(text[:40])
                except ValueError:
                    raise BadInput(
                        "{option}: give a number of days from 1 to 3650, `forever` or `default`.",
                        option=key.replace("_", " "),
                    ) from None
            await set_retention(self.bot.db, member.guild.id, changes, now=self.bot.clock.now())
        locale = _locale(interaction)
        embed = discord.Embed(title=t(locale, "Data kept in this server"), colour=BRAND_COLOUR,
                              description=await self._retention_text(member.guild.id, locale))
        await interaction.response.send_message(
            t(locale, "Saved.") if changes else "", embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name="timezone", description="Set the server's time zone, used when a member has none.")
    @app_commands.describe(timezone="An IANA time zone such as Europe/London or America/New_York.")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def timezone(self, interaction: discord.Interaction[Rapport], timezone: str) -> None:
        require_manage_server(interaction)
        zone = get_zone(timezone)
        settings = await self.bot.prefs.update_guild(interaction.guild_id or 0, self.bot.clock.now(), timezone=zone.key)
        await self._reply(
            interaction, t(_locale(interaction), "Server time zone set to **{zone}**.", zone=zone.key), settings
        )

    @app_commands.command(name="manager-role", description="Choose the role that may manage check-ins and commitments.")
    @app_commands.describe(role="Members with this role can manage check-ins and others' commitments.")
    async def manager_role(self, interaction: discord.Interaction[Rapport], role: discord.Role) -> None:
        require_manage_server(interaction)
        if role.guild.id != interaction.guild_id:
            raise BadInput("That role belongs to another server.")
        if role.is_default():
            raise BadInput("Pick a specific role rather than @everyone.")
        settings = await self.bot.prefs.update_guild(role.guild.id, self.bot.clock.now(), manager_role_id=role.id)
        await self._reply(
            interaction, t(_locale(interaction), "Manager role set to {role}.", role=role.mention), settings
        )

    @app_commands.command(
        name="checkin-missing", description="What check-in digests say about members who didn't answer."
    )
    @app_commands.describe(mode="count (default): a plain number; names: list names without pinging; off: nothing.")
    async def checkin_missing(
        self, interaction: discord.Interaction[Rapport], mode: Literal["count", "names", "off"]
    ) -> None:
        require_manage_server(interaction)
        settings = await self.bot.prefs.update_guild(
            interaction.guild_id or 0, self.bot.clock.now(), checkin_missing=mode
        )
        locale = _locale(interaction)
        text = t(locale, "Check-in digests will show {what}.", what=missing_text(locale, mode))
        await self._reply(interaction, text, settings)

    @app_commands.command(name="celebrate", description="Whether kept commitments get a short celebration.")
    @app_commands.describe(enabled="on: post a short, ping-free celebration when a commitment is done.")
    async def celebrate(self, interaction: discord.Interaction[Rapport], enabled: Literal["on", "off"]) -> None:
        require_manage_server(interaction)
        settings = await self.bot.prefs.update_guild(
            interaction.guild_id or 0, self.bot.clock.now(), celebrate=enabled == "on"
        )
        locale = _locale(interaction)
        text = t(locale, "Celebrations are on.") if enabled == "on" else t(locale, "Celebrations are off.")
        await self._reply(interaction, text, settings)

    @app_commands.command(
        name="language", description="The language of check-in prompts, digests and other posts here."
    )
    @app_commands.describe(language="auto follows the server's preferred language in Discord (Server Settings).")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(self, interaction: discord.Interaction[Rapport], language: str) -> None:
        require_manage_server(interaction)
        chosen = chosen_locale(language)
        settings = await self.bot.prefs.update_guild(interaction.guild_id or 0, self.bot.clock.now(), locale=chosen)
        text = t(
            str(interaction.locale),
            "Posts in this server's channels will be in {language}.",
            language=SHIPPED[settings.channel_locale],
        )
        await self._reply(interaction, text, settings)

    @app_commands.command(name="feedback-channel", description="Choose the channel where /feedback is posted.")
    @app_commands.describe(channel="Feedback sent with /feedback (named or anonymous) is posted here.")
    async def feedback_channel(self, interaction: discord.Interaction[Rapport], channel: discord.TextChannel) -> None:
        require_manage_server(interaction)
        if channel.guild.id != interaction.guild_id:
            raise BadInput("That channel belongs to another server.")
        if missing_permissions(channel.permissions_for(channel.guild.me), FEEDBACK_NEEDED):
            raise BadInput(
                "I can't post in {channel}: I need View Channel, Send Messages and Embed Links there.",
                channel=channel.mention,
            )
        settings = await self.bot.prefs.update_guild(
            channel.guild.id, self.bot.clock.now(), feedback_channel_id=channel.id
        )
        text = t(
            _locale(interaction), "Feedback sent with `/feedback` will be posted in {channel}.", channel=channel.mention
        )
        await self._reply(interaction, text, settings)

    @app_commands.command(name="nudges", description="How Rapport reminds people about their commitments.")
    @app_commands.describe(
        before="Reminder ahead of the due time, e.g. 24h (default) or 2h, or off.",
        overdue="How many kind nudges after the due time, 0-6 (1 day, then 2, 4, then weekly). Default 6.",
        escalation="on: after two unanswered DMs, one gentle mention in the commitment's channel. Default off.",
    )
    async def nudges(
        self,
        interaction: discord.Interaction[Rapport],
        before: str | None = None,
        overdue: app_commands.Range[int, 0, 6] | None = None,
        escalation: Literal["on", "off"] | None = None,
    ) -> None:
        member = guild_member(interaction)
        try:
            service = self.bot.service(CommitmentService)
        except LookupError:
            raise UserFacingError("Commitments are not available right now.") from None
        policy = await service.policy(member.guild.id)
        if before is None and overdue is None and escalation is None:
            await interaction.response.send_message(
                describe_policy(policy, _locale(interaction)), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        require_manage_server(interaction)
        remind_before = policy.remind_before
        if before is not None:
            remind_before = parse_duration(
                before, minimum=MIN_REMIND_BEFORE, maximum=MAX_REMIND_BEFORE, allow_off=True, what="reminder time"
            )
        updated = NudgePolicy(
            remind_before=remind_before,
            overdue_limit=policy.overdue_limit if overdue is None else overdue,
            escalate=policy.escalate if escalation is None else escalation == "on",
        )
        await service.set_policy(member.guild.id, updated)
        locale = _locale(interaction)
        await interaction.response.send_message(
            t(locale, "Saved. {policy}", policy=describe_policy(updated, locale)), ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
