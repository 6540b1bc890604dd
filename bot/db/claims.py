"""Leased claims over a table of due work: the three statements a :class:`~bot.scheduling.dispatch.DueWork`
source runs, written once.

A table of due work has a due column (epoch seconds; NULL when nothing is planned), ``claimed_by`` and
``claimed_until``. A row is claimable when it is due and not under a live lease; claiming sets the lease in one
atomic ``UPDATE … RETURNING`` (with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, through
:attr:`Database.skip_locked`). The owner releases its claim when the action is over; a claim left by a process
that died ends by itself.

Table and column names are trusted names written in the repositories, never user input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.codec import from_epoch, to_epoch
from bot.db.database import Database
from bot.scheduling.shards import ShardScope


@dataclass(frozen=True, slots=True)
class DueTable:
    table: str
    #: The due column: the instant the row's next action is due.
    due: str
    #: A WHERE fragment for rows whose action is still pending (besides a due instant), or "".
    pending: str = ""
    #: The column holding the row's server, for the shard scope.
    guild: str = "guild_id"
    key: str = "id"
    #: For a table without its server's column: a semi-join reaching it, with ``{scope}`` where the server test
    #: on that table's ``guild_id`` goes (e.g. ``checkin_id IN (SELECT id FROM checkins WHERE {scope})``).
    scope_via: str = ""

    def _where(self, scope: ShardScope) -> str:
        extra = f" AND {self.pending}" if self.pending else ""
        if scope.everything:
            return f"{self.due} IS NOT NULL{extra}"
        ours = self.scope_via.format(scope=scope.sql("guild_id")) if self.scope_via else scope.sql(self.guild)
        return f"{self.due} IS NOT NULL{extra} AND {ours}"

    async def next_due(self, db: Database, scope: ShardScope) -> datetime | None:
        """The earliest instant a row becomes claimable: its due instant, or the end of a live lease on it.

        Two index-backed reads: the first unclaimed row in due order, and the (few) rows under a claim.
        """
        where = self._where(scope)
        row = await db.fetchone(
            f"SELECT (SELECT {self.due} FROM {self.table} WHERE {where} AND claimed_until IS NULL "
            f"ORDER BY {self.due} LIMIT 1) AS free, "
            f"(SELECT min(CASE WHEN claimed_until > {self.due} THEN claimed_until ELSE {self.due} END) "
            f"FROM {self.table} WHERE claimed_until IS NOT NULL AND {where}) AS leased"
        )
        if row is None:
            return None
        values = [int(value) for value in (row[0], row[1]) if value is not None]
        return from_epoch(min(values)) if values else None

    async def claim(
        self, db: Database, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[Any]:
        """Claim up to ``limit`` due rows not under a live lease, earliest first; the claimed rows, whole."""
        async with db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE {self.table} SET claimed_by = ?, claimed_until = ? WHERE {self.key} IN ("
                f"SELECT {self.key} FROM {self.table} WHERE {self._where(scope)} AND {self.due} <= ? "
                f"AND (claimed_until IS NULL OR claimed_until <= ?) "
                f"ORDER BY {self.due}, {self.key} LIMIT ?{db.skip_locked}) RETURNING *",
                (owner, to_epoch(until), to_epoch(now), to_epoch(now), limit),
            )
            rows = list(await cursor.fetchall())
        rows.sort(key=lambda row: (row[self.due], row[self.key]))
        return rows

    async def release(self, db: Database, key: int, owner: str) -> None:
        """End our claim on a row (a claim taken over by another process meanwhile is left alone)."""
        await db.execute(
            f"UPDATE {self.table} SET claimed_by = NULL, claimed_until = NULL "
            f"WHERE {self.key} = ? AND claimed_by = ?",
            (key, owner),
        )

    async def holders(self, db: Database) -> list[str]:
        """Who holds claims on pending rows (a dead holder's may be taken over: :func:`bot.scheduling.owners.gone`)."""
        extra = f" AND {self.pending}" if self.pending else ""
        rows = await db.fetchall(
            f"SELECT DISTINCT claimed_by FROM {self.table} "
            f"WHERE {self.due} IS NOT NULL{extra} AND claimed_until IS NOT NULL"
        )
        return [row[0] for row in rows if row[0] is not None]

    async def drop_claims_of(self, db: Database, owner: str) -> None:
        """End every claim of ``owner`` (a process that is gone) on pending rows, so they are due at once."""
        extra = f" AND {self.pending}" if self.pending else ""
        await db.execute(
            f"UPDATE {self.table} SET claimed_by = NULL, claimed_until = NULL "
            f"WHERE {self.due} IS NOT NULL{extra} AND claimed_by = ?",
            (owner,),
        )

    async def claim_one(self, db: Database, key: int, now: datetime, owner: str, until: datetime) -> Any | None:
        """Claim one pending row now, whatever its due instant, unless it is under a live lease; the row, whole."""
        extra = f" AND {self.pending}" if self.pending else ""
        async with db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE {self.table} SET claimed_by = ?, claimed_until = ? WHERE {self.key} = ? "
                f"AND {self.due} IS NOT NULL{extra} AND (claimed_until IS NULL OR claimed_until <= ?) RETURNING *",
                (owner, to_epoch(until), key, to_epoch(now)),
            )
            return await cursor.fetchone()
