"""The scope of a cue: negated just before it, or inside an if-clause."""

from __future__ import annotations

from bot.summary.clauses import conditional, negated_before


def test_negated_before() -> None:
    text = "I will not send the draft"
    assert negated_before(text, text.index("send"))
    text = "I will send the draft"
    assert not negated_before(text, text.index("send"))


def test_conditional() -> None:
    text = "If I can get it finished, I'll send it"
    assert conditional(text, text.index("I can"))
    assert not conditional(text, text.index("I'll"))
    assert not conditional("I'll send it", 0)
