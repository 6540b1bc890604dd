"""The captured verb phrase loses a closing please, thanks or ok and its end punctuation."""

from __future__ import annotations

from bot.summary.verb_phrase import clean_vp


def test_clean_vp() -> None:
    assert clean_vp("send the file please?") == "send the file"
    assert clean_vp("review it, thanks!") == "review it"
    assert clean_vp("read the book.") == "read the book"
    assert clean_vp("look it up ok") == "look it up"
