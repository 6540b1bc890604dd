"""The PostgreSQL shard locks and IDENTIFY gate: session advisory locks on a connection of their own.

Imported only when ``DATABASE_URL`` selects PostgreSQL, so a SQLite-only installation never imports
asyncpg. The connection is a plain asyncpg connection, independent of the storage layer's pool: a
session advisory lock lives exactly as long as the connection that took it, so the server releases it the
moment the holder dies (``kill -9``, a lost machine: when the server notices the broken connection).

Keys use the two-integer form, ``pg_try_advisory_lock(namespace, n)``, which never collides with the
one-bigint form other software may use.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg

from bot.shardlock import IDENTIFY_WINDOW

log = logging.getLogger(__name__)

#: ``'Rapp'`` and ``'Rapi'`` as 32-bit integers: shard locks and IDENTIFY buckets.
SHARD_NAMESPACE = 0x52617070
IDENTIFY_NAMESPACE = 0x52617069
#: In the shard namespace, a key no shard uses: held while a process migrates the database.
MIGRATION_KEY = -1

_HOLDER = """
SELECT a.pid, a.application_name, host(a.client_addr)
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 2
LIMIT 1
"""


class PgLockConnection:
    """One connection for all of a process's locks; ``on_lost`` runs if it breaks (the locks are gone)."""

    def __init__(self, url: str, *, application_name: str = "rapport shard lock") -> None:
        self.url = url
        self.application_name = application_name
        self.conn: Any = None
        self.lost = False
        self._on_lost: list[Callable[[], None]] = []
        self._lock = asyncio.Lock()

    def on_lost(self, callback: Callable[[], None]) -> None:
        self._on_lost.append(callback)

    async def connection(self) -> Any:
        if self.conn is None:
            self.conn = await asyncpg.connect(self.url, server_settings={"application_name": self.application_name})
            self.conn.add_termination_listener(self._terminated)
        return self.conn

    def _terminated(self, _conn: Any) -> None:
        if self.lost:
            return
        self.lost = True
        log.error("the connection holding the shard locks was lost: the locks are released")
        for callback in self._on_lost:
            callback()

    async def fetchval(self, query: str, *args: Any) -> Any:
        async with self._lock:
            conn = await self.connection()
            return await conn.fetchval(query, *args)

    async def fetchrow(self, query: str, *args: Any) -> Any:
        async with self._lock:
            conn = await self.connection()
            return await conn.fetchrow(query, *args)

    def alive(self) -> bool:
        return self.conn is not None and not self.conn.is_closed() and not self.lost

    async def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None and not conn.is_closed():
            self.lost = True  # a deliberate close is not a loss to report
            with contextlib.suppress(Exception):
                await conn.close(timeout=5)


class PgShardLock:
    def __init__(self, connection: PgLockConnection, shard_id: int) -> None:
        self.shard_id = shard_id
        self._db = connection
        self._held = False

    async def try_acquire(self) -> bool:
        if self._held and self._db.alive():
            return True
        taken = await self._db.fetchval("SELECT pg_try_advisory_lock($1, $2)", SHARD_NAMESPACE, self.shard_id)
        self._held = bool(taken)
        return self._held

    async def release(self) -> None:
        if self._held and self._db.alive():
            with contextlib.suppress(Exception):
                await self._db.fetchval("SELECT pg_advisory_unlock($1, $2)", SHARD_NAMESPACE, self.shard_id)
        self._held = False

    def held(self) -> bool:
        return self._held and self._db.alive()

    async def holder(self) -> str | None:
        try:
            row = await self._db.fetchrow(_HOLDER, SHARD_NAMESPACE, self.shard_id)
        except Exception:
            return None
        if row is None:
            return None
        pid, name, addr = row
        return f"database session {pid}" + (f" from {addr}" if addr else "") + (f", {name}" if name else "")


class PgIdentifyGate:
    """``pg_advisory_lock(IDENTIFY_NAMESPACE, bucket)`` held for the IDENTIFY window, then released."""

    def __init__(self, url: str, *, window: float = IDENTIFY_WINDOW, poll: float = 0.1) -> None:
        self._db = PgLockConnection(url, application_name="rapport identify gate")
        self.window = window
        self.poll = poll
        self._local: dict[int, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def wait_turn(self, shard_id: int, max_concurrency: int) -> None:
        bucket = shard_id % max(1, max_concurrency)
        # Advisory locks are re-entrant within a session: shards of this process take turns here first.
        local = self._local.setdefault(bucket, asyncio.Lock())
        await local.acquire()
        try:
            while True:
                if await self._db.fetchval("SELECT pg_try_advisory_lock($1, $2)", IDENTIFY_NAMESPACE, bucket):
                    break
                await asyncio.sleep(self.poll)
        except BaseException:
            local.release()
            raise
        task = asyncio.create_task(self._release_later(bucket, local), name=f"identify-gate-{bucket}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _release_later(self, bucket: int, local: asyncio.Lock) -> None:
        try:
            await asyncio.sleep(self.window)
            if self._db.alive():
                await self._db.fetchval("SELECT pg_advisory_unlock($1, $2)", IDENTIFY_NAMESPACE, bucket)
        except Exception:
            log.warning("could not release IDENTIFY bucket %d (the connection closes it anyway)", bucket)
        finally:
            local.release()

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._db.close()
