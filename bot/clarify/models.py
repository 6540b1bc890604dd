"""What a clarification request is: a plain dataclass and limits, no Discord and no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.access import Subject

ClarifyState = Literal["open", "clarified"]
ClosedBy = Literal["button", "reply"]

MAX_QUESTION = 1000
#: An open request gets one gentle reminder this long after it was asked (later if the author is quiet or away).
REMIND_AFTER = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Clarification:
    id: int
    guild_id: int
    channel_id: int
    message_id: int
    author_id: int
    asker_id: int
    question: str | None
    thread_id: int | None
    request_message_id: int | None
    state: ClarifyState
    closed_by: ClosedBy | None
    created_at: datetime
    closed_at: datetime | None
    remind_at: datetime | None
    #: When the reminder's first try started; with ``remind_delivery`` still None it was cut short.
    reminded_at: datetime | None
    #: How the reminder went: ``dm``, ``failed``, or ``unknown`` (cut short too long ago to send again).
    remind_delivery: str | None = None

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def subject(self) -> Subject:
        """A request for clarification is between the one who asked and the one asked, on every path."""
        return Subject(self.guild_id, self.channel_id, frozenset({self.asker_id, self.author_id}), private=True)

    def message_url(self) -> str:
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"

    def request_url(self) -> str | None:
        if self.thread_id is None or self.request_message_id is None:
            return None
        return f"https://discord.com/channels/{self.guild_id}/{self.thread_id}/{self.request_message_id}"
