"""A few SIGKILL trials in the suite (``RAPPORT_CHAOS_TRIALS``, default 2); all of them with
``python -m tests.chaos.trials --trials 20``."""

from __future__ import annotations

import os

from tests.chaos.trials import run_trials

TRIALS = int(os.environ.get("RAPPORT_CHAOS_TRIALS", "2"))


async def test_sigkill_mid_burst_loses_nothing_acknowledged_and_sends_nothing_twice() -> None:
    counts = await run_trials(TRIALS)
    assert counts.trials == TRIALS
    # The kill really landed while work was being acknowledged.
    assert counts.answers_acknowledged + counts.proposals_acknowledged > 0
    assert counts.lost == counts.duplicates == counts.stuck == counts.unsent == 0, counts.problems
