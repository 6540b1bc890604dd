"""Turn what members type into slash-command options into durations, clock times and instants.

Every function here is pure: the current instant and the member's zone are passed in. Anything that cannot be
understood raises :class:`bot.errors.BadInput` with a short, kind message; any of the member's own text that
is echoed back is cut to a few dozen characters and has its mentions and backticks neutralised.

Returned datetimes are always timezone-aware, and instants are always in UTC. A local wall-clock time becomes
an instant through :func:`bot.timezones.resolve_local`, so a time that happens twice (autumn fall-back) means
the first of the two, and a time that does not exist (spring-forward gap) means the moment the gap ends.

How :func:`parse_when` reads the forms that could mean more than one thing:

* A date without a time means ``default_time`` (17:00 unless the caller says otherwise). ``tonight`` means
  20:00, and ``morning`` / ``afternoon`` / ``evening`` / ``night`` mean 09:00 / 15:00 / 18:00 / 20:00.
* ``eod`` (end of day) is today at 17:00 and ``eow`` (end of week) is the ``fri`` rule below at 17:00; both
  are the end of the working day whatever ``default_time`` is. An explicit time overrides it (``eow 3pm``).
* A bare time (``5pm``) is the next time the clock shows it: today if that is still ahead, else tomorrow.
* A bare weekday (``fri``) is the next such day, counting today only while its time is still ahead: ``fri``
  said on a Friday before 17:00 is today at 17:00, and after 17:00 it is next Friday.
* ``this fri`` is the Friday among the next seven days, today included (so on a Friday it means today even
  if that has passed, which is then an error). ``next fri`` is the Friday of next week, weeks starting on
  Monday: said on a Monday it is eleven days away, said on a Sunday five days away. ``next week`` is Monday
  of next week and ``this week`` Monday of this week. ``last fri`` is the most recent Friday before today.
* A month and day without a year (``dec 1``) is the nearest such date that is today or later.
* ``in 3 days`` / ``in 1 week`` keep the current wall-clock time on the later day (so they stay right across
  a DST change); ``in 2 hours`` / ``in 30 minutes`` are exact amounts of elapsed time. ``in 3 days 5pm`` is
  that day at 17:00. A bare amount (``2h``) reads like ``in 2h``. ``in 2 months`` is the same day of the
  month (or that month's last day). ``3 weeks from tomorrow`` / ``2 days before dec 1`` move a day by whole
  days or weeks. ``15th`` is the next 15th of a month; ``15th of next month`` is what it says.
* Numeric day/month dates such as ``12/01`` are refused, politely, because the order differs between
  countries; ``2026-12-01`` (ISO, also with ``/``) and ``dec 1`` / ``1 dec`` are accepted instead.
* ``midnight`` on a day is 00:00 at the start of that day; ``tonight`` with a time before 06:00 means the
  small hours after tonight (``tonight 1am`` is tomorrow 01:00).
* A clock time needs a colon or am/pm (``9:30``, ``9am``); a bare ``9`` is not a time inside a date, but
  :func:`parse_clock` on its own reads ``9`` and ``17`` as 24-hour hours.

With ``allow_past=True`` (used for "since …" options) the same forms are read looking backwards: ``9am``
is the most recent 9am, ``fri`` the most recent Friday whose time has passed, ``dec 1`` the latest Dec 1
that is today or earlier, and a bare amount such as ``24h`` means ``24h ago``. Explicitly future forms
(``tomorrow``, ``in 2 days``) are still returned as they are. Without it, ``yesterday 9am``, ``2h ago`` and
every other past result are refused.

Anything outside this grammar is refused with examples rather than guessed at. dateparser is deliberately
not used as a fallback: on the phrases it would have added it answers wrongly without complaint (with
English settings, ``1 week from today`` comes back a week in the past, ``2 days from yesterday`` as
yesterday, ``tomorrow 5`` drops the 5 and ``5 5`` becomes 5 May), and a wrong reminder time is worse than a
polite "try again". So this module imports nothing slow.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from bot.errors import BadInput, shown_input
from bot.timezones import resolve_local

__all__ = [
    "CLOCK_EXAMPLES",
    "DURATION_EXAMPLES",
    "MAX_INPUT_CHARS",
    "WHEN_EXAMPLES",
    "format_duration",
    "in_quiet_hours",
    "parse_away_until",
    "parse_clock",
    "parse_duration",
    "parse_quiet_hours",
    "parse_when",
    "quiet_hours_end",
]

WHEN_EXAMPLES = "`tomorrow 5pm`, `fri`, `in 3 days` or `dec 1 9:30am`"
DURATION_EXAMPLES = "`30m`, `8h`, `1h 30m` or `2d`"
CLOCK_EXAMPLES = "`09:30`, `5pm` or `17:00`"

#: Longer input than this is refused before any parsing is attempted.
MAX_INPUT_CHARS = 100

_ECHO_CHARS = 40
_OFF_WORDS = frozenset({"off", "none", "no", "never", "disable", "disabled", "0"})
_END_OF_WORKDAY = time(17, 0)
_TONIGHT = time(20, 0)
_SMALL_HOURS_END = time(6, 0)


# --------------------------------------------------------------------------------------------------- helpers


def _shown(text: str) -> str:
    """A short, harmless echo of the member's input, for use inside backticks."""
    return shown_input(text, _ECHO_CHARS)


def _normalise(text: str) -> str:
    """Lower-case, NFKC-fold and collapse whitespace; drop surrounding punctuation such as a final full stop."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return " ".join(folded.split()).strip(" .!?")


def _check_length(text: str, what: str, examples: str) -> None:
    if len(text) > MAX_INPUT_CHARS:
        raise BadInput(f"That's too long for a {what}. Try {examples}.")


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


# -------------------------------------------------------------------------------------------------- durations

_UNITS: dict[str, str] = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "s"),
}
_UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}  # fmt: skip
_DURATION_PART = re.compile(
    r"(?:(?P<num>\d{1,9}(?:\.\d{1,3})?)\s*|(?P<word>[a-z]+(?:-[a-z]+)?)\s+)(?P<unit>[a-z]+)", re.ASCII
)
_DURATION_SEP = re.compile(r"\s*(?:,\s*)?(?:and\s+)?", re.ASCII)


@dataclass(frozen=True)
class _Amount:
    """A parsed amount of time: whole calendar days (weeks included) plus an exact elapsed part."""

    days: int
    clock: timedelta

    @property
    def total(self) -> timedelta:
        return timedelta(days=self.days) + self.clock


def _parse_amount(text: str) -> _Amount | None:
    """Read ``1h 30m`` / ``2 days`` / ``an hour`` style text (already normalised); None if it isn't one.

    Raises OverflowError for amounts too large for a timedelta.
    """
    if not text:
        return None
    days = 0
    seconds = Fraction(0)
    pos = 0
    while pos < len(text):
        match = _DURATION_PART.match(text, pos)
        if match is None:
            return None
        unit = _UNITS.get(match["unit"])
        if unit is None:
            return None
        if match["num"] is not None:
            value = Fraction(match["num"])
        elif match["word"] in _NUMBER_WORDS:
            value = Fraction(_NUMBER_WORDS[match["word"]])
        else:
            return None
        if unit in ("w", "d") and value.denominator == 1:
            days += int(value) * (7 if unit == "w" else 1)
        else:
            seconds += value * _UNIT_SECONDS[unit]
        pos = match.end()
        if pos < len(text):
            sep = _DURATION_SEP.match(text, pos)
            pos = sep.end() if sep else pos
    return _Amount(days=days, clock=timedelta(seconds=round(seconds)))


def format_duration(td: timedelta) -> str:
    """Compact text for a duration, such as ``8h``, ``1h 30m`` or ``7d``; readable by :func:`parse_duration`.

    Sub-second parts are dropped. Zero is ``0m``.
    """
    if td < timedelta(0):
        return "-" + format_duration(-td)
    total = td // timedelta(seconds=1)
    if total == 0:
        return "0m"
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    return " ".join(
        f"{value}{unit}" for value, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")) if value
    )


def _range_text(minimum: timedelta | None, maximum: timedelta | None) -> str:
    if minimum is not None and maximum is not None:
        return f"between {format_duration(minimum)} and {format_duration(maximum)}"
    if minimum is not None:
        return f"at least {format_duration(minimum)}"
    assert maximum is not None
    return f"at most {format_duration(maximum)}"


def parse_duration(
    text: str,
    *,
    minimum: timedelta | None = None,
    maximum: timedelta | None = None,
    allow_off: bool = False,
    what: str = "duration",
) -> timedelta | None:
    """Read an amount of time such as ``5m``, ``1h30m``, ``1h 30m``, ``2 hours`` or ``1w``.

    Units are w/d/h/m/s and their spelt-out forms; decimals (``1.5h``) and ``an hour`` are fine. ``off``,
    ``none`` or ``0`` (and any amount that adds up to zero) give None when ``allow_off``, else an error.
    Bounds are inclusive and are named in the error in the same compact units.
    """
    _check_length(text, what, DURATION_EXAMPLES)
    cleaned = _normalise(text)
    if not cleaned:
        raise BadInput(f"Please type a {what}, such as {DURATION_EXAMPLES}.")
    if cleaned in _OFF_WORDS:
        if allow_off:
            return None
        raise BadInput(f"This {what} can't be turned off. Try {DURATION_EXAMPLES}.")
    cleaned = re.sub(r"^(?:every|in|for|after) ", "", cleaned)
    try:
        amount = _parse_amount(cleaned)
        total = amount.total if amount is not None else None
    except OverflowError:
        raise BadInput(f"That {what} is far too long. Try {DURATION_EXAMPLES}.") from None
    if total is None:
        if re.fullmatch(r"\d{1,9}", cleaned, re.ASCII):
            raise BadInput(f"`{cleaned}` needs a unit, for example `{cleaned}m` for minutes or `{cleaned}h` for hours.")
        raise BadInput(f"I couldn't read `{_shown(text)}` as a {what}. Try {DURATION_EXAMPLES}.")
    if total <= timedelta(0):
        if allow_off:
            return None
        raise BadInput(f"The {what} needs to be longer than zero. Try {DURATION_EXAMPLES}.")
    if (minimum is not None and total < minimum) or (maximum is not None and total > maximum):
        raise BadInput(f"The {what} needs to be {_range_text(minimum, maximum)}.")
    return total


# ------------------------------------------------------------------------------------------------ clock times

_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
_CLOCK = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?:(?P<ap>[ap])\.?\s*m\.?)?", re.ASCII)


def _clock_from_match(match: re.Match[str], raw: str) -> time:
    hour = int(match["h"])
    minute = int(match["m"]) if match["m"] is not None else 0
    meridiem = match["ap"]
    if minute > 59:
        raise BadInput(f"`{_shown(raw)}` isn't a time of day: minutes go up to 59. Try {CLOCK_EXAMPLES}.")
    if meridiem is not None:
        if hour == 0 or hour > 12:
            if 13 <= hour <= 23:
                twelve = f"{hour - 12}" if minute == 0 else f"{hour - 12}:{minute:02d}"
                hint = f"Did you mean `{twelve}{meridiem}m` or `{hour:02d}:{minute:02d}`?"
            elif hour == 0:
                hint = (
                    f"Did you mean `12:{minute:02d}{meridiem}m` or `{0 if meridiem == 'a' else 12:02d}:{minute:02d}`?"
                )
            else:
                hint = f"Try {CLOCK_EXAMPLES}."
            raise BadInput(f"`{_shown(raw)}` isn't a time of day. {hint}")
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    elif hour == 24 and minute == 0:
        raise BadInput("Midnight is written `00:00` (or just `midnight`).")
    elif hour > 23:
        raise BadInput(f"`{_shown(raw)}` isn't a time of day: hours go up to 23. Try {CLOCK_EXAMPLES}.")
    return time(hour, minute)


def parse_clock(text: str) -> time:
    """Read a time of day: ``09:30``, ``9:30``, ``9am``, ``9 am``, ``5:15pm``, ``17:00``, ``noon``, ``midnight``.

    A bare hour (``9``, ``17``) is read on the 24-hour clock. Seconds and ``24:00`` are not accepted.
    """
    _check_length(text, "time", CLOCK_EXAMPLES)
    cleaned = _normalise(text)
    if not cleaned:
        raise BadInput(f"Please type a time of day, such as {CLOCK_EXAMPLES}.")
    if cleaned in _NAMED_TIMES:
        return _NAMED_TIMES[cleaned]
    match = _CLOCK.fullmatch(cleaned)
    if match is None:
        raise BadInput(f"I couldn't read `{_shown(text)}` as a time of day. Try {CLOCK_EXAMPLES}.")
    return _clock_from_match(match, text)


# ----------------------------------------------------------------------------------------------- quiet hours


def parse_quiet_hours(start: str, end: str) -> tuple[time, time] | None:
    """Read a quiet-hours window; ``off`` (in either box) turns quiet hours off and gives None.

    The window may wrap past midnight (``22:00`` to ``07:00``); a window that starts when it ends is refused.
    """
    if _normalise(start) in _OFF_WORDS or _normalise(end) in _OFF_WORDS:
        return None
    begins = parse_clock(start)
    finishes = parse_clock(end)
    if begins == finishes:
        raise BadInput("Quiet hours need different start and end times, for example `22:00` to `07:00`.")
    return begins, finishes


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    """Whether a local time of day falls in ``[start, end)``; a window with ``start > end`` wraps midnight."""
    now = local.replace(tzinfo=None)
    begins = start.replace(tzinfo=None)
    finishes = end.replace(tzinfo=None)
    if begins == finishes:
        return False
    if begins < finishes:
        return begins <= now < finishes
    return now >= begins or now < finishes


def quiet_hours_end(instant: datetime, zone: ZoneInfo, start: time, end: time) -> datetime | None:
    """If ``instant`` falls in quiet hours as the clock reads in ``zone``, the UTC instant they end; else None.

    The end is the next time the local clock reads ``end`` (resolved through DST like any wall time), so the
    result is always after ``instant``.
    """
    _require_aware(instant, "instant")
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    local = instant.astimezone(zone)
    if not in_quiet_hours(local.time(), start, end):
        return None
    end_day = local.date()
    if start > end and local.time() >= start:
        end_day += timedelta(days=1)
    wall = datetime.combine(end_day, end)
    finish = resolve_local(wall, zone).astimezone(UTC)
    if finish <= instant:
        # Fall-back: we are in the repeated hour and the first reading of ``end`` has already gone by.
        finish = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return finish if finish > instant else None


# ------------------------------------------------------------------------------------------ dates and times

_WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
_MONTHS: dict[str, int] = {
    **dict.fromkeys(("jan", "january"), 1),
    **dict.fromkeys(("feb", "february"), 2),
    **dict.fromkeys(("mar", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("may",), 5),
    **dict.fromkeys(("jun", "june"), 6),
    **dict.fromkeys(("jul", "july"), 7),
    **dict.fromkeys(("aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("oct", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("dec", "december"), 12),
}
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip
_TIME_WORDS = {
    **_NAMED_TIMES,
    "morning": time(9, 0),
    "afternoon": time(15, 0),
    "evening": time(18, 0),
    "night": _TONIGHT,
}

_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"

_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.ASCII), replacement)
    for pattern, replacement in (
        (r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 "),
        (r"\b(?:end of (?:the )?(?:work ?)?day|close of business|cob)\b", "eod"),
        (r"\b(?:end of (?:the )?(?:work ?)?week)\b", "eow"),
        (r"\b(?:the )?day after (?:tomorrow|tmrw|tmr)\b", "overmorrow"),
        (r"\b(?:tmrw|tmr|tmw|tomorow|tommorow|tommorrow|tomorrrow)\b", "tomorrow"),
        (r"\bin the (morning|afternoon|evening)\b", r"\1"),
        (r"\bat night\b", "night"),
    )
)
_FILLERS = re.compile(r"\b(?:at|on|the|of|by)\b|[@,]", re.ASCII)
_TIME_TOKEN = re.compile(
    r"(?<![\w:])(?:\d{1,2}:\d{2}(?:\s*[ap]\.?\s*m\b\.?)?|\d{1,2}\s*[ap]\.?\s*m\b\.?)(?![\w:])"
    r"|\b(?:" + "|".join(_TIME_WORDS) + r")\b",
    re.ASCII,
)
_ISO_DATE = re.compile(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})", re.ASCII)
_MONTH_DAY = re.compile(rf"(?P<mon>{_MON})\.? (?P<d>\d{{1,2}}){_ORD}(?: (?P<y>\d{{4}}))?", re.ASCII)
_DAY_MONTH = re.compile(rf"(?P<d>\d{{1,2}}){_ORD} (?P<mon>{_MON})\.?(?: (?P<y>\d{{4}}))?", re.ASCII)
_ORDINAL_DAY = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)", re.ASCII)
_NUMERIC_DATE = re.compile(r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?", re.ASCII)
_WEEKDAY_FORM = re.compile(
    rf"(?:(?P<mod>this|next|last|coming) )?(?P<wd>{_WD})\.?|(?P<wd2>{_WD})\.? (?P<mod2>next|last|this) week",
    re.ASCII,
)
_WEEK_FORM = re.compile(r"(?P<mod>this|next|last) week", re.ASCII)
_ANCHORED = re.compile(r"(?P<amount>.+?) (?P<dir>from|after|before) (?P<anchor>.+)", re.ASCII)
_NTH_OF_MONTH = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)? (?P<mod>this|next|last) month", re.ASCII)
_RELATIVE = re.compile(r"in (?P<a>.+)|(?P<b>.+) from now|(?P<c>.+) ago", re.ASCII)
_MONTHS_RELATIVE = re.compile(
    r"in (?P<a>\d{1,6}|[a-z]+) months?|(?P<b>\d{1,6}|[a-z]+) months? from now|(?P<c>\d{1,6}|[a-z]+) months? ago",
    re.ASCII,
)

_DAY_WORDS = {"today": 0, "eod": 0, "this": 0, "tomorrow": 1, "overmorrow": 2, "yesterday": -1}


@dataclass(frozen=True)
class _Context:
    now: datetime  # UTC
    zone: ZoneInfo
    today: date  # the member's local date
    default_time: time
    backwards: bool

    def at(self, day: date, clock: time) -> datetime:
        """The UTC instant the member's clock reads ``clock`` on ``day``."""
        return resolve_local(datetime.combine(day, clock), self.zone).astimezone(UTC)


def _describe(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b} {local.year}, {local:%H:%M}"


def _span(td: timedelta) -> str:
    days = td.days
    if days >= 360:
        years = max(1, round(days / 365.25))
        return "a year" if years == 1 else f"{years} years"
    if days >= 14 and days % 7 == 0 and not td.seconds:
        return f"{days // 7} weeks"
    if days >= 2 and not td.seconds:
        return f"{days} days"
    return format_duration(td)


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadInput(f"`{_shown(raw)}` isn't a real date. Try {WHEN_EXAMPLES}.") from None


def _month_day(ctx: _Context, month: int, day: int, raw: str) -> date:
    """The nearest ``month``/``day`` that is today or later (earlier, when reading backwards)."""
    if day < 1 or day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        raise BadInput(f"{_MONTH_NAMES[month - 1]} {day} isn't a real date. Try {WHEN_EXAMPLES}.")
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
    raise BadInput(f"`{_shown(raw)}` isn't a date I can place. Try {WHEN_EXAMPLES}.")


def _day_of_month(ctx: _Context, day: int, raw: str) -> date:
    """``15th``: the nearest 15th of a month that is today or later (earlier, when reading backwards)."""
    if not 1 <= day <= 31:
        raise BadInput(f"`{_shown(raw)}` isn't a real date. Try {WHEN_EXAMPLES}.")
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
    raise BadInput(f"`{_shown(raw)}` isn't a real date. Try {WHEN_EXAMPLES}.")  # pragma: no cover


def _weekday(ctx: _Context, weekday: int, modifier: str | None, clock: time) -> datetime:
    today = ctx.today
    monday = today - timedelta(days=today.weekday())
    if modifier == "next":
        return ctx.at(monday + timedelta(days=7 + weekday), clock)
    if modifier == "calendar week":
        return ctx.at(monday + timedelta(days=weekday), clock)
    if modifier == "last":
        back = (today.weekday() - weekday) % 7 or 7
        return ctx.at(today - timedelta(days=back), clock)
    if ctx.backwards:
        day = today - timedelta(days=(today.weekday() - weekday) % 7)
        instant = ctx.at(day, clock)
        if modifier is None and day == today and instant > ctx.now:
            instant = ctx.at(day - timedelta(days=7), clock)
        return instant
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    instant = ctx.at(day, clock)
    if modifier is None and day == today and instant <= ctx.now:
        instant = ctx.at(day + timedelta(days=7), clock)
    return instant


def _add_months(ctx: _Context, months: int, clock: time | None) -> datetime:
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


def _relative(ctx: _Context, amount: _Amount, sign: int, clock: time | None) -> datetime | None:
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


def _read_date_part(ctx: _Context, rest: str, clock: time | None, raw: str) -> datetime | None:
    """Interpret what is left once any time of day has been taken out; None if it isn't a date we know."""
    default = ctx.default_time if clock is None else clock

    if not rest:
        if clock is None:
            return None
        instant = ctx.at(ctx.today, clock)
        if ctx.backwards and instant > ctx.now:
            instant = ctx.at(ctx.today - timedelta(days=1), clock)
        elif not ctx.backwards and instant <= ctx.now:
            instant = ctx.at(ctx.today + timedelta(days=1), clock)
        return instant

    if rest in _DAY_WORDS:
        if rest == "this" and clock is None:
            return None
        if rest == "eod" and clock is None:
            default = _END_OF_WORKDAY
        return ctx.at(ctx.today + timedelta(days=_DAY_WORDS[rest]), default)

    if rest == "tonight":
        if clock is None:
            return ctx.at(ctx.today, _TONIGHT)
        day = ctx.today + timedelta(days=1 if clock < _SMALL_HOURS_END else 0)
        return ctx.at(day, clock)

    if rest == "eow":
        return _weekday(ctx, 4, None, _END_OF_WORKDAY if clock is None else clock)

    if match := _WEEKDAY_FORM.fullmatch(rest):
        weekday = _WEEKDAYS[match["wd"] or match["wd2"]]
        modifier = match["mod"] or match["mod2"]
        if modifier == "coming":
            modifier = None
        elif match["mod2"] == "this":
            modifier = "calendar week"
        return _weekday(ctx, weekday, modifier, default)

    if match := _WEEK_FORM.fullmatch(rest):
        monday = ctx.today - timedelta(days=ctx.today.weekday())
        shift = {"this": 0, "next": 7, "last": -7}[match["mod"]]
        return ctx.at(monday + timedelta(days=shift), default)

    if match := _ISO_DATE.fullmatch(rest):
        day = _make_date(int(match["y"]), int(match["m"]), int(match["d"]), raw)
        return ctx.at(day, default)

    if match := (_MONTH_DAY.fullmatch(rest) or _DAY_MONTH.fullmatch(rest)):
        month, day_number = _MONTHS[match["mon"]], int(match["d"])
        if match["y"] is not None:
            day = _make_date(int(match["y"]), month, day_number, raw)
        else:
            day = _month_day(ctx, month, day_number, raw)
        return ctx.at(day, default)

    if match := _ORDINAL_DAY.fullmatch(rest):
        return ctx.at(_day_of_month(ctx, int(match["d"]), raw), default)

    if _NUMERIC_DATE.fullmatch(rest):
        if re.fullmatch(r"\d{1,2}\.\d{2}", rest, re.ASCII):
            raise BadInput(
                f"I can't tell whether `{_shown(rest)}` is a time or a date. For a time use a colon, like "
                "`9:30`; for a date write the month as a word, like `dec 1`."
            )
        raise BadInput(
            f"Dates like `{_shown(rest)}` mean different days in different countries, so please write the "
            "month as a word or use year-month-day: `dec 1` or `2026-12-01`."
        )

    if match := _MONTHS_RELATIVE.fullmatch(rest):
        count = match["a"] or match["b"] or match["c"]
        months = int(count) if count.isdigit() else _NUMBER_WORDS.get(count)
        if months is None:
            return None
        return _add_months(ctx, months * (-1 if match["c"] else 1), clock)

    if match := _NTH_OF_MONTH.fullmatch(rest):
        index = ctx.today.year * 12 + ctx.today.month - 1 + {"this": 0, "next": 1, "last": -1}[match["mod"]]
        year, month = divmod(index, 12)
        return ctx.at(_make_date(year, month + 1, int(match["d"]), raw), default)

    if (match := _ANCHORED.fullmatch(rest)) and match["anchor"] != "now":
        amount = _parse_amount(match["amount"])
        anchor = _read_date_part(ctx, match["anchor"], clock, raw)
        if amount is None or amount.clock or anchor is None:
            return None  # only whole days and weeks count from a day: "3 weeks from tomorrow"
        wall = anchor.astimezone(ctx.zone).replace(tzinfo=None)
        offset = timedelta(days=amount.days) * (-1 if match["dir"] == "before" else 1)
        return resolve_local(wall + offset, ctx.zone).astimezone(UTC)

    if match := _RELATIVE.fullmatch(rest):
        body = match["a"] or match["b"] or match["c"]
        amount = _parse_amount(body)
        if amount is None:
            return None
        return _relative(ctx, amount, -1 if match["c"] else 1, clock)

    amount = _parse_amount(rest)
    if amount is not None:
        return _relative(ctx, amount, -1 if ctx.backwards else 1, clock)
    return None


def _grammar(ctx: _Context, cleaned: str, raw: str) -> datetime | None:
    text = cleaned
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    text = " ".join(_FILLERS.sub(" ", text).split())
    if text == "now":
        return ctx.now
    tokens = list(_TIME_TOKEN.finditer(text))
    if len(tokens) > 1:
        return None
    clock: time | None = None
    if tokens:
        token = tokens[0]
        word = token.group(0)
        if word in _TIME_WORDS:
            clock = _TIME_WORDS[word]
        else:
            clock_match = _CLOCK.fullmatch(word)
            if clock_match is None:  # pragma: no cover - the token pattern is a subset of _CLOCK
                return None
            clock = _clock_from_match(clock_match, word)
        text = " ".join((text[: token.start()] + " " + text[token.end() :]).split())
    return _read_date_part(ctx, text, clock, raw)


def parse_when(
    text: str,
    *,
    now: datetime,
    zone: ZoneInfo,
    default_time: time = time(17, 0),
    allow_past: bool = False,
    max_future: timedelta = timedelta(days=3650),
    what: str = "date",
) -> datetime:
    """Read a date and/or time typed in the member's ``zone`` relative to ``now``; returns a UTC instant.

    See the module docstring for the grammar and how ambiguous forms are read. Results at or before ``now``
    are refused unless ``allow_past``; results more than ``max_future`` ahead are always refused.
    """
    _require_aware(now, "now")
    _check_length(text, what, WHEN_EXAMPLES)
    cleaned = _normalise(text)
    if not cleaned:
        raise BadInput(f"Please type a {what}, such as {WHEN_EXAMPLES}.")
    ctx = _Context(
        now=now.astimezone(UTC),
        zone=zone,
        today=now.astimezone(zone).date(),
        default_time=default_time.replace(tzinfo=None),
        backwards=allow_past,
    )
    try:
        result = _grammar(ctx, cleaned, text)
    except OverflowError:
        raise BadInput(f"That's too far away. Try {WHEN_EXAMPLES}.") from None
    if result is None:
        raise BadInput(f"I couldn't read `{_shown(text)}` as a {what}. Try {WHEN_EXAMPLES}.")
    result = result.astimezone(UTC)
    if not allow_past and result <= ctx.now:
        raise BadInput(f"That's in the past ({_describe(result, zone)} your time). Try {WHEN_EXAMPLES}.")
    if result - ctx.now > max_future:
        raise BadInput(f"That's too far ahead: the {what} can be at most {_span(max_future)} from now.")
    return result


def parse_away_until(text: str, *, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When a member will be back: ``off`` gives None; a date alone means 00:00 that day, in their zone.

    A date with a time means that time. The result must be in the future and at most a year ahead.
    """
    _require_aware(now, "now")
    _check_length(text, "return date", WHEN_EXAMPLES)
    if _normalise(text) in _OFF_WORDS | {"back"}:
        return None
    local_now = now.astimezone(zone).replace(tzinfo=None)
    try:
        year_later = local_now.replace(year=local_now.year + 1)
    except ValueError:  # 29 February
        year_later = local_now.replace(year=local_now.year + 1, day=28)
    limit = resolve_local(year_later, zone).astimezone(UTC) - now.astimezone(UTC)
    return parse_when(text, now=now, zone=zone, default_time=time(0, 0), max_future=limit, what="return date")
