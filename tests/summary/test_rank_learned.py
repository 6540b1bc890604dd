"""The learned key-point scorer: its shipped file, its use on chats and not on long meetings, retraining."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.summary import offline
from bot.summary.offline import _Run
from bot.summary.rank import RANK_WEIGHTS_PATH, rank_weights
from bot.summary.train import fit_ridge
from bot.summary.train import main as train_main
from tests.summary.chat import MAYA, SAM, chat

_SHARED = Path(__file__).resolve().parents[3] / "shared/eval"
SAMSUM = Path(os.environ.get("SAMSUM_VALIDATION", _SHARED / "samsum/validation.jsonl"))
DIALOGSUM = Path(os.environ.get("DIALOGSUM_DEV", _SHARED / "dialogsum/dev.jsonl"))

CONVERSATION = chat(
    (MAYA, "What budget do we have for the ads campaign next month?"),
    (SAM, "We have about 2000 euros for the ads, the rest went to the venue."),
    (MAYA, "Then let's spend half of it on the search ads and half on video."),
    (SAM, "Fine by me, I'll set up the search ads on Monday."),
    (MAYA, "The coffee machine is broken again by the way."),
)


def test_shipped_weights_match_the_features() -> None:
    weights = rank_weights()
    assert weights is not None
    run = _Run(CONVERSATION, 3)
    _, _, used = run._actions_and_decisions()
    _pool, order, _, _, feats = run._key_point_candidates(used)
    assert order
    assert all(len(feats[i]) == len(weights) for i in order)


def test_learned_scorer_is_used_for_chats_and_not_for_long_meetings(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    shipped = rank_weights()

    def recording() -> tuple[float, ...] | None:
        calls.append(1)
        return shipped

    monkeypatch.setattr(offline, "rank_weights", recording)
    first = offline.summarize(CONVERSATION, max_key_points=2).key_points
    assert calls == [1]
    assert len(first) == 2
    assert offline.summarize(CONVERSATION, max_key_points=2).key_points == first  # deterministic
    calls.clear()
    monkeypatch.setattr(offline, "LEARNED_MAX_UNITS", 3)
    assert len(offline.summarize(CONVERSATION, max_key_points=2).key_points) == 2
    assert calls == []


def test_ridge_fit_recovers_a_linear_target() -> None:
    xs = [[1.0, float(i), float(i % 3)] for i in range(30)]
    ys = [0.5 + 2.0 * x[1] - 1.0 * x[2] for x in xs]
    w = fit_ridge(xs, ys, alpha=1e-9)
    assert w == pytest.approx([0.5, 2.0, -1.0], abs=1e-4)


@pytest.mark.skipif(not (SAMSUM.exists() and DIALOGSUM.exists()), reason="the dialogue data sets are not here")
def test_retraining_reproduces_the_shipped_weights(tmp_path: Path) -> None:
    out = tmp_path / "rank.json"
    assert train_main(["keypoints", f"samsum={SAMSUM}", f"dialogsum={DIALOGSUM}", "--out", str(out)]) == 0
    retrained = json.loads(out.read_text())["weights"]
    shipped = json.loads(RANK_WEIGHTS_PATH.read_text())["weights"]
    assert retrained == pytest.approx(shipped, abs=1e-5)
