"""Agreement: a reply that accepts a proposal or a request ("sounds good", "sure, I'll do it", "👍")."""

from __future__ import annotations

from bot.summary.lexicon import AGREEMENT_STARTS, DISAGREEMENT_STARTS


def is_agreement(text: str) -> bool:
    """A reply that accepts a proposal or a request: 'sounds good', 'sure, I'll do it', '👍'."""
    low = text.strip().lower()
    if not low:
        return False
    if low.startswith(DISAGREEMENT_STARTS) and not low.startswith(("no problem", "not a problem", "no worries")):
        return False
    return low.startswith(AGREEMENT_STARTS) or low.startswith(("no problem", "no worries", "not a problem"))
