"""Questions, and which of them are worth listing as open."""

from __future__ import annotations

from bot.summary.questions import is_question, is_substantive_question


def test_questions() -> None:
    assert is_question("Who owns the budget?")
    assert is_question("what time is the call tomorrow")
    assert not is_question("I know what time it is.")
    assert not is_substantive_question("Really?", 0)
    assert not is_substantive_question("How are you?", 0)
    assert is_substantive_question("Who is updating the changelog?", 2)


def test_a_which_question_with_one_content_word_is_substantive() -> None:
    assert is_substantive_question("Which host are we on right now?", 1)
    assert not is_substantive_question("What are you up to?", 1)
    assert not is_substantive_question("Where is it?", 1)
