"""One day of the week, typed alone: ``monday``, ``Fri``, ``thurs``, ``fridays``, ``freitag``, ``sábado``."""

from __future__ import annotations

from bot.errors import BadInput
from bot.timeparse.languages import DAY_INPUT, LANGUAGES
from bot.timeparse.text import fold_accents

DAY_EXAMPLES = "`monday`, `fri` or `Sunday`"
_ENGLISH = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Local day names of three letters or more; a single-day field needs three letters in every language, so the
#: German two-letter abbreviations (``mo``, ``fr``), fine in a list of days, are not enough here.
_LOCAL = {
    fold_accents(word): index for lang in LANGUAGES for word, index in lang.weekdays.items() if len(word) >= 3
}


def parse_weekday(text: str) -> int:
    """A single weekday (0 = Monday): an English name or its first three (or more) letters, a plural
    (``mondays``), or a shipped language's name for it (``freitag``, ``viernes``, ``vendredi``, ``sexta-feira``).
    """
    cleaned = text.strip().lower().rstrip(".")
    if cleaned.endswith("s") and cleaned[:-1] in _ENGLISH:
        cleaned = cleaned[:-1]  # "mondays"
    if len(cleaned) >= 3:
        for index, name in enumerate(_ENGLISH):
            if name.startswith(cleaned):
                return index
        local = _LOCAL.get(fold_accents(cleaned))
        if local is not None:
            return local
    echo = text.strip().replace("`", "'")[:40] or "(empty)"
    raise BadInput("`{text}` isn't a day of the week. Pick one day, such as {examples}.", text=echo, examples=DAY_INPUT)
