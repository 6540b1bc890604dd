"""Action sentences: is a sentence a commitment, a request, a proposal or an ask, and what is the task?

:func:`detect_action` holds the rules (general English cues, first match wins); :func:`is_action_sentence`
is the learned classifier's sentence-level decision, with the rules' verdict as one of its features.
The engine adds the conversation context elsewhere: who is addressed, who agreed, who answered.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.summary.address import split_address
from bot.summary.clauses import NEGATED, conditional, negated_before
from bot.summary.cue_patterns import (
    ASK,
    AVAILABILITY,
    AVAILABILITY_HINT,
    BE_OK,
    DONT,
    DONT_FORGET,
    HAVE_GET_OK,
    I_NEED_YOU,
    I_STRONG,
    I_WEAK,
    INVITE,
    IT_WOULD_BE,
    LET_KNOW,
    LET_ME,
    LETS,
    LETS_FILLER,
    MAY_I,
    NON_WORD,
    OPTIONAL_CONDITION,
    PLEASE,
    SHALL_WE,
    SUGGEST,
    SUGGEST_HINT,
    WE,
    WE_NEED,
    WE_NON_TASK,
    WH_BEFORE,
    WHY_DONT,
    WISH_WITH_YOU,
    WOULD_YOU_MIND,
    YOU_MODAL,
    YOU_REQ,
    YOU_REQ_ANYWHERE,
)
from bot.summary.imperatives import imperative
from bot.summary.intent import THRESHOLD, action_probability
from bot.summary.lexicon import ACTION_VERBS, NON_REQUEST_VERBS, NON_TASK_VERBS
from bot.summary.questions import RHETORICAL
from bot.summary.text import STOPWORDS
from bot.summary.verb_phrase import clean_vp


class Kind(enum.Enum):
    COMMITMENT = "commitment"  # the speaker will do it: "I'll send the draft"
    REQUEST = "request"  # the addressee is asked to do it: "can you review it?"
    PROPOSAL = "proposal"  # the group might do it, if someone agrees: "let's meet on Friday"
    ASK = "ask"  # the addressee is asked about their own plans or doings: "did you book the room?"


@dataclass(frozen=True, slots=True)
class ActionCue:
    kind: Kind
    what: str  # the verb phrase, as written: "send the draft by Friday"
    vocative: str | None = None  # a name the sentence was addressed to: "Maya, can you ..."



def _strong_ok(verb: str, vp: str) -> bool:
    verb = verb.lower()
    if verb in STOPWORDS and verb not in ACTION_VERBS and verb != "be":
        return False
    if verb == "be":
        return bool(BE_OK.match(vp))
    if verb in NON_TASK_VERBS or verb in ("not", "never", "probably", "maybe"):
        return False
    if vp.lower().startswith(("look forward", "have to", "need to", "have fun")):
        return False
    if verb in ACTION_VERBS:
        return True  # "bring", "feed": base forms that only look like "-ing" or "-ed" forms
    return not verb.endswith("ing") and not verb.endswith("ed")



#: What :func:`detect_action` reads of a sentence (an action item is far shorter; Discord allows 4,000).
MAX_SENTENCE = 600


def detect_action(sentence: str) -> ActionCue | None:
    """Classify one sentence as a commitment, a request, a proposal or an ask (or nothing).

    The checks run in a fixed order, first match wins. Cheap substring tests guard each regular
    expression so that a typical chat sentence costs a handful of searches. Only the first
    :data:`MAX_SENTENCE` characters are read: a few patterns look for a word anywhere after their cue, which
    costs a pass per cue occurrence, and a sentence that long is not a task anyway.
    """
    vocative, body = split_address(sentence[:MAX_SENTENCE])
    if len(body) < 4:
        return None
    low = body.lower()
    padded = f" {NON_WORD.sub(' ', low)} "
    has_you = any(w in padded for w in (" you ", " u ", " ya ", " y'all ", " your "))
    has_i = " i " in padded or " i'" in padded
    has_we = " we " in padded or " we'" in padded or " us " in padded
    first = padded.split(None, 1)[0] if padded.strip() else ""

    if low.startswith("if ") and OPTIONAL_CONDITION.match(body):
        return None

    if " know " in padded:
        m = LET_KNOW.search(body)
        if m and not conditional(body, m.start()):
            return ActionCue(Kind.REQUEST, clean_vp(body[m.start():]) or "let them know", vocative)

    if first == "let":
        m = LET_ME.match(body)
        if m and m.group("verb").lower() not in ("see", "guess", "think", "say", "be", "tell", "just", "explain"):
            return ActionCue(Kind.COMMITMENT, clean_vp(m.group("vp")), vocative)

    if has_i:
        m = I_STRONG.search(body)
        if (m and not negated_before(body, m.start("vp")) and _strong_ok(m.group("verb"), m.group("vp"))
                and not conditional(body, m.start())):
            return ActionCue(Kind.COMMITMENT, clean_vp(m.group("vp")), vocative)

    if has_you or " someone " in padded or " anyone " in padded or " somebody " in padded:
        m = YOU_REQ.search(body)
        if m and m.group("verb").lower() not in NON_REQUEST_VERBS and not NEGATED.match(m.group("verb")):
            return ActionCue(Kind.REQUEST, clean_vp(m.group("vp")), vocative)
    if has_you:
        m = YOU_REQ_ANYWHERE.search(body)
        if (m and m.group("verb").lower() in ACTION_VERBS and not conditional(body, m.start())
                and not WH_BEFORE.search(body[: m.start()])):
            return ActionCue(Kind.REQUEST, clean_vp(m.group("vp")), vocative)
    if first in ("can", "could", "may"):
        m = MAY_I.match(body)
        if m:
            return ActionCue(Kind.REQUEST, clean_vp(m.group("vp")), vocative)
    if " mind " in padded:
        m = WOULD_YOU_MIND.search(body)
        if m:
            return ActionCue(Kind.REQUEST, clean_vp(m.group("vp")), vocative)

    if first in ("please", "don't", "dont", "do", "remember", "make", "be", "feel"):
        m = DONT_FORGET.match(body)
        if m:
            return ActionCue(Kind.REQUEST, clean_vp(m.group("vp")), vocative)

    if " please " in padded or " pls " in padded or " plz " in padded or " kindly " in padded:
        m = PLEASE.search(body)
        if m and m.group("verb").lower() not in ("excuse", "forgive", "stop", "don't", "do"):
            return ActionCue(Kind.REQUEST, clean_vp(m.group("vp")), vocative)

    if " let" in padded:
        m = LETS.search(body)
        if m and m.group("verb").lower() not in LETS_FILLER:
            return ActionCue(Kind.PROPOSAL, clean_vp(m.group("vp")), vocative)

    if first == "why":
        m = WHY_DONT.match(body)
        if m:
            kind = Kind.REQUEST if m.group("who").lower() == "you" else Kind.PROPOSAL
            return ActionCue(kind, clean_vp(m.group("vp")), vocative)

    if first in ("shall", "should", "can", "could", "how", "what"):
        m = SHALL_WE.match(body)
        if m and not (first == "what" and m.group("vp2") and not m.group("verb2").lower().endswith("ing")):
            vp = m.group("vp") or m.group("vp2")
            return ActionCue(Kind.PROPOSAL, clean_vp(vp), vocative)

    if first in ("do", "would", "want", "wanna", "are", "you", "u"):
        m = INVITE.match(body)
        if m:
            vp = m.group("vp") or m.group("vp2") or m.group("vp3")
            return ActionCue(Kind.PROPOSAL, clean_vp(vp), vocative)

    if has_we:
        m = WE.search(body)
        if m and WE_NEED.match(m.group("vp")):
            vp = m.group("vp").split(None, 2)[2]
            if _strong_ok(vp.split()[0], vp) and not conditional(body, m.start()):
                return ActionCue(Kind.PROPOSAL, clean_vp(vp), vocative)
        if (m and not negated_before(body, m.start("vp")) and _strong_ok(m.group("verb"), m.group("vp"))
                and m.group("verb").lower() not in WE_NON_TASK
                and (m.group("verb").lower() not in ("have", "get") or HAVE_GET_OK.match(m.group("vp")))
                and not conditional(body, m.start())):
            return ActionCue(Kind.PROPOSAL, clean_vp(m.group("vp")), vocative)

    if has_you and (has_i or has_we):
        m = I_NEED_YOU.search(body)
        if m and not negated_before(body, m.start()):
            return ActionCue(Kind.REQUEST, clean_vp(m.group("vp")), vocative)

    if has_you:
        m = YOU_MODAL.search(body)
        if m and not conditional(body, m.start()) and m.group("verb").lower() not in NON_REQUEST_VERBS and not (
            NEGATED.match(m.group("vp"))
        ) and (
            m.group("verb").lower() in ACTION_VERBS
            or (m.group("modal").lower() not in ("could", "might") and _strong_ok(m.group("verb"), m.group("vp")))
        ):
            return ActionCue(Kind.REQUEST, clean_vp(m.group("vp")), vocative)

    if has_i:
        m = I_WEAK.search(body)
        if (m and m.group("verb").lower() in ACTION_VERBS and not negated_before(body, m.start("vp"))
                and not conditional(body, m.start())):
            return ActionCue(Kind.COMMITMENT, clean_vp(m.group("vp")), vocative)

    if AVAILABILITY_HINT.search(padded) and AVAILABILITY.search(body):
        return ActionCue(Kind.PROPOSAL, clean_vp(body), vocative)

    if SUGGEST_HINT.search(padded):
        m = SUGGEST.search(body)
        if m:
            vp = next((g for g in m.groups() if g), "") or body
            return ActionCue(Kind.PROPOSAL, clean_vp(vp), vocative)

    if has_you and (has_i or has_we):
        m = WISH_WITH_YOU.search(body)
        if m and m.group("verb").lower() in ACTION_VERBS and not conditional(body, m.start()):
            return ActionCue(Kind.PROPOSAL, clean_vp(m.group("vp")), vocative)

    if " it " in padded and " be " in padded and IT_WOULD_BE.search(body):
        return ActionCue(Kind.PROPOSAL, clean_vp(body), vocative)

    if first in ("don't", "dont", "do", "never"):
        m = DONT.match(body)
        if m and m.group("verb").lower() in ACTION_VERBS:
            return ActionCue(Kind.REQUEST, clean_vp(body), vocative)

    order = imperative(body)
    if order is not None:
        return ActionCue(Kind.REQUEST, order, vocative)

    if has_you and body.rstrip().endswith("?") and ASK.search(body) and not RHETORICAL.match(body):
        return ActionCue(Kind.ASK, clean_vp(body), vocative)
    return None



def rule_kind(sentence: str) -> str | None:
    """The rule detector's verdict as a feature for the learned classifier."""
    cue = detect_action(sentence)
    return cue.kind.value if cue is not None else None


def action_score(sentence: str, cue: ActionCue | None) -> float:
    """The learned classifier's probability that the sentence commits, asks or proposes an action."""
    return action_probability(sentence, cue.kind.value if cue is not None else None)


def is_action_sentence(sentence: str) -> bool:
    """The yes/no decision used by the evaluation: the learned classifier, with the rules as features."""
    return action_score(sentence, detect_action(sentence)) >= THRESHOLD
