"""What a win is: plain dataclasses, no Discord and no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Period = Literal["week", "month"]

#: How far back ``/wins week`` and ``/wins month`` look (rolling, so the same in every time zone).
PERIODS: dict[str, timedelta] = {"week": timedelta(days=7), "month": timedelta(days=30)}

MAX_WIN_TEXT = 500


@dataclass(frozen=True, slots=True)
class Win:
    id: int
    guild_id: int
    channel_id: int
    author_id: int
    member_id: int | None  # None: a win for the whole team
    text: str
    message_id: int | None
    created_at: datetime

    @property
    def jump_url(self) -> str | None:
        if self.message_id is None:
            return None
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"


@dataclass(frozen=True, slots=True)
class KeptCommitment:
    """A commitment marked done in the period (read from the commitments feature's table)."""

    number: int
    owner_id: int
    text: str
    closed_at: datetime
    creator_id: int | None = None
    source_channel_id: int | None = None


@dataclass(frozen=True, slots=True)
class WinsReport:
    period: Period
    start: datetime
    end: datetime
    wins: tuple[Win, ...]
    kept: tuple[KeptCommitment, ...]
