"""The ``checkin_runs`` table: one row per (check-in, scheduled instant), and the claims of runs whose next step
(post, open the thread, plan reminders, close, share the digest) is due."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.checkins.models import CheckIn, Run, RunCounts, RunKind, RunStatus
from bot.checkins.repository.mapping import run_from_row, to_json
from bot.db.claims import DueTable
from bot.db.codec import to_epoch, to_epoch_or_none
from bot.db.connection import Connection
from bot.db.database import Database
from bot.scheduling.shards import ShardScope

#: A run's next step is due at ``due_at``; its server is its check-in's (a semi-join, so no check-in row is locked).
RUNS_DUE = DueTable("checkin_runs", due="due_at", scope_via="checkin_id IN (SELECT id FROM checkins WHERE {scope})")


class RunRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def insert_run(
        self,
        conn: Connection,
        checkin: CheckIn,
        *,
        scheduled_at: datetime,
        kind: RunKind,
        status: RunStatus,
        late: bool,
        closes_at: datetime,
        remind_at: datetime | None,
        now: datetime,
        claimed_by: str | None = None,
        claimed_until: datetime | None = None,
    ) -> Run | None:
        """Record a run inside ``conn``'s transaction; None when that (check-in, instant) already exists.

        A run to be posted is due at once; ``claimed_by`` records it claimed by the process that posts it now.
        """
        cursor = await conn.execute(
            "INSERT INTO checkin_runs (checkin_id, scheduled_at, kind, status, late, name, questions, mood, "
            "anonymous_mood, channel_id, closes_at, remind_at, recorded_at, due_at, claimed_by, claimed_until) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (checkin_id, scheduled_at) DO NOTHING "
            "RETURNING *",
            (
                checkin.id,
                to_epoch(scheduled_at),
                kind,
                status,
                int(late),
                checkin.name,
                to_json(checkin.questions),
                int(checkin.mood),
                int(checkin.anonymous_mood),
                checkin.channel_id,
                to_epoch(closes_at),
                to_epoch_or_none(remind_at),
                to_epoch(now),
                to_epoch(now) if status == "posting" else None,
                claimed_by,
                to_epoch_or_none(claimed_until),
            ),
        )
        row = await cursor.fetchone()
        await cursor.close()
        return None if row is None else run_from_row(row)

    async def get_run(self, run_id: int) -> Run | None:
        row = await self.db.fetchone("SELECT * FROM checkin_runs WHERE id = ?", (run_id,))
        return None if row is None else run_from_row(row)

    async def get_run_and_guild(self, run_id: int) -> tuple[Run, int] | None:
        """A run with its check-in's server, in one read (what a button or form needs to check who may use it)."""
        row = await self.db.fetchone(
            "SELECT r.*, c.guild_id AS checkin_guild_id FROM checkin_runs r JOIN checkins c ON c.id = r.checkin_id "
            "WHERE r.id = ?",
            (run_id,),
        )
        return None if row is None else (run_from_row(row), int(row["checkin_guild_id"]))

    async def run_at(self, checkin_id: int, scheduled_at: datetime) -> Run | None:
        row = await self.db.fetchone(
            "SELECT * FROM checkin_runs WHERE checkin_id = ? AND scheduled_at = ?",
            (checkin_id, to_epoch(scheduled_at)),
        )
        return None if row is None else run_from_row(row)

    async def runs_with_status(self, *statuses: RunStatus, checkin_id: int | None = None) -> list[Run]:
        marks = ", ".join("?" for _ in statuses)
        params: list[object] = list(statuses)
        where = f"status IN ({marks})"
        if checkin_id is not None:
            where += " AND checkin_id = ?"
            params.append(checkin_id)
        rows = await self.db.fetchall(f"SELECT * FROM checkin_runs WHERE {where} ORDER BY id", params)
        return [run_from_row(r) for r in rows]

    async def latest_open_run(self, checkin_id: int) -> Run | None:
        row = await self.db.fetchone(
            "SELECT * FROM checkin_runs WHERE checkin_id = ? AND status = 'open' ORDER BY scheduled_at DESC LIMIT 1",
            (checkin_id,),
        )
        return None if row is None else run_from_row(row)

    async def open_runs_in_guild(self, guild_id: int) -> list[Run]:
        rows = await self.db.fetchall(
            "SELECT r.* FROM checkin_runs r JOIN checkins c ON c.id = r.checkin_id "
            "WHERE c.guild_id = ? AND c.deleted_at IS NULL AND r.status = 'open' ORDER BY r.scheduled_at DESC",
            (guild_id,),
        )
        return [run_from_row(r) for r in rows]

    async def recent_runs(self, checkin_id: int, limit: int = 5) -> list[RunCounts]:
        rows = await self.db.fetchall(
            "SELECT r.*, "
            "(SELECT count(*) FROM checkin_answers a WHERE a.run_id = r.id AND a.status = 'answered') AS n_answered, "
            "(SELECT count(*) FROM checkin_answers a WHERE a.run_id = r.id AND a.status = 'skipped') AS n_skipped "
            "FROM checkin_runs r WHERE r.checkin_id = ? ORDER BY r.scheduled_at DESC LIMIT ?",
            (checkin_id, limit),
        )
        return [RunCounts(run_from_row(r), r["n_answered"], r["n_skipped"]) for r in rows]

    async def unnoted_missed(self, checkin_id: int, before: datetime) -> list[Run]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkin_runs WHERE checkin_id = ? AND status = 'missed' AND noted_in_run_id IS NULL "
            "AND scheduled_at < ? ORDER BY scheduled_at",
            (checkin_id, to_epoch(before)),
        )
        return [run_from_row(r) for r in rows]

    # -- a run's steps ---------------------------------------------------------------------------------
    async def mark_posted(self, run_id: int, message_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE checkin_runs SET message_id = ?, posted_at = ?, "
            "status = CASE WHEN status = 'posting' THEN 'open' ELSE status END WHERE id = ?",
            (message_id, to_epoch(now), run_id),
        )

    async def set_thread(self, run_id: int, thread_id: int) -> None:
        await self.db.execute("UPDATE checkin_runs SET thread_id = ? WHERE id = ?", (thread_id, run_id))

    async def fail_run(self, run_id: int, reason: str, now: datetime, status: RunStatus = "failed") -> None:
        await self.db.execute(
            "UPDATE checkin_runs SET status = ?, failure = ?, closed_at = ?, due_at = NULL "
            "WHERE id = ? AND status IN ('posting', 'open')",
            (status, reason, to_epoch(now), run_id),
        )

    async def set_reminders_planned(self, conn: Connection, run_id: int) -> bool:
        cursor = await conn.execute(
            "UPDATE checkin_runs SET reminders_planned = 1 WHERE id = ? AND reminders_planned = 0 AND status = 'open'",
            (run_id,),
        )
        return cursor.rowcount > 0

    async def claim_close(self, run_id: int, now: datetime) -> bool:
        """Move an open run to closed; True only for the caller that did it."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_runs SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
                (to_epoch(now), run_id),
            )
            if cursor.rowcount == 0:
                return False
            await conn.execute(
                "UPDATE checkin_reminders SET status = 'dropped' WHERE run_id = ? AND status = 'pending'", (run_id,)
            )
            return True

    async def mark_digest_posted(self, run_id: int, now: datetime, noted_missed: Iterable[int]) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE checkin_runs SET digest_posted_at = ?, due_at = NULL WHERE id = ?", (to_epoch(now), run_id)
            )
            await conn.executemany(
                "UPDATE checkin_runs SET noted_in_run_id = ? WHERE id = ? AND noted_in_run_id IS NULL",
                [(run_id, missed) for missed in noted_missed],
            )

    async def mark_digest_failed(self, run_id: int, reason: str) -> bool:
        """The digest could not be shared: recorded as such (never as posted); True only the first time."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_runs SET failure = ?, due_at = NULL WHERE id = ? AND status = 'closed' "
                "AND digest_posted_at IS NULL AND failure IS NULL",
                (f"the digest was not shared: {reason}", run_id),
            )
            return cursor.rowcount == 1

    # -- due steps: the runs' claims -------------------------------------------------------------------
    async def claim_holders(self) -> list[str]:
        """Who holds claims on due rows (a dead holder's claims may be taken over: bot.scheduling.owners)."""
        return await RUNS_DUE.holders(self.db)

    async def drop_claims_of(self, owner: str) -> None:
        await RUNS_DUE.drop_claims_of(self.db, owner)

    async def next_due(self, scope: ShardScope) -> datetime | None:
        """The earliest due step of a run of ours (or the end of a claim on one); None when none is pending."""
        return await RUNS_DUE.next_due(self.db, scope)

    async def claim_due(self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope) -> list[Run]:
        rows = await RUNS_DUE.claim(self.db, now, owner, until, limit, scope)
        return sorted((run_from_row(r) for r in rows), key=lambda r: r.id)

    async def move_on(self, run_id: int, owner: str, due_at: datetime | None, attempts: int) -> bool:
        """Point a run we claimed at its next step (None: nothing left) and clear the claim."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_runs SET due_at = "
                "CASE WHEN status IN ('posting', 'open', 'closed') THEN CAST(? AS BIGINT) END, "
                "attempts = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?",
                (to_epoch_or_none(due_at), attempts, run_id, owner),
            )
            return cursor.rowcount > 0
