"""Action-sentence rules: exact kinds and verb phrases on sentences written for these tests."""

from __future__ import annotations

import pytest

from bot.summary.action_cues import ActionCue, Kind, detect_action


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I'll send the draft by Friday.", ActionCue(Kind.COMMITMENT, "send the draft by Friday")),
        ("I will fix the login bug tonight", ActionCue(Kind.COMMITMENT, "fix the login bug tonight")),
        ("I'm going to book the room.", ActionCue(Kind.COMMITMENT, "book the room")),
        ("ok I can do the slides", ActionCue(Kind.COMMITMENT, "do the slides")),
        ("Let me check the logs.", ActionCue(Kind.COMMITMENT, "check the logs")),
        ("i'll be there at 5", ActionCue(Kind.COMMITMENT, "be there at 5")),
        ("I'll bring the ladder tomorrow evening.", ActionCue(Kind.COMMITMENT, "bring the ladder tomorrow evening")),
        ("I can lend you my car tomorrow.", ActionCue(Kind.COMMITMENT, "lend you my car tomorrow")),
    ],
)
def test_first_person_commitments(sentence: str, expected: ActionCue) -> None:
    assert detect_action(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "I'll miss you all!",
        "I won't be able to make it.",
        "I'll be honest, it was boring.",
        "I'm going to die of laughter",
        "If I can get it finished, fine.",
        "I think the release went well.",
    ],
)
def test_not_commitments(sentence: str) -> None:
    cue = detect_action(sentence)
    assert cue is None or cue.kind is not Kind.COMMITMENT


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Can you review the PR?", ActionCue(Kind.REQUEST, "review the PR")),
        ("Maya, could you please update the docs?", ActionCue(Kind.REQUEST, "update the docs", "Maya")),
        ("Please send me the invoice.", ActionCue(Kind.REQUEST, "send me the invoice")),
        ("Send me the invoice please", ActionCue(Kind.REQUEST, "send me the invoice")),
        ("can you book a table, Sam?", ActionCue(Kind.REQUEST, "book a table", "Sam")),
        ("Don't forget to water the plants.", ActionCue(Kind.REQUEST, "water the plants")),
        ("Let me know when it's deployed.", ActionCue(Kind.REQUEST, "Let me know when it's deployed")),
    ],
)
def test_requests(sentence: str, expected: ActionCue) -> None:
    assert detect_action(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Let's meet on Thursday at 3pm.", ActionCue(Kind.PROPOSAL, "meet on Thursday at 3pm")),
        ("We should move the launch to May.", ActionCue(Kind.PROPOSAL, "move the launch to May")),
        ("Shall we order pizza?", ActionCue(Kind.PROPOSAL, "order pizza")),
        ("How about meeting at noon?", ActionCue(Kind.PROPOSAL, "meeting at noon")),
    ],
)
def test_proposals(sentence: str, expected: ActionCue) -> None:
    assert detect_action(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Can you believe it?",
        "Let's see what happens.",
        "The weather was nice yesterday.",
        "haha",
        "What about the hosting costs?",
        "It lets you export files.",
        "You can call me Chickengirl.",
        "train tickets go up tomorrow",
        "Book prices are crazy these days.",
    ],
)
def test_no_action(sentence: str) -> None:
    """The rule detector, which the engine runs on chat, finds no action in these."""
    assert detect_action(sentence) is None
