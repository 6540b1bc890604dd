"""A cheap guess at which language a conversation is mostly written in.

The offline engine reads English best. This counts common function words (articles, pronouns, prepositions,
auxiliaries) of English, German, Spanish, French and Portuguese in the conversation and says which language
has the largest share. Linear in the text and capped: at most :data:`MAX_CHARS` characters of each message
and :data:`MAX_WORDS` words in all are looked at, so it costs nothing next to the summary itself.

Pure: no discord import, nothing else of the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: At most this many characters of one message are read.
MAX_CHARS = 2_000
#: At most this many words of the whole conversation are read.
MAX_WORDS = 5_000
#: Fewer function words than this: too little to tell (a short or emoji-only conversation is left alone).
MIN_HITS = 8
#: The conversation is "mostly" in a language when it holds at least this share of the function words seen.
MOSTLY = 0.5

ENGLISH = "en"

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Frequent short words of each language. A word listed for two of them (``está``, ``para``, ``was``) is
#: left out of both in :data:`STOPWORDS`, so every hit points at one language.
_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and is are was were you your we our they their it's that this with have has had will would "
        "should can could what which who when where why how not don't i'm it of to for on at be been "
        "do does did just from but or if so about there here then than them my me he she his her"
    ),
    "de": _words(
        "der das und ist nicht ich wir ihr sie es ein eine einen dem den mit auf für von zu "
        "auch noch aber oder wenn dann schon nur wie was wer wo warum ja nein mir mich dich uns euch "
        "sind bin bist war haben habe hat wird werden kann können soll sollen muss müssen bis bei "
        "nach über morgen heute gut danke bitte machen mache macht"
    ),
    "es": _words(
        "el los las del y es está están estoy yo tú nosotros ellos ella pero por para con sin una uno "
        "unos unas muy más también cuando donde dónde qué cómo porque hay ser estar tengo tiene tenemos "
        "puedo puede podemos hacer hago hace mañana hoy bien gracias sí vale lo su sus mi al "
        "esto esta este eso ya"
    ),
    "fr": _words(
        "le la les et est sont je tu nous vous ils elles il un une des du au aux avec pour dans sur "
        "pas ne mais ou où quand comment pourquoi qui quoi oui non c'est j'ai on ce cette ces mon ma "
        "mes ton ta vos nos leur être avoir fait faire peux peut pouvons demain aujourd'hui merci "
        "très aussi plus"
    ),
    "pt": _words(
        "o os as do da dos e é está estão estou eu você vocês nós eles elas mas por para com sem um "
        "uma uns umas muito mais também quando onde como porque tem temos tenho ser estar posso pode "
        "podemos fazer faço faz amanhã hoje bem obrigado obrigada sim não isso isto essa esse ao na no "
        "nas nos meu minha seu sua já vai vou"
    ),
}

STOPWORDS: dict[str, frozenset[str]] = {
    code: frozenset(w for w in words if sum(w in other for other in _WORDS.values()) == 1)
    for code, words in _WORDS.items()
}

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The language with the largest share of the function words seen (``en``, ``de``, ``es``, ``fr``,
    ``pt``), that share, and how many function words were seen in all."""

    language: str
    share: float
    hits: int

    @property
    def mostly_not_english(self) -> bool:
        """Enough evidence that most of the conversation is in one language other than English."""
        return self.language != ENGLISH and self.hits >= MIN_HITS and self.share >= MOSTLY


def _normalise(word: str) -> str:
    return word.lower().replace("\u2019", "'")


def guess_language(texts: Iterable[str]) -> LanguageGuess | None:
    """Which language ``texts`` are mostly in, or None when no function word of any of them was found."""
    counts = dict.fromkeys(STOPWORDS, 0)
    words = 0
    for text in texts:
        for match in _WORD.finditer(_LINK.sub(" ", text[:MAX_CHARS]).replace("\u2019", "'")):
            words += 1
            word = _normalise(match.group())
            for language, stopwords in STOPWORDS.items():
                if word in stopwords:
                    counts[language] += 1
            if words >= MAX_WORDS:
                break
        if words >= MAX_WORDS:
            break
    hits = sum(counts.values())
    if not hits:
        return None
    best = max(counts, key=lambda code: (counts[code], code == ENGLISH))
    return LanguageGuess(best, counts[best] / hits, hits)


def mostly_not_english(texts: Iterable[str]) -> str | None:
    """The language code (``de``, ``es``, ``fr``, ``pt``) a conversation is mostly in, when it is not English."""
    guess = guess_language(texts)
    return guess.language if guess is not None and guess.mostly_not_english else None
