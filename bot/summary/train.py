"""Train the summary engine's learned parts from labelled data.

    python -m bot.summary.train intent PATH [--extra FILE] [--out FILE] [--folds 5] [--seed 13]

``intent`` reads a TSV of ``Yes|No <TAB> sentence`` lines, prints the cross-validated precision, recall
and F1 (folds fixed by the seed; each fold is scored by a model that never saw it), then trains on every
line (plus the ``--extra`` lines, repeated ``--extra-weight`` times: they join every training fold and are
never scored) and writes the weights (by default the file the engine ships and loads).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.summary.detect import rule_kind
from bot.summary.intent import WEIGHTS_PATH, TrainConfig, cross_validate, features, read_tsv, train


def intent_samples(path: Path) -> list[tuple[list[str], bool]]:
    return [(features(sentence, rule_kind(sentence)), gold) for sentence, gold in read_tsv(path)]


def main(argv: Sequence[str] | None = None) -> int:
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
