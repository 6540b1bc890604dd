"""Rapport's own check-in wording in the reader's language: stored reasons, template questions, the digest."""

from __future__ import annotations

from bot.checkins.digest import build_digest
from bot.checkins.templates import TEMPLATES, question_text, says_blocked
from bot.checkins.wording import CHANNEL_GONE, DIGEST_NOT_SHARED, MISSING_PERMISSIONS, CannotPost, reason_text
from tests.checkins._data import answer, run

NAMES = {1: "Alice", 2: "Bob", 3: "Cara"}


def test_a_stored_reason_is_shown_in_the_readers_language() -> None:
    missing = MISSING_PERMISSIONS.format(permissions="Send Messages", channel="général")
    assert missing == "I'm missing Send Messages in #général."  # stored and logged in English
    assert reason_text("de", missing) == "Mir fehlt in #général: Send Messages."
    assert reason_text("en-US", missing) == missing
    nested = DIGEST_NOT_SHARED.format(when="<t:1:f>", reason=CHANNEL_GONE)
    assert reason_text("fr", nested) == (
        "le bilan de la session du <t:1:f> n'a pas pu être partagé : le salon a été supprimé, ou je ne peux plus "
        "le voir."
    )
    assert reason_text("pt-BR", "something a test wrote") == "something a test wrote"
    error = CannotPost("{problem} A server admin can fix that, then try again.", problem=CHANNEL_GONE)
    assert error.text("es-ES").startswith("el canal se eliminó, o ya no puedo verlo. Alguien de administración")
    assert str(error).startswith("the channel was deleted")


def test_template_questions_are_translated_and_a_managers_are_not() -> None:
    standup = TEMPLATES["standup"].questions
    assert question_text("de", standup[0]) == "Was hast du seit dem letzten Check-in geschafft?"
    assert question_text("de", "Was hat dich heute gefreut?") == "Was hat dich heute gefreut?"
    assert question_text("en-US", standup[0]) == standup[0]


def test_a_no_in_the_shipped_languages_is_no_blocker() -> None:
    for text in ("Nein", "nichts", "nada.", "Rien !", "não", "Keine Blocker"):
        assert not says_blocked(text, to_blocker_question=True), text
    assert says_blocked("Warte auf die API-Schlüssel", to_blocker_question=True)


def test_the_digest_in_the_servers_language_keeps_answers_as_written() -> None:
    answers = [answer(1, "Login", "Billing", "Warte auf den Schlüssel", mood=4), answer(2, "Docs", "", "", mood=3)]
    digest = build_digest(run(), answers, participants={1, 2, 3}, away=set(), names=NAMES, missing_mode="count",
                          locale="de")
    assert digest.title == "Stand-up: Rückblick"
    assert "Antworten: **2 von 3**" in digest.description and "Warte auf den Schlüssel" in digest.description
    fields = dict(digest.fields)
    assert fields["Stimmung"].startswith("Durchschnitt **3,5** / 5 von 2 Personen")
    assert fields["Nicht gemeldet"] == "1 Mitglied diesmal."
    assert "Alice" in fields["Blocker"]
