"""How wins look: the celebration embed and the ``/wins`` list. Member text is always made inert.

The celebration is posted in the channel, so it is in the server's language; ``/wins`` answers only the member
who asked, in theirs. Dates are Discord timestamps, shown in each reader's own locale.
"""

from __future__ import annotations

import discord

from bot.adapter.render import WARM_COLOUR
from bot.i18n import t
from bot.markup import clean_user_text, mention, shorten, timestamp
from bot.wins.models import Win, WinsReport


def period_name(period: str, locale: str | None = None) -> str:
    if period == "month":
        return t(locale, "the last 30 days")
    return t(locale, "the last 7 days")


def celebration_embed(win: Win, member_name: str | None, author_name: str, locale: str | None = None) -> discord.Embed:
    if member_name is not None:
        title = "🎉 " + t(locale, "A win for {name}!", name=member_name)
    else:
        title = "🎉 " + t(locale, "A win for the team!")
    embed = discord.Embed(title=shorten(title, 256), description=clean_user_text(win.text), colour=WARM_COLOUR)
    embed.set_footer(text=shorten(t(locale, "Shared by {name} with /win", name=author_name), 2048))
    return embed


def celebration_content(member_id: int | None) -> str | None:
    """The only mention in a celebration: the celebrated member (nobody at all for a team win)."""
    return None if member_id is None else f"🎉 {mention(member_id)}"


def report_title(report: WinsReport, locale: str | None = None) -> str:
    if report.period == "month":
        return t(locale, "Wins in the last 30 days")
    return t(locale, "Wins in the last 7 days")


def report_lines(report: WinsReport, locale: str | None = None) -> list[str]:
    """Mentions inside embeds never ping; text is still neutralised so it reads as written."""
    lines: list[str] = []
    if report.wins:
        lines.append("**" + t(locale, "Shared with /win ({count})", count=len(report.wins)) + "**")
        for win in report.wins:
            who = f"{mention(win.member_id, locale)}" if win.member_id is not None else t(locale, "The team")
            link = " · [" + t(locale, "jump") + f"]({win.jump_url})" if win.jump_url else ""
            shared = t(locale, "shared by {author}", author=mention(win.author_id, locale))
            lines.append(
                f"🎉 {timestamp(win.created_at, 'd')} {who}: {clean_user_text(win.text, 300)} · {shared}{link}"
            )
    if report.kept:
        if lines:
            lines.append("")
        lines.append("**" + t(locale, "Commitments kept ({count})", count=len(report.kept)) + "**")
        for kept in report.kept:
            lines.append(
                f"✅ {timestamp(kept.closed_at, 'd')} #{kept.number} {mention(kept.owner_id, locale)}: "
                f"{clean_user_text(kept.text, 300)}"
            )
    if not lines:
        lines.append(
            t(
                locale,
                "Nothing yet in {period}. Celebrate something with `/win`!",
                period=period_name(report.period, locale),
            )
        )
    return lines
