"""Where the digest's numbers come from: the one module that reads other features' tables.

Each source returns ``None`` when its feature's tables are not in this database (yet), and the digest
leaves that line out. Commitment counts come from the commitments service when it is loaded (its
``stats(guild_id, start, end)``); the SQL below is the fallback and matches it. Everything else is read here
directly, with ``?`` placeholders only, so that a change in another feature's schema is adjusted in one place.

What each number means:

* check-ins held: runs posted (``open`` or ``closed``) whose scheduled time falls in the window;
* response rate: answers / members asked, where "asked" is everyone who answered or skipped plus everyone a
  reminder was planned for and still needed (not those away or who had already answered);
* mood: answers with a mood on runs that asked for one, by the local day the run was held;
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

from bot.db.codec import from_epoch, to_epoch
from bot.db.database import Database
from bot.digest.models import MIN_MOOD_GROUP, CheckinCounts, CommitmentCounts, MoodCounts, MoodDay, WeekStats
from bot.wins.models import KeptCommitment


class CommitmentStats(Protocol):
    opened: int
    done: int
    renegotiated: int
    overdue: int


class CommitmentStatsProvider(Protocol):
    """What the digest needs from the commitments service."""

    async def stats(self, guild_id: int, start: datetime, end: datetime) -> Any: ...


# CROSS JOIN fixes SQLite's join order (a server's check-ins, then their runs by the (checkin_id, scheduled_at)
# index, then each run's answers by primary key): without statistics the planner would scan every answer. The
# join condition is in WHERE, because PostgreSQL accepts no ON after CROSS JOIN.
_POSTED_RUNS = (
    "SELECT r.id, r.scheduled_at, r.mood, r.anonymous_mood FROM checkins c "
    "CROSS JOIN checkin_runs r WHERE r.checkin_id = c.id "
    "AND c.guild_id = ? AND r.scheduled_at >= ? AND r.scheduled_at < ? AND r.status IN ('open', 'closed')"
)


#: Anonymous means anonymous: a mood figure is made of whole runs only, each closed (no more answers can come)
#: by the figure's end and with at least MIN_MOOD_GROUP mood answers. Two figures the bot shows therefore
#: differ by whole runs of at least that many answers, never by one member's answer.
_MOOD_RUNS = "AND r.mood = 1 AND r.status = 'closed' AND r.closes_at <= ?"
_PER_RUN = (
    "SELECT runs.id, runs.scheduled_at AS at, runs.anonymous_mood AS anonymous, count(*) AS n, "
    "coalesce(sum(a.mood), 0) AS total FROM runs CROSS JOIN checkin_answers a "
    "WHERE a.run_id = runs.id AND a.status = 'answered' AND a.mood IS NOT NULL "
    "GROUP BY runs.id, runs.scheduled_at, runs.anonymous_mood HAVING count(*) >= ?"
)


class DigestSources:
    def __init__(
        self,
        db: Database,
        *,
        commitments: Callable[[], CommitmentStatsProvider | None] | None = None,
    ) -> None:
        self.db = db
        self._commitments = commitments
        self._columns: dict[str, frozenset[str]] = {}

    # -- what this database has ----------------------------------------------------------------------------
    async def columns(self, table: str) -> frozenset[str]:
        """The table's columns (empty when it does not exist). Read once: migrations run before features."""
        if table not in self._columns:
            self._columns[table] = frozenset(await self.db.columns(table))
        return self._columns[table]

    async def has(self, table: str, *columns: str) -> bool:
        found = await self.columns(table)
        return bool(found) and set(columns) <= found

    async def _checkins_available(self) -> bool:
        return (
            await self.has("checkins", "id", "guild_id")
            and await self.has("checkin_runs", "checkin_id", "scheduled_at", "status", "mood", "anonymous_mood")
            and await self.has("checkin_answers", "run_id", "user_id", "status", "mood")
        )

    # -- check-ins -----------------------------------------------------------------------------------------
    async def checkins(self, guild_id: int, start: datetime, end: datetime) -> CheckinCounts | None:
        if not await self._checkins_available():
            return None
        reminders = await self.has("checkin_reminders", "run_id", "user_id", "status")
        asked_from_reminders = (
            "UNION SELECT run_id, user_id FROM checkin_reminders "
            "WHERE run_id IN (SELECT id FROM runs) AND status <> 'not_needed'"
            if reminders
            else ""
        )
        row = await self.db.fetchone(
            f"WITH runs AS ({_POSTED_RUNS}) "
            "SELECT (SELECT count(*) FROM runs) AS held, "
            "(SELECT count(*) FROM checkin_answers WHERE run_id IN (SELECT id FROM runs) AND status = 'answered') "
            "AS answered, "
            "(SELECT count(*) FROM (SELECT run_id, user_id FROM checkin_answers "
            f"WHERE run_id IN (SELECT id FROM runs) {asked_from_reminders}) AS asked_pairs) AS asked",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        if row is None:
            return CheckinCounts()
        return CheckinCounts(held=int(row["held"]), answered=int(row["answered"]), asked=int(row["asked"]))

    async def mood(self, guild_id: int, start: datetime, end: datetime) -> MoodCounts | None:
        """Mood answers of the runs held in ``[start, end)``, counting only whole runs that closed by ``end``
        with at least :data:`MIN_MOOD_GROUP` mood answers (see :data:`_MOOD_RUNS`)."""
        if not await self._checkins_available():
            return None
        row = await self.db.fetchone(
            f"WITH runs AS ({_POSTED_RUNS} {_MOOD_RUNS}), per_run AS ({_PER_RUN}) "
            "SELECT coalesce(sum(n), 0) AS n, coalesce(sum(total), 0) AS total, "
            "coalesce(sum(CASE WHEN anonymous <> 0 THEN n ELSE 0 END), 0) AS anonymous FROM per_run",
            (guild_id, to_epoch(start), to_epoch(end), to_epoch(end), MIN_MOOD_GROUP),
        )
        if row is None:
            return MoodCounts()
        return MoodCounts(count=int(row["n"]), anonymous=int(row["anonymous"]), total=int(row["total"]))

    async def mood_days(
        self, guild_id: int, days: Sequence[tuple[date, datetime, datetime]], as_of: datetime | None = None
    ) -> tuple[MoodDay, ...] | None:
        """Mood answers per local day; ``days`` from :func:`bot.digest.periods.chart_days`.

        SQLite sums per run (a few rows a day); the runs are put into local days here, which keeps the
        query a plain indexed range scan whatever the zone's day lengths.
        """
        if not await self._checkins_available():
            return None
        if not days:
            return ()
        until = as_of if as_of is not None else days[-1][2]
        rows = await self.db.fetchall(
            f"WITH runs AS ({_POSTED_RUNS} {_MOOD_RUNS}) {_PER_RUN}",
            (guild_id, to_epoch(days[0][1]), to_epoch(days[-1][2]), to_epoch(until), MIN_MOOD_GROUP),
        )
        starts = [to_epoch(start) for _, start, _ in days]
        tally = [[0, 0, 0] for _ in days]  # count, anonymous, total
        for row in rows:
            index = bisect.bisect_right(starts, int(row["at"])) - 1
            if index < 0 or int(row["at"]) >= to_epoch(days[index][2]):
                continue
            count = int(row["n"])
            tally[index][0] += count
            tally[index][1] += count if row["anonymous"] else 0
            tally[index][2] += int(row["total"])
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
        if not await self.has("commitments", "guild_id", "status", "opened_at", "closed_at", "due_at"):
            return None
        bounds = (guild_id, to_epoch(start), to_epoch(end))
        row = await self.db.fetchone(
            "SELECT "
            "(SELECT count(*) FROM commitments WHERE guild_id = ? AND opened_at >= ? AND opened_at < ?) AS opened, "
            "(SELECT count(*) FROM commitments WHERE guild_id = ? AND status = 'done' "
            "AND closed_at >= ? AND closed_at < ?) AS done, "
            "(SELECT count(*) FROM commitments WHERE guild_id = ? AND status IN ('open', 'done') "
            "AND due_at >= ? AND due_at < ? AND due_at < ? AND (closed_at IS NULL OR closed_at > due_at)) AS overdue",
            (*bounds, *bounds, *bounds, to_epoch(now)),
        )
        renegotiated = 0
        if await self.has("commitment_events", "guild_id", "kind", "at"):
            renegotiated = int(
                await self.db.fetchval(
                    "SELECT count(*) FROM commitment_events WHERE guild_id = ? AND kind = 'renegotiated' "
                    "AND at >= ? AND at < ?",
                    bounds,
                )
                or 0
            )
        if row is None:
            return CommitmentCounts(renegotiated=renegotiated)
        return CommitmentCounts(int(row["opened"]), int(row["done"]), renegotiated, int(row["overdue"]))

    async def kept_commitments(
        self, guild_id: int, start: datetime, end: datetime, limit: int = 100
    ) -> list[KeptCommitment]:
        """Commitments marked done in ``[start, end)``, newest first (for ``/wins``)."""
        if not await self.has(
            "commitments", "guild_id", "number", "owner_id", "creator_id", "text", "status", "closed_at",
            "source_channel_id",
        ):
            return []
        rows = await self.db.fetchall(
            "SELECT number, owner_id, creator_id, text, closed_at, source_channel_id FROM commitments "
            "WHERE guild_id = ? AND status = 'done' "
            "AND source_kind != 'repair' AND closed_at >= ? AND closed_at < ? "
            "ORDER BY closed_at DESC, number DESC LIMIT ?",
            (guild_id, to_epoch(start), to_epoch(end), limit),
        )
        return [
            KeptCommitment(
                number=int(row["number"]), owner_id=int(row["owner_id"]), text=str(row["text"]),
                closed_at=from_epoch(row["closed_at"]), creator_id=int(row["creator_id"]),
                source_channel_id=None if row["source_channel_id"] is None else int(row["source_channel_id"]),
            )
            for row in rows
        ]

    # -- wins, clarifications, repairs ----------------------------------------------------------------------
    async def wins(self, guild_id: int, start: datetime, end: datetime) -> int:
        value = await self.db.fetchval(
            "SELECT count(*) FROM wins WHERE guild_id = ? AND created_at >= ? AND created_at < ?",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        return int(value or 0)

    async def clarifications_answered(self, guild_id: int, start: datetime, end: datetime) -> int | None:
        if not await self.has("clarifications", "guild_id", "state", "closed_at"):
            return None
        value = await self.db.fetchval(
            "SELECT count(*) FROM clarifications WHERE guild_id = ? AND state = 'clarified' "
            "AND closed_at >= ? AND closed_at < ?",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        return int(value or 0)

    async def repairs_followed_up(self, guild_id: int, start: datetime, end: datetime) -> int | None:
        if not await self.has("repairs", "guild_id", "followup_done_at"):
            return None
        value = await self.db.fetchval(
            "SELECT count(*) FROM repairs WHERE guild_id = ? AND followup_done_at >= ? AND followup_done_at < ?",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        return int(value or 0)

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
