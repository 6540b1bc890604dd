"""Chat sentences rewritten as sentences about people."""

from __future__ import annotations

import pytest

from bot.summary.action_cues import detect_action
from bot.summary.rewrite import (
    request_sentence,
    rewrite_about_speaker,
    strip_interjections,
    third_singular,
    to_third_person,
)


@pytest.mark.parametrize(
    ("sentence", "speaker", "addressee", "expected"),
    [
        ("I baked cookies for the party.", "Amanda", None, "Amanda baked cookies for the party."),
        ("I want a puppy for my son.", "Amanda", None, "Amanda wants a puppy for Amanda's son."),
        ("Oh, yes, I took him there last Monday.", "Amanda", "Tom", "Amanda took him there last Monday."),
        ("I really like your idea.", "Sam", "Maya", "Sam likes Maya's idea."),
        ("I need a new printer", "Laura", None, "Laura needs a new printer."),
        ("How may I help you today?", "Jo", "Sam", "Jo: How may Jo help Sam today?"),
        ("I just wanted to say it's actually done.", "Sam", None, "Sam wanted to say it's done."),
        ("I don't think so.", "Sam", None, "Sam doesn't think so."),
        ("i watch a lot of films", "Sam", None, "Sam watches a lot of films."),
        ("I have been there twice.", "Maya", None, "Maya has been there twice."),
        ("I'll send the draft by Friday", "Maya", None, "Maya will send the draft by Friday."),
        ("Can you go with me to the animal shelter?", "Amanda", "Tom",
         "Amanda wants Tom to go with Amanda to the animal shelter."),
        ("Send me the file please", "Maya", "Sam", "Maya wants Sam to send Maya the file."),
        ("Let me check the logs.", "Maya", None, "Maya will check the logs."),
        ("Let's meet at noon.", "Maya", "Sam", "Maya suggests to meet at noon."),
        ("Do you know the address?", "Amanda", "Tom", "Amanda: Does Tom know the address?"),
        ("We should ship it.", "Maya", None, "Maya: We should ship it."),
        ("Are you coming tonight?", "Maya", None, "Maya: Are you coming tonight?"),
    ],
)
def test_rewrite_about_speaker(sentence: str, speaker: str, addressee: str | None, expected: str) -> None:
    assert rewrite_about_speaker(sentence, speaker, addressee, detect_action(sentence)) == expected


def test_commitment_in_third_person() -> None:
    assert to_third_person("I'll send you my notes", "Maya", "Sam") == ("Maya will send Sam Maya's notes", True)
    assert to_third_person("Yesterday I went home", "Maya") == ("Yesterday Maya went home", False)


def test_request_sentence() -> None:
    assert request_sentence("can you review it?", "Sam", "Maya") == "Sam wants Maya to review it."
    assert request_sentence("could you please send me the invoice", "Sam", "Maya") == (
        "Sam wants Maya to send Sam the invoice."
    )
    assert request_sentence("The invoice is attached.", "Sam", "Maya") is None


def test_third_singular() -> None:
    assert [third_singular(v) for v in ("watch", "try", "play", "go", "have", "baked", "can", "took")] == [
        "watches", "tries", "plays", "goes", "has", "baked", "can", "took",
    ]


def test_strip_interjections() -> None:
    assert strip_interjections("Oh, yes, well, it works.") == "it works."
    assert strip_interjections("ok") == "ok"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We should ship it.", "Maya and Sam should ship it."),
        ("We're meeting at noon, they will join us.", "Maya and Sam are meeting at noon, they will join them."),
        ("Our flight is at 6.", "Maya: Their flight is at 6."),
        ("I told you we'll be late.", "Maya told Sam Maya and Sam will be late."),
        ("Were they there?", "Maya: Were they there?"),
    ],
)
def test_we_in_a_two_person_chat_is_the_two_of_them(sentence: str, expected: str) -> None:
    assert rewrite_about_speaker(sentence, "Maya", "Sam", detect_action(sentence), "Maya and Sam") == expected
    assert rewrite_about_speaker("We should ship it.", "Maya", None, None) == "Maya: We should ship it."


@pytest.mark.parametrize("piece", ["just ", "just", " ", "really  ", "we ", "I need ", "lol "])
def test_rewriting_long_text_is_linear(piece: str) -> None:
    import time

    from bot.summary.questions import is_substantive_question

    text = piece * (80_000 // len(piece)) + "?"
    started = time.perf_counter()
    rewrite_about_speaker(text, "Maya", "Sam", None, "Maya and Sam")
    is_substantive_question("which " + text, 1)
    assert time.perf_counter() - started < 2.0


def test_spelled_out_negations_and_chat_contractions_keep_their_form() -> None:
    assert to_third_person("I cannot come today", "Andrzej") == ("Andrzej cannot come today", True)
    assert to_third_person("I gotta push this", "Miles") == ("Miles gotta push this", True)
    assert to_third_person("I wont be able to attend", "John") == ("John wont be able to attend", True)


def test_my_becomes_the_speakers_name_not_a_guessed_pronoun() -> None:
    assert to_third_person("I got the recipe from my grandmother", "Jeniffer") == (
        "Jeniffer got the recipe from Jeniffer's grandmother", True)


def test_a_role_or_full_name_keeps_their_for_my() -> None:
    assert to_third_person("I like my remote", "Project Manager") == ("Project Manager likes their remote", True)
