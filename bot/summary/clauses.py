"""The scope of a cue inside its sentence: negated just before it ("I won't send"), or inside an if-clause."""

from __future__ import annotations

import re

NEGATED = re.compile(r"\b(?:not|never|n't|no\s+longer)\b", re.I)
_IF_CLAUSE = re.compile(r"\b(?:if|unless|whether)\b[^,]*$")


def negated_before(text: str, end: int) -> bool:
    window = text[max(0, end - 14): end]
    return bool(NEGATED.search(window))


def conditional(text: str, start: int) -> bool:
    """The cue sits inside an if-clause: 'If I can get it finished, ...'."""
    head = text[:start].lower()
    if "if" not in head and "unless" not in head and "whether" not in head:
        return False
    return bool(_IF_CLAUSE.search(head))
