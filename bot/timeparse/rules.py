"""A recurring schedule as a value: its rule, its canonical text and how it is described to members.

A schedule is a rule in the wall-clock time of an IANA zone ("weekdays at 09:30 in Europe/London"). Its
phrases are read by :mod:`bot.timeparse.schedules`; when it runs is computed by
:mod:`bot.scheduling.recurrence`, which keeps the DST promises.

Every-N-weeks schedules keep their *anchor* (the Monday of an "on" week) in the canonical text
(``every 2 weeks on fri 16:00 from 2026-01-05``), so ``Recurrence.from_text(rec.to_text()) == rec``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.errors import BadInput
from bot.i18n import ENGLISH, babel_locale, number, resolve, t
from bot.timeparse.cron import CronSpec
from bot.timeparse.languages.en import DAY_ABBR, DAY_NAMES

MAX_EVERY_WEEKS = 8
LAST_DAY = -1  # Recurrence.month_day meaning "the last day of the month"
ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKENDS = frozenset({5, 6})

Kind = Literal["weekly", "monthly", "cron"]


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
            if not self.weekdays or not self.weekdays <= ALL_DAYS:
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
        days = ",".join(DAY_ABBR[d] for d in sorted(self.weekdays))
        return f"every {self.every_weeks} weeks on {days} {at} from {self.anchor.isoformat()}"

    @classmethod
    def from_text(cls, text: str) -> Recurrence:
        """Parse stored canonical text. Raises :class:`ValueError` if it is not a valid schedule."""
        from bot.timeparse.schedules import parse_schedule  # the parser builds Recurrences: import at use

        try:
            return parse_schedule(text)
        except BadInput as exc:
            raise ValueError(f"not a stored schedule: {text!r}") from exc

    def describe(self, locale: str | None = None) -> str:
        """Human text for members in the reader's language, e.g. ``Weekdays at 09:30`` / ``Werktags um 09:30``."""
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == "cron":
            assert self.cron is not None
            return t(locale, "Custom schedule (cron `{cron}`)", cron=self.cron.to_text())
        if self.kind == "monthly":
            if self.month_day == LAST_DAY:
                return t(locale, "Monthly on the last day at {time}", time=at)
            text = t(locale, "Monthly on the {ordinal} at {time}", ordinal=_ordinal(self.month_day, locale), time=at)
            if self.month_day > 28:
                text += t(locale, " (on the last day in shorter months)")
            return text
        if self.every_weeks > 1:
            assert self.anchor is not None
            from babel.dates import format_date  # Babel only when such a schedule is shown

            return t(
                locale,
                "Every {n} weeks on {days} at {time} (counting from the week of {week})",
                n=number(locale, self.every_weeks),
                days=_day_list(self.weekdays, locale, plural=False),
                time=at,
                week=format_date(self.anchor, "d MMM y", locale=babel_locale(locale)),
            )
        if self.weekdays == ALL_DAYS:
            return t(locale, "Daily at {time}", time=at)
        if self.weekdays == WEEKDAYS:
            return t(locale, "Weekdays at {time}", time=at)
        if self.weekdays == WEEKENDS:
            return t(locale, "Weekends at {time}", time=at)
        if len(self.weekdays) == 1:
            return t(locale, "Every {day} at {time}", day=_day_list(self.weekdays, locale, plural=False), time=at)
        return t(locale, "{days} at {time}", days=_day_list(self.weekdays, locale, plural=True), time=at)

    def __str__(self) -> str:
        return self.to_text()


def _days_text(days: frozenset[int]) -> str:
    if days == ALL_DAYS:
        return "daily"
    if days == WEEKDAYS:
        return "weekdays"
    if days == WEEKENDS:
        return "weekends"
    return ",".join(DAY_ABBR[d] for d in sorted(days))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int, locale: str | None = None) -> str:
    """A day of the month as the reader writes it: ``3rd`` in English, ``3.`` in German, ``3`` elsewhere."""
    code = resolve(locale)
    if code == ENGLISH:
        suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return f"{n}." if code == "de" else str(n)


def _day_list(days: frozenset[int], locale: str | None, *, plural: bool) -> str:
    """Weekday names joined the reader's way: ``Mondays and Fridays`` / ``Montag und Freitag``."""
    ordered = sorted(days)
    if resolve(locale) == ENGLISH:
        names = [DAY_NAMES[d] + ("s" if plural else "") for d in ordered]
        return _join(names)
    from babel.dates import get_day_names
    from babel.lists import format_list

    wide = get_day_names("wide", locale=babel_locale(locale))  # 0 is Monday, as in ``weekday()``
    return format_list([wide[d] for d in ordered], locale=babel_locale(locale))
