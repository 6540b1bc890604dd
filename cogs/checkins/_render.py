"""Embeds and text for check-ins: the prompt, the digest, list, show and history. Nothing here pings anyone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.adapter.render import BRAND_COLOUR, WARM_COLOUR, embeds_from_lines
from bot.checkins.digest import Digest
from bot.checkins.models import MOOD_LABELS, CheckIn, HistoryEntry, Run, RunCounts
from bot.checkins.service import Upcoming
from bot.checkins.templates import TEMPLATES
from bot.markup import clean_user_text, shorten, timestamp, when
from bot.timeparse import format_duration

THREAD_NAME_LIMIT = 100


def escape_name(name: str) -> str:
    return discord.utils.escape_markdown(clean_user_text(name))


def local_text(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local:%a %d %b %H:%M} {zone.key}"


def prompt_embed(run: Run, zone: ZoneInfo) -> discord.Embed:
    lines = [f"**{n}.** {clean_user_text(q)}" for n, q in enumerate(run.questions, start=1)]
    if run.mood:
        mood = "There's an optional mood choice from 1 to 5"
        mood += "; only the average is ever shared." if run.anonymous_mood else "."
        lines += ["", mood]
    lines += ["", f"Answers close {timestamp(run.closes_at, 'R')} ({timestamp(run.closes_at, 't')})."]
    if run.late:
        lines.append(f"_Posted late: I was offline at {timestamp(run.scheduled_at, 'f')}._")
    embed = discord.Embed(
        title=shorten(f"{run.name}" + (" (posted late)" if run.late else ""), 256),
        description="\n".join(lines),
        colour=BRAND_COLOUR,
    )
    embed.set_footer(text="Answer with the button; answers are shared in the thread when the check-in closes.")
    return embed


def thread_name(run: Run, zone: ZoneInfo) -> str:
    local = run.scheduled_at.astimezone(zone)
    return shorten(f"{run.name} · {local:%a %d %b}", THREAD_NAME_LIMIT)


def digest_embed(digest: Digest) -> discord.Embed:
    embed = discord.Embed(title=digest.title, description=digest.description, colour=BRAND_COLOUR)
    for name, value in digest.fields:
        embed.add_field(name=name, value=value, inline=False)
    return embed


def schedule_text(checkin: CheckIn) -> str:
    return f"{checkin.recurrence.describe()} ({checkin.timezone})"


def status_text(checkin: CheckIn) -> str:
    if checkin.paused:
        return f"⏸ Paused: {checkin.pause_reason}" if checkin.pause_reason else "⏸ Paused by a manager"
    return "Active"


def list_lines(items: Sequence[tuple[CheckIn, list[Upcoming]]], viewer_zone: ZoneInfo) -> list[str]:
    lines: list[str] = []
    for checkin, upcoming in items:
        lines.append(f"**{escape_name(checkin.name)}** (id {checkin.id}) in <#{checkin.channel_id}>")
        lines.append(schedule_text(checkin))
        if checkin.paused:
            lines.append(status_text(checkin))
        else:
            following = [u for u in upcoming if not u.skipped]
            if upcoming and upcoming[0].skipped:
                lines.append(f"Next run of {timestamp(upcoming[0].at, 'f')} is skipped.")
            if following:
                at = following[0].at
                lines.append(f"Next: {timestamp(at, 'f')} ({local_text(at, viewer_zone)})")
        lines.append("")
    return lines


def list_embeds(items: Sequence[tuple[CheckIn, list[Upcoming]]], viewer_zone: ZoneInfo) -> list[discord.Embed]:
    if not items:
        return [discord.Embed(
            title="Check-ins",
            description="No check-ins here yet. A manager can start one with `/checkin create`.",
            colour=BRAND_COLOUR,
        )]
    return embeds_from_lines("Check-ins", list_lines(items, viewer_zone), footer=f"Times in {viewer_zone.key}")


def _run_line(counts: RunCounts) -> str:
    run = counts.run
    at = timestamp(run.scheduled_at, "f")
    extra = " (extra)" if run.kind == "extra" else ""
    late = " (late)" if run.late else ""
    if run.status in ("open", "closed"):
        state = "open" if run.status == "open" else "closed"
        skipped = f", {counts.skipped} skipped" if counts.skipped else ""
        return f"{at}{extra}{late}: {state}, {counts.answered} answered{skipped}"
    if run.status == "failed":
        return f"{at}{extra}: not posted ({run.failure or 'failed'})"
    names = {"missed": "missed while offline", "skipped": "skipped", "cancelled": "cancelled", "posting": "posting"}
    return f"{at}{extra}: {names.get(run.status, run.status)}"


def show_embed(checkin: CheckIn, upcoming: list[Upcoming], recent: list[RunCounts]) -> discord.Embed:
    embed = discord.Embed(title=shorten(f"{checkin.name} (id {checkin.id})", 256), colour=BRAND_COLOUR)
    embed.add_field(name="Channel", value=f"<#{checkin.channel_id}>", inline=True)
    embed.add_field(name="Status", value=shorten(status_text(checkin), 1024), inline=True)
    embed.add_field(name="Schedule", value=schedule_text(checkin), inline=False)
    template = TEMPLATES.get(checkin.template)
    questions = "\n".join(f"{n}. {clean_user_text(q)}" for n, q in enumerate(checkin.questions, start=1))
    title = f"Questions ({template.title} template)" if template else "Questions (custom)"
    embed.add_field(name=title, value=shorten(questions, 1024), inline=False)
    role = f"<@&{checkin.participants_role_id}>" if checkin.participants_role_id else "whoever answers recent runs"
    embed.add_field(name="Participants", value=role, inline=True)
    embed.add_field(name="Answers open for", value=format_duration(checkin.window), inline=True)
    remind = "off" if checkin.remind_before is None else f"{format_duration(checkin.remind_before)} before the close"
    embed.add_field(name="Reminder", value=remind, inline=True)
    mood = "off" if not checkin.mood else ("on, anonymous (average only)" if checkin.anonymous_mood else "on")
    embed.add_field(name="Mood", value=mood, inline=True)
    if upcoming:
        nexts = [f"{timestamp(u.at, 'f')}" + (" (skipped)" if u.skipped else "") for u in upcoming]
        embed.add_field(name="Next runs", value="\n".join(nexts), inline=False)
    embed.add_field(
        name="Last runs", value="\n".join(_run_line(c) for c in recent) if recent else "None yet.", inline=False
    )
    return embed


def created_text(checkin: CheckIn, upcoming: list[datetime]) -> str:
    runs = "\n".join(f"• {when(at)}" for at in upcoming)
    return (
        f"Created **{escape_name(checkin.name)}** (id {checkin.id}) in <#{checkin.channel_id}>: "
        f"{schedule_text(checkin)}.\nThe next runs:\n{runs}"
    )


def history_embeds(checkin: CheckIn, entries: Sequence[HistoryEntry], names: dict[int, str],
                   viewer_id: int) -> list[discord.Embed]:
    if not entries:
        return [discord.Embed(title=shorten(f"{checkin.name}: answers", 256),
                              description="No answers yet.", colour=BRAND_COLOUR)]
    lines: list[str] = []
    for entry in entries:
        run, answer = entry.run, entry.answer
        head = f"**{timestamp(run.scheduled_at, 'D')}** · {names.get(answer.user_id, 'a former member')}"
        if answer.mood is not None and (not run.anonymous_mood or answer.user_id == viewer_id):
            head += f" · mood {answer.mood}/5 ({MOOD_LABELS[answer.mood]})"
        lines.append(head)
        if answer.source == "thread":
            lines.append(clean_user_text(answer.answers[0] if answer.answers else ""))
        else:
            for question, text in zip(run.questions, answer.answers, strict=False):
                if text.strip():
                    lines.append(f"__{clean_user_text(question)}__")
                    lines.append(clean_user_text(text))
        lines.append("")
    return embeds_from_lines(f"{checkin.name}: answers", lines, colour=WARM_COLOUR)
