"""Feedback values and the buttons' wire format. No Discord and no SQL here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

Kind = Literal["summary", "checkin", "repair"]
Vote = Literal["up", "missing"]

KINDS: tuple[str, ...] = get_args(Kind)
VOTES: tuple[str, ...] = get_args(Vote)

#: The buttons' ``custom_id``: a wire format kept by every message already posted. Change it only by adding.
CUSTOM_ID_TEMPLATE = r"fb:(?P<kind>summary|checkin|repair):(?P<ref>\d+):(?P<vote>up|missing)"
CUSTOM_ID = re.compile(CUSTOM_ID_TEMPLATE)

#: The note a member may add to a "something was missing" vote.
MAX_VOTE_NOTE = 1000
MIN_NOTE = 2
MAX_FEEDBACK = 1500

KIND_NAMES: dict[str, str] = {"summary": "summary", "checkin": "check-in digest", "repair": "repair summary"}


def custom_id(kind: str, ref_id: int, vote: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown feedback kind {kind!r}; expected one of {KINDS}")
    if vote not in VOTES:
        raise ValueError(f"unknown vote {vote!r}")
    if ref_id < 0:
        raise ValueError("ref_id must be a row id (not negative)")
    return f"fb:{kind}:{ref_id}:{vote}"


@dataclass(frozen=True, slots=True)
class VoteCounts:
    up: int = 0
    missing: int = 0


@dataclass(frozen=True, slots=True)
class FeedbackNote:
    id: int
    kind: Kind
    ref_id: int
    user_id: int
    guild_id: int | None
    channel_id: int
    message_id: int | None
    note: str
    reply_message_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ServerFeedback:
    """A ``/feedback`` post. ``author_id`` is None exactly when it was sent anonymously."""

    id: int
    guild_id: int
    anonymous: bool
    author_id: int | None
    text: str
    channel_id: int
    message_id: int | None
    created_at: datetime
