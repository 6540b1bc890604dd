"""Where the digest's numbers come from: each feature's own read methods, never its tables.

Each source returns ``None`` when its feature's tables are not in this database (yet), and the digest
leaves that line out. Commitment counts come from the commitments service when it is loaded (its
``stats(guild_id, start, end)``), else from the commitments repository (the same numbers).

What each number means:

* check-ins held, response rate and mood: see :mod:`bot.checkins.digest_queries` (mood only from whole runs of
  at least :data:`~bot.digest.models.MIN_MOOD_GROUP` answers, by the local day the run was held);
* commitments: opened, done, renegotiated in the window; overdue: due in the window and not done by then;
* wins: ``/win`` posts (kept commitments are the "done" count);
* clarifications answered: requests marked clarified in the window;
* repairs followed up: repairs whose follow-up both people answered in the window.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from bot.checkins.digest_queries import CheckinDigestQueries
from bot.clarify.repository import ClarifyRepo
from bot.commitments.repository import CommitmentRepo
from bot.db.codec import to_epoch
from bot.db.database import Database
from bot.digest.models import MIN_MOOD_GROUP, CheckinCounts, CommitmentCounts, MoodCounts, MoodDay, WeekStats
from bot.repair.repository import RepairRepo
from bot.wins.models import KeptCommitment
from bot.wins.repository import WinRepo


class CommitmentStats(Protocol):
    opened: int
    done: int
    renegotiated: int
    overdue: int


class CommitmentStatsProvider(Protocol):
    """What the digest needs from the commitments service."""

    async def stats(self, guild_id: int, start: datetime, end: datetime) -> Any: ...


class DigestSources:
    def __init__(
        self,
        db: Database,
        *,
        commitments: Callable[[], CommitmentStatsProvider | None] | None = None,
    ) -> None:
        self.db = db
        self._commitments = commitments
        self.checkin_queries = CheckinDigestQueries(db)
        self.commitment_repo = CommitmentRepo(db)
        self.win_repo = WinRepo(db)
        self.clarify_repo = ClarifyRepo(db)
        self.repair_repo = RepairRepo(db)
        self._available: dict[str, bool] = {}

    async def _has(self, feature: str, check: Callable[[], Any]) -> bool:
        """Whether a feature's tables are here; asked once (migrations run before features)."""
        if feature not in self._available:
            self._available[feature] = bool(await check())
        return self._available[feature]

    # -- check-ins -----------------------------------------------------------------------------------------
    async def checkins(self, guild_id: int, start: datetime, end: datetime) -> CheckinCounts | None:
        if not await self._has("checkins", self.checkin_queries.available):
            return None
        totals = await self.checkin_queries.run_totals(guild_id, start, end)
        return CheckinCounts(held=totals.held, answered=totals.answered, asked=totals.asked)

    async def mood(self, guild_id: int, start: datetime, end: datetime) -> MoodCounts | None:
        """Mood answers of the runs held in ``[start, end)``, counting only whole runs that closed by ``end``
        with at least :data:`MIN_MOOD_GROUP` mood answers."""
        if not await self._has("checkins", self.checkin_queries.available):
            return None
        totals = await self.checkin_queries.mood_totals(guild_id, start, end, MIN_MOOD_GROUP)
        return MoodCounts(count=totals.count, anonymous=totals.anonymous, total=totals.total)

    async def mood_days(
        self, guild_id: int, days: Sequence[tuple[date, datetime, datetime]], as_of: datetime | None = None
    ) -> tuple[MoodDay, ...] | None:
        """Mood answers per local day; ``days`` from :func:`bot.digest.periods.chart_days`. The runs are put
        into local days here, which keeps the query a plain range scan whatever the zone's day lengths."""
        if not await self._has("checkins", self.checkin_queries.available):
            return None
        if not days:
            return ()
        until = as_of if as_of is not None else days[-1][2]
        runs = await self.checkin_queries.mood_runs(guild_id, days[0][1], days[-1][2], until, MIN_MOOD_GROUP)
        starts = [to_epoch(start) for _, start, _ in days]
        tally = [[0, 0, 0] for _ in days]  # count, anonymous, total
        for run in runs:
            index = bisect.bisect_right(starts, run.scheduled_at) - 1
            if index < 0 or run.scheduled_at >= to_epoch(days[index][2]):
                continue
            tally[index][0] += run.count
            tally[index][1] += run.count if run.anonymous else 0
            tally[index][2] += run.total
        return tuple(MoodDay(day, *tally[index]) for index, (day, _, _) in enumerate(days))

    # -- commitments ---------------------------------------------------------------------------------------
    def _provider(self) -> CommitmentStatsProvider | None:
        return None if self._commitments is None else self._commitments()

    async def commitments(
        self, guild_id: int, start: datetime, end: datetime, now: datetime
    ) -> CommitmentCounts | None:
        provider = self._provider()
        if provider is not None:
            found: CommitmentStats = await provider.stats(guild_id, start, end)
            return CommitmentCounts(found.opened, found.done, found.renegotiated, found.overdue)
        if not await self._has("commitments", self.commitment_repo.available):
            return None
        stats = await self.commitment_repo.period_stats(guild_id, start, end, now)
        return CommitmentCounts(stats.opened, stats.done, stats.renegotiated, stats.overdue)

    async def kept_commitments(
        self, guild_id: int, start: datetime, end: datetime, limit: int = 100
    ) -> list[KeptCommitment]:
        """Commitments marked done in ``[start, end)``, newest first (for ``/wins``); never private ones."""
        if not await self._has("commitments", self.commitment_repo.available):
            return []
        done = await self.commitment_repo.done_between(guild_id, start, end, limit)
        return [
            KeptCommitment(
                number=c.number, owner_id=c.owner_id, text=c.text, closed_at=c.closed_at, creator_id=c.creator_id,
                source_channel_id=c.source_channel_id,
            )
            for c in done
            if c.closed_at is not None
        ]

    # -- wins, clarifications, repairs ----------------------------------------------------------------------
    async def wins(self, guild_id: int, start: datetime, end: datetime) -> int:
        return await self.win_repo.count_between(guild_id, start, end)

    async def clarifications_answered(self, guild_id: int, start: datetime, end: datetime) -> int | None:
        if not await self._has("clarifications", self.clarify_repo.available):
            return None
        return await self.clarify_repo.answered_count(guild_id, start, end)

    async def repairs_followed_up(self, guild_id: int, start: datetime, end: datetime) -> int | None:
        if not await self._has("repairs", self.repair_repo.available):
            return None
        return await self.repair_repo.followups_done(guild_id, start, end)

    # -- one week ------------------------------------------------------------------------------------------
    async def week(self, guild_id: int, start: datetime, end: datetime, now: datetime) -> WeekStats:
        return WeekStats(
            start=start,
            end=end,
            checkins=await self.checkins(guild_id, start, end),
            mood=await self.mood(guild_id, start, end),
            commitments=await self.commitments(guild_id, start, end, now),
            wins=await self.wins(guild_id, start, end),
            clarifications_answered=await self.clarifications_answered(guild_id, start, end),
            repairs_followed_up=await self.repairs_followed_up(guild_id, start, end),
        )
