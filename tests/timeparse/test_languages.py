"""Input in each shipped language means what its English form means: the same instant, duration or schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BadInput
from bot.timeparse import (
    examples,
    parse_clock,
    parse_duration,
    parse_schedule,
    parse_weekday,
    parse_when,
)
from bot.timeparse.languages import LANGUAGES, Language, language_for, localise
from bot.timeparse.languages.en import DAY_ABBR
from bot.timeparse.text import fold_accents

BERLIN = ZoneInfo("Europe/Berlin")
#: Wednesday 4 March 2026, 10:00 in Berlin.
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
ANCHOR = date(2026, 3, 4)


def when(text: str, *, allow_past: bool = False) -> datetime:
    return parse_when(text, now=NOW, zone=BERLIN, allow_past=allow_past)


# (local, English) pairs: each local phrase must give exactly what the English phrase gives.
WHEN_PAIRS: dict[str, list[tuple[str, str]]] = {
    "de": [
        ("freitag 17:00", "fri 17:00"), ("Freitag 17 Uhr", "fri 17:00"), ("fr 17:00", "fri 17:00"),
        ("Fr. 17h", "fri 17:00"), ("am Freitag um 17 Uhr", "fri 17:00"), ("heute 18 Uhr", "today 18:00"),
        ("morgen", "tomorrow"), ("morgen 9:00", "tomorrow 9:00"), ("morgen um 9", "tomorrow 9am"),
        ("morgen früh", "tomorrow morning"), ("morgen frueh", "tomorrow morning"),
        ("übermorgen 10:00", "day after tomorrow 10:00"), ("in 3 Tagen", "in 3 days"),
        ("in 2 Stunden", "in 2 hours"), ("in 30 Minuten", "in 30 minutes"), ("in einer Woche", "in 1 week"),
        ("heute 17.30 Uhr", "today 17:30"), ("Mittwoch 12 Uhr", "wed 12:00"), ("so 10:00", "sun 10:00"),
        ("heute abend", "this evening"),
    ],
    "es": [
        ("viernes 17:00", "fri 17:00"), ("vie 17:00", "fri 17:00"), ("el viernes a las 17:00", "fri 17:00"),
        ("hoy 18:00", "today 18:00"), ("mañana", "tomorrow"), ("mañana 9:00", "tomorrow 9:00"),
        ("manana 9:00", "tomorrow 9:00"), ("mañana a las 9", "tomorrow 9am"),
        ("mañana por la mañana", "tomorrow morning"), ("pasado mañana 10:00", "day after tomorrow 10:00"),
        ("en 3 días", "in 3 days"), ("en 3 dias", "in 3 days"), ("en 2 horas", "in 2 hours"),
        ("dentro de 30 minutos", "in 30 minutes"), ("en una semana", "in 1 week"),
        ("miércoles 12:00", "wed 12:00"), ("mié 12:00", "wed 12:00"), ("sábado 10:00", "sat 10:00"),
        ("viernes 5 de la tarde", "fri 5pm"), ("hoy 17h", "today 17:00"),
    ],
    "fr": [
        ("vendredi 17:00", "fri 17:00"), ("vendredi 17h", "fri 17:00"), ("ven 17h", "fri 17:00"),
        ("vendredi à 17h30", "fri 17:30"), ("aujourd'hui 18h", "today 18:00"), ("aujourd’hui 18h", "today 18:00"),
        ("demain", "tomorrow"), ("demain 9h", "tomorrow 9:00"), ("demain à 9h", "tomorrow 9:00"),
        ("demain matin", "tomorrow morning"), ("après-demain 10h", "day after tomorrow 10:00"),
        ("apres-demain 10h", "day after tomorrow 10:00"), ("dans 3 jours", "in 3 days"),
        ("dans 2 heures", "in 2 hours"), ("dans 2h", "in 2 hours"), ("dans 30 minutes", "in 30 minutes"),
        ("dans une semaine", "in 1 week"), ("mercredi 12h", "wed 12:00"), ("dimanche 17 h 30", "sun 17:30"),
        ("ce soir", "this evening"),
    ],
    "pt": [
        ("sexta 17:00", "fri 17:00"), ("sexta-feira 17h", "fri 17:00"), ("sexta feira 17h30", "fri 17:30"),
        ("sex 17h", "fri 17:00"), ("na sexta às 17h", "fri 17:00"), ("hoje 18h", "today 18:00"),
        ("amanhã", "tomorrow"), ("amanha 9:00", "tomorrow 9:00"), ("amanhã às 9", "tomorrow 9am"),
        ("amanhã de manhã", "tomorrow morning"), ("depois de amanhã 10h", "day after tomorrow 10:00"),
        ("em 3 dias", "in 3 days"), ("em 2 horas", "in 2 hours"), ("daqui a 30 minutos", "in 30 minutes"),
        ("em uma semana", "in 1 week"), ("em um dia", "in 1 day"), ("quarta 12h", "wed 12:00"),
        ("sábado 10h", "sat 10:00"), ("domingo 9:30", "sun 9:30"), ("terça-feira 8h", "tue 8:00"),
    ],
}

PAST_PAIRS: dict[str, tuple[str, str]] = {
    "de": ("vor 2 Stunden", "2 hours ago"),
    "es": ("hace 2 horas", "2 hours ago"),
    "fr": ("il y a 2 heures", "2 hours ago"),
    "pt": ("há 2 horas", "2 hours ago"),
}

DURATION_PAIRS: dict[str, list[tuple[str, timedelta]]] = {
    "de": [("3 Stunden", timedelta(hours=3)), ("30 Minuten", timedelta(minutes=30)), ("2 Tage", timedelta(days=2)),
           ("eine Woche", timedelta(weeks=1)), ("1 Stunde und 30 Minuten", timedelta(minutes=90))],
    "es": [("3 horas", timedelta(hours=3)), ("30 minutos", timedelta(minutes=30)), ("2 días", timedelta(days=2)),
           ("una semana", timedelta(weeks=1)), ("1 hora y 30 minutos", timedelta(minutes=90))],
    "fr": [("3 heures", timedelta(hours=3)), ("30 minutes", timedelta(minutes=30)), ("2 jours", timedelta(days=2)),
           ("une semaine", timedelta(weeks=1)), ("1 heure et 30 minutes", timedelta(minutes=90))],
    "pt": [("3 horas", timedelta(hours=3)), ("30 minutos", timedelta(minutes=30)), ("2 dias", timedelta(days=2)),
           ("uma semana", timedelta(weeks=1)), ("1 hora e 30 minutos", timedelta(minutes=90))],
}

CLOCK_PAIRS = [("17 Uhr", time(17)), ("17uhr", time(17)), ("17.30 Uhr", time(17, 30)), ("17h", time(17)),
               ("17h30", time(17, 30)), ("9h", time(9)), ("mittag", time(12)), ("mediodía", time(12)),
               ("midi", time(12)), ("meia-noite", time(0)), ("minuit", time(0))]

SCHEDULE_PAIRS: dict[str, list[tuple[str, str]]] = {
    "de": [("werktags 9:30", "weekdays 9:30"), ("Mo-Fr 9 Uhr", "weekdays 9:00"), ("wochentags 9 Uhr", "weekdays 9:00"),
           ("täglich 9h30", "daily 9:30"), ("jeden Tag um 9 Uhr", "daily 9:00"),
           ("mo,mi,fr 17:00", "mon,wed,fri 17:00"),
           ("freitags 17 Uhr", "fri 17:00"), ("am Wochenende 10 Uhr", "weekends 10:00"),
           ("alle 2 Wochen am Freitag 16 Uhr", "every 2 weeks on fri 16:00")],
    "es": [("entre semana 9:30", "weekdays 9:30"), ("lun-vie 9:00", "weekdays 9:00"),
           ("días laborables 9:00", "weekdays 9:00"),
           ("dias laborables 9:00", "weekdays 9:00"), ("todos los días 9:00", "daily 9:00"),
           ("lun,mié,vie 17:00", "mon,wed,fri 17:00"), ("los viernes a las 17:00", "fri 17:00"),
           ("fines de semana 10:00", "weekends 10:00"),
           ("cada 2 semanas el viernes 16:00", "every 2 weeks on fri 16:00")],
    "fr": [("en semaine 9h30", "weekdays 9:30"), ("lun-ven 9h", "weekdays 9:00"),
           ("jours ouvrables 9h", "weekdays 9:00"),
           ("tous les jours 9h", "daily 9:00"), ("lun,mer,ven 17h", "mon,wed,fri 17:00"),
           ("le vendredi à 17h", "fri 17:00"), ("tous les lundis 9h", "every monday 9:00"),
           ("le week-end 10h", "weekends 10:00"),
           ("toutes les 2 semaines le vendredi 16h", "every 2 weeks on fri 16:00")],
    "pt": [("dias úteis 9h30", "weekdays 9:30"), ("seg-sex 9h", "weekdays 9:00"), ("dias uteis 9h", "weekdays 9:00"),
           ("todos os dias 9h", "daily 9:00"), ("seg,qua,sex 17h", "mon,wed,fri 17:00"),
           ("às sextas 17h", "fri 17:00"), ("de segunda a sexta 8h", "weekdays 8:00"),
           ("fins de semana 10h", "weekends 10:00"), ("a cada 2 semanas na sexta 16h", "every 2 weeks on fri 16:00")],
}


def _pairs(table: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str, str]]:
    return [(code, local, english) for code, rows in table.items() for local, english in rows]


@pytest.mark.parametrize(("code", "local", "english"), _pairs(WHEN_PAIRS))
def test_a_local_date_means_what_its_english_form_means(code: str, local: str, english: str) -> None:
    assert when(local) == when(english), f"{code}: {local!r} -> {localise(local.lower())!r}"


@pytest.mark.parametrize("code", sorted(PAST_PAIRS))
def test_a_local_time_ago_means_what_its_english_form_means(code: str) -> None:
    local, english = PAST_PAIRS[code]
    assert when(local, allow_past=True) == when(english, allow_past=True) == NOW - timedelta(hours=2)


DURATIONS = [(code, text, amount) for code, rows in DURATION_PAIRS.items() for text, amount in rows]


@pytest.mark.parametrize(("code", "local", "expected"), DURATIONS)
def test_a_local_duration_reads_as_its_amount(code: str, local: str, expected: timedelta) -> None:
    assert parse_duration(local) == expected, code


@pytest.mark.parametrize(("text", "expected"), CLOCK_PAIRS)
def test_local_24_hour_forms_are_times_of_day(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(("code", "local", "english"), _pairs(SCHEDULE_PAIRS))
def test_a_local_schedule_is_its_english_schedule(code: str, local: str, english: str) -> None:
    assert parse_schedule(local, anchor=ANCHOR) == parse_schedule(english, anchor=ANCHOR), code


def test_every_language_has_its_pairs() -> None:
    assert {lang.code for lang in LANGUAGES} == set(WHEN_PAIRS) == set(SCHEDULE_PAIRS) == set(DURATION_PAIRS)
    assert all(len(rows) >= 15 for rows in WHEN_PAIRS.values())


# -- weekday x time x language ------------------------------------------------------------------------------

TIME_FORMS = {
    "de": ("{h}:{m:02d}", "{h} Uhr", "um {h}:{m:02d} Uhr", "{h}.{m:02d} Uhr"),
    "es": ("{h}:{m:02d}", "a las {h}:{m:02d}", "{h}h{m:02d}"),
    "fr": ("{h}:{m:02d}", "{h}h{m:02d}", "à {h}h", "{h} h {m:02d}"),
    "pt": ("{h}:{m:02d}", "às {h}h{m:02d}", "{h}h", "às {h}:{m:02d}"),
}


def _strip_accents_sometimes(word: str, plain: bool) -> str:
    return fold_accents(word) if plain else word


@given(
    lang=st.sampled_from(LANGUAGES),
    day=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    choice=st.integers(0, 1_000),
    plain=st.booleans(),
    upper=st.booleans(),
)
def test_any_weekday_at_any_time_in_any_language(
    lang: Language, day: int, hour: int, minute: int, choice: int, plain: bool, upper: bool
) -> None:
    names = sorted(word for word, index in lang.weekdays.items() if index == day)
    name = _strip_accents_sometimes(names[choice % len(names)], plain)
    form = TIME_FORMS[lang.code][choice % len(TIME_FORMS[lang.code])]
    if "{m" not in form and "{h}h" not in form and minute:
        form = TIME_FORMS[lang.code][0]
    clock = form.format(h=hour, m=minute)
    if "{m" not in form:
        minute = 0
    local = f"{name.upper() if upper else name} {clock}"
    assert when(local) == when(f"{DAY_ABBR[day]} {hour:02d}:{minute:02d}"), local


# -- clashes: English wins, and each documented reading holds -------------------------------------------------


def test_english_wins_where_words_clash() -> None:
    assert when("mar 5") == when("march 5")  # not Spanish / French Tuesday
    assert when("17h") == NOW + timedelta(hours=17)  # a bare amount, as in English
    assert when("morgen") == when("tomorrow")  # German morning is morgens / früh
    assert when("heute morgen", allow_past=True) == when("today 9:00", allow_past=True)
    assert when("mañana 9 am") == when("tomorrow 9am")  # am after a number stays the English am
    assert when("in a week") == when("in 1 week")


def test_tables_state_their_clashes() -> None:
    assert all(lang.clashes for lang in LANGUAGES)
    assert "morgen" in language_for("de").clashes  # type: ignore[union-attr]
    assert "mañana" in language_for("es-ES").clashes  # type: ignore[union-attr]
    assert "mar" in language_for("fr").clashes  # type: ignore[union-attr]


def test_english_refusals_are_unchanged_when_no_language_reads_it() -> None:
    with pytest.raises(BadInput) as english:
        parse_schedule("blursday 9:30")
    assert "`blursday` isn't a day I know" in english.value.message
    with pytest.raises(BadInput) as local:
        parse_schedule("werktags 25 Uhr")  # read as German, still wrong: the English refusal is shown
    assert "isn't a time I understand" in local.value.message
    with pytest.raises(BadInput) as past:
        when("gestern 9:00")
    assert past.value.message.startswith("That's in the past")


def test_local_words_never_change_what_english_already_reads() -> None:
    for text in ("tomorrow 5pm", "fri", "in 3 days", "2 hours ago", "dec 1 9:30am", "next fri", "eow"):
        assert localise(text) is None, text


# -- examples per locale -------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["de", "es-ES", "es-419", "fr", "pt-BR", "en-US", "en-GB", "ja", None])
def test_each_locale_has_examples_that_parse(locale: str | None) -> None:
    for example in examples(locale, "when"):
        parse_when(example, now=NOW, zone=BERLIN)
    for example in examples(locale, "duration"):
        assert parse_duration(example) is not None
    for example in examples(locale, "clock"):
        parse_clock(example)
    for example in examples(locale, "schedule"):
        parse_schedule(example, anchor=ANCHOR)


def test_examples_are_in_the_members_language() -> None:
    assert "in 3 Tagen" in examples("de", "when")
    assert "mañana 9:00" in examples("es-419", "when")
    assert "dans 3 jours" in examples("fr", "when")
    assert "em 3 dias" in examples("pt-BR", "when")
    assert examples("ja", "when") == examples("en-US", "when") == examples(None, "when")
    with pytest.raises(ValueError, match="unknown kind"):
        examples("de", "weather")


# -- one weekday typed alone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "index"),
    [("freitag", 4), ("Freitags", 4), ("viernes", 4), ("vendredi", 4), ("sexta", 4), ("sexta-feira", 4),
     ("sábado", 5), ("sabado", 5), ("miércoles", 2), ("Mittwoch", 2), ("dimanche", 6), ("lun", 0), ("qui", 3)],
)
def test_one_local_weekday(text: str, index: int) -> None:
    assert parse_weekday(text) == index


@pytest.mark.parametrize("text", ["mo", "fr", "so", "mar", "werktags", "heute"])
def test_one_weekday_needs_three_letters_and_one_day(text: str) -> None:
    with pytest.raises(BadInput, match="day of the week"):
        parse_weekday(text)


# -- relative days and amounts x language --------------------------------------------------------------------

DAY_AHEAD = ("tomorrow", "overmorrow")
UNIT_ENGLISH = {"day": "days", "hour": "hours", "minute": "minutes", "week": "weeks"}
IN_WORD = {"de": "in", "es": "en", "fr": "dans", "pt": "em"}


@given(lang=st.sampled_from(LANGUAGES), ahead=st.sampled_from(DAY_AHEAD), hour=st.integers(0, 23),
       minute=st.integers(0, 59), choice=st.integers(0, 100), plain=st.booleans())
def test_tomorrow_and_the_day_after_at_any_time_in_any_language(
    lang: Language, ahead: str, hour: int, minute: int, choice: int, plain: bool
) -> None:
    words = sorted(word for word, english in lang.days.items() if english == ahead)
    words += sorted(phrase for phrase, english in lang.phrases.items() if english == ahead)
    word = _strip_accents_sometimes(words[choice % len(words)], plain)
    english = "tomorrow" if ahead == "tomorrow" else "day after tomorrow"
    assert when(f"{word} {hour}:{minute:02d}") == when(f"{english} {hour}:{minute:02d}")


@given(lang=st.sampled_from(LANGUAGES), count=st.integers(1, 60), choice=st.integers(0, 100), plain=st.booleans())
def test_in_n_units_in_any_language(lang: Language, count: int, choice: int, plain: bool) -> None:
    units = sorted(word for word, english in lang.units.items() if english in UNIT_ENGLISH)
    unit = _strip_accents_sometimes(units[choice % len(units)], plain)
    english = UNIT_ENGLISH[lang.units[units[choice % len(units)]]]
    assert when(f"{IN_WORD[lang.code]} {count} {unit}") == when(f"in {count} {english}")


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_a_table_gives_each_word_one_reading(lang: Language) -> None:
    readings: dict[str, set[str]] = {}
    groups: list[dict[str, str]] = [
        {word: DAY_ABBR[index] for word, index in lang.weekdays.items()},
        lang.days, lang.units, lang.times, lang.words, lang.phrases, lang.schedule,
    ]
    for group in groups:
        for word, english in group.items():
            readings.setdefault(fold_accents(word), set()).add(english)
    assert {word: seen for word, seen in readings.items() if len(seen) > 1} == {}
    assert set(lang.examples) == {"when", "duration", "clock", "schedule"}
