"""Instants and deadlines: what a member means by ``tomorrow 5pm``, ``fri``, ``in 3 days`` or ``dec 1``.

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

Text the English grammar cannot read is tried once more in the words of the other shipped languages
(German, Spanish, French, Brazilian Portuguese: ``freitag 17 Uhr``, ``mañana 9:00``, ``dans 3 jours``), read
into English by :mod:`bot.timeparse.languages`; so an English reading always wins where words clash.

Anything outside this grammar is refused with examples rather than guessed at. dateparser is deliberately
not used as a fallback: on the phrases it would have added it answers wrongly without complaint (with
English settings, ``1 week from today`` comes back a week in the past, ``2 days from yesterday`` as
yesterday, ``tomorrow 5`` drops the 5 and ``5 5`` becomes 5 May), and a wrong reminder time is worse than a
polite "try again". So this module imports nothing slow.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.timeparse.clock import CLOCK, clock_from_match
from bot.timeparse.days import (
    Context,
    Moment,
    Span,
    add_months,
    day_of_month,
    make_date,
    month_day,
    relative,
    weekday,
)
from bot.timeparse.durations import parse_amount
from bot.timeparse.languages import WHEN_INPUT, localise
from bot.timeparse.languages.en import (
    DAY_WORDS,
    END_OF_WORKDAY,
    MONTHS,
    NUMBER_WORDS,
    SMALL_HOURS_END,
    TIME_WORDS,
    TONIGHT,
    WEEKDAYS,
)
from bot.timeparse.text import OFF_WORDS, check_length, field_name, normalise, require_aware, shown
from bot.timezones import resolve_local

_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
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
    r"|\b(?:" + "|".join(TIME_WORDS) + r")\b",
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



def _read_date_part(ctx: Context, rest: str, clock: time | None, raw: str) -> datetime | None:
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

    if rest in DAY_WORDS:
        if rest == "this" and clock is None:
            return None
        if rest == "eod" and clock is None:
            default = END_OF_WORKDAY
        return ctx.at(ctx.today + timedelta(days=DAY_WORDS[rest]), default)

    if rest == "tonight":
        if clock is None:
            return ctx.at(ctx.today, TONIGHT)
        day = ctx.today + timedelta(days=1 if clock < SMALL_HOURS_END else 0)
        return ctx.at(day, clock)

    if rest == "eow":
        return weekday(ctx, 4, None, END_OF_WORKDAY if clock is None else clock)

    if match := _WEEKDAY_FORM.fullmatch(rest):
        day_index = WEEKDAYS[match["wd"] or match["wd2"]]
        modifier = match["mod"] or match["mod2"]
        if modifier == "coming":
            modifier = None
        elif match["mod2"] == "this":
            modifier = "calendar week"
        return weekday(ctx, day_index, modifier, default)

    if match := _WEEK_FORM.fullmatch(rest):
        monday = ctx.today - timedelta(days=ctx.today.weekday())
        shift = {"this": 0, "next": 7, "last": -7}[match["mod"]]
        return ctx.at(monday + timedelta(days=shift), default)

    if match := _ISO_DATE.fullmatch(rest):
        day = make_date(int(match["y"]), int(match["m"]), int(match["d"]), raw)
        return ctx.at(day, default)

    if match := (_MONTH_DAY.fullmatch(rest) or _DAY_MONTH.fullmatch(rest)):
        month, day_number = MONTHS[match["mon"]], int(match["d"])
        if match["y"] is not None:
            day = make_date(int(match["y"]), month, day_number, raw)
        else:
            day = month_day(ctx, month, day_number, raw)
        return ctx.at(day, default)

    if match := _ORDINAL_DAY.fullmatch(rest):
        return ctx.at(day_of_month(ctx, int(match["d"]), raw), default)

    if _NUMERIC_DATE.fullmatch(rest):
        if re.fullmatch(r"\d{1,2}\.\d{2}", rest, re.ASCII):
            raise BadInput(
                "I can't tell whether `{text}` is a time or a date. For a time use a colon, like `9:30`; for a "
                "date write the month as a word, like `dec 1`.",
                text=shown(rest),
            )
        raise BadInput(
            "Dates like `{text}` mean different days in different countries, so please write the month as a "
            "word or use year-month-day: `dec 1` or `2026-12-01`.",
            text=shown(rest),
        )

    if match := _MONTHS_RELATIVE.fullmatch(rest):
        count = match["a"] or match["b"] or match["c"]
        months = int(count) if count.isdigit() else NUMBER_WORDS.get(count)
        if months is None:
            return None
        return add_months(ctx, months * (-1 if match["c"] else 1), clock)

    if match := _NTH_OF_MONTH.fullmatch(rest):
        index = ctx.today.year * 12 + ctx.today.month - 1 + {"this": 0, "next": 1, "last": -1}[match["mod"]]
        year, month = divmod(index, 12)
        return ctx.at(make_date(year, month + 1, int(match["d"]), raw), default)

    if (match := _ANCHORED.fullmatch(rest)) and match["anchor"] != "now":
        amount = parse_amount(match["amount"])
        anchor = _read_date_part(ctx, match["anchor"], clock, raw)
        if amount is None or amount.clock or anchor is None:
            return None  # only whole days and weeks count from a day: "3 weeks from tomorrow"
        wall = anchor.astimezone(ctx.zone).replace(tzinfo=None)
        offset = timedelta(days=amount.days) * (-1 if match["dir"] == "before" else 1)
        return resolve_local(wall + offset, ctx.zone).astimezone(UTC)

    if match := _RELATIVE.fullmatch(rest):
        body = match["a"] or match["b"] or match["c"]
        amount = parse_amount(body)
        if amount is None:
            return None
        return relative(ctx, amount, -1 if match["c"] else 1, clock)

    amount = parse_amount(rest)
    if amount is not None:
        return relative(ctx, amount, -1 if ctx.backwards else 1, clock)
    return None


def _grammar(ctx: Context, cleaned: str, raw: str) -> datetime | None:
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
        if word in TIME_WORDS:
            clock = TIME_WORDS[word]
        else:
            clock_match = CLOCK.fullmatch(word)
            if clock_match is None:  # pragma: no cover - the token pattern is a subset of _CLOCK
                return None
            clock = clock_from_match(clock_match, word)
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
    require_aware(now, "now")
    check_length(text, what, WHEN_INPUT)
    field = field_name(what)
    cleaned = normalise(text)
    if not cleaned:
        raise BadInput("Please type a {what}, such as {examples}.", what=field, examples=WHEN_INPUT)
    ctx = Context(
        now=now.astimezone(UTC),
        zone=zone,
        today=now.astimezone(zone).date(),
        default_time=default_time.replace(tzinfo=None),
        backwards=allow_past,
    )
    try:
        result = _grammar(ctx, cleaned, text)
        if result is None:  # English first; only what it cannot read is tried in the other shipped languages
            english = localise(cleaned)
            result = _grammar(ctx, english, text) if english is not None else None
    except OverflowError:
        raise BadInput("That's too far away. Try {examples}.", examples=WHEN_INPUT) from None
    if result is None:
        raise BadInput(
            "I couldn't read `{text}` as a {what}. Try {examples}.", text=shown(text), what=field, examples=WHEN_INPUT
        )
    result = result.astimezone(UTC)
    if not allow_past and result <= ctx.now:
        raise BadInput(
            "That's in the past ({when} your time). Try {examples}.", when=Moment(result, zone), examples=WHEN_INPUT
        )
    if result - ctx.now > max_future:
        raise BadInput(
            "That's too far ahead: the {what} can be at most {span} from now.", what=field, span=Span(max_future)
        )
    return result


def parse_away_until(text: str, *, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When a member will be back: ``off`` gives None; a date alone means 00:00 that day, in their zone.

    A date with a time means that time. The result must be in the future and at most a year ahead.
    """
    require_aware(now, "now")
    check_length(text, "return date", WHEN_INPUT)
    if normalise(text) in OFF_WORDS | {"back"}:
        return None
    local_now = now.astimezone(zone).replace(tzinfo=None)
    try:
        year_later = local_now.replace(year=local_now.year + 1)
    except ValueError:  # 29 February
        year_later = local_now.replace(year=local_now.year + 1, day=28)
    limit = resolve_local(year_later, zone).astimezone(UTC) - now.astimezone(UTC)
    return parse_when(text, now=now, zone=zone, default_time=time(0, 0), max_future=limit, what="return date")
