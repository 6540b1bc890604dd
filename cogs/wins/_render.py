"""How wins look: the celebration embed and the ``/wins`` list. Member text is always made inert."""

from __future__ import annotations

import discord

from bot.adapter.render import WARM_COLOUR
from bot.markup import clean_user_text, mention, shorten, timestamp
from bot.wins.models import PERIOD_NAMES, Win, WinsReport


def celebration_embed(win: Win, member_name: str | None, author_name: str) -> discord.Embed:
    who = member_name if member_name is not None else "the team"
    embed = discord.Embed(
        title=shorten(f"🎉 A win for {who}!", 256), description=clean_user_text(win.text), colour=WARM_COLOUR
    )
    embed.set_footer(text=shorten(f"Shared by {author_name} with /win", 2048))
    return embed


def celebration_content(member_id: int | None) -> str | None:
    """The only mention in a celebration: the celebrated member (nobody at all for a team win)."""
    return None if member_id is None else f"🎉 {mention(member_id)}"


def report_title(report: WinsReport) -> str:
    return f"Wins in {PERIOD_NAMES[report.period]}"


def report_lines(report: WinsReport) -> list[str]:
    """Mentions inside embeds never ping; text is still neutralised so it reads as written."""
    lines: list[str] = []
    if report.wins:
        lines.append(f"**Shared with /win ({len(report.wins)})**")
        for win in report.wins:
            who = f"{mention(win.member_id)}" if win.member_id is not None else "The team"
            link = f" · [jump]({win.jump_url})" if win.jump_url else ""
            lines.append(
                f"🎉 {timestamp(win.created_at, 'd')} {who}: {clean_user_text(win.text, 300)} "
                f"· shared by {mention(win.author_id)}{link}"
            )
    if report.kept:
        if lines:
            lines.append("")
        lines.append(f"**Commitments kept ({len(report.kept)})**")
        for kept in report.kept:
            lines.append(
                f"✅ {timestamp(kept.closed_at, 'd')} #{kept.number} {mention(kept.owner_id)}: "
                f"{clean_user_text(kept.text, 300)}"
            )
    if not lines:
        lines.append(f"Nothing yet in {PERIOD_NAMES[report.period]}. Celebrate something with `/win`!")
    return lines
