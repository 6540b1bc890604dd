"""Imperatives: an opening base-form task verb is a request; a noun phrase and its verb is not."""

from __future__ import annotations

import pytest

from bot.summary.imperatives import imperative


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Send me the file", "send me the file"),
        ("Just book the room, thanks!", "book the room"),
        ("If it rains, bring an umbrella.", "bring an umbrella"),
        ("train tickets go up tomorrow", None),
        ("Book prices are crazy", None),
        ("Talk to you soon", None),
        ("Give me a sec", None),
        ("Send", None),
    ],
)
def test_imperative(sentence: str, expected: str | None) -> None:
    assert imperative(sentence) == expected
