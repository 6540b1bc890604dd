"""The evaluation command's plumbing, on tiny files written here (no public data in the repository)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.summary import eval as ev


def test_dialogue_lines_become_messages_a_minute_apart(tmp_path: Path) -> None:
    path = tmp_path / "chats.jsonl"
    rows = [{"context": "Ann: I'll bake a cake for Sunday.\r\nBo: Great!\r\nAnn: Can you bring candles?\r\ntoo",
             "response": "Ann will bake a cake and Bo will bring candles."}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    (dialogue,) = ev.load_samsum(path)
    assert dialogue.utterances == [
        ("Ann", "I'll bake a cake for Sunday."), ("Bo", "Great!"), ("Ann", "Can you bring candles? too"),
    ]
    messages = ev.to_messages(dialogue.utterances)
    assert [(m.id, m.author_id, m.author_name) for m in messages] == [(1, 1, "Ann"), (2, 2, "Bo"), (3, 1, "Ann")]
    assert messages[1].created_at - messages[0].created_at == timedelta(minutes=1)
    assert ev.lead3(dialogue) == "Ann: I'll bake a cake for Sunday. Bo: Great! Ann: Can you bring candles? too"
    assert ev.rapport_top(dialogue) == "Ann will bake a cake for Sunday. Ann wants Bo to bring candles."


def test_dialogsum_and_ami_loaders(tmp_path: Path) -> None:
    ds = tmp_path / "d.jsonl"
    ds.write_text(json.dumps({"fname": "x", "dialogue": "#Person1#: Hi.\n#Person2#: Hello there.",
                              "summary": "They greet.", "topic": "greeting"}), encoding="utf-8")
    assert ev.load_dialogsum(ds)[0].utterances == [("#Person1#", "Hi."), ("#Person2#", "Hello there.")]
    ami = tmp_path / "a.jsonl"
    ami.write_text(json.dumps({"id": "m1", "turns": [{"speaker": "A", "role": "PM", "text": "Let's start ."},
                                                     {"speaker": "B", "role": "XX", "text": "Okay ."}],
                               "summary": ["One.", "Two."]}), encoding="utf-8")
    (meeting,) = ev.load_ami(ami)
    assert meeting.utterances == [("Project Manager", "Let's start ."), ("B", "Okay .")]
    assert meeting.reference == "One. Two."


def test_intent_scores(tmp_path: Path) -> None:
    path = tmp_path / "intent.tsv"
    path.write_text(
        "Yes\tCan you send me the report by Friday?\n"
        "Yes\tI'll call the supplier tomorrow.\n"
        "Yes\tThe weather is lovely.\n"
        "No\tLet's meet at noon.\n"
        "No\tThe report was long.\n",
        encoding="utf-8",
    )
    scores = {name: (n, p, r, f1) for name, n, p, r, f1 in ev.intent_scores(path)}
    assert set(scores) == {"learned", "rules"}
    n, precision, recall, f1 = scores["rules"]
    assert n == 5
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 3)
    assert f1 == pytest.approx(2 / 3)
    assert scores["learned"][0] == 5


def test_main_prints_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("rouge_score")
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps({"context": "Ann: I'll bake a cake for Sunday.\nBo: Great, I'll bring candles.",
                                "response": "Ann will bake a cake for Sunday and Bo will bring candles."}),
                    encoding="utf-8")
    assert ev.main(["samsum", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["system", "R-1", "R-2", "R-L", "seconds"]
    assert [line.split()[0] for line in out[2:6]] == ["Rapport", "LEAD-3", "LONGEST-3", "ORACLE-3"]


def test_samsum_native_format_and_dialogsum_references(tmp_path: Path) -> None:
    native = tmp_path / "s.jsonl"
    native.write_text(json.dumps({"id": "1", "dialogue": "Ann: Hi.\r\nBo: Hello.", "summary": "They greet."}),
                      encoding="utf-8")
    (d,) = ev.load_samsum(native)
    assert d.utterances == [("Ann", "Hi."), ("Bo", "Hello.")]
    assert d.reference == "They greet."
    test = tmp_path / "d.jsonl"
    test.write_text(json.dumps({"fname": "t", "dialogue": "#Person1#: Hi.", "summary1": "A.", "summary2": "B.",
                                "summary3": "C."}), encoding="utf-8")
    (t,) = ev.load_dialogsum(test)
    assert t.reference == "A."
    assert t.references == ["A.", "B.", "C."]


def test_oracle_picks_the_lines_that_match_the_reference() -> None:
    lines = ["Ann: hi", "Bo: the cake is for sunday", "Ann: lol", "Bo: candles from the shop", "Ann: ok"]
    chosen = ev.oracle_choice(lines, "Bo buys candles from the shop for the sunday cake", 3, str.split)
    assert chosen == [1, 3]  # a third line would only lower the score


def test_multi_reference_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("rouge_score")
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"fname": "t", "dialogue": "#Person1#: I'll bake a cake.\n#Person2#: Great.",
                                "summary1": "Nothing alike.", "summary2": "Person1 will bake a cake."}),
                    encoding="utf-8")
    assert ev.main(["dialogsum", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["system", "R-1", "R-2", "R-L", "seconds", "R-1", "multi-ref"]
    rapport = out[2].split()
    assert float(rapport[-1]) > float(rapport[1])  # the second reference matches better than the first
