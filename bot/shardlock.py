"""One live process per shard, and IDENTIFYs paced across processes.

Discord lets two sessions IDENTIFY with the same shard, and then both receive every event and both would
answer: so a process takes a lock per shard *before* it connects to the gateway, and a second process for
the same shards either stops with one sentence or, with ``--standby``, waits for the lock and takes over
when the first one dies. Both implementations are released by the operating system or the database server
when the holder dies, ``kill -9`` included, so no lease has to expire:

- :class:`FileShardLock` (SQLite, one machine): ``flock`` on a file beside the database, one per shard
  (``rapport.db.shard-0.lock``). The file also says which process holds it, for the refusal sentence.
- ``PgShardLock`` (PostgreSQL, :mod:`bot.shardlock_pg`): a session advisory lock per shard,
  ``pg_try_advisory_lock(namespace, shard_id)``, on a connection of its own.

IDENTIFY pacing follows Discord's rule, ``max_concurrency`` IDENTIFYs per 5 s, one per bucket
``shard_id % max_concurrency``: an :class:`IdentifyGate` holds the bucket's lock (a file, or an advisory
lock in the database) from just before an IDENTIFY until the window has passed, so processes that start
together take turns instead of each being sent op 9.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from bot.config import is_postgres_url
from bot.db.connection import DatabaseError

log = logging.getLogger(__name__)

#: Discord: each bucket may IDENTIFY once per 5 s; a little margin for clock skew between processes.
IDENTIFY_WINDOW = 5.5
#: How often a standby tries the lock again (the takeover happens within this of the holder's death).
STANDBY_POLL_SECONDS = 1.0


class ShardsHeldElsewhere(Exception):
    """Another live process holds one of this process's shards; the message is one sentence."""


class LockConnectionLost(DatabaseError):
    """The database connection holding (or asking for) the locks broke or could not be opened.

    Whatever it held is gone with it: a standby connects again and keeps waiting; a live process has lost
    its shards and must stop serving them."""


class ShardLock(Protocol):
    """The lock of one shard. ``try_acquire`` never waits; the holder's death releases it."""

    shard_id: int

    async def try_acquire(self) -> bool: ...

    async def release(self) -> None: ...

    def held(self) -> bool:
        """Whether this process holds it right now (``False`` after a lost database connection)."""
        ...

    async def holder(self) -> str | None:
        """Who holds it, for the refusal sentence (``"process 1234"``), when that can be told."""
        ...


class IdentifyGate(Protocol):
    async def wait_turn(self, shard_id: int, max_concurrency: int) -> None:
        """Return when ``shard_id`` may IDENTIFY; its bucket stays taken for :data:`IDENTIFY_WINDOW`."""
        ...

    async def close(self) -> None: ...


# -- SQLite: lock files -------------------------------------------------------------------------------------
async def wait_for_flock(path: Path, poll: float) -> int:
    """Open ``path`` (created if missing) and wait until this process holds its exclusive lock; the descriptor.

    Closing the descriptor releases the lock, and so does the process dying (kill -9 included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                await asyncio.sleep(poll)
    except BaseException:
        os.close(fd)
        raise


def lock_path(database_path: Path, name: str) -> Path:
    return database_path.with_name(f"{database_path.name}.{name}.lock")


class FileShardLock:
    """``flock`` on ``<database>.shard-<id>.lock``; the kernel releases it when the process dies."""

    def __init__(self, database_path: Path, shard_id: int) -> None:
        self.shard_id = shard_id
        self.path = lock_path(database_path, f"shard-{shard_id}")
        self._fd: int | None = None

    async def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return True

    async def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def held(self) -> bool:
        return self._fd is not None

    async def holder(self) -> str | None:
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return f"process {text}" if text.isdigit() else None


class FileIdentifyGate:
    """Buckets as lock files beside the database (``<database>.identify-<bucket>.lock``)."""

    def __init__(self, database_path: Path, *, window: float = IDENTIFY_WINDOW, poll: float = 0.05) -> None:
        self.database_path = database_path
        self.window = window
        self.poll = poll
        self._releases: set[asyncio.TimerHandle] = set()
        self._fds: set[int] = set()

    async def wait_turn(self, shard_id: int, max_concurrency: int) -> None:
        bucket = shard_id % max(1, max_concurrency)
        fd = await wait_for_flock(lock_path(self.database_path, f"identify-{bucket}"), self.poll)
        self._fds.add(fd)
        handle = asyncio.get_running_loop().call_later(self.window, self._release, fd)
        self._releases.add(handle)

    def _release(self, fd: int) -> None:
        if fd in self._fds:
            self._fds.discard(fd)
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    async def close(self) -> None:
        for handle in self._releases:
            handle.cancel()
        self._releases.clear()
        for fd in list(self._fds):
            self._release(fd)


class LocalIdentifyGate:
    """In-process buckets only (one process running every shard, or tests)."""

    def __init__(self, *, window: float = IDENTIFY_WINDOW) -> None:
        self.window = window
        self._last: dict[int, float] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def wait_turn(self, shard_id: int, max_concurrency: int) -> None:
        bucket = shard_id % max(1, max_concurrency)
        async with self._locks.setdefault(bucket, asyncio.Lock()):
            last = self._last.get(bucket)
            if last is not None:
                delay = last + self.window - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            self._last[bucket] = time.monotonic()

    async def close(self) -> None:
        return None


# -- the set of locks a process needs -----------------------------------------------------------------------
class ShardLocks:
    """The locks of all of a process's shards, taken together before the gateway is opened."""

    def __init__(self, locks: Sequence[ShardLock], *, where: str, sharded: bool) -> None:
        self.locks = list(locks)
        self.where = where
        self.sharded = sharded
        self.takeovers = 0
        self.waited_seconds = 0.0
        #: The PostgreSQL connection holding the locks (``None`` for lock files), to watch for its loss.
        self.connection: Any = None
        #: The lock file held while migrating (lock files only).
        self.migration_path: Path | None = None

    def all_held(self) -> bool:
        return bool(self.locks) and all(lock.held() for lock in self.locks)

    def held_ids(self) -> list[int]:
        return [lock.shard_id for lock in self.locks if lock.held()]

    async def acquire(
        self,
        *,
        standby: bool,
        poll: float = STANDBY_POLL_SECONDS,
        on_wait: Callable[[list[int]], None] | None = None,
    ) -> None:
        """Take every lock, or raise :class:`ShardsHeldElsewhere` (``standby``: wait until they are free).

        A standby that had to wait counts one takeover once it holds them all.
        """
        started = time.monotonic()
        told = False
        outage = False
        while True:
            try:
                missing = [lock for lock in self.locks if not await lock.try_acquire()]
            except LockConnectionLost as error:
                if not standby:
                    await self.release()
                    raise
                # A standby's own connection broke (or the database is restarting): nothing it held is lost,
                # since it held nothing yet; connect again at the next try and keep waiting.
                if not outage:
                    log.warning("standby: %s; trying again every %gs", error, poll)
                outage = True
                await asyncio.sleep(poll)
                continue
            if outage:
                log.info("standby: the lock connection is back; still waiting for the shard locks")
                outage = False
            if not missing:
                if told:
                    self.takeovers += 1
                    self.waited_seconds = time.monotonic() - started
                return
            if not standby:
                message = await self._refusal(missing)
                await self.release()
                raise ShardsHeldElsewhere(message)
            if not told:
                told = True
                if on_wait is not None:
                    on_wait([lock.shard_id for lock in missing])
            await asyncio.sleep(poll)

    async def _refusal(self, missing: list[ShardLock]) -> str:
        holder = await missing[0].holder()
        by = f" ({holder})" if holder else ""
        if not self.sharded:
            return (
                f"Rapport is already running on {self.where}{by}: stop that copy first, or start this one with "
                "--standby to take over when it stops."
            )
        ids = ",".join(str(lock.shard_id) for lock in missing)
        what = f"shards {ids} of Rapport are" if len(missing) > 1 else f"shard {ids} of Rapport is"
        return (
            f"{what} already running on {self.where}{by}: stop that process first, or start this one with "
            "--standby to take over when it stops."
        )

    async def release(self) -> None:
        for lock in self.locks:
            await lock.release()
        if self.connection is not None:
            await self.connection.close()

    @contextlib.asynccontextmanager
    async def migrating(self, poll: float = 0.05) -> AsyncIterator[None]:
        """Held while this process opens and migrates the database, so processes starting together on a
        new database apply each migration once (an advisory lock on PostgreSQL, a lock file otherwise)."""
        if self.connection is not None:
            from bot.shardlock_pg import MIGRATION_KEY, SHARD_NAMESPACE

            await self.connection.fetchval("SELECT pg_advisory_lock($1, $2)", SHARD_NAMESPACE, MIGRATION_KEY)
            try:
                yield
            finally:
                await self.connection.fetchval("SELECT pg_advisory_unlock($1, $2)", SHARD_NAMESPACE, MIGRATION_KEY)
            return
        if self.migration_path is None:
            yield
            return
        fd = await wait_for_flock(self.migration_path, poll)
        try:
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock


def _postgres_where(url: str) -> str:
    """``host/dbname`` of a PostgreSQL URL, never its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"the PostgreSQL database {parts.hostname or 'localhost'}{parts.path or ''}"


def shard_locks_for(
    shard_ids: Sequence[int],
    *,
    sharded: bool,
    database_path: Path,
    database_url: str | None = None,
    identify_window: float = IDENTIFY_WINDOW,
) -> tuple[ShardLocks, IdentifyGate]:
    """The locks and IDENTIFY gate for a process: PostgreSQL advisory locks when ``database_url`` is a
    PostgreSQL URL (asyncpg is imported only then), lock files beside the SQLite database otherwise."""
    if database_url is not None and is_postgres_url(database_url):
        from bot.shardlock_pg import PgIdentifyGate, PgLockConnection, PgShardLock

        connection = PgLockConnection(database_url)
        pg_locks: list[ShardLock] = [PgShardLock(connection, shard_id) for shard_id in shard_ids]
        locks = ShardLocks(pg_locks, where=_postgres_where(database_url), sharded=sharded)
        locks.connection = connection
        return locks, PgIdentifyGate(database_url, window=identify_window)
    file_locks: list[ShardLock] = [FileShardLock(database_path, shard_id) for shard_id in shard_ids]
    locks = ShardLocks(file_locks, where=str(database_path), sharded=sharded)
    locks.migration_path = lock_path(database_path, "migrate")
    return locks, FileIdentifyGate(database_path, window=identify_window)
