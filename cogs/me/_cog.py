from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.autocomplete import timezone_autocomplete
from bot.adapter.permissions import guild_member
from bot.adapter.render import BRAND_COLOUR, NO_MENTIONS
from bot.adapter.translator import LANGUAGE_CHOICES, chosen_locale
from bot.datarights.export import build_export, package
from bot.db.preferences import MemberSettings
from bot.errors import BadInput
from bot.i18n import SHIPPED, t
from bot.markup import clean_user_text, timestamp
from bot.safety import SafetyRepo
from bot.timeparse import parse_away_until, parse_quiet_hours
from bot.timezones import get_zone
from cogs.me._forget import ForgetButton, ask, deliver_outbox

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)


def preferences_embed(
    member: MemberSettings, zone_name: str, zone_is_own: bool, now_away: bool, locale: str | None = None
) -> discord.Embed:
    embed = discord.Embed(title=t(locale, "Your Rapport preferences"), colour=BRAND_COLOUR)
    zone = zone_name if zone_is_own else t(locale, "{zone} (the server's; not set)", zone=zone_name)
    embed.add_field(name=t(locale, "Time zone"), value=zone, inline=False)
    if member.quiet_start and member.quiet_end:
        quiet = t(
            locale,
            "{start}–{end} your time: reminders wait until they end",
            start=f"{member.quiet_start:%H:%M}",
            end=f"{member.quiet_end:%H:%M}",
        )
    else:
        quiet = t(locale, "off")
    embed.add_field(name=t(locale, "Quiet hours"), value=quiet, inline=False)
    if now_away and member.away_until:
        away = t(locale, "until {when}", when=timestamp(member.away_until, "F"))
    else:
        away = t(locale, "no")
    embed.add_field(name=t(locale, "Away"), value=away, inline=False)
    included = t(locale, "no: your messages are left out") if member.summaries_opt_out else t(locale, "yes")
    embed.add_field(name=t(locale, "Included in summaries"), value=included, inline=False)
    chosen = SHIPPED[member.locale] if member.locale in SHIPPED else t(locale, "your Discord language")
    embed.add_field(name=t(locale, "Language of reminders and nudges"), value=chosen, inline=False)
    return embed


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


@app_commands.guild_only()
class MyPreferences(commands.GroupCog, group_name="me", group_description="Your own Rapport preferences."):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        self._outbox_task: asyncio.Task[None] | None = None
        super().__init__()

    async def cog_load(self) -> None:
        if not hasattr(self.bot, "db"):
            return  # loaded without set-up (e.g. to list commands)
        self.bot.add_dynamic_items(ForgetButton)
        # Notices owed from an erasure interrupted by a restart go out once the gateway is ready.
        self._outbox_task = asyncio.create_task(self._deliver_leftovers(), name="data-rights-outbox")

    async def cog_unload(self) -> None:
        if self._outbox_task is not None:
            self._outbox_task.cancel()

    async def _deliver_leftovers(self) -> None:
        try:
            await self.bot.wait_until_ready()
            sent = await deliver_outbox(self.bot)
            if sent:
                log.info("delivered %d data-rights notice(s) left from before the restart", sent)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("data-rights notices could not be delivered")

    async def _zone(self, interaction: discord.Interaction[Rapport], member: MemberSettings) -> tuple[ZoneInfo, bool]:
        if member.timezone:
            return get_zone(member.timezone), True
        name = await self.bot.prefs.member_zone_name(
            member.user_id, interaction.guild_id, self.bot.settings.default_timezone
        )
        return get_zone(name), False

    async def _reply(self, interaction: discord.Interaction[Rapport], text: str, member: MemberSettings) -> None:
        zone, own = await self._zone(interaction, member)
        embed = preferences_embed(member, zone.key, own, member.is_away(self.bot.clock.now()), _locale(interaction))
        await interaction.response.send_message(text, embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="show", description="Show your time zone, quiet hours, away time and summary choice.")
    async def show(self, interaction: discord.Interaction[Rapport]) -> None:
        member = await self.bot.prefs.member(interaction.user.id)
        await self._reply(interaction, "", member)

    @app_commands.command(name="timezone", description="Set your time zone so times and reminders fit your day.")
    @app_commands.describe(timezone="An IANA time zone such as Europe/London or America/New_York.")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def timezone(self, interaction: discord.Interaction[Rapport], timezone: str) -> None:
        zone = get_zone(timezone)
        member = await self.bot.prefs.update_member(interaction.user.id, self.bot.clock.now(), timezone=zone.key)
        text = t(_locale(interaction), "Your time zone is now **{zone}**.", zone=zone.key)
        await self._reply(interaction, text, member)

    @app_commands.command(name="quiet-hours", description="Hours when Rapport holds your reminders (or off).")
    @app_commands.describe(
        start="When quiet hours start, your time, e.g. 22:00 (or off).",
        end="When they end, your time, e.g. 07:30. They may wrap past midnight.",
    )
    async def quiet_hours(self, interaction: discord.Interaction[Rapport], start: str, end: str | None = None) -> None:
        if start.strip().lower() != "off" and end is None:
            raise BadInput("Give both a start and an end, e.g. `start: 22:00 end: 07:00`, or `start: off`.")
        parsed = parse_quiet_hours(start, end or "off")
        now = self.bot.clock.now()
        if parsed is None:
            member = await self.bot.prefs.update_member(interaction.user.id, now, quiet_start=None, quiet_end=None)
            await self._reply(interaction, t(_locale(interaction), "Quiet hours are off."), member)
            return
        quiet_start, quiet_end = parsed
        member = await self.bot.prefs.update_member(
            interaction.user.id, now, quiet_start=quiet_start, quiet_end=quiet_end
        )
        text = t(
            _locale(interaction),
            "Quiet hours set: {start}–{end} your time.",
            start=f"{quiet_start:%H:%M}",
            end=f"{quiet_end:%H:%M}",
        )
        await self._reply(interaction, text, member)

    @app_commands.command(name="away", description="Pause reminders and nudges while you are away (or off).")
    @app_commands.describe(until="When you are back, your time: a date like 2026-12-24 or fri, or off.")
    async def away(self, interaction: discord.Interaction[Rapport], until: str) -> None:
        member = await self.bot.prefs.member(interaction.user.id)
        zone, _ = await self._zone(interaction, member)
        now = self.bot.clock.now()
        back = parse_away_until(until, now=now, zone=zone)
        member = await self.bot.prefs.update_member(interaction.user.id, now, away_until=back)
        if back is None:
            await self._reply(interaction, t(_locale(interaction), "Welcome back: you are no longer away."), member)
        else:
            text = t(
                _locale(interaction),
                "Away until {when}: no reminders or nudges until then.",
                when=timestamp(back, "F"),
            )
            await self._reply(interaction, text, member)

    @app_commands.command(name="summaries", description="Choose whether your messages may appear in summaries.")
    @app_commands.describe(include="on: your messages may be summarised; off: they are always left out.")
    async def summaries(self, interaction: discord.Interaction[Rapport], include: Literal["on", "off"]) -> None:
        member = await self.bot.prefs.update_member(
            interaction.user.id, self.bot.clock.now(), summaries_opt_out=include == "off"
        )
        locale = _locale(interaction)
        text = t(locale, "Your messages may appear in summaries.") if include == "on" else t(
            locale, "Your messages will be left out of every summary from now on."
        )
        await self._reply(interaction, text, member)

    @app_commands.command(name="language", description="The language of what Rapport sends you later.")
    @app_commands.describe(language="auto follows your Discord language; or choose one for reminders and nudges.")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(self, interaction: discord.Interaction[Rapport], language: str) -> None:
        chosen = chosen_locale(language)
        member = await self.bot.prefs.update_member(interaction.user.id, self.bot.clock.now(), locale=chosen)
        if chosen is None:
            text = t(_locale(interaction), "Reminders and nudges will follow your Discord language.")
        else:
            text = t(chosen, "Reminders and nudges will be in {language}.", language=SHIPPED[chosen])
        await self._reply(interaction, text, member)

    # -- blocks ----------------------------------------------------------------------------------------
    @app_commands.command(
        name="block", description="Stop commitment proposals and repair invitations from a member (privately)."
    )
    @app_commands.describe(member="Who you no longer want proposals or repair invitations from. They aren't told.")
    async def block(self, interaction: discord.Interaction[Rapport], member: discord.Member) -> None:
        me = guild_member(interaction)
        if member.guild.id != me.guild.id:
            raise BadInput("Pick a member of this server.")
        if member.bot:
            raise BadInput("Bots don't send proposals; there is nothing to block.")
        new = await SafetyRepo(self.bot.db).block(me.guild.id, me.id, member.id, self.bot.clock.now())
        name = clean_user_text(member.display_name, 60)
        text = (
            t(
                _locale(interaction),
                "Blocked **{name}**: I won't pass on their commitment proposals or repair invitations to you. "
                "They aren't told. `/me unblock` undoes it.",
                name=name,
            )
            if new
            else t(_locale(interaction), "**{name}** was already blocked. `/me unblock` undoes it.", name=name)
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="unblock", description="Allow proposals and repair invitations from a member again.")
    @app_commands.describe(member="Who may send you proposals and repair invitations again.")
    async def unblock(self, interaction: discord.Interaction[Rapport], member: discord.Member) -> None:
        me = guild_member(interaction)
        if member.guild.id != me.guild.id:
            raise BadInput("Pick a member of this server.")
        removed = await SafetyRepo(self.bot.db).unblock(me.guild.id, me.id, member.id)
        name = clean_user_text(member.display_name, 60)
        locale = _locale(interaction)
        text = (
            t(locale, "Unblocked **{name}**.", name=name)
            if removed
            else t(locale, "**{name}** wasn't blocked, so nothing changed.", name=name)
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="data", description="Download everything Rapport keeps about you in this server.")
    async def data(self, interaction: discord.Interaction[Rapport]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        assert interaction.guild_id is not None
        doc = await build_export(self.bot.db, interaction.user.id, [interaction.guild_id], now=self.bot.clock.now())
        # Leave room for the request's own framing under the attachment limit.
        limit = max(4096, interaction.filesize_limit - 4096)
        locale = _locale(interaction)
        files = package(doc, limit=limit, locale=locale)
        intro = t(
            locale, "Everything Rapport keeps about you in this server: JSON (every item) and a short Markdown version."
        )
        if len(files) == 1:
            intro += " " + t(locale, "It was large, so it is zipped.")
        elif files[0].filename.endswith(".001"):
            intro += " " + t(
                locale,
                "It was large, so it is zipped and split into {parts} parts: join them with "
                "`cat rapport-data.zip.* > rapport-data.zip`.",
                parts=len(files),
            )
        # Unzipped, the two files fit one message; zipped parts go one to a message, each under the limit.
        batches = [files] if files[0].filename.endswith(".json") else [[f] for f in files]
        for number, batch in enumerate(batches):
            await interaction.followup.send(
                intro if number == 0 else t(locale, "Part {part} of {parts}.", part=number + 1, parts=len(batches)),
                files=[discord.File(io.BytesIO(f.data), filename=f.filename) for f in batch],
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    @app_commands.command(name="forget", description="Erase what Rapport keeps about you (asks you to confirm first).")
    @app_commands.describe(scope="here: this server only (default); everywhere: every server Rapport keeps data for.")
    async def forget(
        self, interaction: discord.Interaction[Rapport], scope: Literal["here", "everywhere"] = "here"
    ) -> None:
        await ask(self.bot, interaction, "here" if scope == "here" else "all")
