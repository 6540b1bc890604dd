"""Decision sentences: stated, not negated, not asked."""

from __future__ import annotations

import pytest

from bot.summary.decisions import is_decision


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We decided to go with Postgres.", True),
        ("Let's go with the blue logo.", True),
        ("OK, final answer: the meetup is on the 12th.", True),
        ("We all agreed on a budget of 500.", True),
        ("It's settled then.", True),
        ("We haven't decided yet.", False),
        ("Have we decided on a venue?", False),
        ("It's a good idea.", False),
        ("I like the blue logo.", False),
    ],
)
def test_decisions(sentence: str, expected: bool) -> None:
    assert is_decision(sentence) is expected
