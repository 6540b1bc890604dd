"""A refusal carries the kind of field; the error path writes its examples in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import BadInput
from bot.i18n import CATALOG_FOLDERS, ENGLISH
from bot.timeparse import (
    CLOCK_EXAMPLES,
    SCHEDULE_EXAMPLES,
    WHEN_EXAMPLES,
    WHEN_INPUT,
    Examples,
    examples,
    parse_clock,
    parse_duration,
    parse_schedule,
    parse_weekday,
    parse_when,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")
LOCALES = [ENGLISH, *CATALOG_FOLDERS]


def _refusal(call: object) -> BadInput:
    with pytest.raises(BadInput) as caught:
        call()  # type: ignore[operator]
    return caught.value


REFUSALS = {
    "when": lambda: parse_when("someday", now=NOW, zone=ZONE, what="due date"),
    "past": lambda: parse_when("2026-11-01 10:00", now=NOW, zone=ZONE),
    "far": lambda: parse_when("in 40 days", now=NOW, zone=ZONE, max_future=timedelta(days=30)),
    "duration": lambda: parse_duration("banana", what="answer window"),
    "range": lambda: parse_duration("1m", minimum=timedelta(minutes=15), maximum=timedelta(days=7)),
    "clock": lambda: parse_clock("25:00"),
    "schedule": lambda: parse_schedule("whenever"),
    "cron": lambda: parse_schedule("cron * * * *"),
    "day": lambda: parse_weekday("someday"),
}


def test_english_is_unchanged_and_the_kind_travels_with_the_error() -> None:
    error = _refusal(REFUSALS["when"])
    assert str(error) == f"I couldn't read `someday` as a due date. Try {WHEN_EXAMPLES}."
    assert error.text(ENGLISH) == str(error) and error.values["examples"] == WHEN_INPUT
    assert _refusal(REFUSALS["clock"]).text(None).endswith(f"Try {CLOCK_EXAMPLES}.")
    assert _refusal(REFUSALS["schedule"]).text("ja").endswith(SCHEDULE_EXAMPLES)


def test_german_and_portuguese_readers_get_their_own_examples() -> None:
    error = _refusal(REFUSALS["when"])
    german = error.text("de")
    assert german.startswith("Fälligkeitsdatum: Ich konnte `someday` nicht lesen.")
    assert "`freitag`" in german and "`in 3 Tagen`" in german and " oder " in german
    portuguese = error.text("pt-BR")
    assert "`em 3 dias`" in portuguese and " ou " in portuguese and "Prazo" in portuguese
    assert "`30 Minuten`" in _refusal(REFUSALS["duration"]).text("de")
    assert "`17 Uhr`" in _refusal(REFUSALS["clock"]).text("de")
    assert "`sexta`" in _refusal(REFUSALS["day"]).text("pt-BR")
    schedule = _refusal(REFUSALS["schedule"]).text("de")
    assert "Probier eins davon:" in schedule and "• `werktags 9 Uhr`" in schedule


def test_a_moment_and_a_span_are_written_the_readers_way() -> None:
    past = _refusal(REFUSALS["past"])
    assert "Sun 1 Nov 2026, 10:00" in str(past)
    assert "(So. 1 Nov. 2026, 10:00 deiner Zeit)" in past.text("de")
    assert "(dom. 1 nov. 2026, 10:00 no seu horário)" in past.text("pt-BR")
    assert "30 Tage" in _refusal(REFUSALS["far"]).text("de")
    assert "30 dias" in _refusal(REFUSALS["far"]).text("pt-BR")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_every_refusal_is_complete_and_within_a_message_in_every_language(locale: str, kind: str) -> None:
    text = _refusal(REFUSALS[kind]).text(locale)
    assert "{" not in text and "}" not in text and len(text) <= 2000


@pytest.mark.parametrize("locale", LOCALES)
def test_the_examples_shown_are_the_languages_own(locale: str) -> None:
    for kind in ("when", "duration", "clock"):
        for example in examples(locale, kind):
            assert f"`{example}`" in Examples(kind).text(locale)
    with pytest.raises(ValueError):
        Examples("weather")


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("weekdays 09:30", "en-US", "Weekdays at 09:30"),
        ("weekdays 09:30", "de", "Werktags um 09:30"),
        ("mon,wed 10:00", "en-US", "Mondays and Wednesdays at 10:00"),
        ("mon,wed 10:00", "de", "Montag und Mittwoch um 10:00"),
        ("mon,wed 10:00", "fr", "lundi et mercredi à 10:00"),
        ("fri 17:00", "es-ES", "Cada viernes a las 17:00"),
        ("daily 08:00", "pt-BR", "Todos os dias às 08:00"),
        ("monthly 31 09:00", "de", "Monatlich am 31. um 09:00 (in kürzeren Monaten am letzten Tag)"),
        ("monthly 3 09:00", "en-US", "Monthly on the 3rd at 09:00"),
    ],
)
def test_a_schedule_is_described_in_the_readers_language(text: str, locale: str, expected: str) -> None:
    from bot.timeparse import parse_schedule

    assert parse_schedule(text).describe(locale) == expected
