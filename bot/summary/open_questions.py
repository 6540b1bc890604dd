"""Open questions: the substantive questions nobody took up afterwards.

A question is answered by a later message by someone else that replies to the asker or mentions them; for
a question addressed to someone, by that person speaking next; by a "sure" / "yes" right after it; or by one
of the next three turns (within two hours) that takes it up: it shares a content word with the question or
has the shape of an answer to that kind of question (yes / no, a member's name; a day or a time for "when",
an amount for "how much" or a budget, either for a yes/no question). An unrelated remark is no answer, and
neither is a time of day given to a question about an amount ("What budget ...?" - "release moves to 10:00").
"""

from __future__ import annotations

import bisect
import re
from datetime import timedelta

from bot.summary.address import split_address
from bot.summary.agreement import is_agreement
from bot.summary.conversation import ANSWER_WINDOW, Conversation, Turn, Unit
from bot.summary.models import Bullet
from bot.summary.questions import is_substantive_question

_ANSWER_START = re.compile(
    r"^(?:yes|yeah|yep|yup|ya|no|nope|nah|not\s+yet|sure|of\s+course|definitely|probably|maybe|i\s+think|"
    r"i\s+guess|i\s+believe|i\s+don'?t\s+know|dunno|no\s+idea|not\s+sure|it'?s|it\s+is|they|we|he|she|"
    r"about|around|only|just|because|since|at|in|on|by|from|yesterday|today|tomorrow|last|next)\b",
    re.I,
)
_DATE_WORDS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|yesterday|"
    r"morning|afternoon|evening|noon|january|february|march|april|june|july|august|september|october|"
    r"november|december)\b",
    re.I,
)
_TIME_OF_DAY = re.compile(r"\b\d{1,2}(?::\d{2}|\s?(?:am|pm)\b)", re.I)
_DIGIT = re.compile(r"\d")
# What kind of answer a question looks for, from its opening words.
_WHEN = re.compile(r"^(?:when|until\s+when|by\s+when|what\s+(?:time|day|date)|which\s+day|how\s+(?:long|soon))\b", re.I)
# A question asking for facts, which "ok" or "sure" does not answer (but "what about ...?" it does).
_WANTS_FACTS = re.compile(r"^(?:what(?!\s+(?:about|do\s+you\s+think|if))|which|when|where|who|whom|whose|why|"
                          r"how(?!\s+about))\b", re.I)
_AMOUNT = re.compile(r"\b(?:how\s+(?:much|many)|budget|cost|costs|price|amount|total)\b", re.I)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_WHO = re.compile(r"^(?:who|whom|whose)\b", re.I)
_FIRST_PERSON = re.compile(r"^(?:i|me|i'll|i'm|i've|we|us|we'll)\b", re.I)
_NOT_ANSWER_NAMES = frozenset(["i", "lol", "haha", "hahaha", "the", "my", "ok", "okay", "oh", "omg", "this", "that",
                               "it", "what", "so", "well", "btw", "also", "and", "but", "anyway"])


def open_questions(conv: Conversation) -> list[Bullet]:
    """Questions that nobody else took up afterwards."""
    # Messages that address an author: a reply to them or a mention of them, by index.
    addressed: dict[int, list[int]] = {}
    spoke: dict[int, list[int]] = {}
    for i, m in enumerate(conv.messages):
        spoke.setdefault(m.author_id, []).append(i)
        targets = set(m.mentions)
        if m.reply_to_author_id is not None:
            targets.add(m.reply_to_author_id)
        for target in targets:
            if target != m.author_id:
                addressed.setdefault(target, []).append(i)
    out: list[Bullet] = []
    for unit in conv.units:
        if not unit.question or not is_substantive_question(unit.text, len(unit.stems)):
            continue
        if _answered(conv, unit, addressed, spoke):
            continue
        out.append(conv.bullet(conv.about(unit), unit))
    return out


def _answered(conv: Conversation, unit: Unit, addressed: dict[int, list[int]], spoke: dict[int, list[int]]) -> bool:
    asker = unit.speaker_id
    turn = conv.turns[unit.turn]
    asked_at = conv.messages[unit.msg].created_at
    last = turn.last_msg

    def within(i: int) -> bool:
        return conv.messages[i].created_at - asked_at <= ANSWER_WINDOW

    vocative, _ = split_address(unit.text)
    m = conv.messages[unit.msg]
    target = next((u for u in m.mentions if u != asker), None)
    if target is None:
        target = conv.names.find(vocative)
    if target is not None and target != asker:
        later = spoke.get(target, [])
        k = bisect.bisect_right(later, unit.msg)
        return k < len(later) and within(later[k])
    addressed_elsewhere = vocative is not None  # "Tom, ...?" to someone who is not in this chat
    if asker is not None:
        later = addressed.get(asker, [])
        k = bisect.bisect_right(later, unit.msg)
        if k < len(later) and within(later[k]):
            return True
    if addressed_elsewhere:
        return False
    # Otherwise: the next turn by someone else, if it does not turn to a third person.
    for t in conv.following_turns(unit.turn, 3):
        first = conv.messages[t.first_msg]
        if t.first_msg <= last:
            continue
        if is_agreement(t.text) and within(t.first_msg) and not _WANTS_FACTS.match(split_address(unit.text)[1]):
            return True  # "sure", "yes": the question was a request or a yes/no question, answered
        if conv.is_filler(t) or conv.is_only_questions(t):
            continue  # "lol" or a new question is not an answer; look at the next turn
        if first.reply_to_author_id not in (None, asker):
            return False
        if first.mentions and asker not in first.mentions:
            return False
        if not within(t.first_msg) or t.start - conv.messages[last].created_at > timedelta(hours=2):
            return False
        if first.reply_to_author_id == asker or _answers(conv, unit, t):
            return True
        # an unrelated remark ("lol the coffee machine is broken again") is no answer: look further
    return False


def _answers(conv: Conversation, question: Unit, turn: Turn) -> bool:
    """Does the turn take the question up: its topic (shared content words) or an answer's shape
    (yes or no, a number, a date, a name)?"""
    asked = set(question.stems)
    for k in turn.units:
        u = conv.units[k]
        if asked & set(u.stems):
            return True
    text = turn.text.strip()
    asked_text = split_address(question.text)[1]
    if _ANSWER_START.match(text) or _has_answer_shape(asked_text, text):
        return True
    names = [w for w in _CAPITALISED.findall(text) if w.lower() not in _NOT_ANSWER_NAMES]
    if _WHO.match(asked_text):
        return bool(names) or bool(_FIRST_PERSON.match(text))  # "who ...?" - "Priya has one", "I do"
    return any(conv.names.find(w) is not None for w in names)


def _has_answer_shape(question: str, text: str) -> bool:
    """A day, a time or an amount, where the question asks for one: a time of day never answers "how much"."""
    date = _DATE_WORDS.search(text) is not None or _TIME_OF_DAY.search(text) is not None
    amount = _DIGIT.search(_TIME_OF_DAY.sub(" ", text)) is not None
    if _WHEN.match(question):
        return date or amount  # "in 2 weeks" answers "how long"
    if _AMOUNT.search(question):
        return amount
    return date or amount
