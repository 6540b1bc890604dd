"""How ``/feedback`` looks in the feedback channel, and what the sender is told."""

from __future__ import annotations

import discord

from bot.adapter.render import BRAND_COLOUR
from bot.feedback.models import ServerFeedback
from bot.markup import clean_user_text

ANONYMOUS_FOOTER = "Sent anonymously: Rapport did not record who sent it."


def feedback_embed(feedback: ServerFeedback) -> discord.Embed:
    embed = discord.Embed(title="Feedback", description=clean_user_text(feedback.text), colour=BRAND_COLOUR)
    if feedback.author_id is None:
        embed.set_footer(text=ANONYMOUS_FOOTER)
    else:
        embed.add_field(name="From", value=f"<@{feedback.author_id}>", inline=False)
    return embed


def sent_reply(feedback: ServerFeedback, channel_mention: str) -> str:
    if feedback.anonymous:
        return (
            f"Sent to {channel_mention} anonymously. Rapport stored no record of who sent it (not your name, "
            "not your id), and the post doesn't show it."
        )
    return f"Sent to {channel_mention} with your name. Thank you for saying it."
