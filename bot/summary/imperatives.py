"""Imperatives: a sentence that opens with a base-form task verb ("Send me the file") is a request."""

from __future__ import annotations

import re

from bot.summary.lexicon import ACTION_VERBS, CHAT_IMPERATIVES
from bot.summary.verb_phrase import clean_vp

_FIRST_WORD = re.compile(r"^(?P<verb>[A-Za-z][a-z'-]*)(?P<rest>(?:\s+(?P<second>[A-Za-z'$-]+))?.*)$", re.S)
_NOT_AFTER_IMPERATIVE = frozenset(
    [
        "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "'s", "should",
        "may", "might", "must", "does", "did", "said", "says", "says", "looks", "seems", "went", "goes",
        "came", "comes", "sounds", "from", "of", "you", "u", "we", "i", "they", "he", "she", "it",
    ]
)
_SUBJECT_VERBS = frozenset(["is", "are", "was", "were", "go", "goes", "went", "look", "looks", "seem", "seems",
                            "has", "have", "had", "will", "won't", "keep", "keeps", "got", "need", "needs"])
_IMP_LEAD = re.compile(r"^(?:just|now|then|also|so|and|but|first|please)\s+", re.I)
_IMP_CLAUSE = re.compile(r"^[^,]{3,80},\s*(?:just\s+|then\s+|please\s+)?(?P<main>.+)$", re.I | re.S)
_TALK_TO_YOU = re.compile(r"^\w+\s+(?:to|with)\s+(?:you|u|ya)\b", re.I)
_GIVE_ME_A_MINUTE = re.compile(r"^give\s+(?:me|us)\s+(?:a|one|two|five|\d+)\s+(?:min|minute|sec|second|moment|mo)s?\b",
                               re.I)


def imperative(body: str) -> str | None:
    """'Send me the file' -> 'send me the file'; None unless the sentence opens with a base-form verb."""
    clause = _IMP_LEAD.sub("", body)
    cond = _IMP_CLAUSE.match(clause) if "," in clause else None
    if cond and _FIRST_WORD.match(cond.group("main")):
        first = cond.group("main").split(None, 1)[0].lower()
        if first in ACTION_VERBS:
            clause = cond.group("main")
    m = _FIRST_WORD.match(clause)
    if not m:
        return None
    verb = m.group("verb")
    low = verb.lower()
    if low not in ACTION_VERBS or low in CHAT_IMPERATIVES:
        return None
    second = (m.group("second") or "").lower()
    if second in _NOT_AFTER_IMPERATIVE or clause[len(verb): len(verb) + 1] in (":", "-", "s"):
        return None
    if not second or len(clause.split()) < 2:
        return None
    third = clause.split(None, 3)[2].lower() if len(clause.split()) > 2 else ""
    if third in _SUBJECT_VERBS:  # "train tickets go up tomorrow": a noun phrase and its verb, not an order
        return None
    if _TALK_TO_YOU.match(clause) or _GIVE_ME_A_MINUTE.match(clause):  # "Talk to you soon", "give me a sec"
        return None
    return clean_vp(low + m.group("rest"))
