"""Shorter key points: laughter, hedges, tags, a closing address and intensifiers come out; nothing else."""

from __future__ import annotations

import pytest

from bot.summary.compress import compress
from bot.summary.rewrite import rewrite_about_speaker


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("they put it next to eggs lol", "they put it next to eggs"),
        ("haha yes I'm super excited!!", "yes I'm excited!!"),
        ("I think he's ready now.", "he's ready now."),
        ("I think that we should go", "we should go"),
        ("I think that's great", "that's great"),
        ("I'm afraid there is no room at 20:00.", "there is no room at 20:00."),
        ("close to Torino I guess", "close to Torino"),
        ("In your bag I thought", "In your bag"),
        ("Get well soon, honey.", "Get well soon."),
        ("it's late, right?", "it's late."),
        ("Are you coming or not?", "Are you coming?"),
        ("Is it at 5, right?", "Is it at 5?"),
    ],
)
def test_compress_drops_what_says_nothing(sentence: str, expected: str) -> None:
    assert compress(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "lol",  # nothing would be left
        "I guess so",
        "I mean it",
        "You know what, I like it",
        "I said no",
        "It's right",
        "The lollipop is gone",
        "We booked the hall for Friday.",
    ],
)
def test_compress_keeps_sentences_it_cannot_shorten_safely(sentence: str) -> None:
    assert compress(sentence) == sentence


def test_key_point_sentences_are_compressed_before_the_rewriting() -> None:
    assert rewrite_about_speaker("I think I'm super excited about the trip haha", "Amanda") == (
        "Amanda is excited about the trip."
    )
    assert rewrite_about_speaker("Oh, I'm sure he'll love it, mate", "Amanda") == "Amanda: He'll love it."
