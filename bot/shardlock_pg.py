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

from bot.shardlock import IDENTIFY_WINDOW, LockConnectionLost

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


#: What a broken, refused or ended connection raises (a wrong password or a bad query is not among them).
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # pg_terminate_backend, a server shutting down or starting
)


class PgLockConnection:
    """One connection for all of a process's locks; ``on_lost`` runs if it breaks (the locks are gone).

    A query after a loss opens a new connection (``generation`` counts them): the locks of the old one are
    not on it, so a lock remembers the generation it was taken on. Whether to take them again (a standby) or
    to stop (a live process, which ``on_lost`` tells) is the caller's decision.
    """

    def __init__(self, url: str, *, application_name: str = "rapport shard lock") -> None:
        self.url = url
        self.application_name = application_name
        self.conn: Any = None
        self.lost = False
        self.generation = 0
        #: Closed on purpose (the process is stopping): no new connection is opened after that.
        self.closed = False
        self._on_lost: list[Callable[[], None]] = []
        self._lock = asyncio.Lock()

    def on_lost(self, callback: Callable[[], None]) -> None:
        self._on_lost.append(callback)

    async def connection(self) -> Any:
        if self.closed:
            raise LockConnectionLost("the connection for the shard locks was closed")
        if self.conn is None or self.conn.is_closed():
            self.conn = None
            try:
                conn = await asyncpg.connect(
                    self.url, server_settings={"application_name": self.application_name}, timeout=10
                )
            except CONNECTION_ERRORS as error:
                reason = f"can't connect to the database for the shard locks ({_short(error)})"
                raise LockConnectionLost(reason) from error
            conn.add_termination_listener(self._terminated)
            self.conn = conn
            self.lost = False
            self.generation += 1
        return self.conn

    def _terminated(self, conn: Any) -> None:
        if self.lost or conn is not self.conn:
            return  # a deliberate close, a loss already told, or an older connection ending late
        self.lost = True
        log.error("the database connection %r was lost: its locks are released", self.application_name)
        for callback in self._on_lost:
            callback()

    async def _query(self, method: str, query: str, *args: Any) -> Any:
        async with self._lock:
            conn = await self.connection()
            try:
                return await getattr(conn, method)(query, *args)
            except (*CONNECTION_ERRORS, asyncpg.exceptions.InternalClientError) as error:
                # Noticed by a query before the listener ran: the same loss. The driver's "cannot switch to
                # state" error is how a session ended by the server mid-query sometimes shows: the connection
                # is unusable either way.
                self._terminated(conn)
                conn.terminate()
                raise LockConnectionLost(f"the connection for the shard locks broke ({_short(error)})") from error

    async def fetchval(self, query: str, *args: Any) -> Any:
        return await self._query("fetchval", query, *args)

    async def fetchrow(self, query: str, *args: Any) -> Any:
        return await self._query("fetchrow", query, *args)

    def alive(self) -> bool:
        return self.conn is not None and not self.conn.is_closed() and not self.lost

    async def close(self) -> None:
        self.closed = True
        # Not in the middle of a query (closing under it confuses the driver); a blocking wait for the migration
        # lock is cut short after 5 s.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._lock.acquire(), 5)
        try:
            conn, self.conn = self.conn, None
            if conn is not None and not conn.is_closed():
                self.lost = True  # a deliberate close is not a loss to report
                with contextlib.suppress(Exception):
                    await conn.close(timeout=5)
        finally:
            if self._lock.locked():
                self._lock.release()


class PgShardLock:
    def __init__(self, connection: PgLockConnection, shard_id: int) -> None:
        self.shard_id = shard_id
        self._db = connection
        self._held = False
        self._generation = 0

    async def try_acquire(self) -> bool:
        if self.held():
            return True
        self._held = False
        taken = await self._db.fetchval("SELECT pg_try_advisory_lock($1, $2)", SHARD_NAMESPACE, self.shard_id)
        self._held, self._generation = bool(taken), self._db.generation
        return self._held

    async def release(self) -> None:
        if self.held():
            with contextlib.suppress(Exception):
                await self._db.fetchval("SELECT pg_advisory_unlock($1, $2)", SHARD_NAMESPACE, self.shard_id)
        self._held = False

    def held(self) -> bool:
        """Taken on the connection that is open now (a lock of a lost connection is gone with it)."""
        return self._held and self._db.alive() and self._generation == self._db.generation

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
                try:
                    if await self._db.fetchval("SELECT pg_try_advisory_lock($1, $2)", IDENTIFY_NAMESPACE, bucket):
                        break
                except LockConnectionLost as error:
                    if self._db.closed:
                        raise  # the process is stopping
                    log.warning("IDENTIFY turn: %s; trying again", error)
                    await asyncio.sleep(1.0)
                    continue
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


def _short(error: BaseException) -> str:
    return (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[:200]
