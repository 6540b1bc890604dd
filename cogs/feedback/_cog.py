from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.feedback_buttons import FeedbackButton, MissingNoteForm, register_note_form
from bot.adapter.permissions import guild_member
from bot.adapter.render import NO_MENTIONS
from bot.adapter.visibility import missing_permissions
from bot.errors import BadInput
from bot.feedback.models import MAX_FEEDBACK
from bot.feedback.service import FeedbackService
from bot.markup import shorten
from cogs.feedback import _render as render

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

NEEDED = ("view_channel", "send_messages", "embed_links")


def _postable(channel: object) -> discord.TextChannel | discord.Thread | None:
    return channel if isinstance(channel, discord.TextChannel | discord.Thread) else None


class Feedback(commands.Cog):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # The buttons carry their state in their custom_id: registering the class once serves every message.
        self.bot.add_dynamic_items(FeedbackButton)
        if not hasattr(self.bot, "db"):
            # Loaded without set-up (e.g. to list commands): there is no database to serve.
            return
        self.service = FeedbackService(self.bot.db, self.bot.prefs, self.bot.clock)
        self.bot.register_service(self.service)
        register_note_form(self.bot.forms)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(FeedbackButton)
        self.bot.forms.unregister(MissingNoteForm.kind)

    @app_commands.command(name="feedback", description="Send feedback to this server's feedback channel.")
    @app_commands.describe(
        text="Your feedback for the group or its organisers.",
        anonymous="True: your name is neither shown nor stored anywhere. Default: sent with your name.",
    )
    @app_commands.guild_only()
    async def feedback(
        self,
        interaction: discord.Interaction[Rapport],
        text: app_commands.Range[str, 1, MAX_FEEDBACK],
        anonymous: bool = False,
    ) -> None:
        member = guild_member(interaction)
        # Acknowledge before the channel post: Discord allows three seconds for the first response.
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel_id = await self.service.feedback_channel_id(member.guild.id)
        channel = _postable(member.guild.get_channel_or_thread(channel_id))
        if channel is None:
            raise BadInput(
                "The feedback channel no longer exists, so nothing was sent. Someone with Manage Server can "
                "choose another with `/settings feedback-channel`."
            )
        perms = channel.permissions_for(member.guild.me)
        missing = missing_permissions(perms, NEEDED)
        if missing:
            raise BadInput(
                "I can't post in {channel} (I need {permissions} there), so nothing was sent. A server admin can fix "
                "my permissions.",
                channel=channel.mention,
                permissions=", ".join(missing),
            )
        stored = await self.service.submit(
            guild_id=member.guild.id, author_id=member.id, text=text, anonymous=anonymous
        )
        # The post is in the server's language; the sender's reply in theirs.
        channel_locale = (await self.bot.prefs.guild(member.guild.id)).channel_locale
        try:
            message = await channel.send(
                embed=render.feedback_embed(stored, channel_locale), allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException:
            await self.service.discard(stored.id)
            raise BadInput(
                "I couldn't post in {channel}, so nothing was sent or kept. Here is your text, so it isn't lost:\n"
                ">>> {text}",
                channel=channel.mention,
                text=shorten(stored.text, 1500),
            ) from None
        await self.service.posted(stored.id, message.id)
        await interaction.followup.send(
            render.sent_reply(stored, channel.mention, str(interaction.locale)),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
