"""Open questions: answered by the right turn only."""

from __future__ import annotations

from bot.summary.models import Summary
from bot.summary.offline import summarize
from tests.summary.chat import MAYA, PRIYA, SAM, TOM, chat


def _open(summary: Summary) -> list[str]:
    return [q.text for q in summary.open_questions]


def test_question_answered_by_the_next_speaker() -> None:
    messages = chat(
        (MAYA, "Who is bringing the projector on Saturday?"),
        (SAM, "Priya has one at home."),
        (TOM, "Where is the venue exactly?"),
    )
    assert _open(summarize(messages)) == ["Tom: Where is the venue exactly?"]


def test_question_to_a_named_person_waits_for_that_person() -> None:
    rows = [
        (MAYA, "Tom, did the venue confirm the booking?"),
        (SAM, "I think the venue is lovely."),
        (PRIYA, "Yes, it has a garden."),
    ]
    assert _open(summarize(chat(*rows))) == ["Maya: Tom, did the venue confirm the booking?"]
    assert _open(summarize(chat(*rows, (TOM, "Yes, confirmed this morning.")))) == []


def test_question_answered_by_a_reply_later() -> None:
    messages = chat(
        (MAYA, "What is the budget for the catering?"),
        (SAM, "lol"),
        (TOM, "Which budget spreadsheet do we use?"),
        (PRIYA, "About 300 euros.", {"reply_to_author_id": MAYA}),
    )
    assert _open(summarize(messages)) == ["Tom: Which budget spreadsheet do we use?"]


def test_question_followed_by_filler_and_questions_stays_open() -> None:
    messages = chat(
        (MAYA, "What is the budget for the catering?"),
        (SAM, "haha"),
        (TOM, "Are we ordering pizza?"),
    )
    assert _open(summarize(messages)) == [
        "Maya: What is the budget for the catering?",
        "Tom: Are we ordering pizza?",
    ]


def test_rhetorical_questions_are_not_listed() -> None:
    messages = chat((MAYA, "Really?"), (SAM, "How are you?"), (PRIYA, "lol"))
    assert _open(summarize(messages)) == []


def test_an_answer_must_fit_the_question() -> None:
    budget = ("What budget do we have for the ads campaign?", "Maya: What budget do we have for the ads campaign?")
    # "ok" does not answer a question asking for facts, and a time of day is no amount.
    not_answers = ["ok so decision: release moves to Thursday 10:00, guys", "sure", "ok"]
    for remark in not_answers:
        messages = chat((MAYA, budget[0]), (SAM, "lol the coffee machine is broken again"), (PRIYA, remark))
        assert [b.text for b in summarize(messages).open_questions] == [budget[1]], remark
    for answer in ("ok, 2000 euros", "About 2000."):
        assert summarize(chat((MAYA, budget[0]), (SAM, answer))).open_questions == (), answer
    # A yes/no question or a request is answered by "sure"; "when" by a day or a time.
    assert summarize(chat((MAYA, "Can you review my PR today?"), (SAM, "sure"))).open_questions == ()
    assert summarize(chat((MAYA, "What about moving the retro to Friday?"), (SAM, "sure"))).open_questions == ()
    assert summarize(chat((MAYA, "When is the launch?"), (SAM, "ok so Thursday 10:00"))).open_questions == ()


def test_an_open_question_keeps_its_question_tag() -> None:
    messages = chat((MAYA, "I think we should push the release to Thursday, right?"),
                    (SAM, "lol the coffee machine is broken again"))
    [question] = summarize(messages).open_questions
    assert question.text.endswith("Thursday, right?")
