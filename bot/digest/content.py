"""What a digest says: a pure function from :class:`DigestStats` to titled lines. No Discord objects.

Counts only: a digest never names anyone, least of all who is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.digest.models import MIN_MOOD_GROUP, DigestStats, WeekStats

CHART_CAPTION = (
    f"Daily average mood over the last 4 weeks, with the number of answers per day. Days with fewer than "
    f"{MIN_MOOD_GROUP} answers are left out."
)


@dataclass(frozen=True, slots=True)
class DigestContent:
    title: str
    acknowledgement: str
    fields: tuple[tuple[str, str], ...]
    footer: str
    with_chart: bool


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _before(value: str) -> str:
    return f"({value} the week before)"


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def acknowledgement(week: WeekStats) -> str:
    """A short, warm line about what went well, e.g. "5 commitments kept this week and 2 wins shared."."""
    parts: list[str] = []
    if week.kept:
        parts.append(plural(week.kept, "commitment") + " kept")
    if week.wins:
        parts.append(plural(week.wins, "win") + " shared")
    if week.clarifications_answered:
        parts.append(plural(week.clarifications_answered, "question") + " cleared up")
    if week.checkins is not None and week.checkins.held:
        parts.append(plural(week.checkins.held, "check-in") + " held")
    if week.repairs_followed_up:
        parts.append(plural(week.repairs_followed_up, "repair") + " followed up")
    if not parts:
        return "A quiet week, and that's fine too. Here's where things stand."
    parts[0] += " this week"
    text = _join(parts[:3])
    return text[0].upper() + text[1:] + ". Nice work, everyone."


def _checkins(week: WeekStats, before: WeekStats) -> str | None:
    now, then = week.checkins, before.checkins
    if now is None or then is None:
        return None
    if not now.held and not then.held:
        return "None held in the last two weeks."
    return (
        f"**{now.held}** held {_before(str(then.held))}\n"
        f"Response rate **{_percent(now.response_rate)}** {_before(_percent(then.response_rate))}"
    )


def _mood(stats: DigestStats) -> str | None:
    now, then = stats.this_week.mood, stats.last_week.mood
    if now is None or then is None:
        return None
    if not now.count and not then.count and not any(day.count for day in stats.mood_days):
        return None
    before = "–" if then.average is None else f"{then.average:.1f}"
    if now.average is None:
        line = f"Not enough answers this week to share an average (at least {MIN_MOOD_GROUP} are needed)."
    else:
        line = f"Average **{now.average:.1f}** / 5 from {plural(now.count, 'answer')} {_before(before)}"
    if stats.has_mood_trend:
        line += "\nThe chart below shows the trend over 4 weeks."
    return line


def _commitments(week: WeekStats, before: WeekStats) -> str | None:
    now, then = week.commitments, before.commitments
    if now is None or then is None:
        return None
    return (
        f"Opened **{now.opened}** · Done **{now.done}** · Renegotiated **{now.renegotiated}** · "
        f"Overdue **{now.overdue}**\n"
        f"The week before: opened {then.opened} · done {then.done} · renegotiated {then.renegotiated} · "
        f"overdue {then.overdue}"
    )


def _wins(week: WeekStats, before: WeekStats) -> str:
    kept = f"**{plural(week.kept, 'commitment')}** done" if week.commitments is not None else None
    shared = f"**{plural(week.wins, 'win')}** shared with /win"
    now = " · ".join(part for part in (kept, shared) if part)
    then = " · ".join(
        part
        for part in (
            f"{before.kept} done" if before.commitments is not None else None,
            f"{before.wins} shared",
        )
        if part
    )
    return f"{now} {_before(then)}"


def _conversations(week: WeekStats, before: WeekStats) -> str | None:
    lines = []
    if week.clarifications_answered is not None:
        lines.append(
            f"Clarifications answered: **{week.clarifications_answered}** "
            f"{_before(str(before.clarifications_answered or 0))}"
        )
    if week.repairs_followed_up is not None:
        lines.append(
            f"Repairs followed up: **{week.repairs_followed_up}** {_before(str(before.repairs_followed_up or 0))}"
        )
    return "\n".join(lines) or None


def title(stats: DigestStats) -> str:
    zone = ZoneInfo(stats.zone)
    first = stats.this_week.start.astimezone(zone)
    last = (stats.end - timedelta(seconds=1)).astimezone(zone)
    return f"Progress together: {first.day} {first:%b} – {last.day} {last:%b %Y}"


def digest_content(stats: DigestStats) -> DigestContent:
    """The digest's words. Every number is a count; no member is named."""
    week, before = stats.this_week, stats.last_week
    candidates = [
        ("Check-ins", _checkins(week, before)),
        ("Mood", _mood(stats)),
        ("Commitments", _commitments(week, before)),
        ("Wins", _wins(week, before)),
        ("Conversations", _conversations(week, before)),
    ]
    fields = tuple((name, value) for name, value in candidates if value)
    footer = f"Counts only, never names. The last 7 days compared with the 7 before; days in {stats.zone}."
    return DigestContent(
        title=title(stats),
        acknowledgement=acknowledgement(week),
        fields=fields,
        footer=footer,
        with_chart=stats.has_mood_trend,
    )
