"""The values check-ins are made of: a check-in (the schedule), a run (one occurrence), answers, reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo

from bot.delivery import message_nonce
from bot.scheduling.recurrence import Recurrence

RunStatus = Literal["posting", "open", "closed", "missed", "skipped", "failed", "cancelled"]
RunKind = Literal["scheduled", "extra"]
AnswerStatus = Literal["answered", "skipped"]
AnswerSource = Literal["modal", "thread", "button"]
#: ``sending``: a try has started (``sent_at``) and is not recorded yet; ``unknown``: that try was cut short too
#: long ago to send again safely (see :data:`bot.delivery.RESEND_WINDOW`).
ReminderStatus = Literal["pending", "sending", "dm", "channel", "dropped", "failed", "not_needed", "unknown"]

#: The longest answer kept for one question, by form or by thread replies merged together.
MAX_ANSWER_CHARS = 4000
MOOD_LABELS = {1: "Rough", 2: "Low", 3: "Okay", 4: "Good", 5: "Great"}


@dataclass(frozen=True)
class CheckIn:
    id: int
    guild_id: int
    channel_id: int
    name: str
    schedule: str
    timezone: str
    template: str
    questions: tuple[str, ...]
    participants_role_id: int | None
    window: timedelta
    remind_before: timedelta | None
    mood: bool
    anonymous_mood: bool
    created_by: int
    created_at: datetime
    updated_at: datetime
    next_run_at: datetime | None = None
    paused_at: datetime | None = None
    pause_reason: str | None = None
    creator_told_at: datetime | None = None
    deleted_at: datetime | None = None

    @cached_property
    def recurrence(self) -> Recurrence:
        return Recurrence.from_text(self.schedule)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def active(self) -> bool:
        return self.deleted_at is None and self.paused_at is None


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    checkin_id: int
    scheduled_at: datetime
    kind: RunKind
    status: RunStatus
    late: bool
    name: str
    questions: tuple[str, ...]
    mood: bool
    anonymous_mood: bool
    channel_id: int
    closes_at: datetime
    remind_at: datetime | None
    recorded_at: datetime
    message_id: int | None = None
    thread_id: int | None = None
    posted_at: datetime | None = None
    reminders_planned: bool = False
    closed_at: datetime | None = None
    digest_posted_at: datetime | None = None
    noted_in_run_id: int | None = None
    failure: str | None = None
    attempts: int = 0  # transient failures of the step now due, for the backoff

    def is_open_at(self, now: datetime) -> bool:
        return self.status == "open" and now < self.closes_at

    @property
    def nonce(self) -> str:
        """Deterministic per (check-in, scheduled instant): Discord drops a second send with the same nonce."""
        return f"ci{self.checkin_id}t{int(self.scheduled_at.timestamp())}"

    @property
    def digest_nonce(self) -> str:
        return f"cd{self.checkin_id}t{int(self.scheduled_at.timestamp())}"

    def reminder_nonce(self, user_id: int) -> str:
        """One reminder per member and run, in their DM or the run's thread."""
        return message_nonce("cr", self.id, user_id)


@dataclass(frozen=True, slots=True)
class Answer:
    run_id: int
    user_id: int
    status: AnswerStatus
    source: AnswerSource
    answers: tuple[str, ...]
    mood: int | None
    answered_at: datetime
    updated_at: datetime

    @property
    def answered(self) -> bool:
        return self.status == "answered"


@dataclass(frozen=True, slots=True)
class Reminder:
    run_id: int
    user_id: int
    due_at: datetime
    status: ReminderStatus
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RunCounts:
    """A run with how many answered and skipped, for ``/checkin show``."""

    run: Run
    answered: int
    skipped: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    run: Run
    answer: Answer

