"""Worst inputs for every pattern Rapport runs over member text: each call stays fast however long the text.

Each function is given text far beyond what Discord allows (80,000 characters) built from the pieces its
patterns repeat and backtrack on. It must cap the text itself or run in linear time: a pattern with quadratic
backtracking (the old "nothing to report" pattern took about 20 s on 80,000 dots) fails the time bound.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.checkins.options import read_schedule
from bot.checkins.templates import is_blocker_question, says_blocked
from bot.commitments.service import clean_text, parse_number
from bot.errors import UserFacingError
from bot.markup import clean_user_text
from bot.timeparse import parse_duration, parse_when
from tests.support.timing import slowest_call

HUGE = 80_000
#: Generous on a loaded 2-core machine; a linear scan of 80,000 characters takes about a millisecond.
BOUND = 0.25
PIECES = (
    " ", ".", "-", "—", "!", "a", "1", "no ", "no-", "not ", "un", "nothing ", "no blockers ", "block",
    "blocked ", "waiting on ", "real ", "a ", "at ", "from ", "starting ", "every ", "in ", "1 ", "1:", "1-",
    "1/", "1h ", "1 h ", "and ", ", ", "<@", "<@!1", "@", "@everyone", "#", "# 1", "\n", "\u200f", "\u0301",
)
ENDS = ("", "x", "!", "?", "\x00", " ")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")


def inputs() -> list[str]:
    return [piece * (HUGE // len(piece)) + end for piece in PIECES for end in ENDS]


def quietly(call: Callable[[str], object]) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return call(text)
        except UserFacingError:  # a refusal is a fine answer; only the time matters here
            return None

    return run


CALLS: dict[str, Callable[[str], object]] = {
    "says_blocked (blocker question)": lambda t: says_blocked(t, to_blocker_question=True),
    "says_blocked (other question)": lambda t: says_blocked(t, to_blocker_question=False),
    "is_blocker_question": is_blocker_question,
    "schedule": quietly(lambda t: read_schedule(t, ZONE, NOW)),
    "duration": quietly(lambda t: parse_duration(t, what="duration")),
    "when": quietly(lambda t: parse_when(t, now=NOW, zone=ZONE)),
    "commitment number": quietly(parse_number),
    "commitment text": quietly(clean_text),
    "mentions made inert": clean_user_text,
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_worst_inputs_are_handled_in_bounded_time(name: str) -> None:
    slowest, worst = slowest_call(CALLS[name], inputs())
    assert slowest < BOUND, f"{name} took {slowest:.3f}s on {worst!r}…"


def test_nothing_answers_still_read_as_nothing() -> None:
    for answer in ("no", "Nope.", "none!", "n/a", "N/A :)", "all good", "No blockers!", "nothing yet", "-", "---",
                   "—", "...", "  .  ", "nothing for now."):
        assert not says_blocked(answer, to_blocker_question=True), answer
    for answer in ("no time to test", "Waiting on design", "-1 build", "nothing works"):
        assert says_blocked(answer, to_blocker_question=True), answer


SUMMARY_PIECES = (" ", "\n", " \n", "\n ", ".", ". ", ".\n", "!", "?", ",", ", ", "ok ", "thanks ", "a ", "a.", "the ")


@pytest.mark.parametrize("name", ["split_sentences", "verb phrase tail"])
def test_summary_patterns_are_linear(name: str) -> None:
    from bot.summary import text as summary_text
    from bot.summary import verb_phrase

    call: Callable[[str], object] = (summary_text.split_sentences if name == "split_sentences"
                                     else verb_phrase.drop_thanks)
    samples = (piece * (size // len(piece)) + end for size in (20_000, 80_000) for piece in SUMMARY_PIECES
               for end in ENDS)
    slowest, worst = slowest_call(call, samples)
    assert slowest < BOUND, f"{name} took {slowest:.3f}s on {worst!r}…"


#: What the key-point compression's patterns repeat and backtrack on: separator runs, laughter, hedges, tags.
COMPRESS_PIECES = (
    *SUMMARY_PIECES, ";", " ,", ",,", "lol", "lol ", " lol", "haha ", "(lol) ", "I think ", " I guess", "you know ",
    ", right", ", right?", ", honey", "very ", "super ", "  ?", "?!",
)


def test_key_point_compression_is_linear_even_past_its_length_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.summary import compress

    monkeypatch.setattr(compress, "MAX_CHARS", 10 * HUGE)  # the patterns themselves, not the cap, are measured
    samples = (prefix + piece * (HUGE // len(piece)) + end for piece in COMPRESS_PIECES
               for prefix in ("", "lol", "I think ") for end in ENDS)
    slowest, worst = slowest_call(compress.compress, samples)
    assert slowest < BOUND, f"compress took {slowest:.3f}s on {worst!r}…"


#: The action cues' repeated openings: each of these patterns looks for a word anywhere after its cue.
CUE_PIECES = (
    "it would be great ", "it would be great to ", "I want to ", "I'd like to meet ", "can you ", "would you mind ",
    "don't forget to ", "let me know ", "feel free to ", "I suggest ", "I'll ", "please ", "let's ", "who can ",
)


def test_action_cues_read_a_bounded_part_of_any_sentence() -> None:
    from bot.summary.action_cues import detect_action

    samples = (piece * (HUGE // len(piece)) + end for piece in CUE_PIECES for end in ENDS)
    slowest, worst = slowest_call(detect_action, samples)
    assert slowest < BOUND, f"detect_action took {slowest:.3f}s on {worst!r}…"


def test_verb_phrase_tail_drops_a_closing_thanks_but_not_the_end_of_a_word() -> None:
    from bot.summary.verb_phrase import drop_thanks

    assert drop_thanks("send the file, thanks!") == "send the file"
    assert drop_thanks("fix it alright") == "fix it"
    assert drop_thanks("push it ,  Thank you?!") == "push it"
    assert drop_thanks("read the book") == "read the book"
    assert drop_thanks("fix the bug ok") == "fix the bug"
    assert drop_thanks("ok thanks now") == "ok thanks now"
