"""Every pattern of the date grammar and the schedule parser runs in linear time on adversarial text.

Each pattern gets inputs built from a repeated piece and an ending that almost matches, at n and 4n
characters, applied the way the code applies it (``fullmatch``, ``match`` at a position, ``finditer``,
``sub``). A linear pattern takes about 4 times as long on 4n; one that backtracks super-linearly takes 16
times or more. The test compares the two in the same process (no absolute threshold), first on short
inputs (so a catastrophic pattern fails fast instead of hanging), then on 10,000 and 40,000 characters.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from bot import timeparse
from bot.scheduling import recurrence

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
    ("timeparse._DURATION_PART", timeparse._DURATION_PART, _match),
    ("timeparse._DURATION_SEP", timeparse._DURATION_SEP, _match),
    ("timeparse duration prefix", re.compile(r"^(?:every|in|for|after) "), _sub),
    ("timeparse bare number", re.compile(r"\d{1,9}", re.ASCII), _fullmatch),
    ("timeparse._CLOCK", timeparse._CLOCK, _fullmatch),
    *((f"timeparse._PHRASES[{i}]", p, _sub) for i, (p, _) in enumerate(timeparse._PHRASES)),
    ("timeparse._FILLERS", timeparse._FILLERS, _sub),
    ("timeparse._TIME_TOKEN", timeparse._TIME_TOKEN, _finditer),
    ("timeparse._ISO_DATE", timeparse._ISO_DATE, _fullmatch),
    ("timeparse._MONTH_DAY", timeparse._MONTH_DAY, _fullmatch),
    ("timeparse._DAY_MONTH", timeparse._DAY_MONTH, _fullmatch),
    ("timeparse._ORDINAL_DAY", timeparse._ORDINAL_DAY, _fullmatch),
    ("timeparse._NUMERIC_DATE", timeparse._NUMERIC_DATE, _fullmatch),
    ("timeparse._WEEKDAY_FORM", timeparse._WEEKDAY_FORM, _fullmatch),
    ("timeparse._WEEK_FORM", timeparse._WEEK_FORM, _fullmatch),
    ("timeparse._ANCHORED", timeparse._ANCHORED, _fullmatch),
    ("timeparse._NTH_OF_MONTH", timeparse._NTH_OF_MONTH, _fullmatch),
    ("timeparse._RELATIVE", timeparse._RELATIVE, _fullmatch),
    ("timeparse._MONTHS_RELATIVE", timeparse._MONTHS_RELATIVE, _fullmatch),
    ("timeparse clock with dot", re.compile(r"\d{1,2}\.\d{2}", re.ASCII), _fullmatch),
    ("recurrence._TIME_RE", recurrence._TIME_RE, _fullmatch),
    ("recurrence._HEAD_TIME_RE", recurrence._HEAD_TIME_RE, _fullmatch),
    ("recurrence._FROM_RE", recurrence._FROM_RE, _fullmatch),
    ("recurrence._EVERY_WEEKS_RE", recurrence._EVERY_WEEKS_RE, _fullmatch),
    ("recurrence._MONTHLY_RE", recurrence._MONTHLY_RE, _fullmatch),
    ("recurrence._CRON_ITEM_RE", recurrence._CRON_ITEM_RE, _fullmatch),
    ("recurrence am/pm", re.compile(r"(\d)\s*([ap])\.?m\.?(?=\s|$)"), _sub),
    ("recurrence day split", re.compile(r"[\s,&/+]+"), _split),
]

# Pieces chosen to feed each pattern's repeated or optional parts; endings that almost match.
PIECES = [" ", "a ", "a", "1", "1 ", "1:", "at ", " from", "every ", "9 a", "in ", " ago", "and ", "1st ", "mon ", "1-"]
ENDINGS = ["", "!", " x"]


def _seconds(apply: Apply, pattern: re.Pattern[str], text: str) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        apply(pattern, text)
        best = min(best, time.perf_counter() - start)
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
