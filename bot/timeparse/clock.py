"""Times of day (``09:30``, ``5pm``, ``noon``, ``17 Uhr``, ``17h30``) and quiet-hours windows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadInput
from bot.timeparse.languages import CLOCK_INPUT, localise
from bot.timeparse.languages.en import NAMED_TIMES
from bot.timeparse.text import OFF_WORDS, check_length, normalise, require_aware, shown
from bot.timezones import resolve_local

CLOCK = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?:(?P<ap>[ap])\.?\s*m\.?)?", re.ASCII)


def clock_from_match(match: re.Match[str], raw: str) -> time:
    """The time of day a :data:`CLOCK` match stands for; a kind refusal for impossible ones."""
    hour = int(match["h"])
    minute = int(match["m"]) if match["m"] is not None else 0
    meridiem = match["ap"]
    if minute > 59:
        raise BadInput(
            "`{text}` isn't a time of day: minutes go up to 59. Try {examples}.", text=shown(raw), examples=CLOCK_INPUT
        )
    if meridiem is not None:
        if hour == 0 or hour > 12:
            if 13 <= hour <= 23:
                twelve = f"{hour - 12}" if minute == 0 else f"{hour - 12}:{minute:02d}"
                one, other = f"{twelve}{meridiem}m", f"{hour:02d}:{minute:02d}"
            elif hour == 0:
                one, other = f"12:{minute:02d}{meridiem}m", f"{0 if meridiem == 'a' else 12:02d}:{minute:02d}"
            else:
                raise BadInput("`{text}` isn't a time of day. Try {examples}.", text=shown(raw), examples=CLOCK_INPUT)
            raise BadInput(
                "`{text}` isn't a time of day. Did you mean `{one}` or `{other}`?",
                text=shown(raw),
                one=one,
                other=other,
            )
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    elif hour == 24 and minute == 0:
        raise BadInput("Midnight is written `00:00` (or just `midnight`).")
    elif hour > 23:
        raise BadInput(
            "`{text}` isn't a time of day: hours go up to 23. Try {examples}.", text=shown(raw), examples=CLOCK_INPUT
        )
    return time(hour, minute)


def _read_clock(cleaned: str, raw: str) -> time | None:
    if cleaned in NAMED_TIMES:
        return NAMED_TIMES[cleaned]
    match = CLOCK.fullmatch(cleaned)
    return clock_from_match(match, raw) if match is not None else None


def parse_clock(text: str) -> time:
    """Read a time of day: ``09:30``, ``9:30``, ``9am``, ``9 am``, ``5:15pm``, ``17:00``, ``noon``, ``midnight``.

    A bare hour (``9``, ``17``) is read on the 24-hour clock, and so are the forms of the other shipped
    languages (``17 Uhr``, ``17h``, ``17h30``, ``mediodía``). Seconds and ``24:00`` are not accepted.
    """
    check_length(text, "time", CLOCK_INPUT)
    cleaned = normalise(text)
    if not cleaned:
        raise BadInput("Please type a time of day, such as {examples}.", examples=CLOCK_INPUT)
    found = _read_clock(cleaned, text)
    if found is None:
        english = localise(cleaned)
        found = _read_clock(english, text) if english is not None else None
    if found is None:
        raise BadInput(
            "I couldn't read `{text}` as a time of day. Try {examples}.",
            text=shown(text),
            examples=CLOCK_INPUT,
        )
    return found


def parse_quiet_hours(start: str, end: str) -> tuple[time, time] | None:
    """Read a quiet-hours window; ``off`` (in either box) turns quiet hours off and gives None.

    The window may wrap past midnight (``22:00`` to ``07:00``); a window that starts when it ends is refused.
    """
    if normalise(start) in OFF_WORDS or normalise(end) in OFF_WORDS:
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
    require_aware(instant, "instant")
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
