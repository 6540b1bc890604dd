"""What the weekly digest (and ``/about``) read from check-ins: counts, never an answer's text.

The check-ins feature owns these queries (other features call them; they never read check-in tables). What
each number means:

* held: runs posted (``open`` or ``closed``) whose scheduled time falls in the window;
* answered / asked: answers, and members asked: everyone who answered or skipped plus everyone a reminder was
  planned for and still needed (not those away or who had already answered);
* mood: answers with a mood, on whole runs that asked for one, closed by the figure's end (no more answers can
  come) and with at least ``min_group`` mood answers. Two figures shown therefore differ by whole runs of at
  least that many answers, never by one member's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import to_epoch
from bot.db.database import Database
from bot.db.schema import has_columns

# CROSS JOIN fixes SQLite's join order (a server's check-ins, then their runs by the (checkin_id, scheduled_at)
# index, then each run's answers by primary key): without statistics the planner would scan every answer. The
# join condition is in WHERE, because PostgreSQL accepts no ON after CROSS JOIN.
_POSTED_RUNS = (
    "SELECT r.id, r.scheduled_at, r.mood, r.anonymous_mood FROM checkins c "
    "CROSS JOIN checkin_runs r WHERE r.checkin_id = c.id "
    "AND c.guild_id = ? AND r.scheduled_at >= ? AND r.scheduled_at < ? AND r.status IN ('open', 'closed')"
)
_MOOD_RUNS = "AND r.mood = 1 AND r.status = 'closed' AND r.closes_at <= ?"
_PER_RUN = (
    "SELECT runs.id, runs.scheduled_at AS at, runs.anonymous_mood AS anonymous, count(*) AS n, "
    "coalesce(sum(a.mood), 0) AS total FROM runs CROSS JOIN checkin_answers a "
    "WHERE a.run_id = runs.id AND a.status = 'answered' AND a.mood IS NOT NULL "
    "GROUP BY runs.id, runs.scheduled_at, runs.anonymous_mood HAVING count(*) >= ?"
)


@dataclass(frozen=True, slots=True)
class RunTotals:
    held: int = 0
    answered: int = 0
    asked: int = 0


@dataclass(frozen=True, slots=True)
class MoodTotals:
    count: int = 0
    anonymous: int = 0
    total: int = 0  # the sum of the moods (1-5)


@dataclass(frozen=True, slots=True)
class RunMood:
    """The mood answers of one run that counts (see the module's rule)."""

    scheduled_at: int  # epoch seconds
    anonymous: bool
    count: int
    total: int


class CheckinDigestQueries:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._available: bool | None = None
        self._reminders: bool | None = None

    async def available(self) -> bool:
        """Whether this database has the check-in tables (read once: migrations run before features)."""
        if self._available is None:
            self._available = (
                await has_columns(self.db, "checkins", "id", "guild_id")
                and await has_columns(
                    self.db, "checkin_runs", "checkin_id", "scheduled_at", "status", "mood", "anonymous_mood"
                )
                and await has_columns(self.db, "checkin_answers", "run_id", "user_id", "status", "mood")
            )
        return self._available

    async def schedule_count(self) -> int:
        """Check-in schedules not deleted, in every server (the count ``/about`` shows)."""
        return int(await self.db.fetchval("SELECT count(*) FROM checkins WHERE deleted_at IS NULL") or 0)

    async def run_totals(self, guild_id: int, start: datetime, end: datetime) -> RunTotals:
        if self._reminders is None:
            self._reminders = await has_columns(self.db, "checkin_reminders", "run_id", "user_id", "status")
        asked_from_reminders = (
            "UNION SELECT run_id, user_id FROM checkin_reminders "
            "WHERE run_id IN (SELECT id FROM runs) AND status <> 'not_needed'"
            if self._reminders
            else ""
        )
        row = await self.db.fetchone(
            f"WITH runs AS ({_POSTED_RUNS}) "
            "SELECT (SELECT count(*) FROM runs) AS held, "
            "(SELECT count(*) FROM checkin_answers WHERE run_id IN (SELECT id FROM runs) AND status = 'answered') "
            "AS answered, "
            "(SELECT count(*) FROM (SELECT run_id, user_id FROM checkin_answers "
            f"WHERE run_id IN (SELECT id FROM runs) {asked_from_reminders}) AS asked_members) AS asked",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        if row is None:
            return RunTotals()
        return RunTotals(held=int(row["held"]), answered=int(row["answered"]), asked=int(row["asked"]))

    async def mood_totals(self, guild_id: int, start: datetime, end: datetime, min_group: int) -> MoodTotals:
        """Mood answers of the runs held in ``[start, end)`` that count by ``end``."""
        row = await self.db.fetchone(
            f"WITH runs AS ({_POSTED_RUNS} {_MOOD_RUNS}), per_run AS ({_PER_RUN}) "
            "SELECT coalesce(sum(n), 0) AS n, coalesce(sum(total), 0) AS total, "
            "coalesce(sum(CASE WHEN anonymous <> 0 THEN n ELSE 0 END), 0) AS anonymous FROM per_run",
            (guild_id, to_epoch(start), to_epoch(end), to_epoch(end), min_group),
        )
        if row is None:
            return MoodTotals()
        return MoodTotals(count=int(row["n"]), anonymous=int(row["anonymous"]), total=int(row["total"]))

    async def mood_runs(
        self, guild_id: int, start: datetime, end: datetime, until: datetime, min_group: int
    ) -> list[RunMood]:
        """Each counting run held in ``[start, end)`` and closed by ``until``: a few rows a day, a plain indexed
        range scan whatever the zone's day lengths (the digest puts them into local days)."""
        rows = await self.db.fetchall(
            f"WITH runs AS ({_POSTED_RUNS} {_MOOD_RUNS}) {_PER_RUN}",
            (guild_id, to_epoch(start), to_epoch(end), to_epoch(until), min_group),
        )
        return [RunMood(int(row["at"]), bool(row["anonymous"]), int(row["n"]), int(row["total"])) for row in rows]
