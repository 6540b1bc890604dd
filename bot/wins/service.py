"""The rules for wins: what may be celebrated, and what ``/wins`` lists."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from bot.db.database import Database
from bot.errors import BadInput, ObjectNotFound
from bot.scheduling.clock import Clock
from bot.wins.models import MAX_WIN_TEXT, PERIODS, KeptCommitment, Period, Win, WinsReport
from bot.wins.repository import WinRepo


class KeptSource(Protocol):
    """Where kept (done) commitments come from; :class:`bot.digest.sources.DigestSources` implements it."""

    async def kept_commitments(
        self, guild_id: int, start: datetime, end: datetime, limit: int = ...
    ) -> list[KeptCommitment]: ...


def clean_win_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise BadInput("Tell me what the win was, e.g. `shipped the new onboarding guide`.")
    if len(cleaned) > MAX_WIN_TEXT:
        raise BadInput("Keep the win under {limit} characters (it has {length}).", limit=MAX_WIN_TEXT,
                       length=len(cleaned))
    return cleaned


class WinService:
    def __init__(self, db: Database, clock: Clock, kept: KeptSource) -> None:
        self.repo = WinRepo(db)
        self.clock = clock
        self.kept = kept

    async def add(
        self,
        *,
        guild_id: int,
        channel_id: int,
        author_id: int,
        text: str,
        member_id: int | None = None,
        member_is_bot: bool = False,
    ) -> Win:
        """Store a win before it is posted (so it is durable before anyone sees it)."""
        if member_is_bot:
            raise BadInput("Wins are for people: pick a member rather than a bot, or leave `member` empty.")
        return await self.repo.create(
            guild_id=guild_id,
            channel_id=channel_id,
            author_id=author_id,
            member_id=member_id,
            text=clean_win_text(text),
            now=self.clock.now(),
        )

    async def posted(self, win_id: int, message_id: int) -> None:
        await self.repo.set_message(win_id, message_id)

    async def discard(self, win_id: int) -> None:
        """The celebration could not be posted: forget it rather than count a win nobody saw."""
        await self.repo.delete(win_id)

    async def get(self, win_id: int) -> Win:
        found = await self.repo.get(win_id)
        if found is None:
            raise ObjectNotFound("That win no longer exists.")
        return found

    async def report(self, guild_id: int, period: Period) -> WinsReport:
        now = self.clock.now()
        start = now - PERIODS[period]
        end = now + timedelta(seconds=1)  # up to and including now: instants are stored in whole seconds
        wins = await self.repo.between(guild_id, start, end)
        kept = await self.kept.kept_commitments(guild_id, start, end)
        return WinsReport(period=period, start=start, end=now, wins=tuple(wins), kept=tuple(kept))

    async def count_between(self, guild_id: int, start: datetime, end: datetime) -> int:
        return await self.repo.count_between(guild_id, start, end)
