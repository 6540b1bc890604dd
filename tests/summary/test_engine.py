"""The offline engine on small conversations: owners, agreement, answers, participants, edge cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.summary.models import ActionItem, Bullet, ChatMessage, Participant, Summary
from bot.summary.offline import OfflineEngine, summarize
from tests.summary.chat import MAYA, PRIYA, SAM, TOM, chat, url


def test_empty_input() -> None:
    assert summarize([]) == Summary()
    assert summarize([], excluded_count=3) == Summary(excluded_count=3)
    assert summarize([]).is_empty


def test_participants_and_counts() -> None:
    messages = chat(
        (SAM, "morning"), (MAYA, "hi"), (SAM, "the build is green again"), (PRIYA, "nice"), (SAM, "ok"),
        (MAYA, "great"),
    )
    summary = summarize(messages, excluded_count=4)
    assert summary.participants == (
        Participant(SAM, "Sam", 3), Participant(MAYA, "Maya", 2), Participant(PRIYA, "Priya", 1),
    )
    assert summary.excluded_count == 4
    assert summary.message_count == 6


def test_naive_times_are_refused() -> None:
    naive = ChatMessage(1, MAYA, "Maya", datetime(2025, 3, 5, 14, 0), "hi")  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        summarize([naive])


def test_commitment_owner_is_the_speaker_and_due_is_parsed() -> None:
    messages = chat(
        (SAM, "The landing page still has the old pricing."),
        (MAYA, "I'll update the pricing table by Friday.", {"tz": "Europe/Berlin"}),
        (PRIYA, "thanks!"),
    )
    (item,) = summarize(messages).action_items
    assert item == ActionItem(
        owner_id=MAYA,
        owner_name="Maya",
        what="update the pricing table by Friday",
        # Wednesday 5 March; Friday 7 March, 17:00 in Berlin (CET) is 16:00 UTC.
        due=datetime(2025, 3, 7, 16, 0, tzinfo=UTC),
        due_text="by Friday",
        text="Maya will update the pricing table by Friday.",
        source_message_id=101,
        jump_url=url(101),
    )


def _owners(summary: Summary) -> list[tuple[int | None, str, str]]:
    return [(a.owner_id, a.owner_name, a.text) for a in summary.action_items]


def test_request_owner_by_mention() -> None:
    messages = chat(
        (PRIYA, "The release notes are half done."),
        (SAM, "<@3> can you finish the release notes today?", {"mentions": (PRIYA,)}),
        (TOM, "I had lunch already."),
    )
    assert _owners(summarize(messages)) == [(PRIYA, "Priya", "Priya will finish the release notes today.")]


def test_request_to_a_mentioned_member_who_did_not_speak_uses_a_discord_mention() -> None:
    messages = chat(
        (MAYA, "The release notes are half done."),
        (SAM, "<@3> can you finish the release notes today?", {"mentions": (PRIYA,)}),
        (TOM, "I had lunch already."),
    )
    assert _owners(summarize(messages)) == [(PRIYA, "<@3>", "<@3> will finish the release notes today.")]


def test_request_owner_by_reply() -> None:
    messages = chat(
        (MAYA, "The venue sent a new quote."),
        (SAM, "Could you forward me the quote?", {"reply_to_author_id": MAYA}),
        (TOM, "The old one was cheaper."),
    )
    assert _owners(summarize(messages)) == [(MAYA, "Maya", "Maya will forward Sam the quote.")]


def test_request_owner_by_vocative_name() -> None:
    messages = chat(
        (TOM, "The venue sent a new quote."),
        (SAM, "Tom, could you please book the train tickets?"),
        (PRIYA, "The quote looks fine to me."),
    )
    assert _owners(summarize(messages)) == [(TOM, "Tom", "Tom will book the train tickets.")]


def test_request_to_a_name_outside_the_chat_keeps_the_name() -> None:
    messages = chat(
        (MAYA, "The venue sent a new quote."),
        (SAM, "Lena, could you please book the train tickets?"),
        (PRIYA, "Sure, the quote looks fine to me."),
    )
    assert _owners(summarize(messages)) == [(None, "Lena", "Lena will book the train tickets.")]


def test_request_owner_by_short_name() -> None:
    messages = chat(
        (PRIYA, "We are out of coffee."),
        (SAM, "Pri, can you order more beans?"),
        (TOM, "Good idea."),
    )
    assert _owners(summarize(messages)) == [(PRIYA, "Priya", "Priya will order more beans.")]


def test_request_to_nobody_in_a_group_is_not_an_action_item() -> None:
    messages = chat(
        (MAYA, "Look at this sunset."),
        (SAM, "Send me the photos later."),
        (PRIYA, "It was a great trip."),
    )
    assert summarize(messages).action_items == ()


def test_request_with_two_people_goes_to_the_other() -> None:
    messages = chat((SAM, "Can you check the invoice?"), (MAYA, "Yes, give me a minute."))
    assert _owners(summarize(messages)) == [(MAYA, "Maya", "Maya will check the invoice.")]


def test_request_refused_is_dropped() -> None:
    messages = chat((SAM, "Maya, can you check the invoice?"), (MAYA, "No, I can't today, sorry."))
    assert summarize(messages).action_items == ()


def test_lets_with_agreement_is_an_action_for_the_group() -> None:
    messages = chat(
        (MAYA, "Let's meet on Thursday at 3pm to plan the meetup."),
        (SAM, "lol"),
        (PRIYA, "Sounds good!"),
        (SAM, "works for me"),
        (TOM, "The projector is broken by the way."),
    )
    (item,) = summarize(messages).action_items
    assert item.owner_id is None
    assert item.owner_name == "Maya, Priya and Sam"
    assert item.text == "Maya, Priya and Sam will meet on Thursday at 3pm to plan the meetup."
    assert item.due == datetime(2025, 3, 6, 15, 0, tzinfo=UTC)


def test_lets_without_agreement_is_not_an_action() -> None:
    messages = chat(
        (MAYA, "Let's meet on Thursday at 3pm to plan the meetup."),
        (SAM, "The projector is broken by the way."),
        (PRIYA, "Sounds good!"),  # agrees with Sam's remark, not with the proposal
    )
    assert summarize(messages).action_items == ()


def test_lets_go_with_and_agreement_is_a_decision() -> None:
    messages = chat(
        (MAYA, "Let's go with the blue logo."),
        (SAM, "Agreed"),
        (PRIYA, "We decided to move the meetup to May."),
    )
    summary = summarize(messages)
    assert [d.text for d in summary.decisions] == [
        "Maya and Sam agreed to go with the blue logo.",
        "Priya: We decided to move the meetup to May.",
    ]
    assert [d.source_message_id for d in summary.decisions] == [100, 102]
    assert summary.action_items == ()


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


def test_name_colon_lines_set_the_speaker() -> None:
    pasted = "Maya: I'll book the room for Friday.\nSam: Can you also order snacks?\nMaya: sure"
    messages = chat((MAYA, "Pasting yesterday's call notes."), (TOM, pasted), (PRIYA, "Nice."))
    summary = summarize(messages)
    assert _owners(summary) == [
        (MAYA, "Maya", "Maya will book the room for Friday."),
        (MAYA, "Maya", "Maya will order snacks."),
    ]
    # Participants are the people who posted.
    assert summary.participants == (
        Participant(MAYA, "Maya", 1), Participant(PRIYA, "Priya", 1), Participant(TOM, "Tom", 1),
    )


def test_key_points_are_linked_third_person_and_free_of_chitchat() -> None:
    messages = chat(
        (MAYA, "hey all"),
        (MAYA, "I booked the community hall for the spring meetup on April 12."),
        (SAM, "haha nice 😂"),
        (PRIYA, "The hall fits about 80 people, so we need to cap registrations at 80."),
        (SAM, "ok"),
        (TOM, "I will ask two local speakers about talks on accessibility and open source."),
        (SAM, "thanks!"),
    )
    summary = OfflineEngine(max_key_points=3).summarize(messages)
    assert summary.key_points == (
        Bullet("Maya booked the community hall for the spring meetup on April 12.", 101, url(101)),
        Bullet("Priya: The hall fits about 80 people, so we need to cap registrations at 80.", 103, url(103)),
        Bullet("Tom will ask two local speakers about talks on accessibility and open source.", 105, url(105)),
    )


def test_noise_is_removed_before_reading() -> None:
    messages = chat(
        (MAYA, "**I'll** send the slides https://example.com/slides <:party:123> tomorrow 🎉"),
        (SAM, "<@1> thx"),
    )
    (item,) = summarize(messages).action_items
    assert item.text == "Maya will send the slides tomorrow."
    assert item.due == datetime(2025, 3, 6, 17, 0, tzinfo=UTC)
