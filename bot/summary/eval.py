"""Measure the summary engine on public data sets.

    python -m bot.summary.eval samsum PATH      # SAMSum JSONL: {"context", "response"}
    python -m bot.summary.eval dialogsum PATH   # DialogSum JSONL: {"dialogue", "summary"}
    python -m bot.summary.eval ami PATH         # AMI JSONL: {"turns": [{"speaker", "role", "text"}], "summary"}
    python -m bot.summary.eval intent PATH      # TSV: Yes|No <TAB> sentence

For the dialogue sets it prints ROUGE-1/2/L F1 x100 (``rouge-score``, stemming on) of the engine's three
top key points, joined, against the reference, next to the LEAD-3 and LONGEST-3 baselines (first three and
longest three utterances, with their speaker names). For ``intent`` it prints precision, recall and F1 of
the engine's learned sentence-level action-item classifier and of the rules alone. Needs the ``eval``
extra (``rouge-score``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.summary.detect import detect_action, is_action_sentence
from bot.summary.intent import prf, read_tsv
from bot.summary.models import ChatMessage
from bot.summary.offline import summarize

BASE_TIME = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
AMI_ROLES = {"PM": "Project Manager", "ME": "Marketing Expert", "UI": "User Interface Designer",
             "ID": "Industrial Designer"}
TOP_K = 3


@dataclass(frozen=True)
class Dialogue:
    utterances: list[tuple[str, str]]  # (speaker, text)
    reference: str


def to_messages(utterances: Sequence[tuple[str, str]]) -> list[ChatMessage]:
    """Speaker names become authors (ids in order of appearance); one message a minute, UTC."""
    ids: dict[str, int] = {}
    out: list[ChatMessage] = []
    for i, (speaker, text) in enumerate(utterances):
        author = ids.setdefault(speaker, len(ids) + 1)
        out.append(
            ChatMessage(
                id=i + 1,
                author_id=author,
                author_name=speaker,
                created_at=BASE_TIME + timedelta(minutes=i),
                content=text,
                jump_url=f"https://discord.com/channels/1/2/{i + 1}",
            )
        )
    return out


_LINE = re.compile(r"^\s*(?P<speaker>[^:]{1,40}?)\s*:\s?(?P<text>.*)$")


def _split_lines(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        m = _LINE.match(line)
        if m:
            out.append((m.group("speaker").strip(), m.group("text").strip()))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + " " + line.strip())
    return out


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_samsum(path: Path) -> list[Dialogue]:
    return [Dialogue(_split_lines(str(r["context"])), str(r["response"])) for r in _jsonl(path)]


def load_dialogsum(path: Path) -> list[Dialogue]:
    return [Dialogue(_split_lines(str(r["dialogue"])), str(r["summary"])) for r in _jsonl(path)]


def load_ami(path: Path) -> list[Dialogue]:
    out = []
    for r in _jsonl(path):
        turns = r["turns"]
        assert isinstance(turns, list)
        utterances = [(AMI_ROLES.get(str(t.get("role")), str(t.get("speaker"))), str(t["text"])) for t in turns]
        summary = r["summary"]
        reference = " ".join(summary) if isinstance(summary, list) else str(summary)
        out.append(Dialogue(utterances, reference))
    return out


def rapport_top(d: Dialogue) -> str:
    summary = summarize(to_messages(d.utterances), max_key_points=TOP_K)
    return " ".join(b.text for b in summary.key_points[:TOP_K])


def lead3(d: Dialogue) -> str:
    return " ".join(f"{s}: {t}" for s, t in d.utterances[:TOP_K])


def longest3(d: Dialogue) -> str:
    lines = [f"{s}: {t}" for s, t in d.utterances]
    keep = set(sorted(range(len(lines)), key=lambda i: -len(lines[i]))[:TOP_K])
    return " ".join(line for i, line in enumerate(lines) if i in keep)


def rouge_table(dialogues: Sequence[Dialogue]) -> list[tuple[str, float, float, float, float]]:
    from rouge_score import rouge_scorer  # the eval extra

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems: list[tuple[str, Callable[[Dialogue], str]]] = [
        ("Rapport", rapport_top), ("LEAD-3", lead3), ("LONGEST-3", longest3)
    ]
    rows = []
    for name, system in systems:
        totals = [0.0, 0.0, 0.0]
        started = time.perf_counter()
        for d in dialogues:
            scores = scorer.score(d.reference, system(d))
            totals[0] += scores["rouge1"].fmeasure
            totals[1] += scores["rouge2"].fmeasure
            totals[2] += scores["rougeL"].fmeasure
        elapsed = time.perf_counter() - started
        n = max(1, len(dialogues))
        rows.append((name, 100 * totals[0] / n, 100 * totals[1] / n, 100 * totals[2] / n, elapsed))
    return rows


def intent_scores(path: Path) -> list[tuple[str, int, float, float, float]]:
    """Precision, recall and F1 of the learned classifier the engine runs, and of the rules alone."""
    rows = read_tsv(path)
    golds = [gold for _, gold in rows]
    out = []
    for name, guess in (("learned", is_action_sentence), ("rules", lambda s: detect_action(s) is not None)):
        p, r, f1 = prf(golds, [guess(sentence) for sentence, _ in rows])
        out.append((name, len(rows), p, r, f1))
    return out


LOADERS: dict[str, Callable[[Path], list[Dialogue]]] = {
    "samsum": load_samsum, "dialogsum": load_dialogsum, "ami": load_ami,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.summary.eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", choices=[*LOADERS, "intent"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N dialogues")
    args = parser.parse_args(argv)
    out = sys.stdout
    if args.dataset == "intent":
        scores = intent_scores(args.path)
        out.write(f"action-item detection on {scores[0][1]} sentences ({args.path.name})\n")
        for name, _, p, r, f1 in scores:
            out.write(f"{name:<8} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}\n")
        out.write("(a file the shipped model was trained on measures fit, not generalisation: use "
                  "python -m bot.summary.train for cross-validated figures)\n")
        return 0
    dialogues = LOADERS[args.dataset](args.path)
    if args.limit:
        dialogues = dialogues[: args.limit]
    out.write(f"{args.dataset}: {len(dialogues)} dialogues ({args.path.name}); ROUGE F1 x100 of the top {TOP_K}\n")
    out.write(f"{'system':<10} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'seconds':>8}\n")
    for name, r1, r2, rl, secs in rouge_table(dialogues):
        out.write(f"{name:<10} {r1:6.2f} {r2:6.2f} {rl:6.2f} {secs:8.2f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
