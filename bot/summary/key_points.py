"""Key points: rank the conversation's sentences and pick a few that say what it was about.

Candidates are sentences of three words or more with two content words that are not chit-chat. Each is
scored by its TF-IDF centrality with priors and a LexRank-style graph score (``rank.py``); for chats of up
to a hundred sentences a learned linear scorer (``rank_weights.json``) over ranking features replaces that
score (among them how often summaries repeat the sentence's word stems). MMR then picks a few, shown in
conversation order; with the learned scorer a second learned model keeps the second and third pick only
while each is expected to add more than its length costs, and a chat of four messages gets two at most.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from bot.summary.conversation import Conversation, Unit
from bot.summary.models import Bullet
from bot.summary.rank import (
    CANDIDATES,
    Vector,
    centroid,
    cosine,
    gain_weights,
    lexrank,
    mmr,
    rank_weights,
    stem_scores,
    tfidf_vectors,
)

# Key-point ranking: score = ((1 - GRAPH_WEIGHT) * centroid similarity + GRAPH_WEIGHT * graph centrality)
# times priors. Sentences shorter than LENGTH_FULL words or longer than LENGTH_MAX are discounted, early
# sentences get up to POSITION_WEIGHT more (chats tend to open with their subject), questions less.
GRAPH_WEIGHT = 0.5
LENGTH_FULL = 8.0
LENGTH_MAX = 40.0
POSITION_WEIGHT = 0.15
QUESTION_PRIOR = 1.0
MMR_LAMBDA = 0.5
# The learned key-point scorer was fitted on chats of up to about a hundred sentences; longer conversations
# (meetings of a thousand) keep the centrality scoring, which the learned one does worse than there.
LEARNED_MAX_UNITS = 100
# A chat of a few messages is told in fewer key points: three for four messages would retell it whole.
SHORT_CHAT = 4
SHORT_CHAT_POINTS = 2
# With the learned scorer, the second and third key points are only kept while a second learned model
# (``rank_weights.json``, "gain") expects each to add to the summary more than it costs in length.
GAIN_STEPS = 2
_TOKEN = re.compile(r"[A-Za-z0-9]+")
# Positions in the ranking features (``key_point_candidates``) the gain model reads.
_QUESTION = 7
_STEM_MEAN = -3
_STEM_BEST = -2
# A day, a time or a number: plans and outcomes ("on Friday at 6", "for 6 people") carry them.
_WHEN = re.compile(
    r"\d|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today|yesterday|"
    r"morning|afternoon|evening|week|weekend|month|o'clock|pm|am)\b",
    re.I,
)


# Sentences about the speaker ("I'll bring cookies", "we're going at 5"): summaries retell them in the third
# person; plans and obligations ("will", "going to", "need to"); laughter; negation.
_FIRST_PERSON = re.compile(r"^(?:\W*(?:oh|ok|okay|well|yeah|yes|no|so|and|but|haha\w*|lol)\b[\s,!.]*)*"
                           r"(?:i|i'm|im|i'll|i've|i'd|we|we're|we'll|we've|me|my|our)\b", re.I)
_PLAN = re.compile(r"\b(?:will|won't|'ll|going\s+to|gonna|have\s+to|has\s+to|need\s+to|needs\s+to|must|"
                   r"want\s+to|wants\s+to|wanna|gotta|plan|planning)\b", re.I)
_LAUGH = re.compile(r"\b(?:lol+|lmao|rofl|ha(?:ha)+h?|he(?:he)+|xd+)\b", re.I)
_NEGATION = re.compile(r"\b(?:not|no|never|can't|cannot|don't|doesn't|didn't|won't|isn't|aren't|wasn't|"
                       r"haven't|hasn't|couldn't|wouldn't|nothing|nobody)\b", re.I)
_WH = re.compile(r"^\W*(?:who|what|when|where|why|how|which)\b", re.I)


_CONTINUES = ("but ", "and ", "because ", "cause ", "so ", "or ", "cuz ", "coz ")


def _joined(conv: Conversation) -> list[Unit]:
    """The sentences; in a long meeting, a sentence that continues the one before it in the same turn ("we
    could use rubber" / "but it costs more") is joined to it (in chats, where the learned scorer ranks,
    that did worse)."""
    if len(conv.units) <= LEARNED_MAX_UNITS:
        return conv.units
    out: list[Unit] = []
    for u in conv.units:
        prev = out[-1] if out else None
        if (prev is not None and prev.turn == u.turn and not prev.question
                and u.text[:8].lower().startswith(_CONTINUES) and prev.n_tokens + u.n_tokens <= LENGTH_MAX):
            out[-1] = replace(prev, text=f"{prev.text.rstrip('.!,;')} {u.text}", n_tokens=prev.n_tokens + u.n_tokens,
                              stems=prev.stems + u.stems, chitchat=False, question=u.question)
        else:
            out.append(u)
    return out


def _stem_features(stems: list[str], table: dict[str, float]) -> list[float]:
    """Mean and best summary-likelihood of a sentence's stems (``rank.stem_scores``), and the share that
    summaries tend to repeat."""
    values = [table.get(s, 0.0) for s in stems]
    if not values:
        return [0.0, 0.0, 0.0]
    return [sum(values) / len(values), max(values), sum(1 for v in values if v > 0) / len(values)]


def key_point_candidates(
    conv: Conversation, cue_units: set[int], stem_table: dict[str, float] | None = None
) -> tuple[list[Unit], list[int], list[dict[str, float]], dict[int, float], dict[int, list[float]]]:
    """The pool of sentences, the best candidates, their vectors, default scores and ranking features
    (``stem_table``: the stems' summary log-odds, by default the shipped ones)."""
    table = stem_scores() if stem_table is None else stem_table
    pool = [
        u for u in _joined(conv)
        if len(u.stems) >= 2 and not u.chitchat and u.n_tokens >= 3
    ]
    if not pool:
        pool = [u for u in conv.units if u.stems]
    if not pool:
        return [], [], [], {}, {}
    vectors = tfidf_vectors([u.stems for u in pool])
    center = centroid(vectors)
    n = len(pool)
    prior: list[float] = []
    for i, u in enumerate(pool):
        length = u.n_tokens
        length_prior = min(1.0, length / LENGTH_FULL) * (1.0 if length <= LENGTH_MAX else LENGTH_MAX / length)
        position_prior = 1.0 + POSITION_WEIGHT * (1.0 - i / n)
        question_prior = QUESTION_PRIOR if u.question else 1.0
        prior.append(length_prior * position_prior * question_prior)
    central = [cosine(v, center) for v in vectors]
    first_pass = [c * p for c, p in zip(central, prior, strict=True)]
    order = sorted(range(n), key=lambda i: -first_pass[i])[:CANDIDATES]
    graph = lexrank([vectors[i] for i in order])
    scores: dict[int, float] = {}
    top_first = max(first_pass[i] for i in order) or 1.0
    for rank_pos, i in enumerate(order):
        boost = 1.1 if pool[i].index in cue_units else 1.0
        central_part = (1.0 - GRAPH_WEIGHT) * first_pass[i] / top_first
        scores[i] = (central_part + GRAPH_WEIGHT * graph[rank_pos] * prior[i]) * boost
    top_score = max(scores.values()) or 1.0
    per_speaker: dict[int | None, int] = {}
    for u in pool:
        per_speaker[u.speaker_id] = per_speaker.get(u.speaker_id, 0) + 1
    feats: dict[int, list[float]] = {}
    names = {name for name in (conv.names.name(a) for a in conv.counts) if name}
    size = min(1.0, math.log1p(len(conv.units)) / math.log(101.0))  # longer chats pick differently
    agreement: dict[int, bool] = {}

    def agreed(turn: int) -> bool:
        if turn not in agreement:
            agreement[turn] = bool(conv.agreeing_turns(turn))
        return agreement[turn]

    for rank_pos, i in enumerate(order):
        u = pool[i]
        others = names - {u.speaker_name}
        prev = conv.units[u.index - 1] if u.index > 0 else None
        answers = prev is not None and prev.question and prev.speaker_id != u.speaker_id
        asked = conv.units[0].question and conv.units[0].speaker_id != u.speaker_id and u.turn == 1
        feats[i] = [
            1.0,
            scores[i] / top_score,
            first_pass[i] / top_first,
            graph[rank_pos],
            i / n,
            1.0 if u.turn == 0 else 0.0,
            1.0 if i == n - 1 else 0.0,
            1.0 if u.question else 0.0,
            1.0 if u.index in cue_units else 0.0,
            min(1.0, math.log1p(u.n_tokens) / math.log(41.0)),
            per_speaker[u.speaker_id] / n,
            1.0 if answers else 0.0,
            1.0 if asked else 0.0,
            len(u.stems) / max(1, u.n_tokens),
            1.0 if any(ch.isdigit() for ch in u.text) else 0.0,
            1.0 if u.turn + 1 >= len(conv.turns) else 0.0,
            1.0 if conv.turns[u.turn].units[0] == u.index else 0.0,
            cosine(vectors[i], vectors[0]) if i else 1.0,
            1.0 if any(w in others for w in u.text.split()) else 0.0,
            min(1.0, math.log1p(len(conv.turns[u.turn].units)) / math.log(11.0)),
            1.0 if _WHEN.search(u.text) else 0.0,
            size,
            1.0 if _FIRST_PERSON.match(u.text) else 0.0,
            1.0 if _PLAN.search(u.text) else 0.0,
            1.0 if _LAUGH.search(u.text) else 0.0,
            1.0 if _NEGATION.search(u.text) else 0.0,
            1.0 if u.n_tokens <= 4 else 0.0,
            1.0 if u.question and _WH.match(u.text) else 0.0,
            1.0 if u.text.rstrip().endswith("!") else 0.0,
            1.0 if agreed(u.turn) else 0.0,
            *_stem_features(u.stems, table),
        ]
    return pool, order, vectors, scores, feats


def learned_scores(order: list[int], feats: dict[int, list[float]], weights: tuple[float, ...]) -> dict[int, float]:
    return {i: sum(w * x for w, x in zip(weights, feats[i], strict=True)) for i in order}


def scaled(learned: dict[int, float]) -> dict[int, float]:
    low = min(learned.values())
    top = (max(learned.values()) - low) or 1.0
    return {i: (v - low) / top for i, v in learned.items()}


def point_limit(messages: int, max_key_points: int) -> int:
    """How many key points a chat of ``messages`` messages may get."""
    return min(max_key_points, SHORT_CHAT_POINTS) if messages <= SHORT_CHAT else max_key_points


def gain_features(
    step: int, chosen: list[int], learned: dict[int, float], scores: dict[int, float],
    feats: dict[int, list[float]], vectors: list[Vector], tokens: dict[int, int], messages: int,
) -> list[float]:
    """What the gain model reads of the ``step``-th pick (from 1): its learned score, raw, against the first
    pick's and scaled (``scores``: :func:`scaled`); its stem features; its length and the summary's so far; the
    chat's size; its overlap with the picks before it; whether it is a question; whether it is the third."""
    i = chosen[step]
    return [
        1.0,
        learned[i],
        learned[i] - learned[chosen[0]],
        scores[i],
        feats[i][_STEM_MEAN],
        feats[i][_STEM_BEST],
        math.log1p(tokens[i]),
        math.log1p(sum(tokens[c] for c in chosen[:step])),
        math.log1p(messages),
        max(cosine(vectors[i], vectors[c]) for c in chosen[:step]),
        1.0 if feats[i][_QUESTION] else 0.0,
        1.0 if step == 2 else 0.0,
    ]


def token_count(text: str) -> int:
    return len(_TOKEN.findall(text))


def key_points(conv: Conversation, cue_units: set[int], max_key_points: int) -> list[Bullet]:
    pool, order, vectors, scores, feats = key_point_candidates(conv, cue_units)
    if not pool:
        return []
    weights = rank_weights() if len(conv.units) <= LEARNED_MAX_UNITS else None
    learned: dict[int, float] = {}
    if weights is not None:
        learned = learned_scores(order, feats, weights)
        scores = scaled(learned)
    chosen = mmr(order, scores, vectors, point_limit(len(conv.messages), max_key_points), lam=MMR_LAMBDA)
    texts = {i: conv.about(pool[i]) for i in chosen}
    gain = gain_weights() if weights is not None else None
    if gain is not None:
        tokens = {i: token_count(t) for i, t in texts.items()}
        for step in range(1, min(len(chosen), GAIN_STEPS + 1)):
            x = gain_features(step, chosen, learned, scores, feats, vectors, tokens, len(conv.messages))
            if sum(w * v for w, v in zip(gain, x, strict=True)) <= 0.0:
                chosen = chosen[:step]
                break
    return [conv.bullet(texts[i], pool[i]) for i in sorted(chosen)]
