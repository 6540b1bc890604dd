"""Cron schedules: the classic five fields, expanded into sets, checked, and written back canonically.

Cron follows the classic (Vixie/cronie) crontab semantics: five fields ``minute hour day-of-month
month day-of-week``; lists, ``a-b`` ranges, ``a-b/step`` and ``*/step``; month and weekday names;
weekday 0 and 7 are Sunday. When both day fields are restricted (neither starts with ``*``) a day
matches if *either* matches; otherwise both must match. The body is split on whitespace and each item
is read by one anchored pattern without nested repetition, so reading is linear in the text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, time

from bot.errors import BadInput
from bot.timeparse.languages import SCHEDULE_INPUT

MIN_SPACING_MINUTES = 5

_MAX_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # Feb 29 exists in leap years
_CRON_MONTH_NAMES = {
    name: i
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_CRON_DOW_NAMES = {name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}


def schedule_error(reason: str, /, **values: object) -> BadInput:
    """A refusal of a schedule phrase: ``reason`` (a catalog message id ending in ``\n{examples}``), then
    examples of what works, in the reader's language."""
    return BadInput(reason, examples=SCHEDULE_INPUT, **values)


def shown_schedule(text: str) -> str:
    """A member's schedule text echoed inside backticks, cut to 60 characters."""
    cleaned = text.replace("`", "'").strip()
    return cleaned[:60] + ("…" if len(cleaned) > 60 else "")


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


_CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int] | None], ...] = (
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day-of-month", 1, 31, None),
    ("month", 1, 12, _CRON_MONTH_NAMES),
    ("day-of-week", 0, 7, _CRON_DOW_NAMES),
)
_CRON_ITEM_RE = re.compile(r"([a-z0-9]+)(?:-([a-z0-9]+)(?:/(\d+))?)?")


def parse_cron(body: str) -> CronSpec:
    fields = body.split()
    if len(fields) != 5:
        raise BadInput(
            "A cron schedule needs 5 fields (minute hour day-of-month month day-of-week); `{text}` has {count}."
            "\n{examples}",
            text=shown_schedule(body) or "(nothing)",
            count=len(fields),
            examples=SCHEDULE_INPUT,
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
        raise BadInput(
            "That cron schedule would never run: none of those months has that day.\n{examples}",
            examples=SCHEDULE_INPUT,
        )
    gap = _min_gap_minutes(spec)
    if gap < MIN_SPACING_MINUTES:
        if gap == 1:
            raise BadInput(
                "That would run every 1 minute; check-ins need at least {minimum} minutes between them.\n{examples}",
                minimum=MIN_SPACING_MINUTES,
                examples=SCHEDULE_INPUT,
            )
        raise BadInput(
            "That would run every {gap} minutes; check-ins need at least {minimum} minutes between them.\n{examples}",
            gap=gap,
            minimum=MIN_SPACING_MINUTES,
            examples=SCHEDULE_INPUT,
        )
    return spec


def _parse_cron_field(
    text: str, name: str, lo: int, hi: int, names: dict[str, int] | None
) -> tuple[frozenset[int], bool]:
    """Expand one cron field into its values; also report whether it starts with ``*``."""
    is_dow = name == "day-of-week"
    star_hi = 6 if is_dow else hi
    if is_dow:
        bad = BadInput(
            "`{text}` isn't a valid {field} field (use {low}-{high}, or names like `mon`).\n{examples}",
            text=shown_schedule(text), field=name, low=lo, high=hi, examples=SCHEDULE_INPUT,
        )
    elif names:
        bad = BadInput(
            "`{text}` isn't a valid {field} field (use {low}-{high}, or names like `jan`).\n{examples}",
            text=shown_schedule(text), field=name, low=lo, high=hi, examples=SCHEDULE_INPUT,
        )
    else:
        bad = BadInput(
            "`{text}` isn't a valid {field} field (use {low}-{high}).\n{examples}",
            text=shown_schedule(text), field=name, low=lo, high=hi, examples=SCHEDULE_INPUT,
        )
    if text == "*":
        return frozenset(range(lo, star_hi + 1)), True
    if text.startswith("*/"):
        step = text[2:]
        if not (step.isascii() and step.isdigit()) or not 1 <= int(step) <= hi - lo + 1:
            raise bad
        return frozenset(range(lo, star_hi + 1, int(step))), True

    def value(token: str) -> int:
        if token.isascii() and token.isdigit():  # '²'.isdigit() is true, int('²') raises
            number = int(token)
        elif names is not None and token in names:
            number = names[token]
        else:
            raise bad
        if not lo <= number <= hi:
            raise bad
        return number

    values: set[int] = set()
    for item in text.split(","):
        m = _CRON_ITEM_RE.fullmatch(item)
        if m is None:
            raise bad
        start = value(m.group(1))
        if m.group(2) is None:
            values.add(start)
            continue
        end = value(m.group(2))
        if is_dow and end == 0 and start > 0:
            end = 7  # "fri-sun": Sunday closes the week
        stride = int(m.group(3) or 1)
        if end < start or not 1 <= stride <= hi - lo + 1:
            raise bad
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
