"""Sentence-level cue detectors: action items, decisions, questions and agreement.

Each detector looks at one sentence (the engine adds the conversation context: who is addressed, who
agreed, who answered). The rules are general English cues, kept in one place so that the evaluation
command measures exactly the code the engine runs.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from bot.summary.intent import THRESHOLD, action_probability
from bot.summary.lexicon import (
    ACTION_VERBS,
    AGREEMENT_STARTS,
    CHAT_IMPERATIVES,
    DISAGREEMENT_STARTS,
    NON_REQUEST_VERBS,
    NON_TASK_VERBS,
)
from bot.summary.text import CHITCHAT, STOPWORDS


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


_LEAD = re.compile(
    r"^(?:(?:hi|hey|hello|dear|ok|okay|so|and|also|then|but|oh|well|btw|ps|yes|yeah|sure|great|thanks|"
    r"all|everyone|everybody|guys|folks|team|y'all|"
    r"thank you|alright|fyi|one more thing|anyway|now|first|second|finally|last|lastly)\b[\s,!.:;-]*)+",
    re.I,
)
_VOCATIVE = re.compile(r"^(?P<name>[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?)\s*[,:]\s+(?=\S)")
_VOCATIVE_END = re.compile(r",\s*(?P<name>[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?)\s*[?.!]*$")

_ADVERBS = r"(?:(?:also|just|definitely|probably|then|still|quickly|gladly|happily|now|first|really|actually|" \
    r"soon|already|try\s+to|be\s+sure\s+to|make\s+sure\s+to|go\s+ahead\s+and|go\s+and|come\s+and)\s+)*"
_STRONG = r"(?:'ll|’ll|\s+will|\s+shall|'m\s+going\s+to|\s+am\s+going\s+to|'m\s+gonna|\s+am\s+gonna|\s+gonna)"
_WEAK = (r"(?:\s+can|\s+could|'d\s+be\s+happy\s+to|\s+would\s+be\s+happy\s+to|'m\s+happy\s+to|\s+am\s+happy\s+to|"
         r"\s+plan\s+to|'m\s+planning\s+to|\s+am\s+planning\s+to|\s+intend\s+to|'m\s+about\s+to|\s+need\s+to|"
         r"\s+have\s+to|\s+must|\s+should|'d\s+better|\s+had\s+better|'ll\s+be\s+able\s+to|\s+offer\s+to|"
         r"\s+promise\s+to|'d\s+be\s+glad\s+to|\s+would\s+be\s+glad\s+to|'m\s+glad\s+to|'m\s+ready\s+to|\s+am\s+ready\s+to)")
_I_STRONG = re.compile(rf"\b(?:i|I){_STRONG}\s+{_ADVERBS}(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)", re.I)
_I_WEAK = re.compile(rf"\b(?:i|I){_WEAK}\s+{_ADVERBS}(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)", re.I)
_WE = re.compile(
    rf"\bwe(?:{_STRONG}|{_WEAK}|'re\s+going\s+to|\s+are\s+going\s+to|'re\s+gonna|\s+ought\s+to)\s+{_ADVERBS}"
    r"(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
_LET_ME = re.compile(r"^let\s+me\s+(?:just\s+|quickly\s+|first\s+)?(?P<vp>(?P<verb>[a-z]+)\b.*)", re.I)
_LETS = re.compile(
    r"(?:^|[,;:(-]\s*|\b(?:so|and|then|ok|okay|maybe|just|yes|yeah|now)\s+)(?:let'?s|let\s+us)\s+"
    r"(?:just\s+|all\s+|maybe\s+|then\s+|also\s+)?(?P<vp>(?P<verb>[a-z]+)\b.*)",
    re.I,
)
_LETS_FILLER = frozenset(["see", "hope", "say", "face", "be", "not", "just", "do"])
_WE_NON_TASK = frozenset(["see", "know", "need", "want"])
_HAVE_GET_OK = re.compile(r"^(?:have|get|grab)\s+(?:a\s+|some\s+)?(?:lunch|dinner|coffee|breakfast|drinks?|together|"
                          r"call|meeting|chat|look|talk|quick|beer)\b", re.I)
_YOU_REQ = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|so|but|also|then|wondering\s+if|wonder\s+if|chance)\s+|^[A-Z][a-z]+\s+)"
    r"(?:can|could|would|will|cud|can't|won't|couldn't)\s+"
    r"(?:you|u|ya|you\s+guys|you\s+all|y'all|someone|somebody|anyone|anybody)\s+"
    r"(?:please\s+|pls\s+|plz\s+|kindly\s+|possibly\s+|maybe\s+|also\s+|just\s+|quickly\s+|perhaps\s+)*"
    r"(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
_YOU_REQ_ANYWHERE = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+|kindly\s+|possibly\s+|also\s+|just\s+)*"
    r"(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
_ASK = re.compile(
    r"(?:^|[,;:]\s*|\b(?:so|and|but|or|then)\s+)(?:(?:who|what|when|where|why|how|which)\b[\w\s']{0,30}?\s+)?"
    r"(?:are|were|did|do|have|will|would|could|can|should|is|was)\s+(?:you|u|ya|you\s+guys|you\s+all|y'all)\b"
    r"(?!\s+(?:believe|imagine|think|know|remember|mean|feel|like|love|hear|see|guess|understand)\b)"
    r"|^(?:you|u)\s+(?!know\b|see\b|think\b|mean\b|sure\b|ok\b|okay\b|too\b|there\b)\w+",
    re.I,
)
_WH_BEFORE = re.compile(r"\b(?:how|what|where|why|when|which|who|only|whether)\s+(?:\w+\s+)?$", re.I)
_SUGGEST = re.compile(
    r"\b(?:i|we)\s+(?:would\s+|'d\s+)?(?:suggest|propose|recommend)\b\s*(?:that\s+)?(?:we\s+)?(?P<vp>.*)"
    r"|\bmy\s+(?:suggestion|proposal|recommendation)\s+(?:is|would\s+be)\s+(?:to\s+|that\s+)?(?P<vp2>.*)"
    r"|^(?:would|will|is)\s+it\s+be\s+(?:possible|ok|okay|alright|helpful|useful|easier|better|worth)\b(?P<vp3>.*)"
    r"|^any\s+chance\b(?P<vp4>.*)",
    re.I,
)
_WISH_WITH_YOU = re.compile(
    r"\b(?:i|we)\s*(?:would|'d)?\s*(?:very\s+much\s+|really\s+|also\s+|just\s+)?(?:like|want|love|hope|wanted)\s+to\s+"
    r"(?P<vp>(?P<verb>[a-z]+)\b.*\b(?:you|your)\b.*)",
    re.I,
)
_AVAILABILITY = re.compile(
    r"\b(?:i|we)(?:'m|\s+am|'re|\s+are|'ll\s+be|\s+will\s+be)\s+(?:also\s+|still\s+)?(?:available|free)\s+"
    r"(?:to|on|at|for|in|after|before|all|any|this|next|tomorrow|today|tonight|mon|tue|wed|thu|fri|sat|sun)"
    r"|"
    r"(?:\b(?:are|r)\s+|^)(?:you|u|folks|people|you\s+guys|y'all|everyone|anyone|you\s+all)\s+"
    r"(?:still\s+)?(?:available|free|around|able\s+to\s+(?:meet|talk|join|come|make\s+it))\b"
    r"|\b(?:is|would|will)\s+(?:it|there)\s+(?:be\s+)?(?:possible|any\s+chance|a\s+chance)\b"
    r"|^possible\s+to\b"
    r"|\b(?:i|we)(?:'m|\s+am|'re|\s+are)\s+(?:also\s+|still\s+)?open\s+(?:for|to|on)\b"
    r"|\b(?:works?|would\s+work|is\s+(?:good|fine|ok|okay|perfect|better|best))\s+for\s+(?:me|us|you)\b"
    r"|\b(?:want|wanna)\s+(?:to\s+)?come\s*[?.!]*$"
    r"|\b(?:want|wanna)\s+(?:to\s+)?(?:join|come\s+along|come\s+with)\b"
    r"|(?:^|[,;:-]\s*|\bso\s+)how\s+about\b"
    r"|\b(?:what|when|how|where|who)\s+do\s+(?:you|u)\s+(?:want|wanna|prefer|suggest|propose)\b",
    re.I,
)
_WOULD_YOU_MIND = re.compile(r"\b(?:would|do)\s+you\s+mind\s+(?P<vp>(?P<verb>[a-z]+)ing\b.*)", re.I)
_PLEASE = re.compile(
    r"(?<!\bto )(?<!you )\b(?:please|pls|plz|kindly)\b[\s,]*(?:do\s+)?(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
_YOU_MODAL = re.compile(
    r"\byou\s+(?:guys\s+|all\s+)?(?:just\s+|really\s+|also\s+|still\s+|definitely\s+|probably\s+)?"
    r"(?P<modal>need\s+to|should|must|have\s+to|'ll\s+need\s+to|will\s+need\s+to|'ll\s+have\s+to|"
    r"will\s+have\s+to|may\s+want\s+to|might\s+want\s+to|may\s+need\s+to|might\s+need\s+to|'d\s+better|"
    r"had\s+better|ought\s+to|could|might|'re\s+welcome\s+to|are\s+welcome\s+to)\s+"
    r"(?:however\s+|also\s+|just\s+|please\s+|still\s+|now\s+|definitely\s+|first\s+)*"
    r"(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
_I_NEED_YOU = re.compile(
    r"\b(?:i|we)\s*(?:need|want|'d\s+like|would\s+like|'d\s+love|would\s+love|(?:would|'d)\s+(?:\w+ly\s+)?appreciate|"
    r"(?:would|'d)\s+be\s+(?:very\s+|really\s+|most\s+)?(?:grateful|pleased|happy|glad|interested|delighted)|"
    r"am\s+asking|'m\s+asking|expect)\s+(?:it\s+)?(?:if\s+)?(?:to\s+|in\s+)?(?:\w+ing\s+(?:to\s+|with\s+)?)?"
    r"(?:you|your|for\s+you|the\s+opportunity)\b\s*(?:to\s+|could\s+|would\s+|can\s+)?(?P<vp>.*)",
    re.I,
)
_WHY_DONT = re.compile(r"^(?:why\s+don'?t|why\s+not)\s+(?P<who>you|we)\s+(?P<vp>(?P<verb>[a-z]+)\b.*)", re.I)
_INVITE = re.compile(
    r"^(?:do|would)\s+(?:you|u)\s+(?:guys\s+)?(?:want|wanna|like|care)\s+(?:to\s+)?(?P<vp>(?P<verb>[a-z]+)\b.*)"
    r"|^(?:(?:do|would)\s+)?(?:you\s+|u\s+)?(?:want|wanna)\s+(?:to\s+)?(?P<vp2>(?P<verb2>join|come|go|meet|grab|get|have|try)\b.*)"
    r"|^(?:are\s+)?(?:you|u)\s+(?:guys\s+)?(?P<vp3>(?P<verb3>coming|joining|free|up\s+for|around|in)\b.*\?)",
    re.I,
)
_SHALL_WE = re.compile(
    r"^(?:shall|should|can|could)\s+we\s+(?P<vp>(?P<verb>[a-z]+)\b.*)"
    r"|^(?:how|what)\s+about\s+(?P<vp2>(?P<verb2>[a-z]+)\b.*)",
    re.I,
)
_IT_WOULD_BE = re.compile(
    r"\bit\s+(?:would|might|may|will|could)\s+be\s+(?:a\s+)?(?:great|good|nice|helpful|useful|best|better|"
    r"worthwhile|appropriate|wise|smart|idea)\b.*\b(?:if|to|for)\b",
    re.I,
)
_DONT_FORGET = re.compile(
    r"^(?:please\s+)?(?:don'?t\s+forget\s+to|do\s+not\s+forget\s+to|remember\s+to|make\s+sure\s+(?:to|that|you)|"
    r"be\s+sure\s+to|feel\s+free\s+to|don'?t\s+hesitate\s+to|do\s+not\s+hesitate\s+to)\s+(?P<vp>.*)",
    re.I,
)
_DONT = re.compile(r"^(?:don'?t|do\s+not|never)\s+(?P<verb>[a-z]+)\b", re.I)
_LET_KNOW = re.compile(r"\blet\s+(?:me|us|him|her|them|(?-i:[A-Z][a-z]+))\s+know\b", re.I)
_FIRST_WORD = re.compile(r"^(?P<verb>[A-Za-z][a-z'-]*)(?P<rest>(?:\s+(?P<second>[A-Za-z'$-]+))?.*)$", re.S)
_NOT_AFTER_IMPERATIVE = frozenset(
    [
        "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "'s", "should",
        "may", "might", "must", "does", "did", "said", "says", "says", "looks", "seems", "went", "goes",
        "came", "comes", "sounds", "from", "of", "you", "u", "we", "i", "they", "he", "she", "it",
    ]
)
# "If you'd like to ..., please ..." and "If you have any questions, ...": offers, not requests.
_OPTIONAL_CONDITION = re.compile(
    r"^(?:and\s+|but\s+|also,?\s+)?if\s+(?:you|u)\s+(?:ever\s+|still\s+|should\s+|do\s+)?(?:wish|'d\s+like|would\s+like|want|"
    r"(?:'d|would)\s+(?:no\s+longer|not|rather\s+not)\s+like|"
    r"prefer|would\s+prefer|'d\s+prefer|no\s+longer|don't\s+want|do\s+not\s+want|are\s+interested|"
    r"have\s+(?:any\s+)?(?:further\s+|other\s+|more\s+)?(?:questions?|problems?|issues?|concerns?|comments?|trouble)|"
    r"need\s+(?:any\s+)?(?:further\s+|more\s+)?(?:help|assistance|information|info))\b",
    re.I,
)
_MAY_I = re.compile(
    r"^(?:can|could|may)\s+(?:i|we)\s+(?:please\s+|possibly\s+|just\s+)?(?P<vp>(?P<verb>get|have|ask|borrow|call|"
    r"come|meet|talk|stop|drop|see|book|schedule|grab|send|bring|join)\b.*)",
    re.I,
)
_NEGATED = re.compile(r"\b(?:not|never|n't|no\s+longer)\b", re.I)
_BE_OK = re.compile(r"^be\s+(?:there|back|home|ready|on\s+time|available|done|finished|late|early|"
                    r"(?:glad|happy|pleased|delighted|able)\s+to)\b", re.I)

_QUESTION_START = re.compile(
    r"^(?:who|what|when|where|why|how|which|whose|whom|is|are|was|were|do|does|did|can|could|will|would|"
    r"should|shall|have|has|had|may|might|isn't|aren't|don't|doesn't|didn't|won't|wouldn't|can't|anyone|"
    r"anybody|any\s+idea|any\s+ideas|any\s+news)\b",
    re.I,
)
_RHETORICAL = re.compile(
    r"^(?:right|really|seriously|what|why|huh|eh|ok|okay|sure|yes|no|you\s+sure|are\s+you\s+sure|"
    r"isn't\s+it|aren't\s+you|how\s+come|are\s+you\s+kidding(?:\s+me)?|what\s+the\s+\w+|who\s+cares|"
    r"why\s+not|how\s+are\s+you|how\s+are\s+u|how\s+r\s+u|how's\s+it\s+going|what's\s+up|whats\s+up|sup|"
    r"you\s+know|know\s+what|guess\s+what|and\s+you|u\s+2|you\s+too)\W*$",
    re.I,
)

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


def split_address(sentence: str) -> tuple[str | None, str]:
    """Take a leading greeting and vocative off: 'Hi Maya, can you...' -> ('Maya', 'can you...')."""
    body = sentence.strip()
    vocative = None
    for _ in range(2):
        stripped = _LEAD.sub("", body, count=1)
        m = _VOCATIVE.match(stripped)
        if m and _plausible_name(m.group("name")):
            vocative = m.group("name")
            stripped = stripped[m.end():]
        if stripped == body:
            break
        body = stripped
    if vocative is None:
        m = _VOCATIVE_END.search(body)
        if m and _plausible_name(m.group("name")):
            vocative = m.group("name")
            body = body[: m.start()].rstrip() + ("?" if body.rstrip().endswith("?") else "")
    return vocative, body


_NOT_NAMES = frozenset(
    [
        "i", "you", "we", "they", "he", "she", "it", "this", "that", "yes", "no", "ok", "okay", "so", "well",
        "oh", "and", "but", "note", "ps", "update", "fyi", "re", "subject", "thanks", "thank", "sorry",
        "please", "also", "then", "now", "here", "there", "please", "what", "why", "how", "when", "where",
        "who", "which", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
        "tomorrow", "tonight", "first", "second", "edit", "important", "reminder", "question", "answer",
    ]
)


_VP_PLEASE = re.compile(r"\s*(?:,\s*)?(?:please|pls|plz)\s*([?.!]*)$", re.I)
#: A closing "ok" / "thanks" dropped from a verb phrase, longest first (the leftmost match of the old pattern
#: r"\s*,?\s*(?:ok|…|thx)\s*[?.!]*$", done with string methods: that pattern was quadratic on runs of spaces).
_VP_THANKS_WORDS = ("thank you", "alright", "thanks", "okay", "right", "thx", "ok")


def _drop_thanks(vp: str) -> str:
    body = vp[:-1] if vp.endswith("\n") else vp  # "$" also matches before a final newline
    body = body.rstrip("?.!").rstrip()
    for word in _VP_THANKS_WORDS:
        if body[-len(word):].lower() == word:
            head = body[:-len(word)].rstrip()
            head = head[:-1] if head.endswith(",") else head
            return head.rstrip()
    return vp


_VP_END = re.compile(r"[\s?.!,;:]+$")
_IMP_LEAD = re.compile(r"^(?:just|now|then|also|so|and|but|first|please)\s+", re.I)
_IMP_CLAUSE = re.compile(r"^[^,]{3,80},\s*(?:just\s+|then\s+|please\s+)?(?P<main>.+)$", re.I | re.S)
_TALK_TO_YOU = re.compile(r"^\w+\s+(?:to|with)\s+(?:you|u|ya)\b", re.I)
_GIVE_ME_A_MINUTE = re.compile(r"^give\s+(?:me|us)\s+(?:a|one|two|five|\d+)\s+(?:min|minute|sec|second|moment|mo)s?\b",
                               re.I)
_IF_CLAUSE = re.compile(r"\b(?:if|unless|whether)\b[^,]*$")


def _plausible_name(name: str) -> bool:
    """'Maya' or 'Dr Lee' can be a person addressed; 'Seriously' or 'Thanks' cannot."""
    first = name.split()[0].lower()
    return not (
        first in _NOT_NAMES or first in STOPWORDS or first in CHITCHAT or first in ACTION_VERBS
        or first.endswith(("ly", "ing"))
    )


def _clean_vp(vp: str) -> str:
    vp = _VP_PLEASE.sub(r"\1", vp.strip())
    vp = _drop_thanks(vp)
    vp = _VP_END.sub("", vp)
    return vp


def _strong_ok(verb: str, vp: str) -> bool:
    verb = verb.lower()
    if verb in STOPWORDS and verb not in ACTION_VERBS and verb != "be":
        return False
    if verb == "be":
        return bool(_BE_OK.match(vp))
    if verb in NON_TASK_VERBS or verb in ("not", "never", "probably", "maybe"):
        return False
    if vp.lower().startswith(("look forward", "have to", "need to", "have fun")):
        return False
    return not verb.endswith("ing") and not verb.endswith("ed")


def detect_action(sentence: str) -> ActionCue | None:
    """Classify one sentence as a commitment, a request, a proposal or an ask (or nothing).

    The checks run in a fixed order, first match wins. Cheap substring tests guard each regular
    expression so that a typical chat sentence costs a handful of searches.
    """
    vocative, body = split_address(sentence)
    if len(body) < 4:
        return None
    low = body.lower()
    padded = f" {_NON_WORD.sub(' ', low)} "
    has_you = any(w in padded for w in (" you ", " u ", " ya ", " y'all ", " your "))
    has_i = " i " in padded or " i'" in padded
    has_we = " we " in padded or " we'" in padded or " us " in padded
    first = padded.split(None, 1)[0] if padded.strip() else ""

    if low.startswith("if ") and _OPTIONAL_CONDITION.match(body):
        return None

    if " know " in padded:
        m = _LET_KNOW.search(body)
        if m and not _conditional(body, m.start()):
            return ActionCue(Kind.REQUEST, _clean_vp(body[m.start():]) or "let them know", vocative)

    if first == "let":
        m = _LET_ME.match(body)
        if m and m.group("verb").lower() not in ("see", "guess", "think", "say", "be", "tell", "just", "explain"):
            return ActionCue(Kind.COMMITMENT, _clean_vp(m.group("vp")), vocative)

    if has_i:
        m = _I_STRONG.search(body)
        if (m and not _negated_before(body, m.start("vp")) and _strong_ok(m.group("verb"), m.group("vp"))
                and not _conditional(body, m.start())):
            return ActionCue(Kind.COMMITMENT, _clean_vp(m.group("vp")), vocative)

    if has_you or " someone " in padded or " anyone " in padded or " somebody " in padded:
        m = _YOU_REQ.search(body)
        if m and m.group("verb").lower() not in NON_REQUEST_VERBS and not _NEGATED.match(m.group("verb")):
            return ActionCue(Kind.REQUEST, _clean_vp(m.group("vp")), vocative)
    if has_you:
        m = _YOU_REQ_ANYWHERE.search(body)
        if (m and m.group("verb").lower() in ACTION_VERBS and not _conditional(body, m.start())
                and not _WH_BEFORE.search(body[: m.start()])):
            return ActionCue(Kind.REQUEST, _clean_vp(m.group("vp")), vocative)
    if first in ("can", "could", "may"):
        m = _MAY_I.match(body)
        if m:
            return ActionCue(Kind.REQUEST, _clean_vp(m.group("vp")), vocative)
    if " mind " in padded:
        m = _WOULD_YOU_MIND.search(body)
        if m:
            return ActionCue(Kind.REQUEST, _clean_vp(m.group("vp")), vocative)

    if first in ("please", "don't", "dont", "do", "remember", "make", "be", "feel"):
        m = _DONT_FORGET.match(body)
        if m:
            return ActionCue(Kind.REQUEST, _clean_vp(m.group("vp")), vocative)

    if " please " in padded or " pls " in padded or " plz " in padded or " kindly " in padded:
        m = _PLEASE.search(body)
        if m and m.group("verb").lower() not in ("excuse", "forgive", "stop", "don't", "do"):
            return ActionCue(Kind.REQUEST, _clean_vp(m.group("vp")), vocative)

    if " let" in padded:
        m = _LETS.search(body)
        if m and m.group("verb").lower() not in _LETS_FILLER:
            return ActionCue(Kind.PROPOSAL, _clean_vp(m.group("vp")), vocative)

    if first == "why":
        m = _WHY_DONT.match(body)
        if m:
            kind = Kind.REQUEST if m.group("who").lower() == "you" else Kind.PROPOSAL
            return ActionCue(kind, _clean_vp(m.group("vp")), vocative)

    if first in ("shall", "should", "can", "could", "how", "what"):
        m = _SHALL_WE.match(body)
        if m and not (first == "what" and m.group("vp2") and not m.group("verb2").lower().endswith("ing")):
            vp = m.group("vp") or m.group("vp2")
            return ActionCue(Kind.PROPOSAL, _clean_vp(vp), vocative)

    if first in ("do", "would", "want", "wanna", "are", "you", "u"):
        m = _INVITE.match(body)
        if m:
            vp = m.group("vp") or m.group("vp2") or m.group("vp3")
            return ActionCue(Kind.PROPOSAL, _clean_vp(vp), vocative)

    if has_we:
        m = _WE.search(body)
        if m and _WE_NEED.match(m.group("vp")):
            vp = m.group("vp").split(None, 2)[2]
            if _strong_ok(vp.split()[0], vp) and not _conditional(body, m.start()):
                return ActionCue(Kind.PROPOSAL, _clean_vp(vp), vocative)
        if (m and not _negated_before(body, m.start("vp")) and _strong_ok(m.group("verb"), m.group("vp"))
                and m.group("verb").lower() not in _WE_NON_TASK
                and (m.group("verb").lower() not in ("have", "get") or _HAVE_GET_OK.match(m.group("vp")))
                and not _conditional(body, m.start())):
            return ActionCue(Kind.PROPOSAL, _clean_vp(m.group("vp")), vocative)

    if has_you and (has_i or has_we):
        m = _I_NEED_YOU.search(body)
        if m and not _negated_before(body, m.start()):
            return ActionCue(Kind.REQUEST, _clean_vp(m.group("vp")), vocative)

    if has_you:
        m = _YOU_MODAL.search(body)
        if m and not _conditional(body, m.start()) and m.group("verb").lower() not in NON_REQUEST_VERBS and not (
            _NEGATED.match(m.group("vp"))
        ) and (
            m.group("verb").lower() in ACTION_VERBS
            or (m.group("modal").lower() not in ("could", "might") and _strong_ok(m.group("verb"), m.group("vp")))
        ):
            return ActionCue(Kind.REQUEST, _clean_vp(m.group("vp")), vocative)

    if has_i:
        m = _I_WEAK.search(body)
        if (m and m.group("verb").lower() in ACTION_VERBS and not _negated_before(body, m.start("vp"))
                and not _conditional(body, m.start())):
            return ActionCue(Kind.COMMITMENT, _clean_vp(m.group("vp")), vocative)

    if _AVAILABILITY_HINT.search(padded) and _AVAILABILITY.search(body):
        return ActionCue(Kind.PROPOSAL, _clean_vp(body), vocative)

    if _SUGGEST_HINT.search(padded):
        m = _SUGGEST.search(body)
        if m:
            vp = next((g for g in m.groups() if g), "") or body
            return ActionCue(Kind.PROPOSAL, _clean_vp(vp), vocative)

    if has_you and (has_i or has_we):
        m = _WISH_WITH_YOU.search(body)
        if m and m.group("verb").lower() in ACTION_VERBS and not _conditional(body, m.start()):
            return ActionCue(Kind.PROPOSAL, _clean_vp(m.group("vp")), vocative)

    if " it " in padded and " be " in padded and _IT_WOULD_BE.search(body):
        return ActionCue(Kind.PROPOSAL, _clean_vp(body), vocative)

    if first in ("don't", "dont", "do", "never"):
        m = _DONT.match(body)
        if m and m.group("verb").lower() in ACTION_VERBS:
            return ActionCue(Kind.REQUEST, _clean_vp(body), vocative)

    imperative = _imperative(body)
    if imperative is not None:
        return ActionCue(Kind.REQUEST, imperative, vocative)

    if has_you and body.rstrip().endswith("?") and _ASK.search(body) and not _RHETORICAL.match(body):
        return ActionCue(Kind.ASK, _clean_vp(body), vocative)
    return None


_NON_WORD = re.compile(r"[^a-z0-9']+")
_WE_NEED = re.compile(r"(?:need|have)\s+to\s+\w", re.I)
_AVAILABILITY_HINT = re.compile(
    r" (?:available|free|around|able|possible|chance|open|works?|work|good|fine|ok|okay|perfect|better|best|"
    r"want|wanna|about|prefer|suggest|propose) "
)
_SUGGEST_HINT = re.compile(r" (?:suggest|propose|recommend|suggestion|proposal|recommendation|it|any) ")


def _imperative(body: str) -> str | None:
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
    if _TALK_TO_YOU.match(clause) or _GIVE_ME_A_MINUTE.match(clause):  # "Talk to you soon", "give me a sec"
        return None
    return _clean_vp(low + m.group("rest"))


def _negated_before(text: str, end: int) -> bool:
    window = text[max(0, end - 14): end]
    return bool(_NEGATED.search(window))


def _conditional(text: str, start: int) -> bool:
    """The cue sits inside an if-clause: 'If I can get it finished, ...'."""
    head = text[:start].lower()
    if "if" not in head and "unless" not in head and "whether" not in head:
        return False
    return bool(_IF_CLAUSE.search(head))


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


def is_decision(sentence: str) -> bool:
    """'We decided to...', 'let's go with...', 'agreed on...', 'final answer: ...' (not negated or asked)."""
    low = sentence.lower()
    if not any(h in low for h in _DECISION_HINTS):
        return False
    m = _DECISION.search(sentence)
    if m is None or sentence.rstrip().endswith("?"):
        return False
    return not _negated_before(sentence, m.end())


def is_question(sentence: str) -> bool:
    s = sentence.strip()
    if s.endswith("?"):
        return True
    return bool(_QUESTION_START.match(s)) and len(s.split()) >= 4 and not s.endswith((".", "!"))


def is_substantive_question(sentence: str, content_words: int) -> bool:
    """A question worth listing as open: not rhetorical, not 'how are you?', with some content."""
    if not is_question(sentence):
        return False
    _, body = split_address(sentence)
    if _RHETORICAL.match(body.strip()):
        return False
    return content_words >= 2


def is_agreement(text: str) -> bool:
    """A reply that accepts a proposal or a request: 'sounds good', 'sure, I'll do it', '👍'."""
    low = text.strip().lower()
    if not low:
        return False
    if low.startswith(DISAGREEMENT_STARTS) and not low.startswith(("no problem", "not a problem", "no worries")):
        return False
    return low.startswith(AGREEMENT_STARTS) or low.startswith(("no problem", "no worries", "not a problem"))
