"""Reading a conversation: pasted 'Name: text' lines, noise removed before reading."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.summary.models import Participant, Summary
from bot.summary.offline import summarize
from tests.summary.chat import MAYA, PRIYA, SAM, TOM, chat


def _owners(summary: Summary) -> list[tuple[int | None, str, str]]:
    return [(a.owner_id, a.owner_name, a.text) for a in summary.action_items]


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


def test_noise_is_removed_before_reading() -> None:
    messages = chat(
        (MAYA, "**I'll** send the slides https://example.com/slides <:party:123> tomorrow 🎉"),
        (SAM, "<@1> thx"),
    )
    (item,) = summarize(messages).action_items
    assert item.text == "Maya will send the slides tomorrow."
    assert item.due == datetime(2025, 3, 6, 17, 0, tzinfo=UTC)
