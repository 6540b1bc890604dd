"""Questions: which sentences ask something, and which are worth listing as open (not rhetorical)."""

from __future__ import annotations

import re

from bot.summary.address import split_address

QUESTION_START = re.compile(
    r"^(?:who|what|when|where|why|how|which|whose|whom|is|are|was|were|do|does|did|can|could|will|would|"
    r"should|shall|have|has|had|may|might|isn't|aren't|don't|doesn't|didn't|won't|wouldn't|can't|anyone|"
    r"anybody|any\s+idea|any\s+ideas|any\s+news)\b",
    re.I,
)
RHETORICAL = re.compile(
    r"^(?:right|really|seriously|what|why|huh|eh|ok|okay|sure|yes|no|you\s+sure|are\s+you\s+sure|"
    r"isn't\s+it|aren't\s+you|how\s+come|are\s+you\s+kidding(?:\s+me)?|what\s+the\s+\w+|who\s+cares|"
    r"why\s+not|how\s+are\s+you|how\s+are\s+u|how\s+r\s+u|how's\s+it\s+going|what's\s+up|whats\s+up|sup|"
    r"you\s+know|know\s+what|guess\s+what|and\s+you|u\s+2|you\s+too)\W*$",
    re.I,
)


def is_question(sentence: str) -> bool:
    s = sentence.strip()
    if s.endswith("?"):
        return True
    return bool(QUESTION_START.match(s)) and len(s.split()) >= 4 and not s.endswith((".", "!"))


def is_substantive_question(sentence: str, content_words: int) -> bool:
    """A question worth listing as open: not rhetorical, not 'how are you?', with some content."""
    if not is_question(sentence):
        return False
    _, body = split_address(sentence)
    if RHETORICAL.match(body.strip()):
        return False
    if content_words == 1 and len(body.split()) >= 5:
        return bool(_WHICH.match(body))  # "Which host are we on right now?": one content word, a real question
    return content_words >= 2


_WHICH = re.compile(r"^(?:which|what|where|who|when|whose)\s+\w+\s+(?:are|is|was|were|do|does|did|should|will)\b",
                    re.I)
