"""The PostgreSQL engine: an asyncpg pool, the same statements with ``$n`` placeholders, a schema_version table."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import zlib
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from bot.db.connection import (
    Connection,
    Cursor,
    DatabaseError,
    IntegrityError,
    Params,
    Pending,
    PendingCursor,
    ReadyCursor,
    Row,
)
from bot.db.database import Database, Migration, load_migrations, mask_url
from bot.db.sql import for_postgresql

log = logging.getLogger(__name__)

#: The table holding the schema version (SQLite keeps it in ``PRAGMA user_version``); not one of Rapport's tables.
VERSION_TABLE = "schema_version"
#: Taken by every migration transaction, so two processes starting at once apply each migration once.
MIGRATION_LOCK = zlib.crc32(b"rapport-migrations")


def _numeric(text: str) -> int | float:
    """``sum()`` and ``avg()`` give NUMERIC: a whole number comes back as ``int``, as on SQLite, else ``float``."""
    body = text[1:] if text[:1] == "-" else text
    return int(text) if body.isdigit() else float(text)


async def _init(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text")


def _integrity(error: asyncpg.IntegrityConstraintViolationError) -> IntegrityError:
    return IntegrityError(str(error), unique=isinstance(error, asyncpg.UniqueViolationError))


def _rowcount(status: str) -> int:
    """``UPDATE 3`` → 3; ``INSERT 0 1`` → 1; a status without a count → -1 (as sqlite3 says)."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


class PostgresConnection:
    """A pooled connection inside a transaction, with the cursor surface repositories use on SQLite."""

    __slots__ = ("_conn", "_id_tables")

    def __init__(self, conn: asyncpg.Connection, id_tables: frozenset[str]) -> None:
        self._conn = conn
        self._id_tables = id_tables

    def execute(self, sql: str, parameters: Params = ()) -> PendingCursor:
        return Pending(self._execute(sql, parameters))

    async def _execute(self, sql: str, params: Params) -> Cursor:
        statement = for_postgresql(sql)
        parameters = statement.arguments(params)
        try:
            if statement.insert_table is not None and statement.insert_table in self._id_tables:
                rows = await self._conn.fetch(statement.sql.rstrip().rstrip(";") + " RETURNING id", *parameters)
                return ReadyCursor([], len(rows), int(rows[-1][0]) if rows else None)
            if statement.returns_rows:
                rows = await self._conn.fetch(statement.sql, *parameters)
                last_id = rows[-1].get("id") if rows else None
                return ReadyCursor(rows, len(rows), last_id if isinstance(last_id, int) else None)
            status = await self._conn.execute(statement.sql, *parameters)
            return ReadyCursor([], _rowcount(status), None)
        except asyncpg.IntegrityConstraintViolationError as error:
            raise _integrity(error) from error

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> None:
        statement = for_postgresql(sql)
        try:
            await self._conn.executemany(statement.sql, [tuple(statement.arguments(row)) for row in parameters])
        except asyncpg.IntegrityConstraintViolationError as error:
            raise _integrity(error) from error

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> Iterable[Row]:
        cursor = await self._execute(sql, parameters)
        return await cursor.fetchall()


def _without_password(url: str) -> tuple[str, str | None]:
    """``url`` without its password (handed to ``pg_dump`` in ``PGPASSWORD`` instead of on its command line)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), unquote(parts.password)


def find_tool(name: str) -> str | None:
    """A PostgreSQL client program on the PATH, or in Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return None


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database.

    Transactions are taken one at a time within a process, as on SQLite, so code written for SQLite's single
    writer keeps its guarantees; between processes, claims and counters rely on single atomic statements
    (``UPDATE … RETURNING``, ``FOR UPDATE SKIP LOCKED``) and unique keys.
    """

    engine = "postgresql"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self._pool = pool
        self.url = url
        self.path = None
        self.where = mask_url(url)
        self._write_lock = asyncio.Lock()
        self._closed = False
        self._id_tables: frozenset[str] | None = None

    @property
    def target(self) -> str:
        return self.url

    @classmethod
    async def connect(cls, url: str, *, min_size: int = 1, max_size: int = 10) -> PostgresDatabase:
        try:
            pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size, init=_init)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise DatabaseError(f"I can't connect to the PostgreSQL database {mask_url(url)} ({error})") from error
        assert pool is not None
        return cls(pool, url)

    async def _ids(self) -> frozenset[str]:
        if self._id_tables is None:
            rows = await self._pool.fetch(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'id'"
            )
            self._id_tables = frozenset(str(row[0]) for row in rows)
        return self._id_tables

    async def schema_version(self) -> int:
        if await self._pool.fetchval("SELECT to_regclass($1)", VERSION_TABLE) is None:
            return 0
        return int(await self._pool.fetchval(f"SELECT coalesce(max(version), 0) FROM {VERSION_TABLE}"))

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        migrations = load_migrations("postgresql") if migrations is None else migrations
        latest = migrations[-1].version if migrations else 0
        current = await self.schema_version()
        if current > latest:
            raise RuntimeError(
                f"the database is at schema version {current}, newer than this Rapport ({latest}): "
                "upgrade Rapport or restore a backup"
            )
        applied = []
        async with self._write_lock, self._pool.acquire() as conn:
            await conn.execute(
                f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"
            )
            for migration in migrations:
                if migration.version <= current:
                    continue
                try:
                    async with conn.transaction():
                        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                        done = await conn.fetchval(f"SELECT coalesce(max(version), 0) FROM {VERSION_TABLE}")
                        if done >= migration.version:
                            continue  # another process applied it meanwhile
                        await conn.execute(migration.sql)
                        await conn.execute(
                            f"INSERT INTO {VERSION_TABLE} (version, applied_at) "
                            "VALUES ($1, extract(epoch FROM now())::bigint)",
                            migration.version,
                        )
                except asyncpg.PostgresError:
                    log.exception("migration %s failed; the database is unchanged by it", migration.name)
                    raise
                log.info("applied migration %s", migration.name)
                applied.append(migration.version)
        self._id_tables = None
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._write_lock:
            if self._closed:
                raise RuntimeError("the database is closed")
            id_tables = await self._ids()
            async with self._pool.acquire() as conn, conn.transaction():
                yield PostgresConnection(conn, id_tables)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        statement = for_postgresql(sql)
        row: Row | None = await self._pool.fetchrow(statement.sql, *statement.arguments(params))
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        statement = for_postgresql(sql)
        return list(await self._pool.fetch(statement.sql, *statement.arguments(params)))

    async def tables(self) -> list[str]:
        rows = await self._pool.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' AND table_name <> $1 ORDER BY table_name",
            VERSION_TABLE,
        )
        return [str(row[0]) for row in rows]

    async def columns(self, table: str) -> list[str]:
        rows = await self._pool.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = $1 ORDER BY ordinal_position",
            table,
        )
        return [str(row[0]) for row in rows]

    async def primary_key(self, table: str) -> list[str]:
        rows = await self._pool.fetch(
            "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.n",
            table,
        )
        return [str(row[0]) for row in rows]

    async def row_key(self, table: str) -> str:
        return "ctid"

    async def size_bytes(self) -> int:
        return int(await self._pool.fetchval("SELECT pg_database_size(current_database())"))

    async def backup_to(self, target: str | Path) -> None:
        """``pg_dump`` in its custom format (restore with ``pg_restore``): a consistent snapshot, safe while running."""
        pg_dump = find_tool("pg_dump")
        if pg_dump is None:
            raise DatabaseError(
                "pg_dump is not installed: install the PostgreSQL client programs (for example the "
                "postgresql-client package), then run the backup again"
            )
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        url, password = _without_password(self.url)
        env = dict(os.environ)
        if password is not None:
            env["PGPASSWORD"] = password
        process = await asyncio.create_subprocess_exec(
            pg_dump, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={url}",
            env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await process.communicate()
        if process.returncode != 0:
            target.unlink(missing_ok=True)
            message = stderr.decode(errors="replace").strip().splitlines()
            raise DatabaseError(f"pg_dump failed ({message[-1] if message else process.returncode})")

    async def close(self) -> None:
        async with self._write_lock:
            if self._closed:
                return
            self._closed = True
            await self._pool.close()
