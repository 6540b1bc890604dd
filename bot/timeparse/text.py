"""Shared input handling for the grammar: length caps, normalising, echoing input back, awareness checks."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from bot.errors import BadInput, shown_input
from bot.i18n import Localised, Term

#: Longer input than this is refused before any parsing is attempted.
MAX_INPUT_CHARS = 100

ECHO_CHARS = 40
OFF_WORDS = frozenset({"off", "none", "no", "never", "disable", "disabled", "0"})


def shown(text: str) -> str:
    """A short, harmless echo of the member's input, for use inside backticks."""
    return shown_input(text, ECHO_CHARS)


def normalise(text: str) -> str:
    """Lower-case, NFKC-fold and collapse whitespace; drop surrounding punctuation such as a final full stop."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return " ".join(folded.split()).strip(" .!?")


#: The names callers give the fields they read (``what=``), each a catalog entry so that an error names the
#: field in the member's language; any other name is shown as given.
FIELD_NAMES = (
    Term("date"),
    Term("time"),
    Term("duration"),
    Term("return date"),
    Term("due date"),
    Term("due time"),
    Term("snooze time"),
    Term("reminder time"),
    Term("answer window"),
    Term("time to look back"),
    Term("start"),
)


def field_name(what: str) -> Term:
    """``what`` as a term an error shows in the reader's language (when the catalogs have it)."""
    return what if isinstance(what, Term) else Term(what)


def check_length(text: str, what: str, examples: Localised) -> None:
    if len(text) > MAX_INPUT_CHARS:
        raise BadInput("That's too long for a {what}. Try {examples}.", what=field_name(what), examples=examples)


def require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def fold_accents(word: str) -> str:
    """``mañana`` -> ``manana``, ``Übermorgen`` -> ``ubermorgen``, ``sábado`` -> ``sabado`` (already lower-case)."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
