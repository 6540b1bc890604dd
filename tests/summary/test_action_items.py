"""Action items in small conversations: owners by mention, reply, vocative and agreement."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.summary.models import ActionItem, Summary
from bot.summary.offline import summarize
from tests.summary.chat import MAYA, PRIYA, SAM, TOM, chat, url


def _owners(summary: Summary) -> list[tuple[int | None, str, str]]:
    return [(a.owner_id, a.owner_name, a.text) for a in summary.action_items]


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


def test_an_agreed_plan_restated_by_one_who_agreed_is_one_item() -> None:
    messages = chat(
        (SAM, "Let's book the venue on Monday"), (MAYA, "sounds good"), (MAYA, "I'll book the venue Monday"),
        (MAYA, "I'll send the invites too"),
    )
    assert _owners(summarize(messages)) == [
        (None, "Sam and Maya", "Sam and Maya will book the venue on Monday."),
        (MAYA, "Maya", "Maya will send the invites too."),
    ]


def test_a_volunteer_who_takes_a_request_on_is_its_owner_with_their_date() -> None:
    def items(*lines: tuple[int, str]) -> list[tuple[str, str, str | None]]:
        return [(a.owner_name, a.what, a.due_text) for a in summarize(chat(*lines)).action_items]

    # One item, not "Someone will update the changelog" and "Sam will do it tomorrow morning".
    assert items((MAYA, "Can someone update the changelog?"), (SAM, "I can do it tomorrow morning")) == [
        ("Sam", "update the changelog", "tomorrow morning")
    ]
    assert items((MAYA, "Can someone update the changelog by Friday?"), (SAM, "lol"), (PRIYA, "I'll take it")) == [
        ("Priya", "update the changelog by Friday", "by Friday")
    ]
    # Asked of Sam, taken on by Priya before Sam answers: Priya's. Once Sam said yes, it stays Sam's.
    assert items((MAYA, "Sam, can you update the changelog?"), (PRIYA, "I'll do it tomorrow"), (SAM, "ok")) == [
        ("Priya", "update the changelog", "tomorrow")
    ]
    assert items((MAYA, "Sam, can you update the changelog?"), (SAM, "sure"), (TOM, "I can fix the build")) == [
        ("Sam", "update the changelog", None), ("Tom", "fix the build", None)
    ]
    # A commitment of its own stays one.
    assert items((MAYA, "Can someone update the changelog?"), (SAM, "I'll fix the login bug tonight")) == [
        ("Sam", "update the changelog", None), ("Sam", "fix the login bug tonight", "tonight")
    ]
