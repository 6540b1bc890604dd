"""Decisions: "we decided ...", "let's go with ...", "agreed on ...", "final answer: ..." (not negated or asked)."""

from __future__ import annotations

import re

from bot.summary.clauses import negated_before

_DECISION = re.compile(
    r"\b(?:we(?:'ve|\s+have)?\s+(?:all\s+)?decided|(?:it's|it\s+is|that's)\s+(?:decided|settled|final)|"
    r"decision\s+(?:is|was|made)|final\s+(?:answer|decision|call|choice)|we\s+(?:all\s+)?agreed|"
    r"(?:is|are|was)\s+agreed|agreed\s+(?:on|to|that)|we(?:'re|\s+are)\s+going\s+with|"
    r"(?:let's|lets|we'll|we\s+will|i'll|gonna)\s+go\s+(?:with|for|ahead)|going\s+(?:ahead\s+)?with|"
    r"settled\s+on|we\s+chose|we(?:'ve|\s+have)\s+chosen|we\s+picked|we\s+opted|the\s+plan\s+is|"
    r"consensus|we\s+(?:will|'ll)\s+stick\s+with|decided\s+(?:to|on|that|against)|approved|"
    r"it's\s+a\s+(?:go|deal)\b|(?:^|\s)decision:)",
    re.I,
)


_DECISION_HINTS = ("decid", "decision", "settled", "final", "agree", "go with", "go for", "go ahead", "going with",
                   "going ahead", "chose", "chosen", "picked", "opted", "plan is", "consensus", "stick with",
                   "approved", "a go", "a deal")



def is_decision(sentence: str) -> bool:
    """'We decided to...', 'let's go with...', 'agreed on...', 'final answer: ...' (not negated or asked)."""
    low = sentence.lower()
    if not any(h in low for h in _DECISION_HINTS):
        return False
    m = _DECISION.search(sentence)
    if m is None or sentence.rstrip().endswith("?"):
        return False
    return not negated_before(sentence, m.end())
