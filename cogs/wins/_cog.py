from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.access import Subject
from bot.adapter.permissions import guild_member
from bot.adapter.render import NO_MENTIONS, embeds_from_lines, mention_users
from bot.adapter.ui import send_pages
from bot.adapter.visibility import Viewer
from bot.digest.sources import DigestSources
from bot.errors import BadInput
from bot.safety import SafetyRepo
from bot.wins.models import MAX_WIN_TEXT
from bot.wins.service import WinService, clean_win_text
from cogs.wins import _render as render

if TYPE_CHECKING:
    from bot.adapter.client import Rapport


class Wins(commands.Cog):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        if not hasattr(self.bot, "db"):
            # Loaded without set-up (e.g. to list commands): there is no database to serve.
            return
        self.service = WinService(self.bot.db, self.bot.clock, DigestSources(self.bot.db))
        self.bot.register_service(self.service)

    @app_commands.command(name="win", description="Celebrate a win in this channel (mentions only who you celebrate).")
    @app_commands.describe(
        text="What went well, in a sentence or two.",
        member="Who to celebrate (leave empty to celebrate the whole team).",
    )
    @app_commands.guild_only()
    async def win(
        self,
        interaction: discord.Interaction[Rapport],
        text: app_commands.Range[str, 1, MAX_WIN_TEXT],
        member: discord.Member | None = None,
    ) -> None:
        author = guild_member(interaction)
        if member is not None and member.guild.id != author.guild.id:
            raise BadInput("Pick a member of this server.")
        if member is not None and member.bot:  # refusals before the turn is counted
            raise BadInput("Wins are for people: pick a member rather than a bot, or leave `member` empty.")
        clean_win_text(text)
        if member is not None and member.id != author.id:
            await SafetyRepo(self.bot.db).take(author.guild.id, author.id, "win", self.bot.clock.now())
        stored = await self.service.add(
            guild_id=author.guild.id,
            channel_id=interaction.channel_id or 0,
            author_id=author.id,
            text=text,
            member_id=member.id if member is not None else None,
            member_is_bot=member is not None and member.bot,
        )
        # A celebration is posted in the channel for everyone: in the server's language.
        locale = (await self.bot.prefs.guild(author.guild.id)).channel_locale
        embed = render.celebration_embed(
            stored, member.display_name if member is not None else None, author.display_name, locale
        )
        try:
            response = await interaction.response.send_message(
                render.celebration_content(stored.member_id),
                embed=embed,
                allowed_mentions=mention_users(member.id) if member is not None else NO_MENTIONS,
            )
        except discord.HTTPException:
            await self.service.discard(stored.id)
            raise
        message_id = response.message_id
        if message_id is None:
            message_id = (await interaction.original_response()).id
        await self.service.posted(stored.id, message_id)

    @app_commands.command(name="wins", description="Wins and kept commitments from the last week or month (only you).")
    @app_commands.describe(period="week: the last 7 days (default); month: the last 30 days.")
    @app_commands.guild_only()
    async def wins(
        self, interaction: discord.Interaction[Rapport], period: Literal["week", "month"] = "week"
    ) -> None:
        member = guild_member(interaction)
        report = await self.service.report(member.guild.id, period)
        # Only what the member may see: a win or kept commitment from a channel they cannot read is left out.
        viewer = Viewer(self.bot, member)
        wins = await viewer.visible(
            report.wins, lambda w: Subject(w.guild_id, w.channel_id, frozenset({w.author_id, w.member_id or 0}))
        )
        kept = await viewer.visible(
            report.kept,
            lambda k: Subject(member.guild.id, k.source_channel_id, frozenset({k.owner_id, k.creator_id or 0})),
        )
        report = dataclasses.replace(report, wins=tuple(wins), kept=tuple(kept))
        locale = str(interaction.locale)
        pages = embeds_from_lines(render.report_title(report, locale), render.report_lines(report, locale))
        await send_pages(interaction, pages)
