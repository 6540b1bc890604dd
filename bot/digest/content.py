"""What a digest says: a pure function from :class:`DigestStats` to titled lines. No Discord objects.

Counts only: a digest never names anyone, least of all who is late. Every word is in the reader's language
(the server's channel language for a posted digest, the manager's for a preview); numbers are written the
reader's way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.digest.models import MIN_MOOD_GROUP, DigestStats, WeekStats
from bot.i18n import CATALOG_FOLDERS, ENGLISH, number, resolve, t, tn


def chart_caption(locale: str | None = None) -> str:
    """The chart's description (alt text) in the reader's language."""
    return t(
        locale,
        "Daily average mood over the last 4 weeks, with the number of answers per day. Days with fewer than "
        "{minimum} answers are left out.",
        minimum=MIN_MOOD_GROUP,
    )


CHART_CAPTION = chart_caption()


@dataclass(frozen=True, slots=True)
class DigestContent:
    title: str
    acknowledgement: str
    fields: tuple[tuple[str, str], ...]
    footer: str
    with_chart: bool
    chart_caption: str = CHART_CAPTION


def babel_locale(locale: str | None) -> str:
    """Babel's name of the reader's shipped locale (``en_US``, ``de``, ``pt_BR``, …)."""
    return CATALOG_FOLDERS.get(resolve(locale), "en_US")


def _before(locale: str | None, value: str) -> str:
    return t(locale, "({value} the week before)", value=value)


def _count(locale: str | None, value: int | None) -> str:
    return number(locale, value or 0)


def _percent(locale: str | None, rate: float | None) -> str:
    if rate is None:
        return "–"
    if resolve(locale) == ENGLISH:
        return f"{round(rate * 100)}%"
    from babel.numbers import format_percent

    return format_percent(round(rate, 2), locale=babel_locale(locale))


def _decimal(locale: str | None, value: float) -> str:
    text = f"{value:.1f}"
    return text if resolve(locale) == ENGLISH else text.replace(".", ",")


def _join(locale: str | None, parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return t(locale, "{items} and {last}", items=", ".join(parts[:-1]), last=parts[-1])


def acknowledgement(week: WeekStats, locale: str | None = None) -> str:
    """A short, warm line about what went well, e.g. "5 commitments kept this week and 2 wins shared."."""
    parts: list[str] = []
    if week.kept:
        parts.append(tn(locale, "{n} commitment kept", "{n} commitments kept", week.kept))
    if week.wins:
        parts.append(tn(locale, "{n} win shared", "{n} wins shared", week.wins))
    if week.clarifications_answered:
        parts.append(
            tn(locale, "{n} question cleared up", "{n} questions cleared up", week.clarifications_answered)
        )
    if week.checkins is not None and week.checkins.held:
        parts.append(tn(locale, "{n} check-in held", "{n} check-ins held", week.checkins.held))
    if week.repairs_followed_up:
        parts.append(tn(locale, "{n} repair followed up", "{n} repairs followed up", week.repairs_followed_up))
    if not parts:
        return t(locale, "A quiet week, and that's fine too. Here's where things stand.")
    parts[0] = t(locale, "{what} this week", what=parts[0])
    text = _join(locale, parts[:3])
    return t(locale, "{summary}. Nice work, everyone.", summary=text[0].upper() + text[1:])


def _checkins(locale: str | None, week: WeekStats, before: WeekStats) -> str | None:
    now, then = week.checkins, before.checkins
    if now is None or then is None:
        return None
    if not now.held and not then.held:
        return t(locale, "None held in the last two weeks.")
    held = t(locale, "**{held}** held {before}", held=_count(locale, now.held),
             before=_before(locale, _count(locale, then.held)))
    rate = t(locale, "Response rate **{rate}** {before}", rate=_percent(locale, now.response_rate),
             before=_before(locale, _percent(locale, then.response_rate)))
    return f"{held}\n{rate}"


def _mood(locale: str | None, stats: DigestStats) -> str | None:
    now, then = stats.this_week.mood, stats.last_week.mood
    if now is None or then is None:
        return None
    if not now.count and not then.count and not any(day.count for day in stats.mood_days):
        return None
    before = "–" if then.average is None else _decimal(locale, then.average)
    if now.average is None:
        line = t(
            locale,
            "Not enough answers this week to share an average (at least {minimum} are needed).",
            minimum=MIN_MOOD_GROUP,
        )
    else:
        line = t(
            locale,
            "Average **{average}** / 5 from {answers} {before}",
            average=_decimal(locale, now.average),
            answers=tn(locale, "{n} answer", "{n} answers", now.count),
            before=_before(locale, before),
        )
    if stats.has_mood_trend:
        line += "\n" + t(locale, "The chart below shows the trend over 4 weeks.")
    return line


def _commitments(locale: str | None, week: WeekStats, before: WeekStats) -> str | None:
    now, then = week.commitments, before.commitments
    if now is None or then is None:
        return None
    this_week = t(
        locale,
        "Opened **{opened}** · Done **{done}** · Renegotiated **{renegotiated}** · Overdue **{overdue}**",
        opened=_count(locale, now.opened), done=_count(locale, now.done),
        renegotiated=_count(locale, now.renegotiated), overdue=_count(locale, now.overdue),
    )
    week_before = t(
        locale,
        "The week before: opened {opened} · done {done} · renegotiated {renegotiated} · overdue {overdue}",
        opened=_count(locale, then.opened), done=_count(locale, then.done),
        renegotiated=_count(locale, then.renegotiated), overdue=_count(locale, then.overdue),
    )
    return f"{this_week}\n{week_before}"


def _wins(locale: str | None, week: WeekStats, before: WeekStats) -> str:
    kept = (
        tn(locale, "**{n} commitment** done", "**{n} commitments** done", week.kept)
        if week.commitments is not None
        else None
    )
    shared = tn(locale, "**{n} win** shared with /win", "**{n} wins** shared with /win", week.wins)
    now = " · ".join(part for part in (kept, shared) if part)
    then = " · ".join(
        part
        for part in (
            tn(locale, "{n} done", "{n} done", before.kept) if before.commitments is not None else None,
            tn(locale, "{n} shared", "{n} shared", before.wins),
        )
        if part
    )
    return f"{now} {_before(locale, then)}"


def _conversations(locale: str | None, week: WeekStats, before: WeekStats) -> str | None:
    lines = []
    if week.clarifications_answered is not None:
        lines.append(
            t(
                locale,
                "Clarifications answered: **{count}** {before}",
                count=_count(locale, week.clarifications_answered),
                before=_before(locale, _count(locale, before.clarifications_answered)),
            )
        )
    if week.repairs_followed_up is not None:
        lines.append(
            t(
                locale,
                "Repairs followed up: **{count}** {before}",
                count=_count(locale, week.repairs_followed_up),
                before=_before(locale, _count(locale, before.repairs_followed_up)),
            )
        )
    return "\n".join(lines) or None


def title(stats: DigestStats, locale: str | None = None) -> str:
    from babel.dates import format_skeleton

    zone = ZoneInfo(stats.zone)
    first = stats.this_week.start.astimezone(zone)
    last = (stats.end - timedelta(seconds=1)).astimezone(zone)
    if resolve(locale) == ENGLISH:
        start, end = f"{first.day} {first:%b}", f"{last.day} {last:%b %Y}"
    else:
        where = babel_locale(locale)
        start, end = format_skeleton("dMMM", first, locale=where), format_skeleton("yMMMd", last, locale=where)
    return t(locale, "Progress together: {first} – {last}", first=start, last=end)


def digest_content(stats: DigestStats, locale: str | None = None) -> DigestContent:
    """The digest's words in the reader's language. Every number is a count; no member is named."""
    week, before = stats.this_week, stats.last_week
    candidates = [
        (t(locale, "Check-ins"), _checkins(locale, week, before)),
        (t(locale, "Mood"), _mood(locale, stats)),
        (t(locale, "Commitments"), _commitments(locale, week, before)),
        (t(locale, "Wins"), _wins(locale, week, before)),
        (t(locale, "Conversations"), _conversations(locale, week, before)),
    ]
    fields = tuple((name, value) for name, value in candidates if value)
    footer = t(
        locale,
        "Counts only, never names. The last 7 days compared with the 7 before; days in {zone}.",
        zone=stats.zone,
    )
    return DigestContent(
        title=title(stats, locale),
        acknowledgement=acknowledgement(week, locale),
        fields=fields,
        footer=footer,
        with_chart=stats.has_mood_trend,
        chart_caption=chart_caption(locale),
    )
