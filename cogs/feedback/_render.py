"""How ``/feedback`` looks in the feedback channel (the server's language), and what the sender is told (theirs)."""

from __future__ import annotations

import discord

from bot.adapter.render import BRAND_COLOUR
from bot.feedback.models import ServerFeedback
from bot.i18n import t
from bot.markup import clean_user_text


def anonymous_footer(locale: str | None = None) -> str:
    return t(locale, "Sent anonymously: Rapport did not record who sent it.")



def feedback_embed(feedback: ServerFeedback, locale: str | None = None) -> discord.Embed:
    embed = discord.Embed(
        title=t(locale, "Feedback"), description=clean_user_text(feedback.text), colour=BRAND_COLOUR
    )
    if feedback.author_id is None:
        embed.set_footer(text=anonymous_footer(locale))
    else:
        embed.add_field(name=t(locale, "From"), value=f"<@{feedback.author_id}>", inline=False)
    return embed


def sent_reply(feedback: ServerFeedback, channel_mention: str, locale: str | None = None) -> str:
    if feedback.anonymous:
        return t(
            locale,
            "Sent to {channel} anonymously. Rapport stored no record of who sent it (not your name, not your id), "
            "and the post doesn't show it.",
            channel=channel_mention,
        )
    return t(locale, "Sent to {channel} with your name. Thank you for saying it.", channel=channel_mention)
