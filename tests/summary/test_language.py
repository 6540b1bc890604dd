"""The cheap language guess: which language a conversation is mostly in, capped and linear."""

from __future__ import annotations

import time

import pytest

from bot.summary.language import MAX_CHARS, MAX_WORDS, STOPWORDS, guess_language, mostly_not_english

GERMAN = [
    "Können wir das Release am Donnerstag machen?",
    "Ja, das passt mir gut. Ich schreibe die Notizen bis Mittwoch.",
    "Super, dann machen wir es so. Wer kümmert sich um die Ankündigung?",
    "Ich mache das bis Freitag, aber ich brauche noch die Zahlen von dir.",
]
SPANISH = [
    "¿Podemos lanzar la nueva versión el jueves?",
    "Sí, el jueves me va bien. Yo escribo las notas para el miércoles.",
    "Genial, entonces lo hacemos así. ¿Quién se encarga del anuncio?",
    "Yo lo hago, pero también necesito los datos de marketing.",
]
FRENCH = [
    "On peut livrer la nouvelle version jeudi ?",
    "Oui, jeudi c'est bon pour moi. Je fais les notes pour mercredi.",
    "Super, alors on fait comme ça. Qui s'occupe de l'annonce ?",
    "Je m'en charge, mais il me faut aussi les chiffres du marketing.",
]
PORTUGUESE = [
    "Podemos lançar a nova versão na quinta?",
    "Sim, quinta está bem para mim. Eu faço as notas até quarta.",
    "Ótimo, então vamos fazer assim. Quem cuida do anúncio?",
    "Eu faço isso, mas também preciso dos números do marketing.",
]
ENGLISH = [
    "Shall we ship the new onboarding on Thursday?",
    "Yes, Thursday works for me. I'll update the release notes by Wednesday.",
    "Great, we decided to ship it on Thursday.",
    "Do we need a feature flag for the old onboarding flow?",
]


@pytest.mark.parametrize(
    ("texts", "language"), [(GERMAN, "de"), (SPANISH, "es"), (FRENCH, "fr"), (PORTUGUESE, "pt")]
)
def test_a_conversation_mostly_in_another_language_is_named(texts: list[str], language: str) -> None:
    guess = guess_language(texts)
    assert guess is not None and guess.language == language and guess.mostly_not_english
    assert mostly_not_english(texts) == language


def test_english_is_english() -> None:
    guess = guess_language(ENGLISH)
    assert guess is not None and guess.language == "en" and not guess.mostly_not_english
    assert mostly_not_english(ENGLISH) is None


def test_english_with_a_few_foreign_words_stays_english() -> None:
    texts = [*ENGLISH, "Danke! Bis morgen.", "Merci, à demain."]
    assert mostly_not_english(texts) is None


def test_a_mixed_conversation_mostly_in_german_is_german() -> None:
    assert mostly_not_english([*GERMAN, *GERMAN, ENGLISH[0]]) == "de"


def test_too_little_to_tell_says_nothing() -> None:
    assert guess_language([]) is None
    assert guess_language(["👍", "12:30", "https://example.com"]) is None
    assert mostly_not_english(["Ja, gut."]) is None  # two function words are not evidence enough


def test_curly_apostrophes_count_like_straight_ones() -> None:
    assert "c'est" in STOPWORDS["fr"]
    guess = guess_language(["c’est"])
    assert guess is not None and guess.language == "fr"


def test_the_word_lists_do_not_overlap() -> None:
    for code, words in STOPWORDS.items():
        for other, theirs in STOPWORDS.items():
            if other != code:
                assert not words & theirs, (code, other, sorted(words & theirs)[:5])


def test_input_is_capped_per_message_and_in_all() -> None:
    # Past the cap per message, English words are not read: only the German start counts.
    long_message = "ich bin nicht hier und wir auch nicht " * 4 + "x" * MAX_CHARS + " the and is are " * 200
    guess = guess_language([long_message])
    assert guess is not None and guess.language == "de" and guess.share == 1.0
    # Past the cap in all, later messages are not read.
    german = ["ich und wir"] * (MAX_WORDS // 3 + 1)
    assert mostly_not_english([*german, *ENGLISH * 50]) == "de"


def test_a_huge_conversation_is_cheap() -> None:
    texts = ["the quick brown fox jumps over the lazy dog " * 200] * 2_000
    started = time.perf_counter()
    assert mostly_not_english(texts) is None
    assert time.perf_counter() - started < 1.0
