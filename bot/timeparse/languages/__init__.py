"""The shipped languages' input words, read into the English grammar's words.

English and ISO forms work for everyone. Text the English grammar cannot read is read once more through
:func:`localise`, which puts the words of every shipped language (German, Spanish, French, Brazilian
Portuguese; one table per language, beside this module) into English words, so the one English grammar
decides what it means: ``freitag 17 Uhr`` becomes ``fri 17:00``, ``mañana 9:00`` ``tomorrow 9:00``,
``dans 3 jours`` ``in 3 day``, ``werktags 9h`` ``weekdays 9:00``. Because a reading in English is always
tried first, an English meaning wins wherever words clash; each table lists its clashes.

Reading is one pass over the words of capped text (``MAX_LOCALISE_CHARS``; the callers cap far below it),
looking up each word and each run of up to four words in dictionaries; the only patterns run over one word,
anchored and without nested repetition, so nothing here can backtrack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import babel_locale, t
from bot.timeparse.languages import en
from bot.timeparse.languages.de import GERMAN
from bot.timeparse.languages.es import SPANISH
from bot.timeparse.languages.fr import FRENCH
from bot.timeparse.languages.pt import PORTUGUESE
from bot.timeparse.languages.table import AT, Language
from bot.timeparse.text import fold_accents

__all__ = ["LANGUAGES", "Examples", "Language", "examples", "language_for", "localise"]

#: Every shipped language but English, whose words are the grammar's own.
LANGUAGES: tuple[Language, ...] = (GERMAN, SPANISH, FRENCH, PORTUGUESE)

EXAMPLE_KINDS = ("when", "duration", "clock", "schedule")
#: Longer text is not read at all (every caller caps far below this; a stored schedule is shorter still).
MAX_LOCALISE_CHARS = 1_000

_HOUR = re.compile(r"\d{1,2}", re.ASCII)
_HOUR_MINUTE = re.compile(r"(?P<h>\d{1,2})[:.](?P<m>\d{2})", re.ASCII)
_H_FORM = re.compile(r"(?P<h>\d{1,2})h(?P<m>\d{2})?", re.ASCII)
_UHR_FORM = re.compile(r"(?P<h>\d{1,2})uhr", re.ASCII)
#: After these an hour count is an amount of time (``dans 2h``), not a time of day.
_AMOUNT_WORDS = frozenset({"in", "for", "every", "after"})
_MERIDIEM = frozenset({"am", "pm"})


def _fold(text: str) -> str:
    return fold_accents(text.replace("’", "'"))


def _compile() -> tuple[dict[str, str], dict[tuple[str, ...], str], dict[str, int], frozenset[str]]:
    """Merge the tables: word -> English words, phrase -> English words, number words, filler words.

    Two languages may give a word the same reading; different readings of one word are a mistake in the
    tables and stop the import (numbers and fillers may share a word: see :func:`localise`).
    """
    words: dict[str, str] = {}
    phrases: dict[str, str] = {}
    numbers: dict[str, int] = {}
    fillers: set[str] = set()

    def put(table: dict[str, str], key: str, value: str, code: str) -> None:
        if table.get(key, value) != value:
            raise ValueError(f"{code}: {key!r} is read as {value!r} here but as {table[key]!r} elsewhere")
        table[key] = value

    for lang in LANGUAGES:
        single: dict[str, str] = {
            **{word: en.DAY_ABBR[index] for word, index in lang.weekdays.items()},
            **lang.days,
            **lang.units,
            **lang.times,
            **lang.words,
            **lang.schedule,
            **dict.fromkeys(lang.at, AT),
            **dict.fromkeys(lang.ago, "ago"),
        }
        for word, english in {**single, **lang.phrases}.items():
            key = " ".join(_fold(word).split())
            put(phrases if " " in key else words, key, english, lang.code)
        for word, number in lang.numbers.items():
            folded = _fold(word)
            if numbers.get(folded, number) != number:
                raise ValueError(f"{lang.code}: the number word {word!r} means two numbers")
            numbers[folded] = number
        fillers.update(_fold(word) for word in lang.fillers)
    return words, {tuple(key.split()): value for key, value in phrases.items()}, numbers, frozenset(fillers)


_WORDS, _PHRASES, _NUMBERS, _FILLERS = _compile()
_LONGEST_PHRASE = max(len(key) for key in _PHRASES)
_UNIT_WORDS = frozenset(en.UNITS) | frozenset(word for word, english in _WORDS.items() if english in en.UNITS)


def _tokens(text: str) -> list[str]:
    """Words of already-normalised text, accents folded, commas kept as words, a final ``.`` of a word dropped."""
    found = []
    for raw in _fold(text).replace(",", " , ").split():
        word = raw[:-1] if len(raw) > 1 and raw.endswith(".") and raw[-2].isalpha() else raw
        found.append(word)
    return found


def _clock(hour: str, minute: str | None) -> str:
    return f"{int(hour)}:{minute or '00'}"


def localise(text: str) -> str | None:
    """``text`` (normalised, capped) in the English grammar's words, or None if it has no local words.

    Besides the tables' words, the local forms of a 24-hour time are written the English way: ``17 Uhr``,
    ``17uhr``, ``17.30 Uhr``, ``17h``, ``17h30`` and ``17 h 30`` become ``17:00`` / ``17:30``, and a bare hour
    after a local "at" word (``um 9``, ``às 9``, ``a las 9``) becomes ``9:00``. After an amount word (``in``,
    ``dans``, ``em``: see ``_AMOUNT_WORDS``) ``2h`` stays two hours. Words meaning "ago" put first (``vor``,
    ``hace``, ``il y a``, ``há``) move to the end, where English has them.
    """
    if len(text) > MAX_LOCALISE_CHARS:
        return None
    words = _tokens(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        previous = out[-1] if out else ""
        phrase = next(
            (
                words[i : i + size]
                for size in range(min(_LONGEST_PHRASE, len(words) - i), 1, -1)
                if tuple(words[i : i + size]) in _PHRASES
            ),
            None,
        )
        if phrase is not None:
            out.extend(_PHRASES[tuple(phrase)].split())
            i += len(phrase)
            continue
        i += 1
        if (hm := _H_FORM.fullmatch(word)) is not None:
            if previous in _AMOUNT_WORDS or following == "ago":
                out.extend((f"{hm['h']}h", f"{hm['m']}m") if hm["m"] else (word,))
            else:
                out.append(_clock(hm["h"], hm["m"]))
        elif (uhr := _UHR_FORM.fullmatch(word)) is not None:
            out.append(_clock(uhr["h"], None))
        elif word == "uhr" and out and (_HOUR.fullmatch(previous) or _HOUR_MINUTE.fullmatch(previous)):
            hour_minute = _HOUR_MINUTE.fullmatch(previous)
            out[-1] = _clock(hour_minute["h"], hour_minute["m"]) if hour_minute else _clock(previous, None)
        elif word == "h" and _HOUR.fullmatch(previous) and _HOUR.fullmatch(following) and len(following) == 2:
            out[-1] = _clock(previous, following)
            i += 1
        elif _HOUR.fullmatch(word) and previous == AT and following not in _UNIT_WORDS:
            out[-1] = _clock(word, None)
        elif word in _NUMBERS and (following in _UNIT_WORDS or (word not in _FILLERS and word not in _WORDS)):
            out.append(str(_NUMBERS[word]))
        elif word in _WORDS:
            out.append(_WORDS[word])
        elif word in _FILLERS and not (word in _MERIDIEM and _HOUR.fullmatch(previous)):
            continue
        else:
            out.append(word)
    out = [word for word in out if word != AT]
    if out and out[0] == "ago":
        out = [*out[1:], "ago"]
    english = " ".join(out).replace(" , ", ", ")
    return english if english != text else None


def language_for(locale: str | None) -> Language | None:
    """The shipped language of a Discord locale (``de``, ``es-ES``, ``pt-BR``, ...); None for English or other."""
    if not locale:
        return None
    code = locale.lower().replace("_", "-").split("-")[0]
    return next((lang for lang in LANGUAGES if lang.code == code), None)


def examples(locale: str | None, kind: str) -> tuple[str, ...]:
    """Example inputs for a field (``when``, ``duration``, ``clock`` or ``schedule``) in a member's language.

    English examples for English and every locale not shipped; the English forms keep working for everyone.
    """
    if kind not in EXAMPLE_KINDS:
        raise ValueError(f"unknown kind of example {kind!r}; expected one of {EXAMPLE_KINDS}")
    lang = language_for(locale)
    if lang is None:
        return en.EXAMPLES[kind]
    return lang.examples[kind]


#: What each kind of field shows in English (the grammar's own words; every other language adds its own).
_ENGLISH_TEXT = {
    "when": en.WHEN_EXAMPLES,
    "duration": en.DURATION_EXAMPLES,
    "clock": en.CLOCK_EXAMPLES,
    "schedule": en.SCHEDULE_EXAMPLES,
    "day": "`monday`, `fri` or `Sunday`",
}
#: The weekdays a "day" example names (Monday, Friday, Sunday).
_EXAMPLE_DAYS = (0, 4, 6)


@dataclass(frozen=True, slots=True)
class Examples:
    """Examples of what to type in one kind of field, written in the reader's language where they fill an
    error: ``BadInput("… Try {examples}.", examples=Examples("when"))`` reads ``Try `morgen 17 Uhr`, …``
    for a German reader (see :class:`bot.i18n.Localised`). ``str()`` is the English.

    Kinds: ``when``, ``duration``, ``clock``, ``schedule`` (a block of lines, for the end of a message) and
    ``day`` (one day of the week).
    """

    kind: str

    def __post_init__(self) -> None:
        if self.kind not in _ENGLISH_TEXT:
            raise ValueError(f"unknown kind of example {self.kind!r}; expected one of {sorted(_ENGLISH_TEXT)}")

    def __str__(self) -> str:
        return _ENGLISH_TEXT[self.kind]

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def text(self, locale: str | None) -> str:
        lang = language_for(locale)
        if lang is None:
            return str(self)
        if self.kind == "day":
            # Each table lists a day's full name first (``montag``, ``lundi``, ``segunda``).
            names = [next(w for w, i in lang.weekdays.items() if i == day) for day in _EXAMPLE_DAYS]
            return _or_list(locale, names)
        if self.kind == "schedule":
            lines = [t(locale, "Try one of these:"), *(f"• `{e}`" for e in lang.examples["schedule"])]
            lines.append("• `cron 0 9 * * 1-5` " + t(locale, "(minute hour day month weekday)"))
            return "\n".join(lines)
        return _or_list(locale, list(lang.examples[self.kind]))


def _or_list(locale: str | None, items: list[str]) -> str:
    """```a`, `b` or `c``` written the reader's way."""
    from babel.lists import format_list  # only when a non-English reader first needs it

    return format_list([f"`{item}`" for item in items], style="or", locale=babel_locale(locale))


#: The examples an error about each kind of field shows.
WHEN_INPUT = Examples("when")
DURATION_INPUT = Examples("duration")
CLOCK_INPUT = Examples("clock")
SCHEDULE_INPUT = Examples("schedule")
DAY_INPUT = Examples("day")
