"""The shape of one language's table: its words for days, units and times, each read into English words."""

from __future__ import annotations

from dataclasses import dataclass, field

#: What a language's "at" word (``um``, ``à``, ``a las``, ``às``) is read into: it makes a bare hour after
#: it a time of day (``um 9`` is 09:00), which the English grammar does not do for a bare ``at 9``.
AT = "@"


@dataclass(frozen=True)
class Language:
    """One shipped language's input vocabulary. Keys may be written with accents; both spellings are read.

    Each mapping reads a local word into the grammar's English words, so the English grammar (and its
    documented reading of each form) decides what the text means:

    * ``weekdays``: day names and their common abbreviations, plurals included (``freitags``) -> 0-6
    * ``days``: today, tomorrow, the day after, yesterday, now -> ``today`` / ``tomorrow`` / ...
    * ``units``: day, hour, minute, week, second words -> ``days`` / ``hours`` / ...
    * ``times``: parts of the day, noon and midnight -> ``morning`` / ``noon`` / ...
    * ``numbers``: small number words -> digits (read as numbers only before a unit: ``um dia``)
    * ``words``: other words with an English counterpart (``in``, ``every``, ``and``, ``this``)
    * ``phrases``: several words read as one (``pasado mañana``, ``en semaine``, ``a las``)
    * ``schedule``: schedule words (``werktags``, ``todos los días``) -> ``weekdays`` / ``daily`` / ``weekends``
    * ``at``: words meaning "at" before a time; ``fillers``: words that carry no meaning here (``am``, ``el``)
    * ``ago``: words that, put first, mean "... ago" (``vor 2 Stunden``, ``hace 2 horas``)
    * ``clashes``: each word whose meaning clashes with English or another reading, and which reading wins
    * ``examples``: what to show a member of this language, per field kind
    """

    code: str
    name: str
    locales: tuple[str, ...]
    weekdays: dict[str, int]
    days: dict[str, str]
    units: dict[str, str]
    times: dict[str, str]
    numbers: dict[str, int]
    words: dict[str, str]
    phrases: dict[str, str]
    schedule: dict[str, str]
    at: frozenset[str]
    fillers: frozenset[str]
    ago: frozenset[str]
    clashes: dict[str, str]
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
