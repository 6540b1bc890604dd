"""What a commitment is: plain dataclasses, no Discord and no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from bot.access import Subject
from bot.commitments.policy import NudgeState
from bot.delivery import Delivery, message_nonce

Status = Literal["proposed", "open", "done", "dropped", "declined"]
SourceKind = Literal["manual", "checkin", "summary", "repair"]
EventKind = Literal[
    "created", "proposed", "accepted", "declined", "snoozed", "renegotiated", "done", "dropped", "help"
]

STATUSES: tuple[str, ...] = get_args(Status)
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
#: Sources whose commitments are private to their owner and creator.
PRIVATE_SOURCES: tuple[str, ...] = ("repair",)
#: Statuses after which nothing can change any more.
CLOSED: frozenset[str] = frozenset({"done", "dropped", "declined"})

MAX_TEXT = 300
#: The note someone may add when marking a commitment done, dropping it or moving its date.
MAX_CHANGE_NOTE = 300

@dataclass(frozen=True, slots=True)
class Commitment:
    id: int
    guild_id: int
    number: int
    owner_id: int
    creator_id: int
    text: str
    status: Status
    due_at: datetime | None
    source_kind: SourceKind
    source_url: str | None
    source_channel_id: int | None
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    round: int
    round_started_at: datetime
    step_index: int
    snooze_until: datetime | None
    snooze_count: int
    last_nudge_at: datetime | None
    last_dm_at: datetime | None
    unanswered_dms: int
    escalated: bool
    help_asked_at: datetime | None
    next_nudge_at: datetime | None
    version: int
    updated_at: datetime
    #: Asking the owner to accept a proposal (0014): due while the question has not gone out, when a send was
    #: first tried, and how it went (dm, channel, failed, unknown).
    ask_due_at: datetime | None = None
    ask_started_at: datetime | None = None
    ask_delivery: str | None = None

    @property
    def ask_nonce(self) -> str:
        """The question to the owner is one message, however often it is tried (see :func:`message_nonce`)."""
        return message_nonce("cp", self.id)

    def nudge_nonce(self, step: str) -> str:
        """One nudge (a step of a round) is one message, in the DM or the channel."""
        return message_nonce("cn", self.id, self.round, step)

    @property
    def is_private(self) -> bool:
        """Commitments made in a repair stay between the people in it: only the owner and the creator see
        them; everyone else (managers included) is told they don't exist, and digests only count them."""
        return self.source_kind in PRIVATE_SOURCES

    def visible_to(self, user_id: int) -> bool:
        return not self.is_private or user_id in (self.owner_id, self.creator_id)

    @property
    def subject(self) -> Subject:
        """What the access rule needs: its owner and creator always see it; anyone else only while they can
        read the channel it was made in (and never, when it was made in a repair)."""
        return Subject(
            self.guild_id, self.source_channel_id, frozenset({self.owner_id, self.creator_id}), self.is_private
        )

    @property
    def label(self) -> str:
        """The short per-server id people type and see: ``#12``."""
        return f"#{self.number}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "open" and self.due_at is not None and self.due_at <= now

    def nudge_state(self) -> NudgeState:
        return NudgeState(
            due_at=self.due_at,
            round_started_at=self.round_started_at,
            step_index=self.step_index,
            snooze_until=self.snooze_until,
            snooze_count=self.snooze_count,
            last_nudge_at=self.last_nudge_at,
            last_dm_at=self.last_dm_at,
            unanswered_dms=self.unanswered_dms,
            escalated=self.escalated,
            can_escalate=self.source_channel_id is not None,
        )


@dataclass(frozen=True, slots=True)
class CommitmentEvent:
    id: int
    commitment_id: int
    guild_id: int
    at: datetime
    actor_id: int | None
    kind: EventKind
    old_due_at: datetime | None
    new_due_at: datetime | None
    note: str | None


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append to a commitment's history in the same transaction as a change."""

    kind: EventKind
    actor_id: int | None
    old_due_at: datetime | None = None
    new_due_at: datetime | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NudgeRecord:
    commitment_id: int
    round: int
    step: str
    planned_at: datetime
    recorded_at: datetime
    delivery: Delivery


@dataclass(frozen=True, slots=True)
class PeriodStats:
    """One server's commitments over a period, for the weekly digest."""

    opened: int
    done: int
    renegotiated: int
    overdue: int


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What ``/commit list`` asks for. ``statuses`` empty means every status."""

    guild_id: int
    owner_id: int | None
    statuses: tuple[str, ...]
    due_before: datetime | None = None
    due_from: datetime | None = None
    #: Who is looking: private commitments (from a repair) of other people are left out.
    viewer_id: int | None = None
