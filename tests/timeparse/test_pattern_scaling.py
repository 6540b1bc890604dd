"""Every pattern of the date grammar (schedules, chat deadlines and local words included) runs in linear time.

Each pattern gets inputs built from a repeated piece and an ending that almost matches, at n and 4n
characters, applied the way the code applies it (``fullmatch``, ``match`` at a position, ``finditer``,
``sub``). A linear pattern takes about 4 times as long on 4n; one that backtracks super-linearly takes 16
times or more. The test compares the two in the same process (no absolute threshold), first on short
inputs (so a catastrophic pattern fails fast instead of hanging), then on 10,000 and 40,000 characters.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable

import pytest

from bot.timeparse import clock, cron, deadlines, durations, instants, languages, schedules

Apply = Callable[[re.Pattern[str], str], object]


def _fullmatch(p: re.Pattern[str], s: str) -> object:
    return p.fullmatch(s)


def _match(p: re.Pattern[str], s: str) -> object:
    return p.match(s, 0)


def _finditer(p: re.Pattern[str], s: str) -> object:
    return list(p.finditer(s))


def _sub(p: re.Pattern[str], s: str) -> object:
    return p.sub(" ", s)


def _split(p: re.Pattern[str], s: str) -> object:
    return p.split(s)


# (name, pattern, how the code applies it). Inline patterns are copied from their call sites.
PATTERNS: list[tuple[str, re.Pattern[str], Apply]] = [
    ("durations._DURATION_PART", durations._DURATION_PART, _match),
    ("durations._DURATION_SEP", durations._DURATION_SEP, _match),
    ("durations._LEADING_WORD", durations._LEADING_WORD, _match),
    ("clock.CLOCK", clock.CLOCK, _fullmatch),
    *((f"instants._PHRASES[{i}]", p, _sub) for i, (p, _) in enumerate(instants._PHRASES)),
    ("instants._FILLERS", instants._FILLERS, _sub),
    ("instants._TIME_TOKEN", instants._TIME_TOKEN, _finditer),
    ("instants._ISO_DATE", instants._ISO_DATE, _fullmatch),
    ("instants._MONTH_DAY", instants._MONTH_DAY, _fullmatch),
    ("instants._DAY_MONTH", instants._DAY_MONTH, _fullmatch),
    ("instants._ORDINAL_DAY", instants._ORDINAL_DAY, _fullmatch),
    ("instants._NUMERIC_DATE", instants._NUMERIC_DATE, _fullmatch),
    ("instants._WEEKDAY_FORM", instants._WEEKDAY_FORM, _fullmatch),
    ("instants._WEEK_FORM", instants._WEEK_FORM, _fullmatch),
    ("instants._ANCHORED", instants._ANCHORED, _fullmatch),
    ("instants._NTH_OF_MONTH", instants._NTH_OF_MONTH, _fullmatch),
    ("instants._RELATIVE", instants._RELATIVE, _fullmatch),
    ("instants._MONTHS_RELATIVE", instants._MONTHS_RELATIVE, _fullmatch),
    ("instants clock with dot", re.compile(r"\d{1,2}\.\d{2}", re.ASCII), _fullmatch),
    ("schedules._TIME_RE", schedules._TIME_RE, _fullmatch),
    ("schedules._MONTH_DAY_RE", schedules._MONTH_DAY_RE, _fullmatch),
    ("schedules._MERIDIEM_RE", schedules._MERIDIEM_RE, _sub),
    ("schedules._DAY_SEPARATORS", schedules._DAY_SEPARATORS, _split),
    ("cron._CRON_ITEM_RE", cron._CRON_ITEM_RE, _fullmatch),
    ("languages._HOUR", languages._HOUR, _fullmatch),
    ("languages._HOUR_MINUTE", languages._HOUR_MINUTE, _fullmatch),
    ("languages._H_FORM", languages._H_FORM, _fullmatch),
    ("languages._UHR_FORM", languages._UHR_FORM, _fullmatch),
    ("deadlines._PHRASE", deadlines._PHRASE, _finditer),
    ("deadlines._FALLBACK_PREP", deadlines._FALLBACK_PREP, _finditer),
    ("deadlines._DATE_CHARS", deadlines._DATE_CHARS, _match),
    ("deadlines time", re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)?"), _fullmatch),
    ("deadlines spaces", re.compile(r"\s+"), _sub),
]

# Pieces chosen to feed each pattern's repeated or optional parts; endings that almost match.
PIECES = [" ", "a ", "a", "1", "1 ", "1:", "at ", " from", "every ", "9 a", "in ", " ago", "and ", "1st ", "mon ", "1-",
          "by ", "tomorrow ", "17h", "1 uhr "]
ENDINGS = ["", "!", " x"]


def _seconds(apply: Apply, pattern: re.Pattern[str], text: str) -> float:
    best = float("inf")
    gc.disable()  # a collection of the lists split and finditer build is not the pattern's time
    try:
        for _ in range(5):
            start = time.perf_counter()
            apply(pattern, text)
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


def _ratio(apply: Apply, pattern: re.Pattern[str], piece: str, ending: str, n: int, floor: float) -> float:
    small = piece * (n // len(piece)) + ending
    large = piece * (4 * n // len(piece)) + ending
    return _seconds(apply, pattern, large) / max(_seconds(apply, pattern, small), floor)


@pytest.mark.parametrize(("name", "pattern", "apply"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_pattern_scales_linearly(name: str, pattern: re.Pattern[str], apply: Apply) -> None:
    worst: list[tuple[float, str, str, int]] = []
    for piece in PIECES:
        for ending in ENDINGS:
            # Short first: a quadratic pattern shows 16x here in milliseconds; a cubic one cannot hang the run.
            ratio = _ratio(apply, pattern, piece, ending, 300, floor=2e-5)
            if ratio < 8:
                ratio = _ratio(apply, pattern, piece, ending, 10_000, floor=2e-4)
                n = 10_000
            else:
                n = 300
            for _ in range(2):  # retry: a pause of the machine is not the pattern's fault
                if ratio >= 8:
                    ratio = min(ratio, _ratio(apply, pattern, piece, ending, n, floor=2e-5 if n == 300 else 2e-4))
            if ratio >= 8:
                worst.append((round(ratio, 1), piece, ending, n))
    assert not worst, f"{name} grows faster than linearly: (ratio 4n/n, piece, ending, n) {worst}"
