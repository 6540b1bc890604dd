"""Tidy the verb phrase a cue captured: a closing "please", "thanks" or "ok" and end punctuation go."""

from __future__ import annotations

import re

_VP_PLEASE = re.compile(r"\s*(?:,\s*)?(?:please|pls|plz)\s*([?.!]*)$", re.I)
#: A closing "ok" / "thanks" dropped from a verb phrase, longest first (the leftmost match of the old pattern
#: r"\s*,?\s*(?:ok|…|thx)\s*[?.!]*$", done with string methods: that pattern was quadratic on runs of spaces).
_VP_THANKS_WORDS = ("thank you", "alright", "thanks", "okay", "right", "thx", "ok")


def drop_thanks(vp: str) -> str:
    body = vp[:-1] if vp.endswith("\n") else vp  # "$" also matches before a final newline
    body = body.rstrip("?.!").rstrip()
    for word in _VP_THANKS_WORDS:
        if body[-len(word):].lower() == word:
            if body[-len(word) - 1: -len(word)].isalnum():
                continue  # "read the book" does not end with "ok"
            head = body[:-len(word)].rstrip()
            head = head[:-1] if head.endswith(",") else head
            return head.rstrip()
    return vp


_VP_END = re.compile(r"[\s?.!,;:]+$")


def clean_vp(vp: str) -> str:
    vp = _VP_PLEASE.sub(r"\1", vp.strip())
    vp = drop_thanks(vp)
    vp = _VP_END.sub("", vp)
    return vp
