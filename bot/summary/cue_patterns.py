"""The English cue patterns of action sentences: commitments, requests, proposals and asks.

Each pattern is guarded in :func:`bot.summary.action_cues.detect_action` by a cheap substring test, and none
backtracks super-linearly: every repetition is bounded or followed by a literal the text must contain.
"""

from __future__ import annotations

import re

ADVERBS = r"(?:(?:also|just|definitely|probably|then|still|quickly|gladly|happily|now|first|really|actually|" \
    r"soon|already|try\s+to|be\s+sure\s+to|make\s+sure\s+to|go\s+ahead\s+and|go\s+and|come\s+and)\s+)*"
STRONG = r"(?:'ll|’ll|\s+will|\s+shall|'m\s+going\s+to|\s+am\s+going\s+to|'m\s+gonna|\s+am\s+gonna|\s+gonna)"
WEAK = (r"(?:\s+can|\s+could|'d\s+be\s+happy\s+to|\s+would\s+be\s+happy\s+to|'m\s+happy\s+to|\s+am\s+happy\s+to|"
         r"\s+plan\s+to|'m\s+planning\s+to|\s+am\s+planning\s+to|\s+intend\s+to|'m\s+about\s+to|\s+need\s+to|"
         r"\s+have\s+to|\s+must|\s+should|'d\s+better|\s+had\s+better|'ll\s+be\s+able\s+to|\s+offer\s+to|"
         r"\s+promise\s+to|'d\s+be\s+glad\s+to|\s+would\s+be\s+glad\s+to|'m\s+glad\s+to|'m\s+ready\s+to|\s+am\s+ready\s+to)")
I_STRONG = re.compile(rf"\b(?:i|I){STRONG}\s+{ADVERBS}(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)", re.I)
I_WEAK = re.compile(rf"\b(?:i|I){WEAK}\s+{ADVERBS}(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)", re.I)
WE = re.compile(
    rf"\bwe(?:{STRONG}|{WEAK}|'re\s+going\s+to|\s+are\s+going\s+to|'re\s+gonna|\s+ought\s+to)\s+{ADVERBS}"
    r"(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
LET_ME = re.compile(r"^let\s+me\s+(?:just\s+|quickly\s+|first\s+)?(?P<vp>(?P<verb>[a-z]+)\b.*)", re.I)
LETS = re.compile(
    r"(?:^|[,;:(-]\s*|\b(?:so|and|then|ok|okay|maybe|just|yes|yeah|now)\s+)(?:let'?s|let\s+us)\s+"
    r"(?:just\s+|all\s+|maybe\s+|then\s+|also\s+)?(?P<vp>(?P<verb>[a-z]+)\b.*)",
    re.I,
)
LETS_FILLER = frozenset(["see", "hope", "say", "face", "be", "not", "just", "do"])
WE_NON_TASK = frozenset(["see", "know", "need", "want"])
HAVE_GET_OK = re.compile(r"^(?:have|get|grab)\s+(?:a\s+|some\s+)?(?:lunch|dinner|coffee|breakfast|drinks?|together|"
                          r"call|meeting|chat|look|talk|quick|beer)\b", re.I)
YOU_REQ = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|so|but|also|then|wondering\s+if|wonder\s+if|chance)\s+|^[A-Z][a-z]+\s+)"
    r"(?:can|could|would|will|cud|can't|won't|couldn't)\s+"
    r"(?:you|u|ya|you\s+guys|you\s+all|y'all|someone|somebody|anyone|anybody)\s+"
    r"(?:please\s+|pls\s+|plz\s+|kindly\s+|possibly\s+|maybe\s+|also\s+|just\s+|quickly\s+|perhaps\s+)*"
    r"(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
YOU_REQ_ANYWHERE = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+|kindly\s+|possibly\s+|also\s+|just\s+)*"
    r"(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
ASK = re.compile(
    r"(?:^|[,;:]\s*|\b(?:so|and|but|or|then)\s+)(?:(?:who|what|when|where|why|how|which)\b[\w\s']{0,30}?\s+)?"
    r"(?:are|were|did|do|have|will|would|could|can|should|is|was)\s+(?:you|u|ya|you\s+guys|you\s+all|y'all)\b"
    r"(?!\s+(?:believe|imagine|think|know|remember|mean|feel|like|love|hear|see|guess|understand)\b)"
    r"|^(?:you|u)\s+(?!know\b|see\b|think\b|mean\b|sure\b|ok\b|okay\b|too\b|there\b)\w+",
    re.I,
)
WH_BEFORE = re.compile(r"\b(?:how|what|where|why|when|which|who|only|whether)\s+(?:\w+\s+)?$", re.I)
SUGGEST = re.compile(
    r"\b(?:i|we)\s+(?:would\s+|'d\s+)?(?:suggest|propose|recommend)\b\s*(?:that\s+)?(?:we\s+)?(?P<vp>.*)"
    r"|\bmy\s+(?:suggestion|proposal|recommendation)\s+(?:is|would\s+be)\s+(?:to\s+|that\s+)?(?P<vp2>.*)"
    r"|^(?:would|will|is)\s+it\s+be\s+(?:possible|ok|okay|alright|helpful|useful|easier|better|worth)\b(?P<vp3>.*)"
    r"|^any\s+chance\b(?P<vp4>.*)",
    re.I,
)
WISH_WITH_YOU = re.compile(
    r"\b(?:i|we)\s*(?:would|'d)?\s*(?:very\s+much\s+|really\s+|also\s+|just\s+)?(?:like|want|love|hope|wanted)\s+to\s+"
    r"(?P<vp>(?P<verb>[a-z]+)\b.*\b(?:you|your)\b.*)",
    re.I,
)
AVAILABILITY = re.compile(
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
WOULD_YOU_MIND = re.compile(r"\b(?:would|do)\s+you\s+mind\s+(?P<vp>(?P<verb>[a-z]+)ing\b.*)", re.I)
PLEASE = re.compile(
    r"(?<!\bto )(?<!you )\b(?:please|pls|plz|kindly)\b[\s,]*(?:do\s+)?(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
YOU_MODAL = re.compile(
    r"\byou\s+(?:guys\s+|all\s+)?(?:just\s+|really\s+|also\s+|still\s+|definitely\s+|probably\s+)?"
    r"(?P<modal>need\s+to|should|must|have\s+to|'ll\s+need\s+to|will\s+need\s+to|'ll\s+have\s+to|"
    r"will\s+have\s+to|may\s+want\s+to|might\s+want\s+to|may\s+need\s+to|might\s+need\s+to|'d\s+better|"
    r"had\s+better|ought\s+to|could|might|'re\s+welcome\s+to|are\s+welcome\s+to)\s+"
    r"(?:however\s+|also\s+|just\s+|please\s+|still\s+|now\s+|definitely\s+|first\s+)*"
    r"(?P<vp>(?P<verb>[a-z][a-z']*(?:-[a-z]+)?)\b.*)",
    re.I,
)
I_NEED_YOU = re.compile(
    r"\b(?:i|we)\s*(?:need|want|'d\s+like|would\s+like|'d\s+love|would\s+love|(?:would|'d)\s+(?:\w+ly\s+)?appreciate|"
    r"(?:would|'d)\s+be\s+(?:very\s+|really\s+|most\s+)?(?:grateful|pleased|happy|glad|interested|delighted)|"
    r"am\s+asking|'m\s+asking|expect)\s+(?:it\s+)?(?:if\s+)?(?:to\s+|in\s+)?(?:\w+ing\s+(?:to\s+|with\s+)?)?"
    r"(?:you|your|for\s+you|the\s+opportunity)\b\s*(?:to\s+|could\s+|would\s+|can\s+)?(?P<vp>.*)",
    re.I,
)
WHY_DONT = re.compile(r"^(?:why\s+don'?t|why\s+not)\s+(?P<who>you|we)\s+(?P<vp>(?P<verb>[a-z]+)\b.*)", re.I)
INVITE = re.compile(
    r"^(?:do|would)\s+(?:you|u)\s+(?:guys\s+)?(?:want|wanna|like|care)\s+(?:to\s+)?(?P<vp>(?P<verb>[a-z]+)\b.*)"
    r"|^(?:(?:do|would)\s+)?(?:you\s+|u\s+)?(?:want|wanna)\s+(?:to\s+)?(?P<vp2>(?P<verb2>join|come|go|meet|grab|get|have|try)\b.*)"
    r"|^(?:are\s+)?(?:you|u)\s+(?:guys\s+)?(?P<vp3>(?P<verb3>coming|joining|free|up\s+for|around|in)\b.*\?)",
    re.I,
)
SHALL_WE = re.compile(
    r"^(?:shall|should|can|could)\s+we\s+(?P<vp>(?P<verb>[a-z]+)\b.*)"
    r"|^(?:how|what)\s+about\s+(?P<vp2>(?P<verb2>[a-z]+)\b.*)",
    re.I,
)
IT_WOULD_BE = re.compile(
    r"\bit\s+(?:would|might|may|will|could)\s+be\s+(?:a\s+)?(?:great|good|nice|helpful|useful|best|better|"
    r"worthwhile|appropriate|wise|smart|idea)\b.*\b(?:if|to|for)\b",
    re.I,
)
DONT_FORGET = re.compile(
    r"^(?:please\s+)?(?:don'?t\s+forget\s+to|do\s+not\s+forget\s+to|remember\s+to|make\s+sure\s+(?:to|that|you)|"
    r"be\s+sure\s+to|feel\s+free\s+to|don'?t\s+hesitate\s+to|do\s+not\s+hesitate\s+to)\s+(?P<vp>.*)",
    re.I,
)
DONT = re.compile(r"^(?:don'?t|do\s+not|never)\s+(?P<verb>[a-z]+)\b", re.I)
LET_KNOW = re.compile(r"\blet\s+(?:me|us|him|her|them|(?-i:[A-Z][a-z]+))\s+know\b", re.I)
# "If you'd like to ..., please ..." and "If you have any questions, ...": offers, not requests.
OPTIONAL_CONDITION = re.compile(
    r"^(?:and\s+|but\s+|also,?\s+)?if\s+(?:you|u)\s+(?:ever\s+|still\s+|should\s+|do\s+)?(?:wish|'d\s+like|would\s+like|want|"
    r"(?:'d|would)\s+(?:no\s+longer|not|rather\s+not)\s+like|"
    r"prefer|would\s+prefer|'d\s+prefer|no\s+longer|don't\s+want|do\s+not\s+want|are\s+interested|"
    r"have\s+(?:any\s+)?(?:further\s+|other\s+|more\s+)?(?:questions?|problems?|issues?|concerns?|comments?|trouble)|"
    r"need\s+(?:any\s+)?(?:further\s+|more\s+)?(?:help|assistance|information|info))\b",
    re.I,
)
MAY_I = re.compile(
    r"^(?:can|could|may)\s+(?:i|we)\s+(?:please\s+|possibly\s+|just\s+)?(?P<vp>(?P<verb>get|have|ask|borrow|call|"
    r"come|meet|talk|stop|drop|see|book|schedule|grab|send|bring|join)\b.*)",
    re.I,
)
BE_OK = re.compile(r"^be\s+(?:there|back|home|ready|on\s+time|available|done|finished|late|early|"
                    r"(?:glad|happy|pleased|delighted|able)\s+to)\b", re.I)

NON_WORD = re.compile(r"[^a-z0-9']+")
WE_NEED = re.compile(r"(?:need|have)\s+to\s+\w", re.I)
AVAILABILITY_HINT = re.compile(
    r" (?:available|free|around|able|possible|chance|open|works?|work|good|fine|ok|okay|perfect|better|best|"
    r"want|wanna|about|prefer|suggest|propose) "
)
SUGGEST_HINT = re.compile(r" (?:suggest|propose|recommend|suggestion|proposal|recommendation|it|any) ")
