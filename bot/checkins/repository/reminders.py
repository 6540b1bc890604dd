"""The ``checkin_reminders`` table: one planned reminder per (run, member), claimed when it is due."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.checkins.models import Reminder, ReminderStatus
from bot.checkins.repository.mapping import reminder_from_row
from bot.db.codec import from_epoch, to_epoch
from bot.db.connection import Connection
from bot.db.database import Database
from bot.scheduling.shards import ShardScope


def _of_scope(scope: ShardScope) -> str:
    if scope.everything:
        return ""
    return (
        " AND run_id IN (SELECT r.id FROM checkin_runs r JOIN checkins c ON c.id = r.checkin_id "
        f"WHERE {scope.sql('c.guild_id')})"
    )


#: A reminder still to send: planned, or cut short while being sent (``sending``, sent again or settled).
_TO_SEND = "status IN ('pending', 'sending')"


class ReminderRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_reminders(
        self, conn: Connection, run_id: int, planned: Iterable[tuple[int, datetime, ReminderStatus]]
    ) -> None:
        await conn.executemany(
            "INSERT INTO checkin_reminders (run_id, user_id, due_at, status) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (run_id, user_id) DO NOTHING",
            [(run_id, user_id, to_epoch(due), status) for user_id, due, status in planned],
        )

    async def reminders_for_run(self, run_id: int) -> list[Reminder]:
        rows = await self.db.fetchall("SELECT * FROM checkin_reminders WHERE run_id = ? ORDER BY user_id", (run_id,))
        return [reminder_from_row(r) for r in rows]

    async def start_sending(self, run_id: int, user_id: int, owner: str, now: datetime) -> bool:
        """Note the first try of a reminder we hold the claim on (``sending``, ``sent_at`` now), keeping the claim;
        :meth:`finish` records how it went. A crash in between leaves it ``sending`` and due once the claim is
        gone: it is sent again (the same nonce) within the resend window. False if the claim was taken over."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_reminders SET status = 'sending', sent_at = ? "
                "WHERE run_id = ? AND user_id = ? AND status = 'pending' AND claimed_by = ?",
                (to_epoch(now), run_id, user_id, owner),
            )
            return cursor.rowcount > 0

    async def finish(
        self, run_id: int, user_id: int, status: ReminderStatus, now: datetime, *, sent_at: datetime | None = None
    ) -> None:
        """Record how it ended (``sent_at``: when, unless a first try's time is kept) and clear the claim."""
        await self.db.execute(
            "UPDATE checkin_reminders SET status = ?, sent_at = ?, claimed_by = NULL, claimed_until = NULL "
            "WHERE run_id = ? AND user_id = ?",
            (status, to_epoch(sent_at or now), run_id, user_id),
        )

    # -- due reminders: their claims -------------------------------------------------------------------
    async def claim_holders(self) -> list[str]:
        """Who holds claims on due rows (a dead holder's claims may be taken over: bot.scheduling.owners)."""
        rows = await self.db.fetchall(
            f"SELECT DISTINCT claimed_by FROM checkin_reminders WHERE {_TO_SEND} AND claimed_until IS NOT NULL"
        )
        return [r["claimed_by"] for r in rows if r["claimed_by"] is not None]

    async def drop_claims_of(self, owner: str) -> None:
        await self.db.execute(
            "UPDATE checkin_reminders SET claimed_by = NULL, claimed_until = NULL "
            f"WHERE {_TO_SEND} AND claimed_by = ?",
            (owner,),
        )

    async def next_due(self, scope: ShardScope) -> datetime | None:
        value = await self.db.fetchval(
            "SELECT min(CASE WHEN claimed_until > due_at THEN claimed_until ELSE due_at END) FROM checkin_reminders "
            f"WHERE {_TO_SEND}{_of_scope(scope)}"
        )
        return None if value is None else from_epoch(value)

    async def claim_due(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[Reminder]:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_reminders SET claimed_by = ?, claimed_until = ? WHERE (run_id, user_id) IN "
                f"(SELECT run_id, user_id FROM checkin_reminders WHERE {_TO_SEND} AND due_at <= ? "
                f"AND (claimed_until IS NULL OR claimed_until <= ?){_of_scope(scope)} "
                f"ORDER BY due_at, run_id, user_id LIMIT ? {self.db.skip_locked}) RETURNING *",
                (owner, to_epoch(until), to_epoch(now), to_epoch(now), limit),
            )
            rows = await cursor.fetchall()
            await cursor.close()
        return sorted((reminder_from_row(r) for r in rows), key=lambda r: (r.due_at, r.run_id, r.user_id))
