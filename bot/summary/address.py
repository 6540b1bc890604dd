"""Who a sentence speaks to: a leading greeting and vocative ("Hi Maya, ...") or a closing one ("..., Sam?")."""

from __future__ import annotations

import re

from bot.summary.lexicon import ACTION_VERBS
from bot.summary.text import CHITCHAT, STOPWORDS

_LEAD = re.compile(
    r"^(?:(?:hi|hey|hello|dear|ok|okay|so|and|also|then|but|oh|well|btw|ps|yes|yeah|sure|great|thanks|"
    r"all|everyone|everybody|guys|folks|team|y'all|"
    r"thank you|alright|fyi|one more thing|anyway|now|first|second|finally|last|lastly)\b[\s,!.:;-]*)+",
    re.I,
)
_VOCATIVE = re.compile(r"^(?P<name>[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?)\s*[,:]\s+(?=\S)")
_VOCATIVE_END = re.compile(r",\s*(?P<name>[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?)\s*[?.!]*$")


def split_address(sentence: str) -> tuple[str | None, str]:
    """Take a leading greeting and vocative off: 'Hi Maya, can you...' -> ('Maya', 'can you...')."""
    body = sentence.strip()
    vocative = None
    for _ in range(2):
        stripped = _LEAD.sub("", body, count=1)
        m = _VOCATIVE.match(stripped)
        if m and _plausible_name(m.group("name")):
            vocative = m.group("name")
            stripped = stripped[m.end():]
        if stripped == body:
            break
        body = stripped
    if vocative is None:
        m = _VOCATIVE_END.search(body)
        if m and _plausible_name(m.group("name")):
            vocative = m.group("name")
            body = body[: m.start()].rstrip() + ("?" if body.rstrip().endswith("?") else "")
    return vocative, body


_NOT_NAMES = frozenset(
    [
        "i", "you", "we", "they", "he", "she", "it", "this", "that", "yes", "no", "ok", "okay", "so", "well",
        "oh", "and", "but", "note", "ps", "update", "fyi", "re", "subject", "thanks", "thank", "sorry",
        "please", "also", "then", "now", "here", "there", "please", "what", "why", "how", "when", "where",
        "who", "which", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
        "tomorrow", "tonight", "first", "second", "edit", "important", "reminder", "question", "answer",
    ]
)



def _plausible_name(name: str) -> bool:
    """'Maya' or 'Dr Lee' can be a person addressed; 'Seriously' or 'Thanks' cannot."""
    first = name.split()[0].lower()
    return not (
        first in _NOT_NAMES or first in STOPWORDS or first in CHITCHAT or first in ACTION_VERBS
        or first.endswith(("ly", "ing"))
    )
