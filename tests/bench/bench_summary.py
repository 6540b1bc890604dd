"""Benchmark the offline summary engine on synthetic chat.

    python tests/bench/bench_summary.py [--runs 5] [--sizes 10000 20000] [--seed 7]

Generates a seeded, realistic mix of chat (statements, questions and answers, commitments with due dates,
requests to mentioned members, proposals and agreement, chit-chat, links and emoji), then prints the median
time of ``summarize`` over several runs for each size (wall clock and this process's CPU time, which a busy
machine disturbs less), the ratio between the sizes, and the peak memory the engine allocates (tracemalloc,
in a separate run) plus the process's peak RSS.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.summary.models import ChatMessage
from bot.summary.offline import summarize

NAMES = ["Maya", "Sam", "Priya", "Tom", "Lena", "Omar", "Jo", "Kenji", "Ada", "Luis", "Nora", "Ben"]
ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Europe/Berlin", "UTC", "America/Los_Angeles"]
TOPICS = [
    ("release", "the release notes", "the staging deploy", "the changelog"),
    ("budget", "the budget sheet", "the venue quote", "the catering order"),
    ("design", "the new logo", "the landing page", "the colour palette"),
    ("meetup", "the meetup agenda", "the speaker list", "the room booking"),
    ("bug", "the login bug", "the crash report", "the flaky test"),
    ("trip", "the train tickets", "the hotel booking", "the packing list"),
]
DUE = ["by Friday", "tomorrow", "next week", "by 5pm", "on Dec 3", "by EOD", "tonight", "by Monday", ""]
STATEMENTS = [
    "I think {a} looks much better than last time",
    "{a} is mostly done, only a few details left",
    "We still need to figure out {b} before we can move on",
    "The problem with {c} is that nobody owns it right now",
    "I checked {b} yesterday and it seemed fine to me",
    "Honestly {a} took longer than expected because of {c}",
    "According to the last meeting, {b} was supposed to be finished already",
    "I moved {c} to the shared folder so everyone can see it",
]
QUESTIONS = [
    "Has anyone looked at {a} yet?",
    "What do we do about {b}?",
    "When is {c} due?",
    "Who is responsible for {b} this time?",
    "Does {a} need another review?",
]
ANSWERS = ["Yes, I looked at it this morning.", "Not yet, sorry.", "I think Maya is on it.",
           "It should be fine, see the notes.", "No idea, maybe ask in the other channel."]
COMMITMENTS = ["I'll send {a} {due}", "I will review {b} {due}", "I'm going to fix {c} {due}",
               "I can do {a} {due}", "Let me check {b} {due}"]
REQUESTS = ["<@{uid}> can you update {a} {due}?", "{name}, could you look at {b} {due}?",
            "Please send me {c} {due}", "Can you double-check {a}?"]
PROPOSALS = ["Let's meet {due} to go through {a}", "Let's go with {b}", "We should move {c} to next week"]
AGREEMENT = ["Sounds good!", "ok 👍", "Agreed.", "Sure, works for me", "yeah let's do it"]
CHITCHAT = ["lol", "haha nice", "ok", "thanks!", "good morning everyone ☀️", "brb", ":)", "true",
            "see https://example.com/docs/page for details"]


def synthetic_chat(n: int, seed: int = 7) -> list[ChatMessage]:
    rng = random.Random(seed)
    people = [(i + 1, name, ZONES[i % len(ZONES)]) for i, name in enumerate(NAMES)]
    t = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    out: list[ChatMessage] = []
    topic = rng.choice(TOPICS)
    pending: str | None = None
    for i in range(n):
        if i % 150 == 0:
            topic = rng.choice(TOPICS)
        uid, name, tz = rng.choice(people)
        other = rng.choice([p for p in people if p[0] != uid])
        a, b, c = topic[1], topic[2], topic[3]
        due = rng.choice(DUE)
        mentions: tuple[int, ...] = ()
        reply_to = None
        if pending == "question":
            content = rng.choice(ANSWERS)
            reply_to = out[-1].author_id if rng.random() < 0.5 else None
            pending = None
        elif pending == "proposal":
            content = rng.choice(AGREEMENT)
            pending = None
        else:
            roll = rng.random()
            if roll < 0.40:
                content = rng.choice(STATEMENTS)
            elif roll < 0.52:
                content = rng.choice(QUESTIONS)
                pending = "question" if rng.random() < 0.7 else None
            elif roll < 0.62:
                content = rng.choice(COMMITMENTS)
            elif roll < 0.70:
                content = rng.choice(REQUESTS)
                if "<@" in content:
                    mentions = (other[0],)
            elif roll < 0.76:
                content = rng.choice(PROPOSALS)
                pending = "proposal" if rng.random() < 0.6 else None
            else:
                content = rng.choice(CHITCHAT)
            content = content.format(a=a, b=b, c=c, due=due, uid=other[0], name=other[1]).replace(" ?", "?")
            if rng.random() < 0.25:
                content += " " + rng.choice(STATEMENTS).format(a=a, b=b, c=c) + "."
        t += timedelta(seconds=rng.randint(5, 600))
        out.append(
            ChatMessage(
                id=10_000_000 + i,
                author_id=uid,
                author_name=name,
                created_at=t,
                content=content.strip(),
                jump_url=f"https://discord.com/channels/1/2/{10_000_000 + i}",
                mentions=mentions,
                reply_to_author_id=reply_to,
                tz=tz,
            )
        )
    return out


def timed(messages: list[ChatMessage]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one summarize call."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    summarize(messages)
    return time.perf_counter() - wall, time.process_time() - cpu


def peak_traced(messages: list[ChatMessage]) -> int:
    gc.collect()
    tracemalloc.start()
    summarize(messages)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    summarize(synthetic_chat(300, args.seed))  # warm caches and lazy imports once
    inputs = {size: synthetic_chat(size, args.seed) for size in args.sizes}
    # Interleave the sizes run by run, so that a busy moment on the machine hits every size alike.
    walls: dict[int, list[float]] = {size: [] for size in args.sizes}
    cpus: dict[int, list[float]] = {size: [] for size in args.sizes}
    for _ in range(args.runs):
        for size in args.sizes:
            wall, cpu = timed(inputs[size])
            walls[size].append(wall)
            cpus[size].append(cpu)
    wall_median = {size: statistics.median(t) for size, t in walls.items()}
    cpu_median = {size: statistics.median(t) for size, t in cpus.items()}
    for size in args.sizes:
        summary = summarize(inputs[size])
        print(
            f"{size:>6} messages: median {wall_median[size]:.3f} s wall, {cpu_median[size]:.3f} s CPU "
            f"over {args.runs} runs ({len(summary.key_points)} key points, {len(summary.decisions)} decisions, "
            f"{len(summary.action_items)} action items, {len(summary.open_questions)} open questions)"
        )
    if len(args.sizes) >= 2:
        small, large = args.sizes[0], args.sizes[-1]
        print(f"ratio {large}/{small}: {wall_median[large] / wall_median[small]:.2f}x wall, "
              f"{cpu_median[large] / cpu_median[small]:.2f}x CPU")
    largest = inputs[max(args.sizes)]
    peak = peak_traced(largest)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak traced memory for {max(args.sizes)} messages: {peak / 2**20:.1f} MiB "
          f"(process peak RSS {rss_kib / 1024:.1f} MiB, including the input and the interpreter)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
