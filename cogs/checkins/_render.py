"""Embeds and text for check-ins: the prompt, the digest, list, show and history. Nothing here pings anyone.

Every function takes the reader's ``locale``: the member's for a reply, the server's channel language for what
is posted in a channel. Names, managers' questions and members' answers stay as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.adapter.render import BRAND_COLOUR, WARM_COLOUR, embeds_from_lines
from bot.checkins.digest import Digest, mood_label
from bot.checkins.models import CheckIn, HistoryEntry, Run, RunCounts
from bot.checkins.service import Upcoming
from bot.checkins.templates import question_text, template_title
from bot.checkins.wording import in_language, reason_text
from bot.i18n import CATALOG_FOLDERS, ENGLISH, resolve, t, tn
from bot.markup import clean_user_text, shorten, timestamp, when
from bot.timeparse import format_duration

THREAD_NAME_LIMIT = 100


def escape_name(name: str) -> str:
    return discord.utils.escape_markdown(clean_user_text(name))


def _local(at: datetime, zone: ZoneInfo, pattern: str, locale: str | None) -> str:
    """A local date in the reader's language (Babel's CLDR names: ``Tue 01 Dec``, ``Di., 01. Dez.``)."""
    from babel.dates import format_datetime

    code = resolve(locale)
    local = at.astimezone(zone)
    if code == ENGLISH:
        return local.strftime({"EEE dd MMM HH:mm": "%a %d %b %H:%M", "EEE dd MMM": "%a %d %b"}[pattern])
    return format_datetime(local, pattern, tzinfo=zone, locale=CATALOG_FOLDERS[code])


def local_text(at: datetime, zone: ZoneInfo, locale: str | None = ENGLISH) -> str:
    return f"{_local(at, zone, 'EEE dd MMM HH:mm', locale)} {zone.key}"


def prompt_embed(run: Run, zone: ZoneInfo, locale: str | None = ENGLISH) -> discord.Embed:
    lines = [f"**{n}.** {clean_user_text(question_text(locale, q))}" for n, q in enumerate(run.questions, start=1)]
    if run.mood:
        if run.anonymous_mood:
            mood = t(locale, "There's an optional mood choice from 1 to 5; only the average is ever shared.")
        else:
            mood = t(locale, "There's an optional mood choice from 1 to 5.")
        lines += ["", mood]
    lines += ["", t(locale, "Answers close {relative} ({time}).", relative=timestamp(run.closes_at, "R"),
                    time=timestamp(run.closes_at, "t"))]
    if run.late:
        lines.append(t(locale, "_Posted late: I was offline at {when}._", when=timestamp(run.scheduled_at, "f")))
    title = t(locale, "{name} (posted late)", name=run.name) if run.late else run.name
    embed = discord.Embed(title=shorten(title, 256), description="\n".join(lines), colour=BRAND_COLOUR)
    embed.set_footer(
        text=t(locale, "Answer with the button; answers are shared in the thread when the check-in closes.")
    )
    return embed


def thread_name(run: Run, zone: ZoneInfo, locale: str | None = ENGLISH) -> str:
    return shorten(f"{run.name} · {_local(run.scheduled_at, zone, 'EEE dd MMM', locale)}", THREAD_NAME_LIMIT)


def digest_embed(digest: Digest) -> discord.Embed:
    embed = discord.Embed(title=digest.title, description=digest.description, colour=BRAND_COLOUR)
    for name, value in digest.fields:
        embed.add_field(name=name, value=value, inline=False)
    return embed


def schedule_text(checkin: CheckIn, locale: str | None = None) -> str:
    return f"{checkin.recurrence.describe(locale)} ({checkin.timezone})"


def status_text(checkin: CheckIn, locale: str | None = ENGLISH) -> str:
    if checkin.paused:
        if checkin.pause_reason:
            return "⏸ " + t(locale, "Paused: {reason}", reason=reason_text(locale, checkin.pause_reason))
        return "⏸ " + t(locale, "Paused by a manager")
    return t(locale, "Active")


def list_lines(items: Sequence[tuple[CheckIn, list[Upcoming]]], viewer_zone: ZoneInfo,
               locale: str | None = ENGLISH) -> list[str]:
    lines: list[str] = []
    for checkin, upcoming in items:
        lines.append(t(locale, "**{name}** (id {id}) in {channel}", name=escape_name(checkin.name), id=checkin.id,
                       channel=f"<#{checkin.channel_id}>"))
        lines.append(schedule_text(checkin, locale))
        if checkin.paused:
            lines.append(status_text(checkin, locale))
        else:
            following = [u for u in upcoming if not u.skipped]
            if upcoming and upcoming[0].skipped:
                lines.append(t(locale, "Next run of {when} is skipped.", when=timestamp(upcoming[0].at, "f")))
            if following:
                at = following[0].at
                lines.append(t(locale, "Next: {when} ({local})", when=timestamp(at, "f"),
                               local=local_text(at, viewer_zone, locale)))
        lines.append("")
    return lines


def list_embeds(items: Sequence[tuple[CheckIn, list[Upcoming]]], viewer_zone: ZoneInfo,
                locale: str | None = ENGLISH) -> list[discord.Embed]:
    title = t(locale, "Check-ins")
    if not items:
        return [discord.Embed(
            title=title,
            description=t(locale, "No check-ins here yet. A manager can start one with `/checkin create`."),
            colour=BRAND_COLOUR,
        )]
    return embeds_from_lines(title, list_lines(items, viewer_zone, locale),
                             footer=t(locale, "Times in {zone}", zone=viewer_zone.key))


def _run_line(counts: RunCounts, locale: str | None = ENGLISH) -> str:
    run = counts.run
    at = timestamp(run.scheduled_at, "f")
    extra = " " + t(locale, "(extra)") if run.kind == "extra" else ""
    late = " " + t(locale, "(late)") if run.late else ""
    if run.status in ("open", "closed"):
        answered = tn(locale, "{n} answered", "{n} answered", counts.answered)
        skipped = ", " + tn(locale, "{n} skipped", "{n} skipped", counts.skipped) if counts.skipped else ""
        state = t(locale, "open") if run.status == "open" else t(locale, "closed")
        return f"{at}{extra}{late}: {state}, {answered}{skipped}"
    if run.status == "failed":
        why = reason_text(locale, run.failure) if run.failure else t(locale, "failed")
        return f"{at}{extra}: " + t(locale, "not posted ({reason})", reason=why)
    names = {
        "missed": t(locale, "missed while offline"),
        "skipped": t(locale, "skipped"),
        "cancelled": t(locale, "cancelled"),
        "posting": t(locale, "posting"),
    }
    return f"{at}{extra}: {names.get(run.status, run.status)}"


def show_embed(checkin: CheckIn, upcoming: list[Upcoming], recent: list[RunCounts],
               locale: str | None = ENGLISH) -> discord.Embed:
    title = shorten(t(locale, "{name} (id {id})", name=checkin.name, id=checkin.id), 256)
    embed = discord.Embed(title=title, colour=BRAND_COLOUR)
    embed.add_field(name=t(locale, "Channel"), value=f"<#{checkin.channel_id}>", inline=True)
    embed.add_field(name=t(locale, "Status"), value=shorten(status_text(checkin, locale), 1024), inline=True)
    embed.add_field(name=t(locale, "Schedule"), value=schedule_text(checkin, locale), inline=False)
    template = template_title(locale, checkin.template)
    questions = "\n".join(
        f"{n}. {clean_user_text(question_text(locale, q))}" for n, q in enumerate(checkin.questions, start=1)
    )
    if template:
        heading = t(locale, "Questions ({template} template)", template=template)
    else:
        heading = t(locale, "Questions (custom)")
    embed.add_field(name=heading, value=shorten(questions, 1024), inline=False)
    if checkin.participants_role_id:
        role = f"<@&{checkin.participants_role_id}>"
    else:
        role = t(locale, "whoever answers recent runs")
    embed.add_field(name=t(locale, "Participants"), value=role, inline=True)
    embed.add_field(name=t(locale, "Answers open for"), value=format_duration(checkin.window), inline=True)
    if checkin.remind_before is None:
        remind = t(locale, "off")
    else:
        remind = t(locale, "{duration} before the close", duration=format_duration(checkin.remind_before))
    embed.add_field(name=t(locale, "Reminder"), value=remind, inline=True)
    if not checkin.mood:
        mood = t(locale, "off")
    elif checkin.anonymous_mood:
        mood = t(locale, "on, anonymous (average only)")
    else:
        mood = t(locale, "on")
    embed.add_field(name=t(locale, "Mood"), value=mood, inline=True)
    if upcoming:
        skipped = " " + t(locale, "(skipped)")
        nexts = [f"{timestamp(u.at, 'f')}" + (skipped if u.skipped else "") for u in upcoming]
        embed.add_field(name=t(locale, "Next runs"), value="\n".join(nexts), inline=False)
    embed.add_field(
        name=t(locale, "Last runs"),
        value="\n".join(_run_line(c, locale) for c in recent) if recent else t(locale, "None yet."),
        inline=False,
    )
    return embed


def created_text(checkin: CheckIn, upcoming: list[datetime], locale: str | None = ENGLISH) -> str:
    runs = "\n".join(f"• {when(at)}" for at in upcoming)
    return t(
        locale,
        "Created **{name}** (id {id}) in {channel}: {schedule}.\nThe next runs:\n{runs}",
        name=escape_name(checkin.name), id=checkin.id, channel=f"<#{checkin.channel_id}>",
        schedule=schedule_text(checkin, locale), runs=runs,
    )


def history_embeds(checkin: CheckIn, entries: Sequence[HistoryEntry], names: dict[int, str],
                   viewer_id: int, locale: str | None = ENGLISH) -> list[discord.Embed]:
    title = shorten(t(locale, "{name}: answers", name=checkin.name), 256)
    if not entries:
        return [discord.Embed(title=title, description=t(locale, "No answers yet."), colour=BRAND_COLOUR)]
    former = t(locale, "a former member")
    lines: list[str] = []
    for entry in entries:
        run, answer = entry.run, entry.answer
        head = f"**{timestamp(run.scheduled_at, 'D')}** · {names.get(answer.user_id, former)}"
        if answer.mood is not None and (not run.anonymous_mood or answer.user_id == viewer_id):
            head += " · " + t(locale, "mood {mood}/5 ({label})", mood=answer.mood,
                              label=mood_label(locale, answer.mood))
        lines.append(head)
        if answer.source == "thread":
            lines.append(clean_user_text(answer.answers[0] if answer.answers else ""))
        else:
            for question, text in zip(run.questions, answer.answers, strict=False):
                if text.strip():
                    lines.append(f"__{clean_user_text(question_text(locale, question))}__")
                    lines.append(clean_user_text(text))
        lines.append("")
    return embeds_from_lines(title, lines, colour=WARM_COLOUR)


#: What ``/checkin edit`` changed, as :meth:`bot.checkins.management.CheckinManager.edit` names it.
CHANGES = frozenset((
    t(ENGLISH, "name"), t(ENGLISH, "channel"), t(ENGLISH, "time zone"), t(ENGLISH, "schedule"),
    t(ENGLISH, "answer window"), t(ENGLISH, "reminder"), t(ENGLISH, "mood"), t(ENGLISH, "anonymous mood"),
    t(ENGLISH, "questions"), t(ENGLISH, "participants"),
))


def changed_text(locale: str | None, change: str) -> str:
    return in_language(locale, change) if change in CHANGES else change
