"""The learned action-item classifier: its shipped file, determinism, retraining, and chat it never saw."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.summary import intent
from bot.summary.action_cues import is_action_sentence, rule_kind
from bot.summary.intent import TrainConfig, features, load_model, prf, read_tsv, train
from bot.summary.train import intent_samples
from bot.summary.train import main as train_main

DATA = Path(__file__).parent / "data"
_DEFAULT_EMAIL = Path(__file__).resolve().parents[3] / "shared/eval/email_intent/train.tsv"
EMAIL = Path(os.environ.get("INTENT_TRAIN_TSV", _DEFAULT_EMAIL))


def test_shipped_model_loads_once_and_is_small() -> None:
    model = load_model()
    assert load_model() is model
    assert 1000 < len(model.weights) < 50_000
    assert intent.WEIGHTS_PATH.stat().st_size < 1_000_000
    assert 0.0 < model.threshold < 1.0


def test_predictions_are_deterministic() -> None:
    sentences = [s for s, _ in read_tsv(DATA / "chat_intent_test.tsv")]
    first = [intent.action_probability(s, rule_kind(s)) for s in sentences]
    second = [intent.action_probability(s, rule_kind(s)) for s in sentences]
    assert first == second
    assert len(set(first)) > 50


def test_training_is_deterministic_for_a_seed() -> None:
    samples = intent_samples(DATA / "chat_intent_train.tsv")
    a = train(samples, TrainConfig(seed=3))
    b = train(samples, TrainConfig(seed=3))
    c = train(samples, TrainConfig(seed=4))
    assert a == b
    assert a != c


def test_features_include_the_rule_verdict() -> None:
    assert "rule:commitment" in features("I'll send it", "commitment")
    assert "rule:none" in features("lol", None)
    assert "t:send the slides" in features("I'll send the slides tonight", "commitment")


@pytest.mark.skipif(not EMAIL.exists(), reason="the e-mail intent data set is not on this machine")
def test_retraining_reproduces_the_shipped_weights(tmp_path: Path) -> None:
    out = tmp_path / "w.json"
    assert train_main(["intent", str(EMAIL), "--extra", str(DATA / "chat_intent_train.tsv"), "--no-cv",
                       "--out", str(out)]) == 0
    retrained = json.loads(out.read_text())["weights"]
    shipped = load_model().weights
    assert set(retrained) == set(shipped)
    assert max(abs(retrained[k] - shipped[k]) for k in shipped) < 1e-4


def test_held_out_chat_sentences() -> None:
    """The held-out half of the chat set: never used in training."""
    rows = read_tsv(DATA / "chat_intent_test.tsv")
    assert len(rows) >= 150
    golds = [g for _, g in rows]
    precision, recall, f1 = prf(golds, [is_action_sentence(s) for s, _ in rows])
    assert f1 >= 0.84, (precision, recall, f1)


def test_chat_set_is_large_and_balanced() -> None:
    rows = read_tsv(DATA / "chat_intent_train.tsv") + read_tsv(DATA / "chat_intent_test.tsv")
    assert len(rows) >= 300
    yes = sum(g for _, g in rows)
    assert 0.4 <= yes / len(rows) <= 0.6
    assert len({s.lower() for s, _ in rows}) == len(rows)
