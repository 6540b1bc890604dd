"""The digest and the CSV export, built from plain values."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.checkins.digest import build_digest, export_csv, mood_summary
from bot.checkins.models import HistoryEntry
from tests.checkins._data import T0, answer, run

NAMES = {1: "Alice", 2: "Bob", 3: "Cara", 4: "Dev", 5: "Eve"}


def fields(digest: object) -> dict[str, str]:
    return dict(digest.fields)  # type: ignore[attr-defined]


def test_counts_answers_blockers_and_not_heard_from() -> None:
    answers = [
        answer(1, "Shipped login", "Billing", "Waiting on the API key", mood=4),
        answer(2, "Reviews", "Docs", "none", mood=3, minutes=5),
        answer(3, status="skipped", source="button"),
    ]
    digest = build_digest(run(), answers, participants={1, 2, 3, 4, 5}, away={5}, names=NAMES,
                          missing_mode="count")
    assert digest.answered == 2
    assert digest.expected == 4  # Eve is away and didn't answer
    assert digest.not_heard_from == (4,)
    assert "**2 of 4** answered · 1 skipped this time" in digest.description
    assert "**Alice** · mood 4/5" in digest.description
    assert "Shipped login" in digest.description and "Docs" in digest.description
    assert digest.description.index("Alice") < digest.description.index("Bob")
    assert fields(digest)["Blockers"] == "• **Alice**: Waiting on the API key"
    assert fields(digest)["Not heard from"] == "1 member this time."
    assert "Dev" not in digest.description and "Eve" not in str(digest.fields)
    assert digest.attachment is None


def test_missing_names_and_off() -> None:
    answers = [answer(1, "x", "", "", mood=None)]
    named = build_digest(run(), answers, participants={1, 2, 4}, away=set(), names=NAMES, missing_mode="names")
    assert fields(named)["Not heard from"] == "Bob, Dev"
    assert "<@" not in str(named.fields)
    off = build_digest(run(), answers, participants={1, 2, 4}, away=set(), names=NAMES, missing_mode="off")
    assert "Not heard from" not in fields(off)
    everyone = build_digest(run(), answers, participants={1}, away=set(), names=NAMES, missing_mode="count")
    assert fields(everyone)["Not heard from"] == "Everyone expected was heard from."


def test_anonymous_mood_hidden_below_three_and_never_per_member() -> None:
    anon = run(anonymous_mood=True)
    two = [answer(1, "a", mood=5), answer(2, "b", mood=1)]
    digest = build_digest(anon, two, participants={1, 2}, away=set(), names=NAMES, missing_mode="count")
    assert "Kept private" in fields(digest)["Mood"]
    assert "mood 5/5" not in digest.description and "mood 1/5" not in digest.description
    three = [*two, answer(3, "c", mood=3)]
    digest = build_digest(anon, three, participants={1, 2, 3}, away=set(), names=NAMES, missing_mode="count")
    mood = fields(digest)["Mood"]
    assert "Average **3.0** / 5 from 3 people" in mood
    assert "`5 Great` █" in mood and "`2 Low  `  0" in mood
    assert "mood" not in digest.description


def test_mood_summary_numbers() -> None:
    summary = mood_summary([answer(1, mood=4), answer(2, mood=4), answer(3, mood=1), answer(4, "x")], False)
    assert summary.count == 3 and summary.average == 3.0
    assert dict(summary.distribution) == {5: 0, 4: 2, 3: 0, 2: 0, 1: 1}


def test_long_answers_are_attached_in_full_not_lost() -> None:
    long_text = "word " * 900
    answers = [answer(uid, long_text, "next", "blocked by " + "x" * 1500) for uid in (1, 2, 3)]
    digest = build_digest(run(), answers, participants={1, 2, 3}, away=set(), names=NAMES, missing_mode="count")
    assert digest.attachment is not None
    name, text = digest.attachment
    assert name.endswith(".md") and name.startswith("stand-up-")
    assert text.count(long_text.strip()) == 3
    assert len(digest.description) <= 4096
    assert all(len(value) <= 1024 for _, value in digest.fields)
    total = len(digest.title) + len(digest.description) + sum(len(n) + len(v) for n, v in digest.fields)
    assert total <= 6000
    assert "attached file" in digest.description


def test_thread_replies_missed_runs_late_and_mentions_neutralised() -> None:
    answers = [answer(1, "@everyone I'm stuck on <@&123> stuff", source="thread")]
    missed = [T0 - timedelta(days=d) for d in range(7, 0, -1)]
    digest = build_digest(run(late=True), answers, participants=set(), away=set(), names=NAMES,
                          missing_mode="count", missed=missed)
    assert "(reply in the thread)" in digest.description
    assert "@everyone" not in digest.description.replace("@\u200beveryone", "")
    assert "Posted late" in digest.description
    assert "and 2 earlier" in fields(digest)["Missed while offline"]
    assert "Alice" in fields(digest)["Blockers"]


def test_no_answers_is_said_kindly() -> None:
    digest = build_digest(run(), [], participants={1, 2}, away=set(), names=NAMES, missing_mode="count")
    assert "No answers this time, and that's okay." in digest.description
    assert digest.expected == 2 and digest.not_heard_from == (1, 2)


def test_export_csv_one_row_per_answer_and_anonymous_mood_blank() -> None:
    entries = [
        HistoryEntry(run(), answer(1, "=cmd()", "", "none", mood=4)),
        HistoryEntry(run(anonymous_mood=True), answer(2, "a", "b", "", mood=2)),
        HistoryEntry(run(), answer(3, "free text", source="thread")),
    ]
    rows = list(csv.reader(io.StringIO(export_csv(entries, NAMES))))
    assert rows[0] == ["run_time", "member_id", "member", "question", "answer", "mood", "answered_at"]
    assert len(rows) == 1 + 2 + 2 + 1
    assert rows[1][2:6] == ["Alice", "What did you get done since the last check-in?", "'=cmd()", "4"]
    assert rows[3][1] == "2" and rows[3][5] == ""
    assert rows[5][3] == "(reply in the thread)" and rows[5][4] == "free text"
    assert rows[1][0] == T0.isoformat()
