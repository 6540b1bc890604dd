"""Shorter key points: take the words out of a chat sentence that say nothing about what was said.

Laughter ("lol", "haha"), hedges around a clause ("I think", "I guess", "I'm afraid"), tag questions
("..., right?"), a closing address (", honey", ", guys") and intensifiers ("very", "super") are dropped;
the rest of the sentence is left as it was written. Every rule removes a whole phrase at a place where the
sentence still reads without it, and nothing is removed when too little would be left.
"""

from __future__ import annotations

import re

from bot.summary.questions import QUESTION_START

_LAUGH = r"(?:lol+|lmao+|rofl|ha(?:ha)+h?|he(?:he)+|hihi|xd+)"
# Laughter anywhere, with the comma or stop that set it off: "they put it next to eggs lol" -> "... eggs".
# Every run of separators is entered at its start only (the look-behind), so a long run is scanned once.
_LAUGHTER = re.compile(rf"(?:^|(?<![\s,;])[\s,;]+)\(?{_LAUGH}\)?(?=[\s,.!?;]|$)[,;]?", re.I)
# A hedge opening the sentence (after any interjection): "I think he's ready now" -> "he's ready now".
_HEDGE_START = re.compile(
    r"^(?:i\s+(?:think|guess|believe|suppose|mean|reckon)|i'?m\s+(?:afraid|sure)|you\s+know(?!\s+what)|to\s+be\s+honest|"
    r"tbh|imo|imho|honestly|of\s+course|in\s+fact)(?:\s+that(?=\s))?\b[\s,]*(?=\w)",
    re.I,
)
# A hedge or tag closing it: "close to Torino I guess" -> "close to Torino"; "it's late, right?" -> "it's late."
_HEDGE_END = re.compile(
    r"(?:(?<![\s,])[\s,]+(?:i\s+(?:think|thought|guess|believe|suppose)|you\s+know|though|or\s+what|or\s+not)"
    r"|,\s*(?:right|ok|okay|tbh|imo|isn'?t\s+it|don'?t\s+you\s+think|no|yes|yeah|eh|huh))(?P<end>\s*[.!?]*)$",
    re.I,
)
# A closing address: "Get well soon, honey." -> "Get well soon."
_ADDRESS_END = re.compile(
    r",\s*(?:honey|hun|babe|baby|darling|dear|sweetie|love|guys|man|dude|bro|mate|m8|sir|madam|buddy|pal|"
    r"girl|everyone|all|folks|my\s+friend)(?P<end>\s*[.!?]*)$",
    re.I,
)
# Intensifiers before a word: "I'm super excited" -> "I'm excited".
_INTENSIFIER = re.compile(r"\b(?:very|super|extremely|terribly|awfully|incredibly|so\s+so)\s+(?=[a-z])", re.I)
_HINT = re.compile(
    r"lol|lmao|rofl|haha|hehe|hihi|xd|think|thought|guess|believe|suppose|mean|reckon|afraid|sure|know|honest|tbh|imo|"
    r"course|fact|right|ok|though|what|not|isn|no|,|very|super|extremely|terribly|awfully|incredibly|so\s+so",
    re.I,
)
_SPACES = re.compile(r"\s{2,}")
_SPACE_BEFORE = re.compile(r"(?<!\s)\s+([,.!?;])")
_LEADING = re.compile(r"^[\s,;]+")
MIN_WORDS = 2  # a compressed sentence keeps at least this many words, or the sentence stays as it was
#: Longer sentences are left as they are: a key point that long is shortened for display anyway, and every
#: pattern here stays linear in any case (``tests/test_user_text_worst_case.py``).
MAX_CHARS = 1_000


def _tag_end(m: re.Match[str], text: str) -> str:
    """The end punctuation after a dropped tag: a statement the tag made a question ("it's late, right?")
    ends with a full stop again."""
    end = m.group("end").strip()
    if end.startswith("?") and not QUESTION_START.match(text):
        return "."
    return end


def compress(text: str, *, keep_question: bool = False) -> str:
    """``text`` without laughter, hedges, tags, a closing address or intensifiers (see the module doc).

    With ``keep_question`` (a question shown as one, e.g. among the open questions), a closing tag stays: "we
    should ship Thursday, right?" is still a question, not the statement "we should ship Thursday."
    """
    if len(text) > MAX_CHARS or not _HINT.search(text):
        return text
    out = _LAUGHTER.sub("", text)
    out = _LEADING.sub("", out)
    out = _HEDGE_START.sub("", out, count=1)
    out = _ADDRESS_END.sub(lambda m: m.group("end").strip(), out, count=1)
    if not (keep_question and text.rstrip().endswith("?")):
        out = _HEDGE_END.sub(lambda m: _tag_end(m, out), out, count=1)
    out = _INTENSIFIER.sub("", out)
    out = _SPACE_BEFORE.sub(r"\1", _SPACES.sub(" ", out)).strip()
    if len(re.findall(r"[A-Za-z0-9]+", out)) < MIN_WORDS:
        return text
    if out and out[-1] not in ".!?" and text.rstrip()[-1:] in ("?", "!"):
        out += text.rstrip()[-1]
    return out
