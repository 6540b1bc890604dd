"""Digest schedules and posts in the database: parameterised SQL (``?`` only), dataclasses out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db.claims import DueTable
from bot.db.codec import to_epoch
from bot.db.connection import Connection
from bot.db.database import Database
from bot.db.rows import from_row
from bot.digest.models import DigestPost, DigestSchedule
from bot.scheduling.shards import EVERY_SHARD, ShardScope

#: Servers whose digest is due: the dispatcher's work (see :mod:`bot.digest.posting`).
SCHEDULES_DUE = DueTable("digest_schedules", due="next_run_at", key="guild_id")
#: Posts recorded but not sent (their sender stopped): due from the moment they were recorded.
POSTS_UNSENT = DueTable("digest_posts", due="recorded_at", pending="status = 'posting'")


def _schedule(row: Any) -> DigestSchedule:
    return from_row(DigestSchedule, row)


def _post(row: Any) -> DigestPost:
    return from_row(DigestPost, row)


class DigestRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- schedules -----------------------------------------------------------------------------------------
    async def schedule(self, guild_id: int) -> DigestSchedule | None:
        row = await self.db.fetchone("SELECT * FROM digest_schedules WHERE guild_id = ?", (guild_id,))
        return None if row is None else _schedule(row)

    async def schedules(self, scope: ShardScope = EVERY_SHARD) -> list[DigestSchedule]:
        rows = await self.db.fetchall(f"SELECT * FROM digest_schedules WHERE {scope.sql('guild_id')} ORDER BY guild_id")
        return [_schedule(row) for row in rows]

    async def save_schedule(
        self,
        *,
        guild_id: int,
        channel_id: int,
        schedule: str,
        timezone: str,
        next_run_at: datetime,
        created_by: int,
        now: datetime,
    ) -> DigestSchedule:
        await self.db.execute(
            "INSERT INTO digest_schedules (guild_id, channel_id, schedule, timezone, next_run_at, created_by, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "channel_id = excluded.channel_id, schedule = excluded.schedule, timezone = excluded.timezone, "
            "next_run_at = excluded.next_run_at, created_by = excluded.created_by, updated_at = excluded.updated_at",
            (guild_id, channel_id, schedule, timezone, to_epoch(next_run_at), created_by, to_epoch(now)),
        )
        found = await self.schedule(guild_id)
        assert found is not None
        return found

    async def delete_schedule(self, guild_id: int) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM digest_schedules WHERE guild_id = ?", (guild_id,))
            return cursor.rowcount == 1

    async def set_next_run(self, conn: Connection, guild_id: int, expected: datetime, at: datetime) -> bool:
        """Move the schedule on, only if nobody else did first (a stale timer finds nothing to update)."""
        cursor = await conn.execute(
            "UPDATE digest_schedules SET next_run_at = ?, claimed_by = NULL, claimed_until = NULL "
            "WHERE guild_id = ? AND next_run_at = ?",
            (to_epoch(at), guild_id, to_epoch(expected)),
        )
        return cursor.rowcount == 1

    async def next_schedule_due(self, scope: ShardScope) -> datetime | None:
        return await SCHEDULES_DUE.next_due(self.db, scope)

    async def claim_due_schedules(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[DigestSchedule]:
        return [_schedule(row) for row in await SCHEDULES_DUE.claim(self.db, now, owner, until, limit, scope)]

    async def release_schedule(self, guild_id: int, owner: str) -> None:
        await SCHEDULES_DUE.release(self.db, guild_id, owner)

    # -- posts ---------------------------------------------------------------------------------------------
    async def insert_post(
        self, conn: Connection, *, guild_id: int, scheduled_at: datetime, channel_id: int, status: str,
        now: datetime, failure: str | None = None, claim: tuple[str, datetime] | None = None,
    ) -> int | None:
        """Record a post for (server, scheduled instant); None when one was already recorded.

        ``claim`` (owner, until): the post is recorded already claimed by the process about to send it.
        """
        owner, until = claim if claim is not None else (None, None)
        cursor = await conn.execute(
            "INSERT INTO digest_posts (guild_id, scheduled_at, channel_id, status, recorded_at, failure, "
            "claimed_by, claimed_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, scheduled_at) DO NOTHING RETURNING id",
            (guild_id, to_epoch(scheduled_at), channel_id, status, to_epoch(now), failure, owner,
             None if until is None else to_epoch(until)),
        )
        row = await cursor.fetchone()
        return None if row is None else int(row[0])

    async def post(self, post_id: int) -> DigestPost | None:
        row = await self.db.fetchone("SELECT * FROM digest_posts WHERE id = ?", (post_id,))
        return None if row is None else _post(row)

    async def posts(self, guild_id: int) -> list[DigestPost]:
        rows = await self.db.fetchall(
            "SELECT * FROM digest_posts WHERE guild_id = ? ORDER BY scheduled_at", (guild_id,)
        )
        return [_post(row) for row in rows]

    async def next_post_due(self, scope: ShardScope) -> datetime | None:
        return await POSTS_UNSENT.next_due(self.db, scope)

    async def claim_unsent_posts(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[DigestPost]:
        return [_post(row) for row in await POSTS_UNSENT.claim(self.db, now, owner, until, limit, scope)]

    async def mark_posted(self, post_id: int, message_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE digest_posts SET status = 'posted', message_id = ?, posted_at = ?, failure = NULL, "
            "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND status = 'posting'",
            (message_id, to_epoch(now), post_id),
        )

    async def mark_failed(self, post_id: int, reason: str) -> None:
        await self.db.execute(
            "UPDATE digest_posts SET status = 'failed', failure = ?, claimed_by = NULL, claimed_until = NULL "
            "WHERE id = ? AND status = 'posting'",
            (reason, post_id),
        )
