"""What a repair conversation is: plain dataclasses and limits, no Discord and no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.access import Subject

RepairState = Literal["open", "closing", "closed"]
#: What the person reflected back to says: that is what I meant, or not quite.
ReflectionAnswer = Literal["right", "not_quite"]
FollowupAnswer = Literal["better", "same", "worse"]
ConsentKind = Literal["post", "share"]

FOLLOWUP_DEFAULT = 7
FOLLOWUP_MIN = 1
FOLLOWUP_MAX = 60

MAX_TOPIC = 80
#: Each part of a view; six of them (two people, three parts) fit one side-by-side embed.
MAX_VIEW_PART = 800
MAX_REFLECTION = 1000
MAX_CLARIFICATION = 1000
MAX_OWNED = 1000
#: "What I'll do differently" becomes a commitment, whose text is at most 300 characters.
MAX_WILL_DO = 300
#: The optional note of whoever asks to close (it goes into the summary draft).
MAX_CLOSE_NOTE = 1000
MAX_FOLLOWUP_NOTE = 500

FOLLOWUP_LABELS: dict[str, str] = {"better": "Better", "same": "About the same", "worse": "Worse"}
ANSWER_LABELS: dict[str, str] = {"right": "That's right", "not_quite": "Not quite"}


@dataclass(frozen=True, slots=True)
class Repair:
    id: int
    guild_id: int
    channel_id: int
    thread_id: int | None
    control_message_id: int | None
    starter_id: int
    partner_id: int
    mediator_id: int | None
    topic: str | None
    followup_days: int
    state: RepairState
    created_at: datetime
    views_posted_at: datetime | None
    close_requested_by: int | None
    close_note: str | None
    summary_version: int
    summary_text: str | None
    closed_at: datetime | None
    summary_message_id: int | None
    shared_at: datetime | None
    followup_at: datetime | None
    followup_posted_at: datetime | None
    followup_message_id: int | None
    followup_done_at: datetime | None

    @property
    def people(self) -> tuple[int, int]:
        """The two people the repair is between (the starter first)."""
        return (self.starter_id, self.partner_id)

    @property
    def subject(self) -> Subject:
        """A repair is private to its two people and its mediator, on every path."""
        parties = {*self.people} | ({self.mediator_id} if self.mediator_id is not None else set())
        return Subject(self.guild_id, self.thread_id, frozenset(parties), private=True)

    def is_person(self, user_id: int) -> bool:
        return user_id in self.people

    def is_member(self, user_id: int) -> bool:
        """One of the two people or the mediator."""
        return self.is_person(user_id) or (self.mediator_id is not None and user_id == self.mediator_id)

    def other(self, user_id: int) -> int:
        if user_id == self.starter_id:
            return self.partner_id
        if user_id == self.partner_id:
            return self.starter_id
        raise ValueError(f"user {user_id} is not one of the two people in repair {self.id}")

    @property
    def is_active(self) -> bool:
        """Still in progress (the steps, or waiting for approval of the summary)."""
        return self.state in ("open", "closing")

    @property
    def views_revealed(self) -> bool:
        return self.views_posted_at is not None


@dataclass(frozen=True, slots=True)
class View:
    repair_id: int
    user_id: int
    happened: str
    affected: str
    need: str
    shared_at: datetime


@dataclass(frozen=True, slots=True)
class Reflection:
    id: int
    repair_id: int
    author_id: int
    subject_id: int
    text: str
    created_at: datetime
    message_id: int | None
    answer: ReflectionAnswer | None
    clarification: str | None
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class Ownership:
    repair_id: int
    user_id: int
    owned: str
    will_do: str
    commitment_id: int | None
    commitment_number: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FollowupReply:
    repair_id: int
    user_id: int
    answer: FollowupAnswer
    note: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a repair stands, without any of its content (safe for the status button and /repair list)."""

    shared: frozenset[int]
    reflections: int
    reflections_answered: int
    owned: frozenset[int]
    post_approvals: frozenset[int]
    share_consents: frozenset[int]
    followup_answers: frozenset[int]


@dataclass(frozen=True, slots=True)
class RepairRecord:
    """Everything written in one repair, for drafting its summary."""

    repair: Repair
    views: tuple[View, ...]
    reflections: tuple[Reflection, ...]
    ownership: tuple[Ownership, ...]
