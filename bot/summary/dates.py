"""Due dates in chat: "by Friday", "tomorrow", "next week", "by 5pm", "on Dec 3", "EOD".

Phrases are read relative to the message's time in the speaker's own time zone, the way they meant them,
and returned as aware UTC instants. The rules, all in the speaker's local time:

* a day without a time means 17:00 that day; "tonight" means 20:00, "noon" 12:00, "morning" 09:00;
* a weekday name is its next occurrence, one to seven days ahead: "by Friday" said on a Friday is the
  following Friday ("today" says today); "next Friday" is read the same way;
* "this week" / "end of the week" is this week's Friday (next week's once the weekend has started),
  "next week" is next week's Friday, "the weekend" is the coming Saturday, "end of the month" its last day;
* a time alone ("by 5pm") is today, or tomorrow once that time has passed; "EOD" is 17:00 today;
* "on Dec 3" is the next Dec 3 that is not in the past.

The common phrases are handled here directly (fast and predictable); any other date-like phrase after
"by", "on", "before" or "until" that holds a digit is handed to dateparser, with the message time as its
base and dates preferred from the future.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.timezones import get_zone, resolve_local

DEFAULT_TIME = time(17, 0)

_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_PARTS_OF_DAY = {"morning": time(9, 0), "afternoon": time(15, 0), "evening": time(19, 0),
                 "night": time(20, 0), "tonight": time(20, 0), "noon": time(12, 0), "lunch": time(12, 0),
                 "midday": time(12, 0), "midnight": time(23, 59), "eod": time(17, 0), "cob": time(17, 0)}

_WD = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\b\.?"
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
        r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_TIME = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midnight)"
_DAY = (
    rf"(?:end\s+of\s+(?:the\s+)?(?:day|week|month)|eod|eow|eom|cob|close\s+of\s+business|today|tonight|"
    rf"tomorrow|tmrw|tmr|tomorow|(?:this\s+|next\s+|the\s+)?weekend|this\s+week|next\s+week|next\s+month|"
    rf"(?:this\s+|next\s+|on\s+)?{_WD}|"
    rf"{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}|"
    rf"the\s+\d{{1,2}}(?:st|nd|rd|th)\b|"
    rf"in\s+(?:a|an|one|two|three|four|five|six|seven|\d{{1,3}})\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?)|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})"
)
_PART = r"(?:\s+(?:at\s+)?(?P<part>morning|afternoon|evening|night|noon|lunch))?"
_PHRASE = re.compile(
    rf"\b(?P<prep>by|before|until|till|til|on|at|for|due|no\s+later\s+than)?\s*"
    rf"(?:(?P<day>{_DAY}){_PART}(?:\s*(?:,|at|by)?\s*(?P<time>{_TIME}))?|"
    rf"(?P<time2>{_TIME})(?:\s*(?:,|on)?\s*(?P<day2>{_DAY}))?)",
    re.I,
)
_FALLBACK = re.compile(r"\b(?:by|on|before|until|due)\s+(?P<phrase>[\w/.\-: ]*\d[\w/.\-: ]*)", re.I)
_TIME_PREPS = ("by", "before", "until", "till", "til", "at", "due", "no later than")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@dataclass(frozen=True, slots=True)
class Due:
    when: datetime  # aware, UTC
    text: str


def _zone(tz: str) -> ZoneInfo:
    try:
        return get_zone(tz)
    except BadInput:
        return ZoneInfo("UTC")


def _parse_time(raw: str) -> time | None:
    s = raw.lower().replace(".", "").replace(" ", "")
    if s in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[s]
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(am|pm)?", s)
    if not m:
        return None
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _end_of_month(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _day_of(raw: str, today: date) -> tuple[date | None, time | None, timedelta | None]:
    """Resolve a day phrase: (local date, default time of day, exact offset from the base)."""
    s = re.sub(r"\s+", " ", raw.lower().strip().rstrip("."))
    for prefix in ("on ", "the "):
        if s.startswith(prefix) and not s.startswith("the weekend"):
            s = s[len(prefix):]
    wd = today.weekday()
    if s in ("today", "eod", "end of day", "end of the day", "cob", "close of business"):
        return today, DEFAULT_TIME, None
    if s == "tonight":
        return today, _PARTS_OF_DAY["tonight"], None
    if s in ("tomorrow", "tmrw", "tmr", "tomorow"):
        return today + timedelta(days=1), None, None
    if s in ("this week", "end of week", "end of the week", "eow"):
        delta = (4 - wd) % 7
        return today + timedelta(days=delta), None, None
    if s == "next week":
        return today + timedelta(days=(4 - wd) + 7), None, None
    if s in ("weekend", "this weekend", "the weekend", "next weekend"):
        delta = (5 - wd) % 7
        if s == "next weekend":
            delta += 7
        return today + timedelta(days=delta), None, None
    if s in ("end of month", "end of the month", "eom"):
        return _end_of_month(today), None, None
    if s == "next month":
        first_next = _end_of_month(today) + timedelta(days=1)
        return _end_of_month(first_next), None, None
    words = s.split()
    if words and words[0] in ("this", "next") and len(words) == 2 and words[1].rstrip(".") in _WEEKDAYS:
        words = words[1:]
    if len(words) == 1 and words[0].rstrip(".") in _WEEKDAYS:
        target = _WEEKDAYS[words[0].rstrip(".")]
        delta = (target - wd) % 7 or 7
        return today + timedelta(days=delta), None, None
    m = re.fullmatch(r"in (\w+) (minute|min|hour|hr|day|week)s?", s)
    if m:
        n = _NUMBERS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else 0)
        unit = m.group(2)
        if unit in ("minute", "min"):
            return None, None, timedelta(minutes=n)
        if unit in ("hour", "hr"):
            return None, None, timedelta(hours=n)
        return today + timedelta(days=n * (7 if unit == "week" else 1)), None, None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None, None
        except ValueError:
            return None, None, None
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)", s)
    if m:
        day = int(m.group(1))
        y, mo = today.year, today.month
        for _ in range(3):
            if day <= calendar.monthrange(y, mo)[1] and date(y, mo, day) >= today:
                return date(y, mo, day), None, None
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        return None, None, None
    m = re.fullmatch(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?", s)
    if m:
        month_name = m.group(1) or m.group(4)
        day = int(m.group(2) or m.group(3))
        month = _MONTHS.get(month_name.rstrip("."))
        if month is None:
            return None, None, None
        for year in (today.year, today.year + 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                return None, None, None
            if candidate >= today:
                return candidate, None, None
    return None, None, None


def _local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    return resolve_local(datetime.combine(day, at), zone).astimezone(UTC)


def parse_due(text: str, sent_at: datetime, tz: str = "UTC") -> Due | None:
    """Find the first due-date phrase in ``text`` and resolve it, or return None."""
    zone = _zone(tz)
    local = sent_at.astimezone(zone)
    today = local.date()
    for m in _PHRASE.finditer(text):
        day_raw = m.group("day") or m.group("day2")
        time_raw = m.group("time") or m.group("time2")
        prep = (m.group("prep") or "").lower()
        # A bare time (5pm, 17:30) needs a preposition to be a deadline: "by 5pm", "at 17:30".
        if day_raw is None and time_raw is not None and prep not in _TIME_PREPS:
            continue
        if day_raw is not None and prep in ("for",) and day_raw.lower().strip() in ("today", "tonight"):
            continue
        at = _parse_time(time_raw) if time_raw else None
        if time_raw and at is None:
            continue
        phrase = m.group(0).strip().rstrip(".,")
        span_text = phrase
        if day_raw is None:
            assert at is not None
            due = _local_instant(today, at, zone)
            if due <= sent_at:
                due = _local_instant(today + timedelta(days=1), at, zone)
            return Due(due, span_text)
        day, default_at, offset = _day_of(day_raw, today)
        if offset is not None:
            return Due((sent_at + offset).astimezone(UTC), span_text)
        if day is None:
            continue
        part = m.group("part")
        if at is None and part:
            at = _PARTS_OF_DAY[part.lower()]
        due = _local_instant(day, at or default_at or DEFAULT_TIME, zone)
        return Due(due, span_text)
    fb = _FALLBACK.search(text)
    if fb:
        return _dateparser_due(fb.group("phrase").strip(), sent_at, tz)
    return None


def _dateparser_due(phrase: str, sent_at: datetime, tz: str) -> Due | None:
    if len(phrase) > 40 or not re.search(r"\d", phrase):
        return None
    found = _dateparser_cached(phrase, sent_at.astimezone(_zone(tz)).replace(tzinfo=None).isoformat(), tz)
    if found is None:
        return None
    return Due(datetime.fromisoformat(found), phrase)


@functools.lru_cache(maxsize=4096)
def _dateparser_cached(phrase: str, local_base_iso: str, tz: str) -> str | None:
    import dateparser  # slow to import: only when a phrase needs it

    base = datetime.fromisoformat(local_base_iso)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False,
                "STRICT_PARSING": False}
    try:
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    except Exception:
        return None
    if parsed is None:
        return None
    zone = _zone(tz)
    has_time = bool(re.search(r"\d:\d|am\b|pm\b|noon|midnight", phrase, re.I))
    wall = parsed if has_time else datetime.combine(parsed.date(), DEFAULT_TIME)
    return resolve_local(wall.replace(tzinfo=None), zone).astimezone(UTC).isoformat()
