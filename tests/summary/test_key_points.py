"""Key points: linked, third person, free of chit-chat; the learned scorer (its shipped file, its use on chats
and not on long meetings, retraining)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.summary import key_points, offline
from bot.summary.action_items import actions_and_decisions
from bot.summary.conversation import Conversation
from bot.summary.models import Bullet
from bot.summary.offline import OfflineEngine
from bot.summary.rank import RANK_WEIGHTS_PATH, gain_weights, rank_weights, stem_scores
from bot.summary.train import fit_ridge, fit_stem_scores
from bot.summary.train import main as train_main
from tests.summary.chat import MAYA, PRIYA, SAM, TOM, chat, url

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
    conv = Conversation(CONVERSATION)
    _, _, used = actions_and_decisions(conv)
    _pool, order, _, _, feats = key_points.key_point_candidates(conv, used)
    assert order
    assert all(len(feats[i]) == len(weights) for i in order)
    gain = gain_weights()
    assert gain is not None
    learned = key_points.learned_scores(order, feats, weights)
    chosen = order[:2]
    scores = key_points.scaled(learned)
    x = key_points.gain_features(1, chosen, learned, scores, feats, _vectors(conv, used), {i: 5 for i in chosen}, 5)
    assert len(x) == len(gain)
    assert stem_scores()  # the stem table ships with the weights


def _vectors(conv: Conversation, used: set[int]) -> list[dict[str, float]]:
    return key_points.key_point_candidates(conv, used)[2]


def test_stem_scores_favour_what_summaries_repeat() -> None:
    # "venue" is said in four chats and every summary repeats it; "lol" in four and none does; "rare" in two
    counted = [({"venue", "lol", "rare"}, {"venue"}), ({"venue", "lol", "rare"}, {"venue"}),
               ({"venue", "lol"}, {"venue"}), ({"venue", "lol"}, {"venue"})]
    scores = fit_stem_scores(counted)
    assert scores["venue"] > 0 > scores["lol"]
    assert "rare" not in scores  # seen in fewer than three chats: no score
    assert fit_stem_scores(counted) == scores  # deterministic


def test_the_gain_model_decides_on_the_second_and_third_key_point(monkeypatch: pytest.MonkeyPatch) -> None:
    gain = gain_weights()
    assert gain is not None
    monkeypatch.setattr(key_points, "gain_weights", lambda: (-1.0,) + (0.0,) * (len(gain) - 1))
    assert len(offline.summarize(CONVERSATION, max_key_points=3).key_points) == 1
    monkeypatch.setattr(key_points, "gain_weights", lambda: (1.0,) + (0.0,) * (len(gain) - 1))
    assert len(offline.summarize(CONVERSATION, max_key_points=3).key_points) == 3
    monkeypatch.setattr(key_points, "gain_weights", lambda: None)
    assert len(offline.summarize(CONVERSATION, max_key_points=3).key_points) == 3


def test_a_chat_of_four_messages_gets_at_most_two_key_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_points, "gain_weights", lambda: None)
    assert len(offline.summarize(CONVERSATION[:4], max_key_points=3).key_points) == 2
    assert len(offline.summarize(CONVERSATION, max_key_points=3).key_points) == 3


def test_learned_scorer_is_used_for_chats_and_not_for_long_meetings(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    shipped = rank_weights()

    def recording() -> tuple[float, ...] | None:
        calls.append(1)
        return shipped

    monkeypatch.setattr(key_points, "rank_weights", recording)
    first = offline.summarize(CONVERSATION, max_key_points=2).key_points
    assert calls == [1]
    assert len(first) == 2
    assert offline.summarize(CONVERSATION, max_key_points=2).key_points == first  # deterministic
    calls.clear()
    monkeypatch.setattr(key_points, "LEARNED_MAX_UNITS", 3)
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
    retrained = json.loads(out.read_text())
    shipped = json.loads(RANK_WEIGHTS_PATH.read_text())
    assert retrained["weights"] == pytest.approx(shipped["weights"], abs=1e-5)
    assert retrained["gain"] == pytest.approx(shipped["gain"], abs=1e-5)
    assert retrained["stems"] == pytest.approx(shipped["stems"], abs=1e-4)


def test_key_points_are_linked_third_person_and_free_of_chitchat() -> None:
    messages = chat(
        (MAYA, "hey all"),
        (MAYA, "I booked the community hall for the spring meetup on April 12."),
        (SAM, "haha nice 😂"),
        (PRIYA, "The hall fits about 80 people, so we need to cap registrations at 80."),
        (SAM, "ok"),
        (TOM, "I will ask two local speakers about talks on accessibility and open source."),
        (SAM, "thanks!"),
    )
    summary = OfflineEngine(max_key_points=3).summarize(messages)
    assert summary.key_points == (
        Bullet("Maya booked the community hall for the spring meetup on April 12.", 101, url(101)),
        Bullet("Priya: The hall fits about 80 people, so we need to cap registrations at 80.", 103, url(103)),
        Bullet("Tom will ask two local speakers about talks on accessibility and open source.", 105, url(105)),
    )


def test_in_a_long_meeting_a_continuing_sentence_joins_the_one_before(monkeypatch: pytest.MonkeyPatch) -> None:
    messages = chat(
        (MAYA, "We could make the case out of rubber."),
        (MAYA, "but it costs more than plastic."),
        (SAM, "And the buttons?"),
        (SAM, "so what do we do"),
    )
    conv = Conversation(messages)
    assert key_points._joined(conv) == conv.units  # a chat keeps its sentences
    monkeypatch.setattr(key_points, "LEARNED_MAX_UNITS", 2)
    joined = key_points._joined(conv)
    assert [u.text for u in joined] == [
        "We could make the case out of rubber but it costs more than plastic.",
        "And the buttons?",
        "so what do we do",
    ]
    assert joined[0].n_tokens == conv.units[0].n_tokens + conv.units[1].n_tokens


def test_ranking_features_mark_first_person_plans_and_laughter() -> None:
    from bot.summary.key_points import _FIRST_PERSON, _LAUGH, _PLAN

    assert _FIRST_PERSON.match("Oh, I'll bring the cookies")
    assert not _FIRST_PERSON.match("Tom brought the cookies")
    assert _PLAN.search("we're going to meet at 5")
    assert _LAUGH.search("they put it next to eggs lol")
    assert not _LAUGH.search("the lollipop is gone")
