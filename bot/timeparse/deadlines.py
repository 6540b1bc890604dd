"""Due dates in chat: "by Friday", "tomorrow", "next week", "by 5pm", "on Dec 3", "EOD".

This module finds the phrase in a chat sentence; its meaning comes from :func:`bot.timeparse.parse_when`,
the grammar's reading of a date, so that a summary and ``/commit`` read "by fri", "EOD" or "next week"
the same way: relative to the message's time, in the speaker's own time zone, returned as aware UTC
instants. See that module for the rules (a day without a time is 17:00, "next week" is Monday of next
week, a weekday is its next occurrence whose 17:00 is still ahead, ...). A few chat phrases it does not
have are put in its words first: "the weekend" is Saturday, "end of the month" is the month's last day,
"this week" / "end of the week" is ``eow``. Numeric dates like 12/10 are ambiguous and are not read.

Chat text is capped at :data:`MAX_CHAT_CHARS` before any pattern runs, and every pattern is linear: runs
of spaces and separators are matched possessively, and the fallback takes one maximal run of date-like
characters per preposition instead of backtracking over it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.timeparse.instants import parse_when
from bot.timezones import get_zone

DEFAULT_TIME = time(17, 0)
#: Longer chat text is read only this far (a Discord message is at most 4,000 characters).
MAX_CHAT_CHARS = 4_000

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
    rf"\b(?P<prep>by|before|until|till|til|on|at|for|due|no\s+later\s+than)?\s*+"
    rf"(?:(?P<day>{_DAY}){_PART}(?:\s*+(?:(?:,|at|by)\s*+)?(?P<time>{_TIME}))?|"
    rf"(?P<time2>{_TIME})(?:\s*+(?:(?:,|on)\s*+)?(?P<day2>{_DAY}))?)",
    re.I,
)
_FALLBACK_PREP = re.compile(r"\b(?:by|on|before|until|due)\s+", re.I)
_DATE_CHARS = re.compile(r"[\w/.\-: ]*")
_TIME_PREPS = ("by", "before", "until", "till", "til", "at", "due", "no later than")


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


def parse_due(text: str, sent_at: datetime, tz: str = "UTC") -> Due | None:
    """Find the first due-date phrase in ``text`` and read it with the bot's one date grammar, or None.

    This module only finds where a phrase is in a chat sentence; what it means is decided by
    :func:`bot.timeparse.parse_when`, the same reading ``/commit`` gives it. Phrases that grammar does not
    have are first put in its words: "the weekend" is Saturday, "end of the month" its last day, "this
    week" the end of the working week.
    """
    text = text[:MAX_CHAT_CHARS]
    zone = _zone(tz)
    today = sent_at.astimezone(zone).date()
    for m in _PHRASE.finditer(text):
        day_raw = m.group("day") or m.group("day2")
        time_raw = m.group("time") or m.group("time2")
        prep = (m.group("prep") or "").lower()
        # A bare time (5pm, 17:30) needs a preposition to be a deadline: "by 5pm", "at 17:30".
        if day_raw is None and time_raw is not None and prep not in _TIME_PREPS:
            continue
        if day_raw is not None and prep in ("for",) and day_raw.lower().strip() in ("today", "tonight"):
            continue
        if time_raw and _parse_time(time_raw) is None:
            continue
        phrase = m.group(0).strip().rstrip(".,")
        words = [_grammar_words(day_raw, today)] if day_raw else []
        if m.group("part"):
            words.append(m.group("part"))
        if time_raw:
            words.append(time_raw)
        when = _read(" ".join(w for w in words if w), sent_at, zone)
        if when is not None:
            return Due(when, phrase)
    fallback = _fallback_phrase(text)
    if fallback is not None:
        when = _read(fallback, sent_at, zone) if len(fallback) <= 40 else None
        if when is not None:
            return Due(when, fallback)
    return None


def _fallback_phrase(text: str) -> str | None:
    """After the first "by" / "on" / "before" / "until" / "due", the run of date-like characters holding a digit.

    A later preposition inside a run already read without a digit cannot find one either, so it is skipped:
    each character is looked at a bounded number of times.
    """
    read_to = 0
    for prep in _FALLBACK_PREP.finditer(text):
        if prep.start() < read_to:
            continue
        run = _DATE_CHARS.match(text, prep.end())
        assert run is not None  # the pattern matches the empty string
        read_to = run.end()
        if any(ch.isdigit() for ch in run.group(0)):
            return run.group(0).strip()
    return None


def _grammar_words(day_raw: str, today: date) -> str:
    """A chat day phrase in the words of :func:`bot.timeparse.parse_when`."""
    s = re.sub(r"\s+", " ", day_raw.lower().strip().rstrip("."))
    if s in ("this week", "end of week", "end of the week", "eow"):
        return "eow"
    if s in ("weekend", "this weekend", "the weekend"):
        return "sat"
    if s == "next weekend":
        return "next sat"
    if s in ("end of month", "end of the month", "eom"):
        return _end_of_month(today).isoformat()
    if s == "next month":
        return _end_of_month(_end_of_month(today) + timedelta(days=1)).isoformat()
    if s == "today":
        return "eod"
    return s


def _read(words: str, sent_at: datetime, zone: ZoneInfo) -> datetime | None:
    try:
        return parse_when(words, now=sent_at, zone=zone)
    except BadInput:
        return None
