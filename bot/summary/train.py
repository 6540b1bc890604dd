"""Train the summary engine's learned parts from labelled data.

    python -m bot.summary.train intent PATH [--extra FILE] [--out FILE] [--folds 5] [--seed 13]
    python -m bot.summary.train keypoints samsum=PATH [dialogsum=PATH ...] [--half even] [--out FILE]

``intent`` reads a TSV of ``Yes|No <TAB> sentence`` lines, prints the cross-validated precision, recall
and F1 (folds fixed by the seed; each fold is scored by a model that never saw it), then trains on every
line (plus the ``--extra`` lines, repeated ``--extra-weight`` times: they join every training fold and are
never scored) and writes the weights (by default the file the engine ships and loads).

``keypoints`` fits the key-point scorer: a ridge regression from each candidate sentence's ranking features
to the ROUGE-1 F1 of its rewritten text against the dialogue's reference summary. ``--half even`` trains on
the even-numbered dialogues only, so that the odd ones (``python -m bot.summary.eval ... --half odd``) stay
unseen. Needs the ``eval`` extra (``rouge-score``) and numpy.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.summary.action_cues import rule_kind
from bot.summary.action_items import actions_and_decisions
from bot.summary.conversation import Conversation
from bot.summary.eval import LOADERS, TOP_K, Dialogue, oracle_choice, select_half, to_messages
from bot.summary.intent import WEIGHTS_PATH, TrainConfig, cross_validate, features, read_tsv, train
from bot.summary.key_points import (
    GAIN_STEPS,
    MMR_LAMBDA,
    gain_features,
    key_point_candidates,
    learned_scores,
    point_limit,
    scaled,
    token_count,
)
from bot.summary.rank import RANK_WEIGHTS_PATH, Vector, mmr
from bot.summary.text import content_stems, words


def intent_samples(path: Path) -> list[tuple[list[str], bool]]:
    return [(features(sentence, rule_kind(sentence)), gold) for sentence, gold in read_tsv(path)]


STEM_FOLDS = 5  # the stem scores a training sentence sees come from the other folds' dialogues
STEM_MIN_CHATS = 3  # a stem is scored once it occurs in this many training dialogues
STEM_PRIOR = 2.0  # pseudo-counts pulling a stem's score to the average


def stem_counts(conv: Conversation, reference: str) -> tuple[set[str], set[str]]:
    """The content stems of a dialogue and those of them its reference summary repeats."""
    said = {s for u in conv.units for s in u.stems}
    return said, said & set(content_stems(words(reference)))


def fit_stem_scores(counted: Sequence[tuple[set[str], set[str]]]) -> dict[str, float]:
    """Per stem: the smoothed log-odds that a dialogue's summary repeats it, minus the average stem's."""
    said: dict[str, int] = {}
    kept: dict[str, int] = {}
    for dialogue_stems, summary_stems in counted:
        for s in dialogue_stems:
            said[s] = said.get(s, 0) + 1
        for s in summary_stems:
            kept[s] = kept.get(s, 0) + 1
    total = sum(said.values())
    if not total:
        return {}
    prior = min(max(sum(kept.values()) / total, 1e-3), 1 - 1e-3)
    base = math.log(prior / (1 - prior))
    return {
        s: round(math.log((kept.get(s, 0) + STEM_PRIOR * prior) / (n - kept.get(s, 0) + STEM_PRIOR * (1 - prior)))
                 - base, 4)
        for s, n in sorted(said.items()) if n >= STEM_MIN_CHATS
    }


@dataclass
class Case:
    """A training dialogue's candidates as the key-point scorer sees them, for fitting the gain model."""

    reference: str
    messages: int
    order: list[int]
    vectors: list[Vector]
    feats: dict[int, list[float]]
    texts: dict[int, str]


def keypoint_rows(
    dialogues: Sequence[Dialogue], target: str = "rouge", cases: list[Case] | None = None
) -> tuple[list[list[float]], list[float], dict[str, float]]:
    """Ranking features and targets of every candidate sentence of the dialogues, and the stem scores.

    The target is the sentence's own ROUGE-1 F1 (``rouge``), or 1 for the sentences of the greedy oracle's
    choice among the candidates and 0 for the others (``oracle``), or their mean (``both``). The stem scores
    are fitted on all the dialogues; a training sentence's stem features use the scores fitted without its
    own fold of dialogues (dialogue ``k`` is in fold ``k % STEM_FOLDS``), as an unseen chat would. Each
    dialogue's candidates are added to ``cases`` when given."""
    from rouge_score import rouge_scorer  # the eval extra

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    convs = [Conversation(to_messages(d.utterances)) for d in dialogues]
    counted = [stem_counts(conv, d.reference) for conv, d in zip(convs, dialogues, strict=True)]
    folds = [fit_stem_scores([c for k, c in enumerate(counted) if k % STEM_FOLDS != f]) for f in range(STEM_FOLDS)]
    xs: list[list[float]] = []
    ys: list[float] = []
    for k, (d, conv) in enumerate(zip(dialogues, convs, strict=True)):
        _, _, used = actions_and_decisions(conv)
        pool, order, vectors, _, feats = key_point_candidates(conv, used, folds[k % STEM_FOLDS])
        texts = [conv.about(pool[i]) for i in order]
        if cases is not None and order:
            cases.append(Case(d.reference, len(conv.messages), order, vectors, feats, dict(zip(order, texts,
                                                                                            strict=True))))
        best = set(oracle_choice(texts, d.reference, TOP_K, scorer._tokenizer.tokenize)) if target != "rouge" else set()
        for pos, i in enumerate(order):
            xs.append(feats[i])
            r1 = scorer.score(d.reference, texts[pos])["rouge1"].fmeasure if target != "oracle" else 0.0
            hit = 1.0 if pos in best else 0.0
            ys.append(r1 if target == "rouge" else hit if target == "oracle" else (r1 + hit) / 2)
    return xs, ys, fit_stem_scores(counted)


def gain_rows(cases: Sequence[Case], weights: Sequence[float]) -> tuple[list[list[float]], list[float]]:
    """For the second and third key point the engine would pick in each case: the gain model's features and
    what adding it changed the ROUGE-1 F1 of the summary so far by."""
    from rouge_score import rouge_scorer  # the eval extra

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    xs: list[list[float]] = []
    ys: list[float] = []
    for case in cases:
        learned = learned_scores(case.order, case.feats, tuple(weights))
        scores = scaled(learned)
        chosen = mmr(case.order, scores, case.vectors, point_limit(case.messages, TOP_K), lam=MMR_LAMBDA)
        tokens = {i: token_count(case.texts[i]) for i in chosen}

        def f1(picked: list[int], case: Case = case) -> float:
            text = " ".join(case.texts[i] for i in sorted(picked))
            return float(scorer.score(case.reference, text)["rouge1"].fmeasure)

        for step in range(1, min(len(chosen), GAIN_STEPS + 1)):
            xs.append(gain_features(step, chosen, learned, scores, case.feats, case.vectors, tokens, case.messages))
            ys.append(f1(chosen[: step + 1]) - f1(chosen[:step]))
    return xs, ys


def fit_ridge(xs: Sequence[Sequence[float]], ys: Sequence[float], alpha: float = 1.0) -> list[float]:
    import numpy as np

    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    reg = alpha * np.eye(x.shape[1])
    reg[0, 0] = 0.0  # no penalty on the bias
    w = np.linalg.solve(x.T @ x + reg, x.T @ y)
    return [round(float(v), 6) for v in w]


def train_keypoints(args: argparse.Namespace) -> int:
    dialogues: list[Dialogue] = []
    for spec in args.sources:
        name, _, path = spec.partition("=")
        loaded = LOADERS[name](Path(path))
        dialogues += select_half(loaded, args.half)
    cases: list[Case] = []
    xs, ys, stems = keypoint_rows(dialogues, args.target, cases)
    weights = fit_ridge(xs, ys)
    gain_xs, gain_ys = gain_rows(cases, weights)
    gain = fit_ridge(gain_xs, gain_ys)
    payload = {"model": "keypoints", "half": args.half, "sources": [Path(s.partition("=")[2]).name
                                                                    for s in args.sources], "weights": weights,
               "gain": gain, "stems": stems}
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(dialogues)} dialogues, {len(xs)} candidate sentences; wrote {len(weights)} weights, "
                     f"{len(gain)} gain weights ({len(gain_xs)} later picks) and {len(stems)} stem scores "
                     f"to {args.out}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "keypoints":
        kp = argparse.ArgumentParser(prog="python -m bot.summary.train keypoints")
        kp.add_argument("sources", nargs="+", help="NAME=PATH with NAME samsum, dialogsum or ami")
        kp.add_argument("--half", choices=["even", "odd", "all"], default="even")
        kp.add_argument("--out", type=Path, default=RANK_WEIGHTS_PATH)
        kp.add_argument("--target", choices=["rouge", "oracle", "both"], default="oracle")
        return train_keypoints(kp.parse_args(argv[1:]))
    parser = argparse.ArgumentParser(prog="python -m bot.summary.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("model", choices=["intent"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--extra", type=Path, action="append", default=[],
                        help="labelled lines for training only (the shipped model adds the chat training half)")
    parser.add_argument("--extra-weight", type=int, default=1, help="how many times each extra line counts")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=TrainConfig().seed)
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    args = parser.parse_args(argv)
    config = replace(TrainConfig(), seed=args.seed)
    samples = intent_samples(args.path)
    extra = [s for p in args.extra for s in intent_samples(p)] * max(1, args.extra_weight)
    out = sys.stdout
    out.write(f"{len(samples)} sentences ({sum(g for _, g in samples)} Yes) from {args.path.name}"
              f"{f', plus {len(extra)} for training only' if extra else ''}\n")
    if not args.no_cv and args.folds > 1:
        scores = cross_validate(samples, args.folds, config, extra)
        for k, (p, r, f1) in enumerate(scores, 1):
            out.write(f"fold {k}: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}\n")
        mean = [statistics.fmean(s[i] for s in scores) for i in range(3)]
        out.write(f"{args.folds}-fold CV (seed {config.seed}): precision {mean[0]:.3f}  recall {mean[1]:.3f}  "
                  f"F1 {mean[2]:.3f}\n")
    weights = train([*samples, *extra], config)
    payload = {"model": "intent", "seed": config.seed, "epochs": config.epochs, "threshold": 0.5,
               "weights": dict(sorted(weights.items()))}
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    out.write(f"wrote {len(weights)} weights to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
