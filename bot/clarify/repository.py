"""Clarification requests in the database: parameterised SQL (``?`` only), dataclasses out.

Closing a request and sending its reminder are conditional updates, so a button press racing a reply, or a
restart in the middle of a reminder, can never close twice or remind twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clarify.models import Clarification, ClosedBy
from bot.db.claims import DueTable
from bot.db.codec import to_epoch
from bot.db.connection import IntegrityError
from bot.db.database import Database
from bot.db.rows import from_row
from bot.db.schema import has_columns
from bot.scheduling.shards import ShardScope


class DuplicateRequest(Exception):
    """This member already has an open request about this message."""


#: Open requests whose one reminder is due: the dispatcher's work (see :mod:`bot.clarify.reminders`).
REMINDERS_DUE = DueTable("clarifications", due="remind_at", pending="state = 'open' AND remind_delivery IS NULL")


def _clarification(row: Any) -> Clarification:
    return from_row(Clarification, row)


class ClarifyRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def available(self) -> bool:
        """Whether this database has the clarification table (for readers in other features)."""
        return await has_columns(self.db, "clarifications", "guild_id", "state", "closed_at")

    async def create(
        self,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int,
        author_id: int,
        asker_id: int,
        question: str | None,
        now: datetime,
    ) -> Clarification:
        try:
            async with self.db.transaction() as conn:
                cursor = await conn.execute(
                    "INSERT INTO clarifications (guild_id, channel_id, message_id, author_id, asker_id, question, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (guild_id, channel_id, message_id, author_id, asker_id, question, to_epoch(now)),
                )
                inserted = await cursor.fetchone()
                clarification_id = int(inserted[0]) if inserted is not None else 0
        except IntegrityError as error:
            if error.unique:
                raise DuplicateRequest(str(error)) from error
            raise
        found = await self.get(clarification_id)
        assert found is not None
        return found

    async def get(self, clarification_id: int) -> Clarification | None:
        row = await self.db.fetchone("SELECT * FROM clarifications WHERE id = ?", (clarification_id,))
        return None if row is None else _clarification(row)

    async def open_for(self, message_id: int, asker_id: int) -> Clarification | None:
        row = await self.db.fetchone(
            "SELECT * FROM clarifications WHERE message_id = ? AND asker_id = ? AND state = 'open'",
            (message_id, asker_id),
        )
        return None if row is None else _clarification(row)

    async def attach(self, clarification_id: int, thread_id: int, request_message_id: int,
                     remind_at: datetime) -> None:
        await self.db.execute(
            "UPDATE clarifications SET thread_id = ?, request_message_id = ?, remind_at = ? WHERE id = ?",
            (thread_id, request_message_id, to_epoch(remind_at), clarification_id),
        )

    async def delete_orphans(self) -> int:
        """Open requests whose message was never posted (a crash or a failed step): they would block asking
        again about the same message. Called at start-up."""
        where = "state = 'open' AND request_message_id IS NULL"
        before = await self.db.fetchval(f"SELECT count(*) FROM clarifications WHERE {where}")
        await self.db.execute(f"DELETE FROM clarifications WHERE {where}")
        return int(before or 0)

    async def delete(self, clarification_id: int) -> None:
        await self.db.execute("DELETE FROM clarifications WHERE id = ?", (clarification_id,))

    async def close(self, clarification_id: int, closed_by: ClosedBy, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE clarifications SET state = 'clarified', closed_by = ?, closed_at = ? "
                "WHERE id = ? AND state = 'open'",
                (closed_by, to_epoch(now), clarification_id),
            )
            return cursor.rowcount == 1

    async def open_in_thread(self, thread_id: int, author_id: int) -> list[Clarification]:
        rows = await self.db.fetchall(
            "SELECT * FROM clarifications WHERE thread_id = ? AND author_id = ? AND state = 'open' ORDER BY id",
            (thread_id, author_id),
        )
        return [_clarification(row) for row in rows]

    async def open_asked_by(self, guild_id: int, user_id: int, limit: int = 100) -> list[Clarification]:
        rows = await self.db.fetchall(
            "SELECT * FROM clarifications WHERE guild_id = ? AND asker_id = ? AND state = 'open' "
            "AND request_message_id IS NOT NULL ORDER BY id LIMIT ?",
            (guild_id, user_id, limit),
        )
        return [_clarification(row) for row in rows]

    async def open_received_by(self, guild_id: int, user_id: int, limit: int = 100) -> list[Clarification]:
        rows = await self.db.fetchall(
            "SELECT * FROM clarifications WHERE guild_id = ? AND author_id = ? AND state = 'open' "
            "AND request_message_id IS NOT NULL ORDER BY id LIMIT ?",
            (guild_id, user_id, limit),
        )
        return [_clarification(row) for row in rows]

    async def next_reminder_due(self, scope: ShardScope) -> datetime | None:
        return await REMINDERS_DUE.next_due(self.db, scope)

    async def claim_due_reminders(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[Clarification]:
        return [_clarification(row) for row in await REMINDERS_DUE.claim(self.db, now, owner, until, limit, scope)]

    async def release_claim(self, clarification_id: int, owner: str) -> None:
        await REMINDERS_DUE.release(self.db, clarification_id, owner)

    async def postpone_reminder(self, clarification_id: int, at: datetime) -> None:
        await self.db.execute(
            "UPDATE clarifications SET remind_at = ? WHERE id = ? AND reminded_at IS NULL",
            (to_epoch(at), clarification_id),
        )

    async def begin_reminder(self, clarification_id: int, owner: str, now: datetime) -> bool:
        """Note the reminder's first try (``reminded_at``) while we hold its claim; False if it was already tried
        or the claim was taken over. The row stays due until :meth:`finish_reminder`."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE clarifications SET reminded_at = ? WHERE id = ? AND state = 'open' AND reminded_at IS NULL "
                "AND claimed_by = ?",
                (to_epoch(now), clarification_id, owner),
            )
            return cursor.rowcount == 1

    async def finish_reminder(self, clarification_id: int, delivery: str) -> None:
        await self.db.execute(
            "UPDATE clarifications SET remind_delivery = ? WHERE id = ? AND remind_delivery IS NULL",
            (delivery, clarification_id),
        )

    async def answered_count(self, guild_id: int, start: datetime, end: datetime) -> int:
        value = await self.db.fetchval(
            "SELECT count(*) FROM clarifications WHERE guild_id = ? AND state = 'clarified' "
            "AND closed_at >= ? AND closed_at < ?",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        return int(value or 0)
