"""What members type about commitments, checked before anything changes: ids, text, notes, due and snooze times.

Each check raises :class:`~bot.errors.BadInput` with a short sentence; nothing is stored on bad input.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

from bot.commitments.models import MAX_CHANGE_NOTE, MAX_TEXT, SOURCE_KINDS
from bot.errors import BadInput
from bot.timeparse import WHEN_EXAMPLES

#: What the Snooze button on a nudge means.
SNOOZE_BUTTON = timedelta(days=1)
MAX_SNOOZE = timedelta(days=365)
MAX_DUE_AHEAD = timedelta(days=5 * 366)
_NUMBER = re.compile(r"#?\s*(\d{1,9})")


def parse_number(text: str) -> int:
    """A per-server id as typed: ``12`` or ``#12``."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise BadInput("Commitment ids look like `#12` or `12`. Pick one from the list as you type.")
    return int(match.group(1))


def clean_text(
    text: str, *, what: Literal["commitment", "note"] = "commitment", limit: int = MAX_TEXT, required: bool = True
) -> str:
    """One line of member text: whitespace collapsed, length checked."""
    cleaned = " ".join(text.split())
    if required and not cleaned:
        if what == "note":
            raise BadInput("Please say what the note is.")
        raise BadInput("Please say what the commitment is.")
    if len(cleaned) > limit:
        if what == "note":
            raise BadInput("That note is {length} characters long; please keep it to {limit}.",
                           length=len(cleaned), limit=limit)
        raise BadInput("That commitment is {length} characters long; please keep it to {limit}.",
                       length=len(cleaned), limit=limit)
    return cleaned


def clean_note(note: str | None) -> str | None:
    """The optional note of a change (done, dropped, renegotiated); empty means none."""
    if note is None:
        return None
    cleaned = clean_text(note, what="note", limit=MAX_CHANGE_NOTE, required=False)
    return cleaned or None


def check_due(due: datetime | None, now: datetime) -> None:
    """A due time must be aware, in the future, and at most five years ahead."""
    if due is None:
        return
    if due.tzinfo is None:
        raise ValueError("due must be timezone-aware")
    if due <= now:
        raise BadInput("That due time is in the past. Try {examples}.", examples=WHEN_EXAMPLES)
    if due - now > MAX_DUE_AHEAD:
        raise BadInput("That due time is too far ahead: at most five years from now.")


def check_snooze(until: datetime, now: datetime) -> None:
    if until <= now:
        raise BadInput("The snooze time needs to be in the future. Try {examples}.", examples=WHEN_EXAMPLES)
    if until - now > MAX_SNOOZE:
        raise BadInput("That's too far ahead: snooze for at most a year, or renegotiate the date instead.")


def check_source(source_kind: str, source_url: str | None) -> None:
    """Where a commitment came from, as the calling feature says (a programming error, not member input)."""
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"unknown source kind {source_kind!r}; expected one of {SOURCE_KINDS}")
    if source_url is not None and (len(source_url) > 500 or not source_url.startswith("https://")):
        raise ValueError("source_url must be an https link of at most 500 characters")
