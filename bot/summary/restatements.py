"""Restated commitments: the same owner promising the same thing twice is one action item.

Two items are the same when most content words of the smaller task (date words and "do / get / done /
finish" left out) are shared and their numbers match: "I'll draft the roadmap by Friday" ... "I'll get the
roadmap draft done by Friday, promise".
"""

from __future__ import annotations

import re

from bot.summary.models import ActionItem
from bot.summary.text import content_stems, words

_DUE_WORDS = re.compile(
    r"\b(?:(?:by|on|before|until|at|this|next|the|end|of|today|tonight|tomorrow|morning|afternoon|evening|noon|"
    r"week|weekend|month|eod|asap|soon|later|promise|promised|said|as|again|no|worries|don't|worry|"
    r"get|got|getting|do|done|doing|finish|finished|have|having|make|sure|it|that|this)\b|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b)",
    re.I,
)
DUPLICATE_OVERLAP = 0.6  # share of the smaller task's content words the two must have in common
DUPLICATE_WINDOW = 8  # an owner's latest items a new one is compared with
_DIGITS = re.compile(r"\d+")


def task_stems(item: ActionItem) -> set[str]:
    what = item.what
    if item.due_text:
        what = what.replace(item.due_text, " ")
    return set(content_stems(words(_DUE_WORDS.sub(" ", what))))


def owners(item: ActionItem) -> set[str]:
    """The people an item belongs to: "Sam, Priya and Maya" is three."""
    head, _, last = item.owner_name.rpartition(" and ")
    return {n.strip() for n in [*head.split(", "), last] if n.strip()} if head else {item.owner_name}


def same_task(item: ActionItem, task: set[str], earlier: ActionItem, earlier_task: set[str]) -> bool:
    """The same owner promising the same thing again ("I'll draft it by Friday" ... "I'll draft it, promise"),
    or one of a group that agreed to it ("Let's book the venue" - "sounds good" ... "I'll book the venue")."""
    if not owners(item) <= owners(earlier) or not task or not earlier_task:
        return False
    if _DIGITS.findall(item.what) != _DIGITS.findall(earlier.what):
        return False  # "deck #3" and "deck #4" are two tasks
    return len(task & earlier_task) / min(len(task), len(earlier_task)) >= DUPLICATE_OVERLAP
