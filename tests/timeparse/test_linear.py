"""Every entry point of the grammar stays fast on the worst text: capped before reading, and linear after.

Each is given text far beyond what Discord allows, built from the pieces its patterns repeat (spaces,
digits, separators, the words the local tables and the chat deadline finder look for). A pattern with
quadratic backtracking on 80,000 characters takes seconds; a linear pass takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import BadInput
from bot.timeparse import parse_clock, parse_duration, parse_schedule, parse_when
from bot.timeparse.deadlines import MAX_CHAT_CHARS, parse_due
from bot.timeparse.languages import MAX_LOCALISE_CHARS, localise
from tests.support.timing import slowest_call

HUGE = 80_000
BOUND = 0.5  # generous on a loaded 2-core machine
PIECES = (
    " ", "1", "1 ", "1:", "1h", "1h ", "17 uhr ", "a las ", "à ", "um ", "h ", "1 h ", "by ", "by by 1 ",
    "on ", "due 1", "tomorrow ", "tomorrow  ", "5pm ", "fri , ", "every ", "every 2 ", "from ", "at ",
    "monthly on the ", "mo,", ",", "cron ", "il y a ", "de la ", "dias ", "\n", "-", ".", "x",
)
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")


def quietly(call: Callable[[str], object]) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return call(text)
        except BadInput:
            return None

    return run


CALLS: dict[str, Callable[[str], object]] = {
    "localise": localise,
    "localise (1,000 characters)": lambda t: localise(t[:1_000]),
    "parse_due (chat text)": lambda t: parse_due(t, NOW, "Europe/Berlin"),
    "parse_schedule": quietly(lambda t: parse_schedule(t, anchor=NOW.date())),
    "parse_schedule (1,000 characters)": quietly(lambda t: parse_schedule(t[:1_000], anchor=NOW.date())),
    "parse_when": quietly(lambda t: parse_when(t, now=NOW, zone=ZONE)),
    "parse_when (100 characters)": quietly(lambda t: parse_when(t[:100], now=NOW, zone=ZONE)),
    "parse_duration (100 characters)": quietly(lambda t: parse_duration(t[:100])),
    "parse_clock (100 characters)": quietly(lambda t: parse_clock(t[:100])),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_worst_inputs_take_bounded_time(name: str) -> None:
    samples = (piece * (HUGE // len(piece)) + end for piece in PIECES for end in ("", "x", " 9:30", " zz"))
    slowest, worst = slowest_call(CALLS[name], samples)
    assert slowest < BOUND, f"{name} took {slowest:.3f}s on {worst!r}…"


def test_local_words_are_read_only_in_capped_text() -> None:
    assert localise("freitag 17 uhr") == "fri 17:00"
    assert localise("freitag 17 uhr" + " " * MAX_LOCALISE_CHARS) is None


def test_chat_text_is_read_only_to_its_cap() -> None:
    padding = "x" * MAX_CHAT_CHARS
    assert parse_due("I'll send it by Friday", NOW, "UTC") is not None
    assert parse_due(padding + " I'll send it by Friday", NOW, "UTC") is None


def test_the_fallback_still_finds_a_date_after_many_prepositions() -> None:
    text = "on and on and on\n" * 50 + "due 2026-04-01"
    due = parse_due(text, NOW, "UTC")
    assert due is not None and due.when == datetime(2026, 4, 1, 17, 0, tzinfo=UTC)
