"""Amounts of time: ``5m``, ``1h 30m``, ``2 hours``, ``an hour``, ``3 Tagen``, ``2 horas``; and their compact text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from bot.errors import BadInput
from bot.timeparse.languages import DURATION_INPUT, localise
from bot.timeparse.languages.en import NUMBER_WORDS, UNIT_SECONDS, UNITS
from bot.timeparse.text import OFF_WORDS, check_length, field_name, normalise, shown

# One part: a number and its unit ("90 minutes", "1.5h") or a number word and its unit ("two days").
_DURATION_PART = re.compile(
    r"(?:(?P<num>\d{1,9}(?:\.\d{1,3})?)\s*|(?P<word>[a-z]+(?:-[a-z]+)?)\s+)(?P<unit>[a-z]+)", re.ASCII
)
_DURATION_SEP = re.compile(r"\s*(?:,\s*)?(?:and\s+)?", re.ASCII)
_LEADING_WORD = re.compile(r"(?:every|in|for|after) ", re.ASCII)


@dataclass(frozen=True)
class Amount:
    """A parsed amount of time: whole calendar days (weeks included) plus an exact elapsed part."""

    days: int
    clock: timedelta

    @property
    def total(self) -> timedelta:
        return timedelta(days=self.days) + self.clock


def parse_amount(text: str) -> Amount | None:
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
        unit = UNITS.get(match["unit"])
        if unit is None:
            return None
        if match["num"] is not None:
            value = Fraction(match["num"])
        elif match["word"] in NUMBER_WORDS:
            value = Fraction(NUMBER_WORDS[match["word"]])
        else:
            return None
        if unit in ("w", "d") and value.denominator == 1:
            days += int(value) * (7 if unit == "w" else 1)
        else:
            seconds += value * UNIT_SECONDS[unit]
        pos = match.end()
        if pos < len(text):
            sep = _DURATION_SEP.match(text, pos)
            pos = sep.end() if sep else pos
    return Amount(days=days, clock=timedelta(seconds=round(seconds)))


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


def _out_of_range(what: str, minimum: timedelta | None, maximum: timedelta | None) -> BadInput:
    field = field_name(what)
    if minimum is not None and maximum is not None:
        return BadInput("The {what} needs to be between {low} and {high}.", what=field,
                        low=format_duration(minimum), high=format_duration(maximum))
    if minimum is not None:
        return BadInput("The {what} needs to be at least {low}.", what=field, low=format_duration(minimum))
    assert maximum is not None
    return BadInput("The {what} needs to be at most {high}.", what=field, high=format_duration(maximum))


def _strip_leading_word(text: str) -> str:
    match = _LEADING_WORD.match(text)
    return text[match.end() :] if match else text


def _read_total(cleaned: str) -> timedelta | None:
    """The English reading first; only text it cannot read is tried in the other shipped languages."""
    amount = parse_amount(_strip_leading_word(cleaned))
    if amount is None:
        english = localise(cleaned)
        if english is not None:
            amount = parse_amount(_strip_leading_word(english))
    return amount.total if amount is not None else None


def parse_duration(
    text: str,
    *,
    minimum: timedelta | None = None,
    maximum: timedelta | None = None,
    allow_off: bool = False,
    what: str = "duration",
) -> timedelta | None:
    """Read an amount of time such as ``5m``, ``1h30m``, ``1h 30m``, ``2 hours`` or ``1w``.

    Units are w/d/h/m/s and their spelt-out forms; decimals (``1.5h``) and ``an hour`` are fine, and so are
    the units of the other shipped languages (``3 Tage``, ``2 horas``, ``30 minutos``). ``off``, ``none`` or
    ``0`` (and any amount that adds up to zero) give None when ``allow_off``, else an error. Bounds are
    inclusive and are named in the error in the same compact units.
    """
    check_length(text, what, DURATION_INPUT)
    field = field_name(what)
    cleaned = normalise(text)
    if not cleaned:
        raise BadInput("Please type a {what}, such as {examples}.", what=field, examples=DURATION_INPUT)
    if cleaned in OFF_WORDS:
        if allow_off:
            return None
        raise BadInput("This {what} can't be turned off. Try {examples}.", what=field, examples=DURATION_INPUT)
    try:
        total = _read_total(cleaned)
    except OverflowError:
        raise BadInput("That {what} is far too long. Try {examples}.", what=field, examples=DURATION_INPUT) from None
    if total is None:
        bare = _strip_leading_word(cleaned)
        if bare.isascii() and bare.isdigit() and len(bare) <= 9:
            raise BadInput("`{n}` needs a unit, for example `{n}m` for minutes or `{n}h` for hours.", n=bare)
        raise BadInput(
            "I couldn't read `{text}` as a {what}. Try {examples}.",
            text=shown(text),
            what=field,
            examples=DURATION_INPUT,
        )
    if total <= timedelta(0):
        if allow_off:
            return None
        raise BadInput("The {what} needs to be longer than zero. Try {examples}.", what=field, examples=DURATION_INPUT)
    if (minimum is not None and total < minimum) or (maximum is not None and total > maximum):
        raise _out_of_range(what, minimum, maximum)
    return total
