"""Calendar arithmetic in the member's zone: weekdays, relative days, month days, "in N units".

Every function takes a :class:`Context` (the current instant, the member's zone and how to read ambiguous
forms) and returns UTC instants; a wall-clock time becomes an instant through
:func:`bot.timezones.resolve_local` (a repeated time means the first, a skipped one the end of the gap).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.i18n import ENGLISH, babel_locale, resolve
from bot.timeparse.durations import Amount, format_duration
from bot.timeparse.languages import WHEN_INPUT
from bot.timeparse.languages.en import MONTH_NAMES
from bot.timeparse.text import shown
from bot.timezones import resolve_local


@dataclass(frozen=True)
class Context:
    now: datetime  # UTC
    zone: ZoneInfo
    today: date  # the member's local date
    default_time: time
    backwards: bool

    def at(self, day: date, clock: time) -> datetime:
        """The UTC instant the member's clock reads ``clock`` on ``day``."""
        return resolve_local(datetime.combine(day, clock), self.zone).astimezone(UTC)


def describe(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b} {local.year}, {local:%H:%M}"


@dataclass(frozen=True, slots=True)
class Moment:
    """An instant on the member's clock, for an error: ``Tue 3 Mar 2026, 09:00``, written the reader's way."""

    instant: datetime
    zone: ZoneInfo

    def __str__(self) -> str:
        return describe(self.instant, self.zone)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def text(self, locale: str | None) -> str:
        if resolve(locale) == ENGLISH:
            return str(self)
        from babel.dates import format_datetime  # only when a non-English reader first needs it

        return format_datetime(self.instant.astimezone(self.zone), "EEE d MMM y, HH:mm", locale=babel_locale(locale))


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of time for an error (``30 days``, ``a year``), written the reader's way."""

    length: timedelta

    def __str__(self) -> str:
        return span(self.length)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def text(self, locale: str | None) -> str:
        if resolve(locale) == ENGLISH:
            return str(self)
        from babel.units import format_unit

        days = self.length.days
        if days >= 360:
            value, unit = max(1, round(days / 365.25)), "duration-year"
        elif days >= 14 and days % 7 == 0 and not self.length.seconds:
            value, unit = days // 7, "duration-week"
        elif days >= 2 and not self.length.seconds:
            value, unit = days, "duration-day"
        else:
            return format_duration(self.length)
        return format_unit(value, unit, length="long", locale=babel_locale(locale))


def span(td: timedelta) -> str:
    days = td.days
    if days >= 360:
        years = max(1, round(days / 365.25))
        return "a year" if years == 1 else f"{years} years"
    if days >= 14 and days % 7 == 0 and not td.seconds:
        return f"{days // 7} weeks"
    if days >= 2 and not td.seconds:
        return f"{days} days"
    return format_duration(td)


def make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadInput("`{text}` isn't a real date. Try {examples}.", text=shown(raw), examples=WHEN_INPUT) from None


def month_day(ctx: Context, month: int, day: int, raw: str) -> date:
    """The nearest ``month``/``day`` that is today or later (earlier, when reading backwards)."""
    if day < 1 or day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        raise BadInput(
            "{month} {day} isn't a real date. Try {examples}.",
            month=MONTH_NAMES[month - 1],
            day=day,
            examples=WHEN_INPUT,
        )
    step = -1 if ctx.backwards else 1
    year = ctx.today.year
    for _ in range(9):  # 29 February comes round within eight years
        try:
            candidate = date(year, month, day)
        except ValueError:
            year += step
            continue
        if (candidate < ctx.today) if not ctx.backwards else (candidate > ctx.today):
            year += step
            continue
        return candidate
    raise BadInput("`{text}` isn't a date I can place. Try {examples}.", text=shown(raw), examples=WHEN_INPUT)


def day_of_month(ctx: Context, day: int, raw: str) -> date:
    """``15th``: the nearest 15th of a month that is today or later (earlier, when reading backwards)."""
    if not 1 <= day <= 31:
        raise BadInput("`{text}` isn't a real date. Try {examples}.", text=shown(raw), examples=WHEN_INPUT)
    year, month = ctx.today.year, ctx.today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and (candidate <= ctx.today if ctx.backwards else candidate >= ctx.today):
            return candidate
        month += -1 if ctx.backwards else 1
        if month == 0:
            year, month = year - 1, 12
        elif month == 13:
            year, month = year + 1, 1
    raise BadInput(
        "`{text}` isn't a real date. Try {examples}.",
        text=shown(raw),
        examples=WHEN_INPUT,
    )  # pragma: no cover


def weekday(ctx: Context, day_index: int, modifier: str | None, clock: time) -> datetime:
    """A weekday (0 = Monday) with ``next`` / ``last`` / ``calendar week`` (this week's) or no modifier."""
    today = ctx.today
    monday = today - timedelta(days=today.weekday())
    if modifier == "next":
        return ctx.at(monday + timedelta(days=7 + day_index), clock)
    if modifier == "calendar week":
        return ctx.at(monday + timedelta(days=day_index), clock)
    if modifier == "last":
        back = (today.weekday() - day_index) % 7 or 7
        return ctx.at(today - timedelta(days=back), clock)
    if ctx.backwards:
        day = today - timedelta(days=(today.weekday() - day_index) % 7)
        instant = ctx.at(day, clock)
        if modifier is None and day == today and instant > ctx.now:
            instant = ctx.at(day - timedelta(days=7), clock)
        return instant
    day = today + timedelta(days=(day_index - today.weekday()) % 7)
    instant = ctx.at(day, clock)
    if modifier is None and day == today and instant <= ctx.now:
        instant = ctx.at(day + timedelta(days=7), clock)
    return instant


def add_months(ctx: Context, months: int, clock: time | None) -> datetime:
    """``in 2 months``: the same day of the month (or the month's last day) and, unless given, the same time."""
    local_now = ctx.now.astimezone(ctx.zone).replace(tzinfo=None)
    index = local_now.year * 12 + local_now.month - 1 + months
    year, month = divmod(index, 12)
    day = local_now.day
    while True:
        try:
            target = local_now.replace(year=year, month=month + 1, day=day)
            break
        except ValueError:
            if day <= 28:
                raise OverflowError("month arithmetic out of range") from None
            day -= 1
    if clock is not None:
        return ctx.at(target.date(), clock)
    return resolve_local(target, ctx.zone).astimezone(UTC)


def relative(ctx: Context, amount: Amount, sign: int, clock: time | None) -> datetime | None:
    """``in 3 days`` and friends: whole days move the calendar, the rest is exact elapsed time."""
    if clock is not None:
        if amount.clock:
            return None  # "in 2 hours 5pm" makes no sense
        return ctx.at(ctx.today + sign * timedelta(days=amount.days), clock)
    local_now = ctx.now.astimezone(ctx.zone)
    if amount.days:
        wall = local_now.replace(tzinfo=None) + sign * timedelta(days=amount.days)
        base = resolve_local(wall, ctx.zone).astimezone(UTC)
    else:
        base = ctx.now
    return base + sign * amount.clock
