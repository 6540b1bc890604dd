"""Recurring schedules: parsing, canonical text, and DST-correct occurrence computation.

A schedule is a rule in the wall-clock time of an IANA zone ("weekdays at 09:30 in Europe/London").
Occurrences are computed here, by walking local calendar dates and resolving each scheduled wall time
with :func:`bot.timezones.resolve_local`; APScheduler is only ever handed the next instant. The promise:

* a 09:30 schedule stays 09:30 local across DST changes;
* a wall time that does not exist that day (spring-forward gap) runs once, when the gap ends;
* a wall time that happens twice (fall-back) runs once, the first time;
* so a once-a-day schedule runs exactly once on every scheduled local day, and no instant is ever
  returned twice (two wall times in the same gap, such as 02:00 and 02:30, collapse into one run).

Everything in this module is pure: no clock, no I/O.

Accepted forms (case-insensitive, extra spaces tolerated, an optional ``at`` before the time)::

    daily 09:30                      weekdays 9:30am              weekends 10:00
    mon,wed,fri 17:00                mon wed fri 5pm              every monday 9:00
    every 2 weeks on fri 16:00       every other week on tue,thu 9am
    monthly on 1 at 10:00            monthly on the 31st at 10:00 monthly on last at 10:00
    cron 0 9 * * 1-5

Every-N-weeks schedules need an *anchor*: a week that is "on". The caller passes the local date the
schedule was created (``parse_schedule(text, anchor=...)``); it is normalised to the Monday of its
ISO week and kept in the canonical text (``every 2 weeks on fri 16:00 from 2026-01-05``), so
``Recurrence.from_text(rec.to_text()) == rec``. The rule is purely periodic: the weeks ``k * N`` weeks
away from the anchor week (before or after it) are the "on" weeks. Weeks are counted in local calendar
dates, so DST and year boundaries cannot shift the alternation.

Cron follows the classic (Vixie/cronie) crontab semantics: five fields ``minute hour day-of-month
month day-of-week``; lists, ``a-b`` ranges, ``a-b/step`` and ``*/step``; month and weekday names;
weekday 0 and 7 are Sunday. When both day fields are restricted (neither starts with ``*``) a day
matches if *either* matches; otherwise both must match. Each (date, hour, minute) wall time is one
occurrence, resolved like any other wall time: on a fall-back night an hourly cron runs once per wall
hour, not twice for the repeated hour.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.timezones import resolve_local

__all__ = [
    "MAX_EVERY_WEEKS",
    "MAX_SCHEDULE_CHARS",
    "MIN_SPACING_MINUTES",
    "SCHEDULE_EXAMPLES",
    "CronSpec",
    "Recurrence",
    "iter_occurrences",
    "next_occurrence",
    "occurrences",
    "occurrences_between",
    "parse_schedule",
]

SCHEDULE_EXAMPLES = (
    "Try one of these:\n"
    "• `daily 09:30`\n"
    "• `weekdays 9am`\n"
    "• `weekends 10:00`\n"
    "• `mon,wed,fri 5:15pm`\n"
    "• `every 2 weeks on fri 16:00`\n"
    "• `monthly on 1 at 10:00` (or `monthly on last at 10:00`)\n"
    "• `cron 0 9 * * 1-5` (minute hour day month weekday)"
)

MAX_EVERY_WEEKS = 8
#: The longest schedule phrase a member may type (checked before parsing: the phrase patterns backtrack on long text).
MAX_SCHEDULE_CHARS = 120
MIN_SPACING_MINUTES = 5
LAST_DAY = -1  # Recurrence.month_day meaning "the last day of the month"

Kind = Literal["weekly", "monthly", "cron"]

_DAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ALL_DAYS = frozenset(range(7))
_WEEKDAYS = frozenset(range(5))
_WEEKENDS = frozenset({5, 6})

_DAY_WORDS: dict[str, frozenset[int]] = {
    "daily": _ALL_DAYS,
    "day": _ALL_DAYS,
    "days": _ALL_DAYS,
    "everyday": _ALL_DAYS,
    "weekday": _WEEKDAYS,
    "weekdays": _WEEKDAYS,
    "weekend": _WEEKENDS,
    "weekends": _WEEKENDS,
}
for _i, _name in enumerate(_DAY_NAMES):
    _low = _name.lower()
    for _word in (_low, _low + "s", _DAY_ABBR[_i]):
        _DAY_WORDS[_word] = frozenset({_i})
for _word, _i in (("tues", 1), ("weds", 2), ("thur", 3), ("thurs", 3)):
    _DAY_WORDS[_word] = frozenset({_i})
_FILLER_WORDS = frozenset({"and", "on", "every", "each"})

_MAX_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # Feb 29 exists in leap years
_CRON_MONTH_NAMES = {
    name: i
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_CRON_DOW_NAMES = {name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
# Give up after this many months without a single matching day. Any cron that passes validation matches
# within one 400-year Gregorian cycle, so this only guards against bugs.
_CRON_MONTH_SCAN_LIMIT = 12 * 401


def _bad(reason: str) -> BadInput:
    return BadInput(f"{reason}\n{SCHEDULE_EXAMPLES}")


def _shown(text: str) -> str:
    cleaned = text.replace("`", "'").strip()
    return cleaned[:60] + ("…" if len(cleaned) > 60 else "")


# -- the data ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CronSpec:
    """The expanded fields of a 5-field cron expression.

    ``weekdays`` uses cron numbering (0 = Sunday ... 6 = Saturday). ``days_star`` / ``weekdays_star``
    record whether the day-of-month / day-of-week field started with ``*``; that decides between the
    AND and OR semantics of the two day fields, so it is part of the value.
    """

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    days_star: bool
    weekdays_star: bool

    def __post_init__(self) -> None:
        for values, lo, hi in (
            (self.minutes, 0, 59),
            (self.hours, 0, 23),
            (self.days, 1, 31),
            (self.months, 1, 12),
            (self.weekdays, 0, 6),
        ):
            if not values or min(values) < lo or max(values) > hi:
                raise ValueError(f"cron field values {sorted(values)} outside {lo}-{hi}")

    @property
    def or_days(self) -> bool:
        """True when both day fields are restricted, so a day matches if either field matches."""
        return not self.days_star and not self.weekdays_star

    def matches_day(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        dom = day.day in self.days
        dow = (day.weekday() + 1) % 7 in self.weekdays
        return (dom or dow) if self.or_days else (dom and dow)

    def times_of_day(self) -> tuple[time, ...]:
        return tuple(time(h, m) for h in sorted(self.hours) for m in sorted(self.minutes))

    def to_text(self) -> str:
        return " ".join(
            (
                _render_plain_field(self.minutes, 0, 59),
                _render_plain_field(self.hours, 0, 23),
                _render_day_field(self.days, 1, 31, self.days_star),
                _render_plain_field(self.months, 1, 12),
                _render_day_field(self.weekdays, 0, 6, self.weekdays_star),
            )
        )


@dataclass(frozen=True)
class Recurrence:
    """A parsed schedule. Immutable and hashable; equal schedules have equal canonical text.

    * ``kind="weekly"``: at ``hour:minute`` on ``weekdays`` (0 = Monday ... 6 = Sunday), every
      ``every_weeks`` weeks. Daily, weekdays and weekends are weekly schedules with those day sets.
      ``anchor`` (the Monday of an "on" week) is set exactly when ``every_weeks > 1``.
    * ``kind="monthly"``: at ``hour:minute`` on ``month_day`` (1-31, or ``LAST_DAY``); a month without
      that day runs on its last day.
    * ``kind="cron"``: ``cron`` holds the expanded fields; ``hour`` and ``minute`` are unused (0).
    """

    kind: Kind
    hour: int = 0
    minute: int = 0
    weekdays: frozenset[int] = frozenset()
    every_weeks: int = 1
    anchor: date | None = None
    month_day: int = 0
    cron: CronSpec | None = None

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"time {self.hour}:{self.minute} out of range")
        if self.kind == "weekly":
            if not self.weekdays or not self.weekdays <= _ALL_DAYS:
                raise ValueError(f"bad weekday set {sorted(self.weekdays)}")
            if not 1 <= self.every_weeks <= MAX_EVERY_WEEKS:
                raise ValueError(f"every_weeks {self.every_weeks} out of range")
            if (self.anchor is None) != (self.every_weeks == 1):
                raise ValueError("an anchor is required exactly when every_weeks > 1")
            if self.anchor is not None and (isinstance(self.anchor, datetime) or self.anchor.weekday() != 0):
                raise ValueError("the anchor must be the date of a Monday")
            if self.month_day or self.cron is not None:
                raise ValueError("weekly schedules take no month_day or cron")
        elif self.kind == "monthly":
            if not (1 <= self.month_day <= 31 or self.month_day == LAST_DAY):
                raise ValueError(f"month_day {self.month_day} out of range")
            if self.weekdays or self.every_weeks != 1 or self.anchor is not None or self.cron is not None:
                raise ValueError("monthly schedules take only month_day, hour and minute")
        elif self.kind == "cron":
            if self.cron is None:
                raise ValueError("cron schedules need a CronSpec")
            fields = (self.hour, self.minute, self.weekdays, self.every_weeks, self.anchor, self.month_day)
            if fields != (0, 0, frozenset(), 1, None, 0):
                raise ValueError("cron schedules keep everything in their CronSpec")
        else:
            raise ValueError(f"unknown kind {self.kind!r}")

    # -- text ------------------------------------------------------------------------------------------

    def to_text(self) -> str:
        """The canonical phrase, for storage; :meth:`from_text` turns it back into an equal value."""
        if self.kind == "cron":
            assert self.cron is not None
            return f"cron {self.cron.to_text()}"
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == "monthly":
            day = "last" if self.month_day == LAST_DAY else str(self.month_day)
            return f"monthly on {day} at {at}"
        if self.every_weeks == 1:
            return f"{_days_text(self.weekdays)} {at}"
        assert self.anchor is not None
        days = ",".join(_DAY_ABBR[d] for d in sorted(self.weekdays))
        return f"every {self.every_weeks} weeks on {days} {at} from {self.anchor.isoformat()}"

    @classmethod
    def from_text(cls, text: str) -> Recurrence:
        """Parse stored canonical text. Raises :class:`ValueError` if it is not a valid schedule."""
        try:
            return parse_schedule(text)
        except BadInput as exc:
            raise ValueError(f"not a stored schedule: {text!r}") from exc

    def describe(self) -> str:
        """Human text for members, e.g. ``Weekdays at 09:30``."""
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == "cron":
            assert self.cron is not None
            return f"Custom schedule (cron `{self.cron.to_text()}`)"
        if self.kind == "monthly":
            if self.month_day == LAST_DAY:
                return f"Monthly on the last day at {at}"
            text = f"Monthly on the {_ordinal(self.month_day)} at {at}"
            if self.month_day > 28:
                text += " (on the last day in shorter months)"
            return text
        names = [_DAY_NAMES[d] for d in sorted(self.weekdays)]
        if self.every_weeks > 1:
            assert self.anchor is not None
            week = f"{self.anchor.day} {self.anchor:%b %Y}"
            return f"Every {self.every_weeks} weeks on {_join(names)} at {at} (counting from the week of {week})"
        if self.weekdays == _ALL_DAYS:
            return f"Daily at {at}"
        if self.weekdays == _WEEKDAYS:
            return f"Weekdays at {at}"
        if self.weekdays == _WEEKENDS:
            return f"Weekends at {at}"
        if len(names) == 1:
            return f"Every {names[0]} at {at}"
        return f"{_join([n + 's' for n in names])} at {at}"

    def __str__(self) -> str:
        return self.to_text()


def _days_text(days: frozenset[int]) -> str:
    if days == _ALL_DAYS:
        return "daily"
    if days == _WEEKDAYS:
        return "weekdays"
    if days == _WEEKENDS:
        return "weekends"
    return ",".join(_DAY_ABBR[d] for d in sorted(days))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- parsing ----------------------------------------------------------------------------------------------

_TIME_RE = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)?")
_HEAD_TIME_RE = re.compile(r"(.*?)(?<!\s)\s+(?:at\s+)?(\S+)")  # the lookbehind keeps it linear
_FROM_RE = re.compile(r"(.*?)(?<!\s)\s+(?:from|starting)\s+(\S+)")
_EVERY_WEEKS_RE = re.compile(r"(?:every\s+(?:(\d+|other)\s+)?weeks?|fortnightly)(?:\s+(?:on\s+)?(.*))?")
_MONTHLY_RE = re.compile(
    r"(?:monthly|every\s+month)(?:\s+on)?(?:\s+the)?(?:\s+day)?\s+(?:(\d{1,3})(?:st|nd|rd|th)?|(last)(?:\s+day)?)"
)


def _normalise(text: str) -> str:
    s = " ".join(text.strip().strip("`'\"").lower().split())
    # "5:15 pm", "9 a.m." -> "5:15pm", "9am"
    return re.sub(r"(\d)\s*([ap])\.?m\.?(?=\s|$)", r"\1\2m", s)


def _parse_time(token: str) -> tuple[int, int]:
    if token == "noon":
        return 12, 0
    if token == "midnight":
        return 0, 0
    m = _TIME_RE.fullmatch(token)
    bad = _bad(f"`{_shown(token)}` isn't a time I understand. Use 24-hour `17:30` or `5:30pm`.")
    if m is None or (m.group(2) is None and m.group(3) is None):
        raise bad
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if minute > 59:
        raise bad
    if half is None:
        if hour > 23:
            raise bad
        return hour, minute
    if not 1 <= hour <= 12:
        raise bad
    return (hour % 12) + (12 if half == "pm" else 0), minute


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for word in re.split(r"[\s,&/+]+", text):
        if not word or word in _FILLER_WORDS:
            continue
        found = _DAY_WORDS.get(word)
        if found is None:
            raise _bad(f"`{_shown(word)}` isn't a day I know. Use names like `mon`, `tuesday` or `weekdays`.")
        days |= found
    if not days:
        raise _bad("Tell me which days the check-in runs on.")
    return frozenset(days)


def parse_schedule(text: str, anchor: date | None = None) -> Recurrence:
    """Parse a member's schedule phrase (or stored canonical text) into a :class:`Recurrence`.

    ``anchor`` is only used by every-N-weeks schedules: pass the schedule's creation date, as a local
    date in the schedule's zone. The week containing it is an "on" week (the anchor is normalised to that
    week's Monday). A ``from YYYY-MM-DD`` suffix in the text (which canonical text always has) takes
    precedence over ``anchor``. An every-N-weeks phrase with no anchor at all is a programming error and
    raises :class:`ValueError`. Anything a member got wrong raises :class:`BadInput` with examples.
    """
    if isinstance(anchor, datetime):
        raise TypeError("anchor must be a local date, not a datetime")
    s = _normalise(text)
    if not s:
        raise _bad("Tell me when the check-in should run.")
    if s == "cron" or s.startswith("cron "):
        return Recurrence(kind="cron", cron=_parse_cron(s[4:]))

    explicit_anchor: date | None = None
    m = _FROM_RE.fullmatch(s)
    if m is not None:
        s, date_text = m.group(1), m.group(2)
        try:
            explicit_anchor = date.fromisoformat(date_text)
        except ValueError:
            raise _bad(f"`{_shown(date_text)}` isn't a date I understand; use YYYY-MM-DD.") from None

    m = _HEAD_TIME_RE.fullmatch(s)
    if m is None:
        raise _bad(f"I couldn't find a time of day in `{_shown(text)}`.")
    head, time_text = m.group(1), m.group(2)
    hour, minute = _parse_time(time_text)

    monthly = _MONTHLY_RE.fullmatch(head)
    if monthly is not None:
        if explicit_anchor is not None:
            raise _bad("A start week (`from ...`) only fits `every N weeks` schedules.")
        if monthly.group(2):
            day = LAST_DAY
        else:
            day = int(monthly.group(1))
            if not 1 <= day <= 31:
                raise _bad("The day of the month must be from 1 to 31, or `last`.")
        return Recurrence(kind="monthly", hour=hour, minute=minute, month_day=day)

    weeks = _EVERY_WEEKS_RE.fullmatch(head)
    if weeks is not None:
        count_text, days_text = weeks.group(1), weeks.group(2)
        every = int(count_text) if count_text and count_text.isdigit() else 1
        if head.startswith("fortnightly") or count_text == "other":
            every = 2
        if not 1 <= every <= MAX_EVERY_WEEKS:
            raise _bad(f"A check-in can repeat every 1 to {MAX_EVERY_WEEKS} weeks.")
        days = _parse_days(days_text or "")
        if every == 1:
            return Recurrence(kind="weekly", hour=hour, minute=minute, weekdays=days)
        start = explicit_anchor or anchor
        if start is None:
            raise ValueError("every-N-weeks schedules need an anchor date (pass anchor=)")
        monday = start - timedelta(days=start.weekday())
        return Recurrence(kind="weekly", hour=hour, minute=minute, weekdays=days, every_weeks=every, anchor=monday)

    if explicit_anchor is not None:
        raise _bad("A start week (`from ...`) only fits `every N weeks` schedules.")
    if head.startswith(("month", "every month")):
        raise _bad("Monthly schedules look like `monthly on 1 at 10:00` or `monthly on last at 10:00`.")
    days = _parse_days(head)
    return Recurrence(kind="weekly", hour=hour, minute=minute, weekdays=days)


# -- cron -------------------------------------------------------------------------------------------------

_CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int] | None], ...] = (
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day-of-month", 1, 31, None),
    ("month", 1, 12, _CRON_MONTH_NAMES),
    ("day-of-week", 0, 7, _CRON_DOW_NAMES),
)
_CRON_ITEM_RE = re.compile(r"([a-z0-9]+)(?:-([a-z0-9]+)(?:/(\d+))?)?")


def _parse_cron(body: str) -> CronSpec:
    fields = body.split()
    if len(fields) != 5:
        raise _bad(
            f"A cron schedule needs 5 fields (minute hour day-of-month month day-of-week); "
            f"`{_shown(body) or '(nothing)'}` has {len(fields)}."
        )
    parsed = [_parse_cron_field(text, *spec) for text, spec in zip(fields, _CRON_FIELDS, strict=True)]
    (minutes, _), (hours, _), (days, days_star), (months, _), (dows, dows_star) = parsed
    spec = CronSpec(
        minutes=minutes,
        hours=hours,
        days=days,
        months=months,
        weekdays=frozenset(d % 7 for d in dows),
        days_star=days_star,
        weekdays_star=dows_star,
    )
    if not spec.or_days and not any(d <= _MAX_MONTH_DAYS[m - 1] for m in spec.months for d in spec.days):
        raise _bad("That cron schedule would never run: none of those months has that day.")
    gap = _min_gap_minutes(spec)
    if gap < MIN_SPACING_MINUTES:
        raise _bad(
            f"That would run every {gap} minute{'s' if gap != 1 else ''}; "
            f"check-ins need at least {MIN_SPACING_MINUTES} minutes between them."
        )
    return spec


def _parse_cron_field(
    text: str, name: str, lo: int, hi: int, names: dict[str, int] | None
) -> tuple[frozenset[int], bool]:
    """Expand one cron field into its values; also report whether it starts with ``*``."""
    is_dow = name == "day-of-week"
    star_hi = 6 if is_dow else hi
    hint = ", or names like `mon`" if is_dow else (", or names like `jan`" if names else "")
    bad = f"`{_shown(text)}` isn't a valid {name} field (use {lo}-{hi}{hint})."
    if text == "*":
        return frozenset(range(lo, star_hi + 1)), True
    if text.startswith("*/"):
        step = text[2:]
        if not (step.isascii() and step.isdigit()) or not 1 <= int(step) <= hi - lo + 1:
            raise _bad(bad)
        return frozenset(range(lo, star_hi + 1, int(step))), True

    def value(token: str) -> int:
        if token.isascii() and token.isdigit():  # '²'.isdigit() is true, int('²') raises
            number = int(token)
        elif names is not None and token in names:
            number = names[token]
        else:
            raise _bad(bad)
        if not lo <= number <= hi:
            raise _bad(bad)
        return number

    values: set[int] = set()
    for item in text.split(","):
        m = _CRON_ITEM_RE.fullmatch(item)
        if m is None:
            raise _bad(bad)
        start = value(m.group(1))
        if m.group(2) is None:
            values.add(start)
            continue
        end = value(m.group(2))
        if is_dow and end == 0 and start > 0:
            end = 7  # "fri-sun": Sunday closes the week
        stride = int(m.group(3) or 1)
        if end < start or not 1 <= stride <= hi - lo + 1:
            raise _bad(bad)
        values.update(range(start, end + 1, stride))
    return frozenset(values), False


def _min_gap_minutes(spec: CronSpec) -> int:
    """The shortest wall-clock gap between two runs, counting last-to-first across midnight."""
    marks = sorted(h * 60 + m for h in spec.hours for m in spec.minutes)
    gaps = [b - a for a, b in itertools.pairwise(marks)]
    gaps.append(marks[0] + 24 * 60 - marks[-1])
    return min(gaps)


def _arith_step(values: list[int]) -> int | None:
    """The common difference of ``values`` if they form an arithmetic progression of 3+ terms."""
    if len(values) < 3:
        return None
    step = values[1] - values[0]
    if all(b - a == step for a, b in itertools.pairwise(values)):
        return step
    return None


def _render_list(values: frozenset[int]) -> str:
    ordered = sorted(values)
    step = _arith_step(ordered)
    if step is not None and step > 1:
        return f"{ordered[0]}-{ordered[-1]}/{step}"
    parts: list[str] = []
    run_start = prev = ordered[0]
    for v in [*ordered[1:], None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        if prev - run_start >= 2:
            parts.append(f"{run_start}-{prev}")
        else:
            parts.extend(str(x) for x in range(run_start, prev + 1))
        if v is not None:
            run_start = prev = v
    return ",".join(parts)


def _star_step(values: frozenset[int], lo: int, hi: int) -> int | None:
    """The smallest ``s`` with ``*/s`` == ``values`` over ``lo..hi``, if any."""
    for step in range(1, hi - lo + 2):
        if values == frozenset(range(lo, hi + 1, step)):
            return step
    return None


def _render_plain_field(values: frozenset[int], lo: int, hi: int) -> str:
    step = _star_step(values, lo, hi) if len(values) > 1 else None
    if step is not None:
        return "*" if step == 1 else f"*/{step}"
    return _render_list(values)


def _render_day_field(values: frozenset[int], lo: int, hi: int, star: bool) -> str:
    if not star:
        return _render_list(values)
    step = _star_step(values, lo, hi)
    if step is None:  # pragma: no cover - a star field is always a */step set
        raise ValueError("star field that is not a */step set")
    return "*" if step == 1 else f"*/{step}"


# -- occurrences ------------------------------------------------------------------------------------------


def _candidate_days(rec: Recurrence, start: date) -> Iterator[date]:
    """Local dates on or after ``start`` on which ``rec`` is scheduled, in order."""
    if rec.kind == "weekly":
        day = start
        while True:
            if day.weekday() in rec.weekdays and (
                rec.anchor is None or ((day - rec.anchor).days // 7) % rec.every_weeks == 0
            ):
                yield day
            day += timedelta(days=1)
    elif rec.kind == "monthly":
        year, month = start.year, start.month
        while True:
            last = calendar.monthrange(year, month)[1]
            day_num = last if rec.month_day == LAST_DAY else min(rec.month_day, last)
            candidate = date(year, month, day_num)
            if candidate >= start:
                yield candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        assert rec.cron is not None
        yield from _cron_days(rec.cron, start)


def _cron_days(spec: CronSpec, start: date) -> Iterator[date]:
    year, month = start.year, start.month
    ordered_days = sorted(spec.days)
    barren = 0
    while True:
        found = False
        if month in spec.months:
            last = calendar.monthrange(year, month)[1]
            first = start.day if (year, month) == (start.year, start.month) else 1
            # In AND mode only the listed days of the month can match; in OR mode any day can.
            span = range(first, last + 1) if spec.or_days else [d for d in ordered_days if first <= d <= last]
            for num in span:
                day = date(year, month, num)
                if spec.matches_day(day):
                    found = True
                    yield day
        barren = 0 if found else barren + 1
        if barren > _CRON_MONTH_SCAN_LIMIT:
            raise RuntimeError(f"cron schedule {spec.to_text()!r} found no day in {barren} months")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _times_of_day(rec: Recurrence) -> tuple[time, ...]:
    if rec.kind == "cron":
        assert rec.cron is not None
        return rec.cron.times_of_day()
    return (time(rec.hour, rec.minute),)


def iter_occurrences(rec: Recurrence, zone: ZoneInfo, after: datetime) -> Iterator[datetime]:
    """Every occurrence strictly after ``after``, in UTC, strictly increasing. Endless; slice it."""
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("after must be a timezone-aware datetime")
    last = after.astimezone(UTC)
    # Start one local day early: in a zone that skips a whole day, an earlier date's wall time can
    # resolve to an instant on the next date.
    start = last.astimezone(zone).date() - timedelta(days=1)
    times = _times_of_day(rec)

    def resolve(day: date, at: time) -> datetime:
        return resolve_local(datetime.combine(day, at), zone).astimezone(UTC)

    for day in _candidate_days(rec, start):
        first = 0
        if resolve(day, times[0]) <= last:
            # Resolution is monotonic in wall time: bisect for the first time that lands after `last`.
            low, high = 1, len(times)
            while low < high:
                mid = (low + high) // 2
                if resolve(day, times[mid]) <= last:
                    low = mid + 1
                else:
                    high = mid
            first = low
        for at in times[first:]:
            instant = resolve(day, at)
            if instant > last:  # equal instants (two wall times in one gap) run once
                last = instant
                yield instant


def next_occurrence(rec: Recurrence, zone: ZoneInfo, after: datetime) -> datetime:
    """The first occurrence strictly after ``after`` (aware, any zone), as an aware UTC datetime."""
    return next(iter_occurrences(rec, zone, after))


def occurrences(rec: Recurrence, zone: ZoneInfo, after: datetime, count: int) -> list[datetime]:
    """The first ``count`` occurrences strictly after ``after``, in UTC."""
    if count <= 0:
        return []
    result: list[datetime] = []
    for instant in iter_occurrences(rec, zone, after):
        result.append(instant)
        if len(result) == count:
            break
    return result


def occurrences_between(
    rec: Recurrence, zone: ZoneInfo, start: datetime, end: datetime, *, limit: int | None = None
) -> list[datetime]:
    """Occurrences in ``(start, end]``, in UTC, oldest first (for catching up after downtime).

    ``limit`` (optional) caps how many are returned, keeping the oldest.
    """
    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("end must be a timezone-aware datetime")
    result: list[datetime] = []
    if limit is not None and limit <= 0:
        return result
    for instant in iter_occurrences(rec, zone, start):
        if instant > end:
            break
        result.append(instant)
        if limit is not None and len(result) == limit:
            break
    return result
