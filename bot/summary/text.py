"""Chat text handling: noise removal, sentence splitting, tokens and light stemming.

Everything here is linear in the length of the text and uses precompiled regular expressions, so the
engine stays fast on tens of thousands of messages.
"""

from __future__ import annotations

import functools
import re

# --- noise ------------------------------------------------------------------------------------------

_CODE_BLOCK = re.compile(r"```.*?```", re.S)
_NOISE = re.compile(
    r"""
      https?://\S+                      # links
    | www\.\S+
    | <a?:\w+:\d+>                      # custom emoji
    | <[@#][!&]?\d+>                    # user, role and channel mentions
    | <t:\d+(?::\w)?>                   # timestamps
    | <[a-z_]+>                         # placeholders such as <file_gif>
    | (?<![\w])@(?:everyone|here)\b
    | :[a-z0-9_+\-]{2,30}:              # :shortcode: emoji
    | [\U0001F000-\U0001FAFF\U00002600-\U000027BF\U0001F1E6-\U0001F1FF\uFE0F\u200d\u2B50\u2B55\u2190-\u21FF]
    | (?<![\w:])(?:[:;=8][\-o^']?[)(\]\[dDpPoO/\\|*3@$]+|xD+|XD+|<3+|\^_*\^|[Tt]_[Tt]|-_-)(?![\w])
    """,
    re.X,
)
_MARKDOWN = re.compile(r"(\*\*|__|~~|\|\||`+|^>+ ?|^#{1,3} |^\s*[-*•] )", re.M)
_REPEAT_PUNCT = re.compile(r"([!?.])[!?.]*\1+|([!?])[!?]+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.!?;:])")
_WEIRD_APOS = re.compile(r"[\u2018\u2019\u02bc`´]")
_SPACED_APOS = re.compile(r"(\w) ' (?=(?:s|t|re|ve|ll|d|m)\b)", re.I)
_SPACED_NT = re.compile(r"(\w) n't\b", re.I)
_SPACED_CLITIC = re.compile(r"(\w) '(s|re|ve|ll|d|m|t)\b", re.I)


def _punct_repl(m: re.Match[str]) -> str:
    text = m.group(0)
    if "?" in text:
        return "?"
    if "!" in text:
        return "!"
    return "..." if len(text) >= 3 else "."


_NOISE_CHARS = frozenset("<:;=@^_-38")
_MARKDOWN_CHARS = frozenset("*_~|`>#-•")
_FILLER = re.compile(r"(?<![\w'-])(?:uh-huh|mm+-?hmm+|u+m+|u+h+|e+r+m+|h+m+|m+h?m+)(?![\w'-])\s*[,.]?\s*", re.I)


def clean(content: str) -> str:
    """Remove links, mentions, emoji, emoticons, fillers and markdown; normalise apostrophes and spacing."""
    text = _CODE_BLOCK.sub(" ", content) if "```" in content else content
    ascii_only = text.isascii()
    if not ascii_only:
        text = _WEIRD_APOS.sub("'", text)
    if " '" in text or " n't" in text:
        text = _SPACED_APOS.sub(r"\1'", text)
        text = _SPACED_NT.sub(r"\1n't", text)
        text = _SPACED_CLITIC.sub(r"\1'\2", text)
    if (not ascii_only or "http" in text or "www." in text or "xD" in text or "XD" in text
            or not _NOISE_CHARS.isdisjoint(text)):
        text = _NOISE.sub(" ", text)
    if not _MARKDOWN_CHARS.isdisjoint(text):
        text = _MARKDOWN.sub("", text)
    if "m" in text or "h" in text or "r" in text:
        text = _FILLER.sub("", text)
    if "!!" in text or "??" in text or ".." in text or "?!" in text or "!?" in text or "!." in text or "?." in text:
        text = _REPEAT_PUNCT.sub(_punct_repl, text)
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = _SPACES.sub(" ", text)
    if " ," in text or " ." in text or " !" in text or " ?" in text or " ;" in text or " :" in text:
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return text.strip()


# --- sentences --------------------------------------------------------------------------------------

_ABBREVIATIONS = ("mr.", "mrs.", "ms.", "dr.", "st.", "e.g.", "i.e.", "vs.", "etc.", "approx.", "no.")
#: A match always starts where a run of whitespace starts, so the second branch only tries there: trying it
#: inside a long run of spaces rescanned the run from every position (quadratic).
_SENT_SPLIT = re.compile(r"(?<=[.!?…])\s+(?=[\"'(\[]?[A-Za-z0-9])|(?<!\s)[^\S\n]*\n\s*")
_LEADING_JUNK = re.compile(r"^[\s,.;:\-–—)…]+")
_HAS_ALNUM = re.compile(r"[^\W_]")


def split_sentences(text: str) -> list[str]:
    """Split cleaned text into sentences on end punctuation and line breaks."""
    if "\n" not in text and ". " not in text and "! " not in text and "? " not in text and "… " not in text:
        parts = [text]
    else:
        parts = []
        for part in _SENT_SPLIT.split(text):
            if parts and parts[-1].lower().endswith(_ABBREVIATIONS) and not parts[-1].endswith("\n"):
                parts[-1] = f"{parts[-1]} {part}"
            else:
                parts.append(part)
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        if part[0] in " ,.;:-–—)…":
            part = _LEADING_JUNK.sub("", part)
        part = part.strip()
        if part and _HAS_ALNUM.search(part):
            out.append(part)
    return out


# --- tokens -----------------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOPWORDS = frozenset(
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
        "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
        "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing",
        "don't", "down", "during", "each", "few", "for", "from", "further", "had", "hadn't", "has", "hasn't",
        "have", "haven't", "having", "he", "he'd", "he'll", "he's", "her", "here", "here's", "hers", "herself",
        "him", "himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is",
        "isn't", "it", "it's", "its", "itself", "let's", "me", "more", "most", "mustn't", "my", "myself", "no",
        "nor", "not", "of", "off", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves",
        "out", "over", "own", "same", "shan't", "she", "she'd", "she'll", "she's", "should", "shouldn't", "so",
        "some", "such", "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then",
        "there", "there's", "these", "they", "they'd", "they'll", "they're", "they've", "this", "those",
        "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "we'd", "we'll",
        "we're", "we've", "were", "weren't", "what", "what's", "when", "when's", "where", "where's", "which",
        "while", "who", "who's", "whom", "why", "why's", "with", "won't", "would", "wouldn't", "you", "you'd",
        "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves", "just", "will", "shall",
        "may", "might", "must", "yes", "yeah", "yep", "yup", "ok", "okay", "oh", "ah", "uh", "um", "hmm", "mm",
        "hm", "well", "really", "so", "like", "get", "got", "go", "going", "gonna", "wanna", "gotta", "know",
        "think", "one", "thing", "things", "lot", "lots", "also", "still", "even", "much", "many", "maybe",
        "now", "right", "sure", "thanks", "thank", "please", "hi", "hey", "hello", "bye", "lol", "haha",
        "hahaha", "lmao", "omg", "xd", "cool", "great", "nice", "good", "fine", "yeah", "alright", "anyway",
        "actually",
    ]
)

# Words that on their own make a message chit-chat rather than content.
CHITCHAT = frozenset(
    [
        "ok", "okay", "k", "kk", "yes", "yeah", "yep", "yup", "ya", "yah", "no", "nope", "nah", "sure",
        "thanks", "thank", "thx", "ty", "you", "u", "much", "lol", "haha", "hahaha", "hehe", "lmao", "rofl",
        "omg", "wow", "cool", "great", "nice", "good", "fine", "awesome", "perfect", "hi", "hey", "hello",
        "bye", "cya", "see", "later", "morning", "night", "evening", "gn", "gm", "np", "welcome", "alright",
        "right", "true", "indeed", "exactly", "agreed", "oh", "ah", "uh", "um", "hmm", "mm", "hm", "well",
        "so", "too", "me", "i", "it", "that's", "this", "is", "a", "the", "and", "really", "totally",
        "definitely", "absolutely", "sounds", "love", "xd", "wtf", "jk", "idk", "ikr", "btw", "tbh", "dear",
        "fun", "yay", "damn", "sorry", "congrats", "congratulations", "happy", "birthday", "cheers", "ha",
    ]
)

_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ousness", "ous"),
    ("nesses", ""),
    ("ments", ""),
    ("ingly", ""),
    ("ement", ""),
    ("ness", ""),
    ("ment", ""),
    ("ings", ""),
    ("edly", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("ers", "er"),
    ("ed", ""),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stripper: enough to make 'meeting', 'meetings' and 'meet' one feature."""
    if "'" in word:
        word = word.split("'", 1)[0]
    if len(word) <= 3:
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]
            return base
    return word


def words(text: str) -> list[str]:
    """Lower-case word tokens (apostrophe contractions kept together)."""
    return _WORD.findall(text.lower())


def content_stems(tokens: list[str]) -> list[str]:
    """Stems of the tokens that carry meaning (no stop words, no numbers shorter than 2 digits)."""
    return [stem(t) for t in tokens if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


def is_chitchat(tokens: list[str]) -> bool:
    """True for 'ok thanks!', 'haha', 'good morning' and other content-free sentences."""
    if not tokens:
        return True
    return all(t in CHITCHAT for t in tokens) or (len(tokens) <= 2 and not content_stems(tokens))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def finish_sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop unless the text already ends a sentence."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if text[-1] not in ".!?…":
        text += "."
    return text
