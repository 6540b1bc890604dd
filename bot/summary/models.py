"""Plain records the summary engine reads and writes (no Discord types anywhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One chat message, already taken out of Discord.

    ``created_at`` must be timezone-aware. ``tz`` is the author's IANA zone, used to read due dates
    such as "by Friday" the way the author meant them.
    """

    id: int
    author_id: int
    author_name: str
    created_at: datetime
    content: str
    jump_url: str = ""
    mentions: tuple[int, ...] = ()
    reply_to_author_id: int | None = None
    tz: str = "UTC"


@dataclass(frozen=True, slots=True)
class Participant:
    author_id: int
    name: str
    message_count: int


@dataclass(frozen=True, slots=True)
class Bullet:
    """A sentence of the summary and the message it came from."""

    text: str
    source_message_id: int
    jump_url: str


@dataclass(frozen=True, slots=True)
class ActionItem:
    """Something a person (or the group) will do.

    ``owner_id`` is None when the owner is the whole group or could not be resolved to one member;
    ``owner_name`` is always readable ("Maya", "Maya and Sam", "Someone"). ``due`` is aware UTC.
    """

    owner_id: int | None
    owner_name: str
    what: str
    due: datetime | None
    due_text: str | None
    text: str
    source_message_id: int
    jump_url: str


@dataclass(frozen=True, slots=True)
class Summary:
    participants: tuple[Participant, ...] = ()
    key_points: tuple[Bullet, ...] = ()
    decisions: tuple[Bullet, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    open_questions: tuple[Bullet, ...] = ()
    excluded_count: int = 0
    message_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.key_points or self.decisions or self.action_items or self.open_questions)
