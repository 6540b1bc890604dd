"""Every pattern of the date grammar and the schedule code runs in linear time on adversarial text.

The patterns are found, not listed: every compiled pattern at module level in ``bot.timeparse`` (all its
modules) and ``bot.scheduling.recurrence``, patterns kept in module-level tuples, and literal patterns passed
to ``re.fullmatch``/``re.sub``/... in their source. Each is applied the way its module applies it (the methods
called on its name in the source; ``fullmatch``, ``match`` and ``search`` when that cannot be read) to inputs
built from a repeated piece and an almost-matching ending, at n and 4n characters in the same process. A
linear pattern takes about 4 times as long on 4n, a quadratic one 16 times: a ratio of 8 or more fails (after
retries, and again at the next size, so that a busy machine is not blamed on a pattern). Short inputs first
(300 and 1,200 characters), so that a catastrophic pattern fails in milliseconds instead of hanging, then
10,000 and 40,000 (and 40,000 and 160,000 to confirm).
The inputs are capped long before any pattern runs; this holds the patterns themselves to linear time.
"""

from __future__ import annotations

import gc
import importlib
import inspect
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

import bot.timeparse
from bot.scheduling import recurrence

METHODS = ("fullmatch", "match", "search", "sub", "subn", "split", "findall", "finditer")
APPLY: dict[str, Callable[[re.Pattern[str], str], object]] = {
    "fullmatch": lambda p, s: p.fullmatch(s),
    "match": lambda p, s: p.match(s),
    "search": lambda p, s: p.search(s),
    "sub": lambda p, s: p.sub(" ", s),
    "subn": lambda p, s: p.subn(" ", s),
    "split": lambda p, s: p.split(s),
    "findall": lambda p, s: p.findall(s),
    "finditer": lambda p, s: list(p.finditer(s)),
}
UNKNOWN_USE = ("fullmatch", "match", "search")

# Pieces that feed the repeated and optional parts of these patterns; endings that almost match.
PIECES = [
    " ", "a ", "a", "1", "1 ", "1:", "at ", " from", "every ", "9 a", "in ", " ago", "and ", "1st ", "mon ",
    "1-", "by ", "17 uhr ", "1 uhr ", "17h", "due 1", "tomorrow ", ", ", "1h",
]  # fmt: skip
ENDINGS = ["", "!", " x"]


def _modules() -> Iterator[ModuleType]:
    yield bot.timeparse
    for info in pkgutil.walk_packages(bot.timeparse.__path__, "bot.timeparse."):
        yield importlib.import_module(info.name)
    yield recurrence


def _patterns() -> list[tuple[str, re.Pattern[str], str]]:
    found: dict[tuple[str, str], tuple[str, re.Pattern[str], str]] = {}
    for module in _modules():
        source = inspect.getsource(module)
        short = module.__name__.removeprefix("bot.")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                candidates = [(name, value)]
            elif isinstance(value, tuple | list):
                items = [v[0] if isinstance(v, tuple) and v else v for v in value]
                candidates = [(f"{name}[{i}]", v) for i, v in enumerate(items) if isinstance(v, re.Pattern)]
            else:
                continue
            used = set(re.findall(rf"\b{re.escape(name)}\.({'|'.join(METHODS)})\(", source))
            for label, pattern in candidates:
                for method in sorted(used) or UNKNOWN_USE:
                    found.setdefault((pattern.pattern, method), (f"{short}.{label}", pattern, method))
        for method, literal in re.findall(rf"\bre\.({'|'.join(METHODS)})\(\s*r\"([^\"]+)\"", source):
            found.setdefault((literal, method), (f"{short} re.{method}({literal!r})", re.compile(literal), method))
    return sorted(found.values(), key=lambda item: (item[0], item[2]))


PATTERNS = _patterns()


def _ratio(method: str, pattern: re.Pattern[str], piece: str, ending: str, n: int) -> float:
    """Time on 4n over time on n: the best of interleaved runs (the two sizes share the machine's moments),
    with the collector paused (match objects are garbage, not the pattern's cost)."""
    apply = APPLY[method]
    floor = 1e-4 if n < 1000 else 1e-3  # below this a ratio is the clock, not the pattern
    small = piece * (n // len(piece)) + ending
    large = piece * (4 * n // len(piece)) + ending
    best = [float("inf"), float("inf")]
    gc.disable()
    try:
        for _ in range(7):
            for index, text in enumerate((small, large)):
                start = time.perf_counter()
                apply(pattern, text)
                best[index] = min(best[index], time.perf_counter() - start)
    finally:
        gc.enable()
    return best[1] / max(best[0], floor)


def test_the_patterns_are_found() -> None:
    names = {name for name, _, _ in PATTERNS}
    assert len(PATTERNS) >= 30, names
    assert any("instants._ANCHORED" in name for name in names) and any("_PHRASES[" in name for name in names)


@pytest.mark.parametrize(("name", "pattern", "method"), PATTERNS, ids=[f"{p[0]}:{p[2]}" for p in PATTERNS])
def test_pattern_scales_linearly(name: str, pattern: re.Pattern[str], method: str) -> None:
    worst: list[tuple[float, str, str, int]] = []
    for piece in PIECES:
        for ending in ENDINGS:
            n = 300
            ratio = _ratio(method, pattern, piece, ending, n)
            for _ in range(4):  # retries: a pause of the machine is not the pattern's fault
                if ratio >= 8:
                    ratio = min(ratio, _ratio(method, pattern, piece, ending, n))
            if ratio < 8:
                n = 10_000
                ratio = _ratio(method, pattern, piece, ending, n)
                for _ in range(2):
                    if ratio >= 8:
                        ratio = min(ratio, _ratio(method, pattern, piece, ending, n))
                if ratio >= 8:  # super-linear growth shows again at the next size; a busy moment does not
                    ratio = min(ratio, _ratio(method, pattern, piece, ending, 4 * n))
            if ratio >= 8:
                worst.append((round(ratio, 1), piece, ending, n))
    assert not worst, f"{name} ({method}) grows faster than linearly: (ratio 4n/n, piece, ending, n) {worst}"
