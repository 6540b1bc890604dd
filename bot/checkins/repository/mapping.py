"""Rows of the check-in tables to their dataclasses, through the one row helper (:func:`bot.db.rows.from_row`).

Only what is not stored as-is is given explicitly: questions and answers are JSON arrays, durations seconds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.checkins.models import Answer, CheckIn, Reminder, Run
from bot.db.rows import from_row


def texts(stored: str) -> tuple[str, ...]:
    """A stored JSON array of strings (questions, answers) as a tuple."""
    return tuple(str(q) for q in json.loads(stored))


def to_json(values: Any) -> str:
    return json.dumps(list(values))


def checkin_from_row(row: Any) -> CheckIn:
    remind = row["remind_before_seconds"]
    return from_row(
        CheckIn,
        row,
        questions=texts(row["questions"]),
        window=timedelta(seconds=row["window_seconds"]),
        remind_before=None if remind is None else timedelta(seconds=remind),
    )


def run_from_row(row: Any) -> Run:
    return from_row(Run, row, questions=texts(row["questions"]))


def answer_from_row(row: Mapping[str, Any] | Any) -> Answer:
    return from_row(Answer, row, answers=texts(row["answers"]))


def reminder_from_row(row: Any) -> Reminder:
    return from_row(Reminder, row)


def prefixed(row: Any, prefix: str) -> dict[str, Any]:
    """The columns of ``row`` named ``<prefix><column>``, by column (a joined table's aliased columns)."""
    # A sqlite3.Row iterates its values, not its keys.
    return {key[len(prefix):]: row[key] for key in row.keys() if key.startswith(prefix)}  # noqa: SIM118
