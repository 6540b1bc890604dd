"""The SQLite engine: WAL, foreign keys, busy timeout, one writer at a time, a separate connection for reads."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.db.connection import Connection, Cursor, IntegrityError, Params, Pending, PendingCursor, ReadyCursor, Row
from bot.db.database import Database, Migration, load_migrations

log = logging.getLogger(__name__)


def _integrity(error: sqlite3.IntegrityError) -> IntegrityError:
    return IntegrityError(str(error), unique="UNIQUE" in str(error) or "PRIMARY KEY" in str(error))


def _statement(conn: aiosqlite.Connection, sql: str, parameters: Params) -> ReadyCursor:
    """Run in the connection's worker thread: the statement, all its rows, its counts, the cursor closed."""
    cursor = conn._conn.execute(sql, parameters)  # the sqlite3 connection, in its own thread
    try:
        rows = cursor.fetchall()
        return ReadyCursor(rows, cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


async def _run(conn: aiosqlite.Connection, sql: str, parameters: Params) -> ReadyCursor:
    """One statement in one trip to the worker thread.

    aiosqlite's own cursor takes a trip for the statement, another for its rows and a third to close it; each
    trip wakes the worker thread and then the event loop. Answers arrive in bursts, so the trips add up: an
    answer's reads and write went from 14 trips to 7. ``Connection._execute`` is aiosqlite's one way to run a
    function in that thread (what its public methods use); the test suite runs every statement through it.
    """
    result: ReadyCursor = await conn._execute(_statement, conn, sql, parameters)
    return result


class SqliteConnection:
    """The write connection as repositories see it inside :meth:`SqliteDatabase.transaction`."""

    __slots__ = ("_conn",)

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, parameters: Params = ()) -> PendingCursor:
        return Pending(self._execute(sql, parameters))

    async def _execute(self, sql: str, parameters: Params) -> Cursor:
        try:
            return await _run(self._conn, sql, parameters)
        except sqlite3.IntegrityError as error:
            raise _integrity(error) from error

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> None:
        try:
            await self._conn.executemany(sql, parameters)
        except sqlite3.IntegrityError as error:
            raise _integrity(error) from error

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> Iterable[Row]:
        try:
            return list(await self._conn.execute_fetchall(sql, parameters))
        except sqlite3.IntegrityError as error:
            raise _integrity(error) from error


async def _connect(path: Path, *, read_only: bool) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        await conn.execute("PRAGMA busy_timeout = 5000")
        if read_only:
            await conn.execute("PRAGMA query_only = ON")
        else:
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        # Locked, read-only, disk full: close it, or its worker thread keeps the process from exiting.
        await conn.close()
        raise
    return conn


class SqliteDatabase(Database):
    """A write connection (transactions, one at a time) and a read-only one (reads outside transactions).

    Reads on their own connection see committed data only, as on PostgreSQL: a read never sees a write that a
    transaction in flight may still roll back.
    """

    engine = "sqlite"
    path: Path

    def __init__(self, conn: aiosqlite.Connection, reader: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._reader = reader
        self.path = path
        self.where = str(path)
        self._write_lock = asyncio.Lock()
        self._closed = False

    @property
    def target(self) -> Path:
        return self.path

    @classmethod
    async def connect(cls, path: str | Path) -> SqliteDatabase:
        path = Path(path)
        if str(path) == ":memory:":
            conn = await _connect(path, read_only=False)
            return cls(conn, conn, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = await _connect(path, read_only=False)
        try:
            reader = await _connect(path, read_only=True)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, reader, path)

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        migrations = load_migrations("sqlite") if migrations is None else migrations
        current = await self.schema_version()
        latest = migrations[-1].version if migrations else 0
        if current > latest:
            raise RuntimeError(
                f"the database is at schema version {current}, newer than this Rapport ({latest}): "
                "upgrade Rapport or restore a backup"
            )
        applied = []
        async with self._write_lock:
            for migration in migrations:
                if migration.version <= current:
                    continue
                script = f"BEGIN IMMEDIATE;\n{migration.sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
                try:
                    await self._conn.executescript(script)
                except sqlite3.Error:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    log.exception("migration %s failed; the database is unchanged by it", migration.name)
                    raise
                log.info("applied migration %s", migration.name)
                applied.append(migration.version)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._write_lock:
            if self._closed:
                raise RuntimeError("the database is closed")
            await _run(self._conn, "BEGIN IMMEDIATE", ())
            try:
                yield SqliteConnection(self._conn)
            except BaseException:
                await _run(self._conn, "ROLLBACK", ())
                raise
            else:
                await _run(self._conn, "COMMIT", ())

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        return await (await _run(self._reader, sql, params)).fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await (await _run(self._reader, sql, params)).fetchall())

    async def tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [str(row[0]) for row in rows]

    async def columns(self, table: str) -> list[str]:
        info = await self.fetchall("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))
        return [str(row[0]) for row in info]

    async def primary_key(self, table: str) -> list[str]:
        info = await self.fetchall("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", (table,))
        return [str(row[0]) for row in info]

    async def row_key(self, table: str) -> str:
        """``rowid``, or the primary key's columns for a WITHOUT ROWID table."""
        pk = await self.primary_key(table)
        without_rowid = await self.fetchval(
            "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        )
        if without_rowid and pk:
            return "(" + ", ".join(f'"{c}"' for c in pk) + ")"
        return "rowid"

    async def size_bytes(self) -> int:
        size = 0
        for file in (self.path, self.path.with_name(self.path.name + "-wal")):
            if file.exists():
                size += file.stat().st_size
        return size

    async def backup_to(self, target: str | Path) -> None:
        """Copy the live database with SQLite's online backup API (safe while the bot runs)."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = await aiosqlite.connect(target)
        try:
            await self._conn.backup(dest)
        finally:
            await dest.close()

    async def close(self) -> None:
        async with self._write_lock:
            if self._closed:
                return
            self._closed = True
            if self._reader is not self._conn:
                await self._reader.close()
            await self._conn.close()
