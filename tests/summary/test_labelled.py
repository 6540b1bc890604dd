"""Owners, due dates, open questions and restated commitments over the labelled conversations."""

from __future__ import annotations

from bot.summary.offline import summarize
from tests.summary.chat import MAYA, PRIYA, SAM, TOM, chat
from tests.summary.labelled import load, score


def test_the_labelled_set_is_large_enough() -> None:
    conversations = load()
    assert len(conversations) >= 40
    assert sum(len(c.items) for c in conversations) >= 150
    assert sum(len(c.open_questions) for c in conversations) >= 15
    assert sum(len(c.restated) for c in conversations) >= 5


def test_owner_and_due_accuracy() -> None:
    s = score(load())
    assert s.owner_right / s.expected >= 0.95, s.misses
    assert s.due_right / s.expected >= 0.95, s.misses
    assert s.extra <= 3, s.misses


def test_open_questions_and_duplicates() -> None:
    s = score(load())
    assert s.open_right / s.open_listed >= 0.9, s.misses
    assert s.open_right / s.open_expected >= 0.9, s.misses
    assert s.duplicated == 0, s.misses


def test_an_unrelated_remark_does_not_answer_a_question() -> None:
    messages = chat(
        (MAYA, "What budget do we have for the ads campaign?"),
        (SAM, "lol the coffee machine is broken again"),
    )
    assert [b.text for b in summarize(messages).open_questions] == [
        "Maya: What budget do we have for the ads campaign?"
    ]
    answered = chat(
        (MAYA, "What budget do we have for the ads campaign?"),
        (SAM, "lol the coffee machine is broken again"),
        (PRIYA, "About 2000 euros."),
    )
    assert summarize(answered).open_questions == ()
    on_topic = chat(
        (MAYA, "What budget do we have for the ads campaign?"),
        (SAM, "The ads budget is in the planning sheet."),
    )
    assert summarize(on_topic).open_questions == ()


def test_the_same_commitment_said_twice_is_one_item() -> None:
    messages = chat(
        (MAYA, "I'll draft the roadmap by Friday."),
        (SAM, "great"),
        (MAYA, "As said, I'll get the roadmap draft done by Friday."),
        (TOM, "I'll draft the budget by Friday."),
        (MAYA, "I'll draft the budget too, next week."),
    )
    items = [(a.owner_name, a.what) for a in summarize(messages).action_items]
    assert items == [
        ("Maya", "draft the roadmap by Friday"),
        ("Tom", "draft the budget by Friday"),
        ("Maya", "draft the budget too, next week"),
    ]
