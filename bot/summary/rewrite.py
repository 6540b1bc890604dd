"""Rewrite chat sentences as sentences about people.

"I'll send the draft by Friday" said by Maya becomes "Maya will send the draft by Friday."; with a known
addressee, "can you review it?" from Sam to Maya becomes "Sam wants Maya to review it.". The rules are
small and conservative: a word is only changed when its role is clear from its neighbours.
"""

from __future__ import annotations

import re

from bot.summary.action_cues import ActionCue, Kind
from bot.summary.compress import compress
from bot.summary.lexicon import ACTION_VERBS
from bot.summary.text import finish_sentence

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?|[^\w\s]+|\s+")

MODALS = frozenset(
    [
        "can", "could", "will", "would", "should", "might", "must", "shall", "may", "can't", "couldn't",
        "won't", "wouldn't", "shouldn't", "mightn't", "mustn't", "didn't", "did", "had", "hadn't", "was",
        "wasn't", "used", "ought", "cannot", "wont", "cant", "gotta", "gonna", "wanna", "dont", "didnt",
    ]
)
ADVERBS = frozenset(
    [
        "just", "also", "still", "never", "always", "already", "even", "only", "really", "actually",
        "probably", "definitely", "totally", "usually", "sometimes", "often", "rarely", "seriously",
        "honestly", "literally", "certainly", "surely", "kinda", "sorta", "finally", "recently", "personally",
        "basically", "almost", "nearly", "simply", "truly", "absolutely",
    ]
)
# Verbs whose simple past is not "-ed"; enough for everyday chat.
IRREGULAR_PAST = frozenset(
    [
        "was", "were", "had", "did", "said", "went", "got", "made", "knew", "thought", "took", "saw", "came",
        "gave", "found", "told", "felt", "became", "left", "kept", "began", "brought", "wrote", "sat", "stood",
        "heard", "let", "meant", "set", "met", "ran", "paid", "held", "lost", "put", "read", "spent", "built",
        "sent", "fell", "understood", "caught", "bought", "taught", "fought", "sold", "won", "forgot",
        "forgave", "drove", "rode", "ate", "drank", "slept", "woke", "wore", "broke", "spoke", "chose",
        "froze", "stole", "swam", "sang", "rang", "hung", "lay", "led", "lit", "shot", "shut", "hit", "hurt",
        "quit", "cut", "cost", "threw", "grew", "drew", "flew", "blew", "showed", "shown", "known", "seen",
        "done", "gone", "been", "became", "fed", "fled", "bet", "bid", "dug", "stuck", "struck", "swept",
        "swung", "wept", "bent", "lent", "sank", "shook", "split", "spread", "withdrew", "overslept",
        "overheard", "forgotten", "gotten", "begun", "written", "taken", "given", "eaten", "driven", "ridden",
        "broken", "spoken", "chosen", "stolen", "woken",
    ]
)
# Base forms that end in "-ed" like a past tense: "I need" is "Laura needs", not "Laura need".
_BASE_ENDING_ED = frozenset(["need", "feed", "speed", "bleed", "breed", "heed", "proceed", "succeed", "exceed",
                             "embed", "shred", "shed", "seed", "weed", "plead"])
_IRREGULAR_3SG = {"have": "has", "do": "does", "go": "goes", "am": "is", "are": "is", "don't": "doesn't",
                  "haven't": "hasn't", "aren't": "isn't", "be": "is", "'m": "is", "were": "was",
                  "weren't": "wasn't"}
_CONJ_BEFORE_SUBJECT = frozenset(
    [
        "and", "but", "so", "or", "because", "if", "when", "then", "that", "though", "although", "while",
        "since", "as", "until", "unless", "cause", "yeah", "yes", "no", "well", "ok", "okay", "oh", "maybe",
        "also",
    ]
)
_INVERSION_AUX = {"do": "does", "are": "is", "have": "has", "were": "was", "don't": "doesn't",
                  "aren't": "isn't", "haven't": "hasn't", "weren't": "wasn't"}
_NON_VERB_AFTER_SUBJECT = frozenset(
    [
        "the", "a", "an", "to", "in", "on", "at", "for", "with", "of", "from", "by", "about", "too", "guys",
        "all", "both", "there", "here", "this", "that", "these", "those", "and", "or", "but", "so", "if",
        "when", "as", "than", "tomorrow", "today", "tonight", "yesterday", "now", "later", "again", "soon",
    ]
)

_INTERJECTION = re.compile(
    r"^(?:(?:oh|ah|aw|ahh|ohh|well|so|ok|okay|k|yeah|yes|yep|yup|no|nope|nah|hmm+|mm+|hm+|um+|uh+|haha+|"
    r"hah|hehe|lol|wow|hey|hi|hello|sure|right|alright|ooh|omg|btw|anyway|actually|and|but|also|then|"
    r"great|cool|nice|true|thanks|thank you|sorry|dear|listen|look|guys|honey|babe|man|dude|however|anyways|"
    r"please|so yeah|i mean|you know|all|everyone|everybody|folks|team|y'all)\b[\s,!.:;-]*)+",
    re.I,
)


_FILLER_HINT = re.compile(r"just|really|actually|basically|literally|totally|kinda|sorta", re.I)
_FILLER = re.compile(r"\b(?:just|really|actually|basically|literally|totally|kinda|sorta)\s+(?=\w)", re.I)
_LETS_START = re.compile(r"^(?:let'?s|let\s+us)\b", re.I)
_LET_ME_START = re.compile(r"^let\s+me\b", re.I)


def strip_interjections(text: str) -> str:
    """Drop leading 'Oh, yes, well,' noise; returns the text unchanged if nothing would be left."""
    rest = _INTERJECTION.sub("", text, count=1).strip()
    if len(rest) < 3:
        return text
    return rest


def third_singular(verb: str) -> str:
    """'want' -> 'wants', 'watch' -> 'watches', 'try' -> 'tries'; past forms and modals unchanged."""
    low = verb.lower()
    if low in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[low]
    past = low.endswith("ed") and low not in _BASE_ENDING_ED
    if low in MODALS or low in IRREGULAR_PAST or past or not low.isalpha():
        return verb
    if low.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if len(low) > 2 and low.endswith("y") and low[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _next_word(tokens: list[str], i: int) -> int:
    j = i + 1
    while j < len(tokens) and tokens[j].isspace():
        j += 1
    return j if j < len(tokens) and tokens[j][0].isalnum() else -1


def _prev_word(tokens: list[str], i: int) -> int:
    """Index of the previous word, or -1 at the start of a clause (start or after punctuation)."""
    j = i - 1
    while j >= 0 and tokens[j].isspace():
        j -= 1
    if j < 0 or not tokens[j][0].isalnum():
        return -1
    return j


def _conjugate_after(tokens: list[str], i: int) -> None:
    """Conjugate the verb after the subject at ``i`` for the third person singular."""
    j = _next_word(tokens, i)
    hops = 0
    while j != -1 and hops < 2:
        low = tokens[j].lower()
        if low in ADVERBS or (low.endswith("ly") and len(low) > 4):
            j = _next_word(tokens, j)
            hops += 1
            continue
        if low in _NON_VERB_AFTER_SUBJECT:
            return
        if low == "not":
            return
        tokens[j] = third_singular(tokens[j])
        return


def to_third_person(
    text: str, speaker: str, addressee: str | None = None, pair: str | None = None
) -> tuple[str, bool]:
    """Rewrite first person (and second person, when the addressee is known) into names.

    ``pair`` names the two people of a two-person chat ("Maya and Sam"): then "we" is them. Returns the new
    text and whether the sentence now starts with the speaker (or the pair) as its subject.
    """
    tokens = _tokens(text)
    starts_with_speaker = False
    first_word = True
    for i, tok in enumerate(tokens):
        if tok.isspace() or not tok[0].isalnum():
            continue
        low = tok.lower()
        is_first = first_word
        first_word = False
        if low in ("i", "i'm", "im", "i've", "ive", "i'd", "i'll", "ill") and (tok[0] == "I" or low in ("i", "i'm")):
            if low in ("ill", "ive") and tok[0] != "I":
                continue
            if low == "im" and tok != "Im":
                continue
            if is_first:
                starts_with_speaker = True
            if low in ("i'm", "im"):
                tokens[i] = f"{speaker} is"
            elif low in ("i've", "ive"):
                tokens[i] = f"{speaker} has"
            elif low == "i'd":
                tokens[i] = f"{speaker} would"
            elif low in ("i'll", "ill"):
                tokens[i] = f"{speaker} will"
            else:
                prev = _prev_word(tokens, i)
                prev_low = tokens[prev].lower() if prev != -1 else ""
                if prev_low in _INVERSION_AUX:
                    tokens[prev] = _match_case(tokens[prev], _INVERSION_AUX[prev_low])
                    tokens[i] = speaker
                    continue
                tokens[i] = speaker
                if prev_low in MODALS:
                    continue  # "how may I help" -> "how may Jo help"
                _conjugate_after(tokens, i)
        elif pair is not None and low in _WE:
            if is_first:
                starts_with_speaker = True
            tokens[i] = pair + _WE[low]
        elif pair is not None and low in _OUR:
            tokens[i] = _match_case(tok, _OUR[low]) if is_first else _OUR[low]
        elif low == "me":
            tokens[i] = speaker
        elif low == "my":
            # "my son" -> "Amanda's son": no guess at anyone's gender; a long name or a role ("Project
            # Manager") would weigh the sentence down, so it keeps "their"
            own = f"{speaker}'s" if " " not in speaker.strip() else "their"
            tokens[i] = own if not is_first else own[:1].upper() + own[1:]
        elif low == "mine":
            tokens[i] = "theirs"
        elif low == "myself":
            tokens[i] = "themselves"
        elif addressee is not None and low in ("you", "u", "you're", "youre", "you've", "you'll", "you'd"):
            if low in ("u",) and tok != "u":
                continue
            if low in ("you're", "youre"):
                tokens[i] = f"{addressee} is"
            elif low == "you've":
                tokens[i] = f"{addressee} has"
            elif low == "you'll":
                tokens[i] = f"{addressee} will"
            elif low == "you'd":
                tokens[i] = f"{addressee} would"
            else:
                prev = _prev_word(tokens, i)
                prev_low = tokens[prev].lower() if prev != -1 else ""
                tokens[i] = addressee
                if prev_low in _INVERSION_AUX:
                    tokens[prev] = _match_case(tokens[prev], _INVERSION_AUX[prev_low])
                elif prev == -1 or prev_low in _CONJ_BEFORE_SUBJECT:
                    _conjugate_after(tokens, i)
        elif addressee is not None and low in ("your", "ur") and (low == "your" or tok == "ur"):
            tokens[i] = f"{addressee}'s"
        elif addressee is not None and low == "yourself":
            tokens[i] = "themselves"
    out = "".join(tokens)
    return out, starts_with_speaker


_WE = {"we": "", "we're": " are", "we've": " have", "we'll": " will", "we'd": " would"}
_OUR = {"us": "them", "our": "their", "ours": "theirs", "ourselves": "themselves"}


def _match_case(original: str, replacement: str) -> str:
    return replacement[0].upper() + replacement[1:] if original[:1].isupper() else replacement


_REQUEST = re.compile(
    r"^(?:(?:so|and|also|hey|oh|ok|okay),?\s+)*(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+|plz\s+|"
    r"maybe\s+|just\s+|also\s+)?(?P<vp>[a-z].*?)(?:,?\s*(?:please|pls|plz))?\s*[?.!]*$",
    re.I,
)
_PLEASE = re.compile(
    r"^(?:please|pls|plz|kindly)\s+(?P<vp>[a-z].*?)\s*[.!]*$|^(?P<vp2>[a-z].*?),?\s+(?:please|pls|plz)\s*[.!]*$", re.I
)


def request_sentence(text: str, speaker: str, addressee: str) -> str | None:
    """'can you review it?' from Sam to Maya -> 'Sam wants Maya to review it.' (None if not that shape)."""
    m = _REQUEST.match(text)
    vp = m.group("vp") if m else None
    if vp is None:
        pm = _PLEASE.match(text)
        if pm:
            vp = pm.group("vp") or pm.group("vp2")
    if not vp:
        return None
    first = vp.split(None, 1)[0]
    if first[:1].isupper() and first.lower() in ACTION_VERBS:
        vp = first.lower() + vp[len(first):]
    vp, _ = to_third_person(vp, speaker, addressee)
    return finish_sentence(f"{speaker} wants {addressee} to {vp}")


def rewrite_about_speaker(
    text: str,
    speaker: str,
    addressee: str | None = None,
    cue: ActionCue | None = None,
    pair: str | None = None,
    *,
    question: bool = False,
) -> str:
    """A chat sentence as a sentence about its speaker, for key points and decisions.

    First-person sentences become third person ("I baked cookies" -> "Amanda baked cookies."); a request
    to a known addressee becomes "Amanda wants Tom to ..."; a proposal "Amanda suggests to ...";
    anything else is attributed: "Amanda: ...". ``cue`` is the detector's reading of the sentence; ``pair``
    names both people of a two-person chat ("we" is them). Filler adverbs ("just", "really") are dropped, and
    so are laughter, hedges, tags and a closing address (``compress.py``); a ``question`` keeps its closing tag.
    """
    body = compress(strip_interjections(text), keep_question=question)
    body = _FILLER.sub("", body) if _FILLER_HINT.search(body) else body
    if addressee:
        req = request_sentence(body, speaker, addressee)
        if req:
            return req
    if cue is not None and cue.what and cue.what[0].isalpha() and len(cue.what) < len(body) + 1:
        first = cue.what.split(None, 1)[0].lower()
        if cue.kind is Kind.REQUEST and addressee and first in ACTION_VERBS:
            what, _ = to_third_person(cue.what, speaker, addressee)
            return finish_sentence(f"{speaker} wants {addressee} to {what}")
        if cue.kind is Kind.PROPOSAL and first in ACTION_VERBS and _LETS_START.match(body):
            what, _ = to_third_person(cue.what, speaker, addressee)
            return finish_sentence(f"{speaker} suggests to {what}")
        if cue.kind is Kind.COMMITMENT and _LET_ME_START.match(body):
            what, _ = to_third_person(cue.what, speaker, addressee)
            return finish_sentence(f"{speaker} will {what}")
    rewritten, starts = to_third_person(body, speaker, addressee, pair)
    rewritten = finish_sentence(rewritten)
    if starts:
        return rewritten
    return f"{speaker}: {rewritten}"
