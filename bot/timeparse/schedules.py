"""Schedule phrases: ``weekdays 09:30``, ``every 2 weeks on fri 16:00``, ``cron 0 9 * * 1-5`` -> a Recurrence.

Accepted forms (case-insensitive, extra spaces tolerated, an optional ``at`` before the time)::

    daily 09:30                      weekdays 9:30am              weekends 10:00
    mon,wed,fri 17:00                mon wed fri 5pm              every monday 9:00
    every 2 weeks on fri 16:00       every other week on tue,thu 9am
    monthly on 1 at 10:00            monthly on the 31st at 10:00 monthly on last at 10:00
    cron 0 9 * * 1-5

and, when the English reading fails, the same phrases in the words of the other shipped languages
(``werktags 9 Uhr``, ``lun,mié,vie 17:00``, ``en semaine 9h``, ``dias úteis 9h``, ``täglich 9h30``): see
:mod:`bot.timeparse.languages`.

Every-N-weeks schedules need an *anchor*: a week that is "on". The caller passes the local date the
schedule was created (``parse_schedule(text, anchor=...)``); it is normalised to the Monday of its
ISO week and kept in the canonical text. The rule is purely periodic: the weeks ``k * N`` weeks away
from the anchor week (before or after it) are the "on" weeks, counted in local calendar dates.

The phrase is split into words once and read word by word; the only patterns left run over a single word,
anchored and without nested repetition, so reading is linear in the length of the text.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.errors import BadInput
from bot.timeparse.cron import parse_cron, shown_schedule
from bot.timeparse.languages import SCHEDULE_INPUT, localise
from bot.timeparse.languages.en import SCHEDULE_DAYS, SCHEDULE_EXAMPLES, SCHEDULE_FILLERS
from bot.timeparse.rules import LAST_DAY, MAX_EVERY_WEEKS, Recurrence

__all__ = ["MAX_EVERY_WEEKS", "MAX_SCHEDULE_CHARS", "SCHEDULE_EXAMPLES", "parse_schedule"]

#: The longest schedule phrase a member may type (``/checkin create`` refuses longer ones with this number).
MAX_SCHEDULE_CHARS = 120
#: Longer text, typed or stored, is refused before any reading: canonical text is far shorter.
_MAX_READ_CHARS = 1_000

_TIME_RE = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)?")
_MONTH_DAY_RE = re.compile(r"(\d{1,3})(?:st|nd|rd|th)?")
_MERIDIEM_RE = re.compile(r"(\d) ?([ap])\.?m\.?(?= |$)")
_DAY_SEPARATORS = re.compile(r"[\s,&/+]+")


def _normalise(text: str) -> str:
    s = " ".join(text.strip().strip("`'\"").lower().split())
    # "5:15 pm", "9 a.m." -> "5:15pm", "9am"
    return _MERIDIEM_RE.sub(r"\1\2m", s)


def _parse_time(token: str) -> tuple[int, int]:
    if token == "noon":
        return 12, 0
    if token == "midnight":
        return 0, 0
    m = _TIME_RE.fullmatch(token)
    bad = BadInput(
        "`{text}` isn't a time I understand. Use 24-hour `17:30` or `5:30pm`.\n{examples}",
        text=shown_schedule(token),
        examples=SCHEDULE_INPUT,
    )
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
    for word in _DAY_SEPARATORS.split(text):
        if not word or word in SCHEDULE_FILLERS:
            continue
        found = SCHEDULE_DAYS.get(word)
        if found is None:
            raise BadInput(
                "`{text}` isn't a day I know. Use names like `mon`, `tuesday` or `weekdays`.\n{examples}",
                text=shown_schedule(word),
                examples=SCHEDULE_INPUT,
            )
        days |= found
    if not days:
        raise BadInput("Tell me which days the check-in runs on.\n{examples}", examples=SCHEDULE_INPUT)
    return frozenset(days)


def _split_anchor(words: list[str]) -> tuple[list[str], str | None]:
    """``... from 2026-01-05`` / ``... starting 2026-01-05``: the words before, and the date text."""
    if len(words) >= 3 and words[-2] in ("from", "starting"):
        return words[:-2], words[-1]
    return words, None


def _split_time(words: list[str]) -> tuple[list[str], str] | None:
    """The head words and the time word (the last word, after an optional ``at``)."""
    if len(words) < 2:
        return None
    if len(words) >= 3 and words[-2] == "at":
        return words[:-2], words[-1]
    return words[:-1], words[-1]


def _monthly_day(head: list[str]) -> int | None:
    """``monthly on the 1st`` / ``every month on last day``: the day (``LAST_DAY`` for last); None if not monthly.

    Raises BadInput for a day outside 1-31.
    """
    if head[:1] == ["monthly"]:
        rest = head[1:]
    elif head[:2] == ["every", "month"]:
        rest = head[2:]
    else:
        return None
    for optional in ("on", "the", "day"):
        if rest[:1] == [optional] and len(rest) > 1:
            rest = rest[1:]
    if rest in (["last"], ["last", "day"]):
        return LAST_DAY
    if len(rest) == 1 and (m := _MONTH_DAY_RE.fullmatch(rest[0])) is not None:
        day = int(m.group(1))
        if not 1 <= day <= 31:
            raise BadInput("The day of the month must be from 1 to 31, or `last`.\n{examples}", examples=SCHEDULE_INPUT)
        return day
    return None


def _every_weeks(head: list[str]) -> tuple[int, str] | None:
    """``every 2 weeks on fri`` / ``every other week tue,thu`` / ``fortnightly on mon``: (N, day text) or None."""
    if head[:1] == ["fortnightly"]:
        every, rest = 2, head[1:]
    elif head[:1] == ["every"] and head[1:2] in (["week"], ["weeks"]):
        every, rest = 1, head[2:]
    elif head[:1] == ["every"] and len(head) >= 3 and head[2] in ("week", "weeks"):
        count = head[1]
        if count == "other":
            every = 2
        elif count.isdecimal():
            every = int(count)
        else:
            return None
        rest = head[3:]
    else:
        return None
    if len(rest) >= 2 and rest[0] == "on":
        rest = rest[1:]
    return every, " ".join(rest)


def _read(text: str, anchor: date | None) -> Recurrence:
    if len(text) > _MAX_READ_CHARS:
        raise BadInput(
            "Keep the schedule to {limit} characters, like `weekdays 9:30`.\n{examples}",
            limit=MAX_SCHEDULE_CHARS,
            examples=SCHEDULE_INPUT,
        )
    s = _normalise(text)
    if not s:
        raise BadInput("Tell me when the check-in should run.\n{examples}", examples=SCHEDULE_INPUT)
    if s == "cron" or s.startswith("cron "):
        return Recurrence(kind="cron", cron=parse_cron(s[4:]))

    words, date_text = _split_anchor(s.split(" "))
    explicit_anchor: date | None = None
    if date_text is not None:
        try:
            explicit_anchor = date.fromisoformat(date_text)
        except ValueError:
            raise BadInput(
                "`{text}` isn't a date I understand; use YYYY-MM-DD.\n{examples}",
                text=shown_schedule(date_text),
                examples=SCHEDULE_INPUT,
            ) from None

    split = _split_time(words)
    if split is None:
        raise BadInput(
            "I couldn't find a time of day in `{text}`.\n{examples}", text=shown_schedule(text), examples=SCHEDULE_INPUT
        )
    head, time_text = split
    hour, minute = _parse_time(time_text)

    month_day = _monthly_day(head)
    if month_day is not None:
        if explicit_anchor is not None:
            raise BadInput(
                "A start week (`from ...`) only fits `every N weeks` schedules.\n{examples}", examples=SCHEDULE_INPUT
            )
        return Recurrence(kind="monthly", hour=hour, minute=minute, month_day=month_day)

    weeks = _every_weeks(head)
    if weeks is not None:
        every, days_text = weeks
        if not 1 <= every <= MAX_EVERY_WEEKS:
            raise BadInput(
                "A check-in can repeat every 1 to {most} weeks.\n{examples}",
                most=MAX_EVERY_WEEKS,
                examples=SCHEDULE_INPUT,
            )
        days = _parse_days(days_text)
        if every == 1:
            return Recurrence(kind="weekly", hour=hour, minute=minute, weekdays=days)
        start = explicit_anchor or anchor
        if start is None:
            raise ValueError("every-N-weeks schedules need an anchor date (pass anchor=)")
        monday = start - timedelta(days=start.weekday())
        return Recurrence(kind="weekly", hour=hour, minute=minute, weekdays=days, every_weeks=every, anchor=monday)

    if explicit_anchor is not None:
        raise BadInput(
            "A start week (`from ...`) only fits `every N weeks` schedules.\n{examples}", examples=SCHEDULE_INPUT
        )
    if " ".join(head).startswith(("month", "every month")):
        raise BadInput(
            "Monthly schedules look like `monthly on 1 at 10:00` or `monthly on last at 10:00`.\n{examples}",
            examples=SCHEDULE_INPUT,
        )
    days = _parse_days(" ".join(head))
    return Recurrence(kind="weekly", hour=hour, minute=minute, weekdays=days)


def parse_schedule(text: str, anchor: date | None = None) -> Recurrence:
    """Parse a member's schedule phrase (or stored canonical text) into a :class:`Recurrence`.

    ``anchor`` is only used by every-N-weeks schedules: pass the schedule's creation date, as a local
    date in the schedule's zone. The week containing it is an "on" week (the anchor is normalised to that
    week's Monday). A ``from YYYY-MM-DD`` suffix in the text (which canonical text always has) takes
    precedence over ``anchor``. An every-N-weeks phrase with no anchor at all is a programming error and
    raises :class:`ValueError`. Anything a member got wrong raises :class:`BadInput` with examples; a
    phrase English cannot read is read once more in the other shipped languages' words, and if that fails
    too the English refusal is the one shown.
    """
    if isinstance(anchor, datetime):
        raise TypeError("anchor must be a local date, not a datetime")
    try:
        return _read(text, anchor)
    except BadInput as refusal:
        english = localise(_normalise(text)) if len(text) <= _MAX_READ_CHARS else None
        if english is None:
            raise
        try:
            return _read(english, anchor)
        except BadInput:
            raise refusal from None
