"""Key-point ranking: TF-IDF centrality with priors, then MMR to drop repeats.

Scoring is linear in the number of sentences: every sentence is scored against the conversation's
centroid (the summed, normalised TF-IDF vectors, trimmed to its strongest terms); only a bounded set of the
best candidates then gets a LexRank-style graph centrality (quadratic in that bounded set only) and the
maximal-marginal-relevance selection.
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

Vector = dict[str, float]

RANK_WEIGHTS_PATH = Path(__file__).with_name("rank_weights.json")


@lru_cache(maxsize=1)
def _rank_file(path: Path = RANK_WEIGHTS_PATH) -> dict[str, object] | None:
    if not path.exists():
        return None
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@lru_cache(maxsize=1)
def rank_weights(path: Path = RANK_WEIGHTS_PATH) -> tuple[float, ...] | None:
    """The learned key-point scorer's weights (one per ranking feature), read once; None if not shipped."""
    loaded = _rank_file(path)
    if loaded is None:
        return None
    weights = loaded["weights"]
    assert isinstance(weights, list)
    return tuple(float(w) for w in weights)


@lru_cache(maxsize=1)
def gain_weights(path: Path = RANK_WEIGHTS_PATH) -> tuple[float, ...] | None:
    """The weights of the model that decides whether a further key point adds enough; None if not shipped."""
    loaded = _rank_file(path)
    gain = loaded.get("gain") if loaded is not None else None
    if not isinstance(gain, list):
        return None
    return tuple(float(w) for w in gain)


def stem_scores(path: Path = RANK_WEIGHTS_PATH) -> dict[str, float]:
    """How likely each word stem of a chat is to be in its summary (log-odds against the average stem),
    learned with the scorer; stems it did not see often enough score 0."""
    loaded = _rank_file(path)
    stems = loaded.get("stems", {}) if loaded is not None else {}
    assert isinstance(stems, dict)
    return stems

CANDIDATES = 120  # sentences kept for the graph step and MMR
CENTROID_TERMS = 200  # strongest terms kept in the centroid
SIM_THRESHOLD = 0.08  # graph edges below this similarity are dropped
DAMPING = 0.85


def tfidf_vectors(docs: Sequence[Sequence[str]]) -> list[Vector]:
    """L2-normalised TF-IDF vectors (sub-linear term frequency) for lists of stems."""
    df: dict[str, int] = {}
    for doc in docs:
        for term in set(doc):
            df[term] = df.get(term, 0) + 1
    n = len(docs)
    idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
    vectors: list[Vector] = []
    for doc in docs:
        tf: dict[str, int] = {}
        for term in doc:
            tf[term] = tf.get(term, 0) + 1
        vec = {t: (1.0 + math.log(c)) * idf[t] for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vectors.append({t: w / norm for t, w in vec.items()})
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def centroid(vectors: Sequence[Vector], terms: int = CENTROID_TERMS) -> Vector:
    total: dict[str, float] = {}
    for vec in vectors:
        for t, w in vec.items():
            total[t] = total.get(t, 0.0) + w
    top = heapq.nlargest(terms, total.items(), key=lambda kv: kv[1])
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: w / norm for t, w in top}


def lexrank(vectors: Sequence[Vector], threshold: float = SIM_THRESHOLD, iterations: int = 30) -> list[float]:
    """Weighted PageRank over the cosine-similarity graph of a (small) set of sentences."""
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [1.0]
    edges: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            sim = cosine(vectors[i], vectors[j])
            if sim >= threshold:
                edges[i].append((j, sim))
                edges[j].append((i, sim))
    out_weight = [sum(w for _, w in e) for e in edges]
    scores = [1.0 / n] * n
    for _ in range(iterations):
        dangling = sum(scores[i] for i in range(n) if out_weight[i] == 0)
        new = [(1.0 - DAMPING) / n + DAMPING * dangling / n] * n
        for i in range(n):
            if out_weight[i] == 0:
                continue
            for j, w in edges[i]:
                new[j] += DAMPING * scores[i] * w / out_weight[i]
        delta = sum(abs(a - b) for a, b in zip(new, scores, strict=True))
        scores = new
        if delta < 1e-6:
            break
    top = max(scores) or 1.0
    return [s / top for s in scores]


def mmr(
    candidates: Sequence[int],
    scores: dict[int, float],
    vectors: Sequence[Vector],
    k: int,
    lam: float = 0.7,
    redundancy_cut: float = 0.6,
) -> list[int]:
    """Pick ``k`` candidates greedily by relevance minus similarity to what is already picked."""
    chosen: list[int] = []
    pool = list(candidates)
    while pool and len(chosen) < k:
        best, best_value = -1, -math.inf
        for c in pool:
            redundancy = max((cosine(vectors[c], vectors[s]) for s in chosen), default=0.0)
            if redundancy >= redundancy_cut:
                continue
            value = lam * scores[c] - (1.0 - lam) * redundancy
            if value > best_value:
                best, best_value = c, value
        if best < 0:
            break
        chosen.append(best)
        pool.remove(best)
    return chosen
