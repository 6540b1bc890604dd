"""Worst-case timing for the linear-time tests: the slowest of a function's calls over many inputs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable


def slowest_call(call: Callable[[str], object], samples: Iterable[str]) -> tuple[float, str]:
    """The longest ``call(sample)`` took, in seconds, and the start of that sample (for the failure message)."""
    slowest, worst = 0.0, ""
    for sample in samples:
        started = time.perf_counter()
        call(sample)
        took = time.perf_counter() - started
        if took > slowest:
            slowest, worst = took, sample[:12]
    return slowest, worst
