"""Date grammar benchmark: what reading a local form costs against its English form, and linear scaling.

Run: .venv/bin/python -m tests.bench.bench_timeparse [--rounds 7]
Prints medians per call (microseconds), the local / English ratio, and for the worst chat text the time at
1,000 and 4,000 characters (a linear reader takes about 4 times as long, a quadratic one about 16 times).
It is not a timed test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.timeparse import parse_duration, parse_schedule, parse_when
from bot.timeparse.deadlines import parse_due

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
ANCHOR = date(2026, 3, 4)

WHEN = (
    ("fri 17:00", "freitag 17 Uhr"),
    ("tomorrow 9:00", "mañana 9:00"),
    ("in 3 days", "dans 3 jours"),
    ("fri 17:00", "sexta-feira 17h"),
    ("in 3 days", "em 3 dias"),
    ("tomorrow 9am", "demain à 9h"),
)
SCHEDULES = (
    ("weekdays 9:00", "werktags 9 Uhr"),
    ("mon,wed,fri 17:00", "lun,mié,vie 17:00"),
    ("weekdays 9:00", "en semaine 9h"),
    ("weekdays 9:00", "dias úteis 9h"),
)
DURATIONS = (("3 hours", "3 Stunden"), ("30 minutes", "30 minutos"), ("2 days", "2 jours"))


def per_call(call: Callable[[str], object], texts: Sequence[str], rounds: int, reps: int = 300) -> float:
    """Median over rounds of the mean time per call, in microseconds."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(reps):
            for text in texts:
                call(text)
        samples.append((time.perf_counter() - started) / (reps * len(texts)))
    return statistics.median(samples) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds

    def when(text: str) -> object:
        return parse_when(text, now=NOW, zone=ZONE)

    def schedule(text: str) -> object:
        return parse_schedule(text, anchor=ANCHOR)

    print(f"{'reading':24s} {'English':>10s} {'local':>10s} {'ratio':>7s}")
    for name, call, pairs in (("parse_when", when, WHEN), ("parse_schedule", schedule, SCHEDULES),
                              ("parse_duration", parse_duration, DURATIONS)):
        english = per_call(call, [e for e, _ in pairs], rounds)
        local = per_call(call, [loc for _, loc in pairs], rounds)
        print(f"{name:24s} {english:8.1f}us {local:8.1f}us {local / english:7.2f}")

    print("\nworst chat text for the due-date finder (median ms):")
    for name, piece in (("'tomorrow' + spaces", None), ("'by ' repeated", "by ")):
        figures = []
        for size in (1_000, 4_000):
            text = "tomorrow" + " " * size + "x" if piece is None else piece * (size // len(piece))
            parse_due(text, NOW, "UTC")  # warm up
            samples = []
            for _ in range(rounds * 3):
                started = time.perf_counter()
                parse_due(text, NOW, "UTC")
                samples.append(time.perf_counter() - started)
            figures.append(statistics.median(samples) * 1e3)
        print(f"  {name:22s} 1,000 chars {figures[0]:6.2f} ms  4,000 chars {figures[1]:6.2f} ms  "
              f"ratio {figures[1] / figures[0]:.2f}")


if __name__ == "__main__":
    main()
