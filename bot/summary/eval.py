"""Measure the summary engine on public data sets.

    python -m bot.summary.eval samsum PATH      # SAMSum JSONL: {"dialogue", "summary"} or {"context", "response"}
    python -m bot.summary.eval dialogsum PATH   # DialogSum JSONL: {"dialogue", "summary"} or summary1..3
    python -m bot.summary.eval ami PATH         # AMI JSONL: {"turns": [{"speaker", "role", "text"}], "summary"}
    python -m bot.summary.eval intent PATH      # TSV: Yes|No <TAB> sentence

For the dialogue sets it prints ROUGE-1/2/L F1 x100 (``rouge-score``, stemming on) of the engine's three
top key points, joined, against the reference, next to the LEAD-3 and LONGEST-3 baselines (first three and
longest three utterances, with their speaker names) and the greedy extractive oracle (the three utterances
that best match the reference: a ceiling for any extractive choice). Scores are against the first
reference; with several (DialogSum test) the best-of-references R-1 is printed too. For ``intent`` it prints
precision, recall and F1 of the engine's learned sentence-level action-item classifier and of the rules
alone. Needs the ``eval`` extra (``rouge-score``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.summary.action_cues import detect_action, is_action_sentence
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
    reference: str  # the first reference: what the main figures are scored against
    others: tuple[str, ...] = ()  # further references (DialogSum test has three)

    @property
    def references(self) -> list[str]:
        return [self.reference, *self.others]


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
    """SAMSum as ``{"dialogue", "summary"}`` (its own release) or ``{"context", "response"}``."""
    out = []
    for r in _jsonl(path):
        text = r["dialogue"] if "dialogue" in r else r["context"]
        summary = r["summary"] if "summary" in r else r["response"]
        out.append(Dialogue(_split_lines(str(text)), str(summary)))
    return out


def _references(r: dict[str, object]) -> list[str]:
    """``summary``, or ``summary1``, ``summary2``, ... (DialogSum's test split), in order."""
    refs = [str(r["summary"])] if "summary" in r else []
    k = 1
    while f"summary{k}" in r:
        refs.append(str(r[f"summary{k}"]))
        k += 1
    return refs


def load_dialogsum(path: Path) -> list[Dialogue]:
    out = []
    for r in _jsonl(path):
        refs = _references(r)
        out.append(Dialogue(_split_lines(str(r["dialogue"])), refs[0], tuple(refs[1:])))
    return out


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


def select_half(dialogues: Sequence[Dialogue], half: str) -> list[Dialogue]:
    """``even`` or ``odd``-numbered dialogues (0-based), or ``all``: the key-point scorer trains on one half."""
    if half == "all":
        return list(dialogues)
    start = 0 if half == "even" else 1
    return list(dialogues[start::2])


def rapport_top(d: Dialogue) -> str:
    summary = summarize(to_messages(d.utterances), max_key_points=TOP_K)
    return " ".join(b.text for b in summary.key_points[:TOP_K])


def lead3(d: Dialogue) -> str:
    return " ".join(f"{s}: {t}" for s, t in d.utterances[:TOP_K])


def longest3(d: Dialogue) -> str:
    lines = [f"{s}: {t}" for s, t in d.utterances]
    keep = set(sorted(range(len(lines)), key=lambda i: -len(lines[i]))[:TOP_K])
    return " ".join(line for i, line in enumerate(lines) if i in keep)


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _f(overlap: int, predicted: int, reference: int) -> float:
    if not overlap or not predicted or not reference:
        return 0.0
    p, r = overlap / predicted, overlap / reference
    return 2 * p * r / (p + r)


def oracle_choice(lines: Sequence[str], reference: str, k: int, tokenize: Callable[[str], list[str]]) -> list[int]:
    """Greedy extractive oracle: add the line that most raises R-1 + R-2 F1 against the reference, up to ``k``."""
    ref = tokenize(reference)
    ref1, ref2 = _ngrams(ref, 1), _ngrams(ref, 2)
    toks = [tokenize(line) for line in lines]
    chosen: list[int] = []
    best_value = 0.0
    while len(chosen) < k:
        pick, pick_value = -1, best_value
        for i in range(len(lines)):
            if i in chosen:
                continue
            cand = [t for j in sorted([*chosen, i]) for t in toks[j]]
            c1, c2 = _ngrams(cand, 1), _ngrams(cand, 2)
            value = (_f(sum((c1 & ref1).values()), len(cand), len(ref))
                     + _f(sum((c2 & ref2).values()), max(0, len(cand) - 1), max(0, len(ref) - 1)))
            if value > pick_value:
                pick, pick_value = i, value
        if pick < 0:
            break
        chosen.append(pick)
        best_value = pick_value
    return sorted(chosen)


def rouge_table(dialogues: Sequence[Dialogue], *, oracle: bool = True) -> list[tuple[str, float, float, float, float,
                                                                                      float | None]]:
    """Per system: mean R-1, R-2, R-L F1 x100 against the first reference, seconds, and the multi-reference
    R-1 (best over a dialogue's references) when any dialogue has more than one."""
    from rouge_score import rouge_scorer  # the eval extra

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    tokenizer = scorer._tokenizer

    def greedy_oracle(d: Dialogue) -> str:
        lines = [f"{s}: {t}" for s, t in d.utterances]
        return " ".join(lines[i] for i in oracle_choice(lines, d.reference, TOP_K, tokenizer.tokenize))

    systems: list[tuple[str, Callable[[Dialogue], str]]] = [
        ("Rapport", rapport_top), ("LEAD-3", lead3), ("LONGEST-3", longest3)
    ]
    if oracle:
        systems.append(("ORACLE-3", greedy_oracle))
    multi = any(d.others for d in dialogues)
    rows: list[tuple[str, float, float, float, float, float | None]] = []
    for name, system in systems:
        totals = [0.0, 0.0, 0.0, 0.0]
        started = time.perf_counter()
        for d in dialogues:
            prediction = system(d)
            scores = scorer.score(d.reference, prediction)
            totals[0] += scores["rouge1"].fmeasure
            totals[1] += scores["rouge2"].fmeasure
            totals[2] += scores["rougeL"].fmeasure
            if multi:
                totals[3] += max(scorer.score(ref, prediction)["rouge1"].fmeasure for ref in d.references)
        elapsed = time.perf_counter() - started
        n = max(1, len(dialogues))
        rows.append((name, 100 * totals[0] / n, 100 * totals[1] / n, 100 * totals[2] / n, elapsed,
                     100 * totals[3] / n if multi else None))
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
    parser.add_argument("--half", choices=["all", "even", "odd"], default="all",
                        help="only the even or odd-numbered dialogues (the shipped key-point scorer saw the even)")
    parser.add_argument("--no-oracle", action="store_true", help="skip the greedy extractive oracle")
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
    dialogues = select_half(dialogues, args.half)
    if args.limit:
        dialogues = dialogues[: args.limit]
    out.write(f"{args.dataset}: {len(dialogues)} dialogues ({args.path.name}); ROUGE F1 x100 of the top {TOP_K}\n")
    rows = rouge_table(dialogues, oracle=not args.no_oracle)
    multi = rows[0][5] is not None
    out.write(f"{'system':<10} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'seconds':>8}"
              f"{' R-1 multi-ref' if multi else ''}\n")
    for name, r1, r2, rl, secs, r1_multi in rows:
        out.write(f"{name:<10} {r1:6.2f} {r2:6.2f} {rl:6.2f} {secs:8.2f}"
                  f"{f' {r1_multi:13.2f}' if r1_multi is not None else ''}\n")
    out.write("(ORACLE-3: the greedy choice of three utterances that best matches the first reference)\n"
              if not args.no_oracle else "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
