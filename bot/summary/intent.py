"""A small learned classifier: does a sentence commit, ask or propose an action?

Logistic regression over sparse features: word unigrams, bigrams and trigrams, four-letter word prefixes, the
opening words, the closing punctuation, and the rule detector's own verdict (its kind, alone and with the
opening word) as cue features; refitted on its 6,000 strongest features.
The weights are a small JSON file shipped in the package (``intent_weights.json``), loaded once, and
scored in pure Python: a sentence costs a few dozen dictionary look-ups. Training is deterministic
(``python -m bot.summary.train intent PATH``): fixed seed, fixed epochs, averaged SGD.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("intent_weights.json")
THRESHOLD = 0.5

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[?!]")
_NUMBER = re.compile(r"^\d+$")


def features(sentence: str, rule_kind: str | None) -> list[str]:
    """The sparse features of one sentence (with duplicates removed, order kept)."""
    low = sentence.strip().lower().replace("’", "'")
    tokens = ["<n>" if _NUMBER.match(t) else t for t in _TOKEN.findall(low)]
    words = [t for t in tokens if t not in ("?", "!")]
    out = [f"w:{t}" for t in words]
    out += [f"p:{t[:4]}" for t in words if len(t) > 4]
    padded = ["<s>", *words, "</s>"]
    out += [f"b:{a} {b}" for a, b in itertools.pairwise(padded)]
    out += [f"t:{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:], strict=False)]
    if words:
        out.append(f"f:{words[0]}")
        if len(words) > 1:
            out.append(f"f2:{words[0]} {words[1]}")
    end = low.rstrip()[-1:] if low.strip() else ""
    out.append(f"end:{end if end in '?!.' else 'x'}")
    n = len(words)
    out.append(f"len:{'1' if n <= 3 else '2' if n <= 8 else '3' if n <= 20 else '4'}")
    out.append(f"rule:{rule_kind or 'none'}")
    if words:
        out.append(f"rf:{rule_kind or 'none'} {words[0]}")  # the rules' verdict given the opening word
    out.append("bias")
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    threshold: float = THRESHOLD

    def score(self, feats: Iterable[str]) -> float:
        w = self.weights
        z = sum(w.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def predict(self, feats: Iterable[str]) -> bool:
        return self.score(feats) >= self.threshold


@lru_cache(maxsize=1)
def load_model(path: Path = WEIGHTS_PATH) -> Model:
    """The shipped model, read once per process."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model({str(k): float(v) for k, v in data["weights"].items()}, float(data.get("threshold", THRESHOLD)))


def action_probability(sentence: str, rule_kind: str | None) -> float:
    return load_model().score(features(sentence, rule_kind))


# --- training ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 13
    epochs: int = 20
    rate: float = 0.2
    l2: float = 1e-4
    min_count: int = 2
    prune: float = 1e-4  # averaged weights smaller than this are dropped
    digits: int = 4
    keep: int = 6000  # refit on this many of the strongest features (0: all)


def train(samples: Sequence[tuple[list[str], bool]], config: TrainConfig = TrainConfig()) -> dict[str, float]:
    """Averaged SGD logistic regression; features seen fewer than ``min_count`` times are dropped.

    With ``keep`` set, a first fit ranks the features by the size of their weight and the model is fitted
    again on the ``keep`` strongest only: a file a fraction of the size, scoring about the same.
    """
    counts: dict[str, int] = {}
    for feats, _ in samples:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, c in counts.items() if c >= config.min_count or f == "bias")
    if config.keep and len(vocab) > config.keep:
        first = _fit(samples, vocab, config)
        strongest = sorted(vocab, key=lambda f: (-abs(first.get(f, 0.0)), f))[: config.keep]
        vocab = sorted({*strongest, "bias"})
    return _fit(samples, vocab, config)


def _fit(samples: Sequence[tuple[list[str], bool]], vocab: list[str], config: TrainConfig) -> dict[str, float]:
    index = {f: i for i, f in enumerate(vocab)}
    rows = [([index[f] for f in feats if f in index], 1.0 if gold else 0.0) for feats, gold in samples]
    w = [0.0] * len(vocab)
    total = [0.0] * len(vocab)  # running sum of weights for averaging (lazy via timestamps)
    last = [0] * len(vocab)
    rng = random.Random(config.seed)
    order = list(range(len(rows)))
    step = 0
    for epoch in range(config.epochs):
        rng.shuffle(order)
        rate = config.rate / (1.0 + epoch)
        for r in order:
            idx, y = rows[r]
            step += 1
            z = sum(w[i] for i in idx)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - y
            for i in idx:
                total[i] += w[i] * (step - last[i])
                last[i] = step
                w[i] -= rate * (g + config.l2 * w[i])
    for i in range(len(vocab)):
        total[i] += w[i] * (step - last[i])
    averaged = {f: total[i] / max(1, step) for f, i in index.items()}
    return {f: round(v, config.digits) for f, v in averaged.items() if abs(v) >= config.prune}


def prf(golds: Sequence[bool], guesses: Sequence[bool]) -> tuple[float, float, float]:
    tp = sum(1 for g, p in zip(golds, guesses, strict=True) if g and p)
    fp = sum(1 for g, p in zip(golds, guesses, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(golds, guesses, strict=True) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cross_validate(samples: Sequence[tuple[list[str], bool]], folds: int = 5,
                   config: TrainConfig = TrainConfig(),
                   extra: Sequence[tuple[list[str], bool]] = ()) -> list[tuple[float, float, float]]:
    """Precision, recall, F1 of each held-out fold; folds fixed by the seed, never tuned on.

    ``extra`` samples join every training fold and are never scored.
    """
    order = list(range(len(samples)))
    random.Random(config.seed).shuffle(order)
    out = []
    for k in range(folds):
        held = set(order[k::folds])
        model = Model(train([*(s for i, s in enumerate(samples) if i not in held), *extra], config))
        golds = [samples[i][1] for i in sorted(held)]
        guesses = [model.predict(samples[i][0]) for i in sorted(held)]
        out.append(prf(golds, guesses))
    return out


def read_tsv(path: Path) -> list[tuple[str, bool]]:
    """``Yes|No <TAB> sentence`` lines; anything else is skipped."""
    out = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if "\t" not in line or line.startswith("#"):
                continue
            label, sentence = line.rstrip("\n").split("\t", 1)
            out.append((sentence, label.strip().lower() == "yes"))
    return out
