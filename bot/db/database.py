"""The database Rapport talks to: one interface, two engines.

SQLite (one file, the default) or PostgreSQL (a server several processes can share). Repositories write
portable SQL with ``?`` placeholders and use only the methods below, so they never know which engine runs it.
``Database.open(target)`` picks the engine: a ``postgresql://`` (or ``postgres://``) URL means PostgreSQL,
anything else is a SQLite file path.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from bot.config import is_postgres_url as is_postgres_url
from bot.config import mask_url as mask_url
from bot.db.connection import Connection, Params, Row

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Engine = Literal["sqlite", "postgresql"]
ENGINES: tuple[Engine, ...] = ("sqlite", "postgresql")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(engine: Engine = "sqlite") -> list[Migration]:
    """Every numbered ``.sql`` file in ``bot/db/migrations/<engine>``, in order, numbered 1, 2, 3, … without gaps.

    A gap would be dangerous: a database already past it would never get the missing migration. Both engines
    have the same numbers, each file written in its engine's dialect.
    """
    folder = resources.files("bot.db") / "migrations" / engine
    migrations = []
    for entry in folder.iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            migrations.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    migrations.sort(key=lambda m: m.version)
    if [m.version for m in migrations] != list(range(1, len(migrations) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001..{len(migrations):04d} without gaps or duplicates")
    return migrations


class Database(ABC):
    """A database, SQLite or PostgreSQL. Reads run freely; writes go through :meth:`transaction`.

    Reads outside a transaction see only committed data (never another coroutine's transaction in flight).
    """

    engine: Engine
    #: The SQLite file, or ``None`` on PostgreSQL.
    path: Path | None
    #: What to show people: the file path, or the URL with its password masked.
    where: str
    #: Appended to the row-selecting subquery of a claim (``UPDATE … WHERE id IN (SELECT … LIMIT ?{skip_locked})
    #: RETURNING …``). SQLite serialises writers, so it needs nothing; PostgreSQL says FOR UPDATE SKIP LOCKED.
    skip_locked = ""

    @property
    @abstractmethod
    def target(self) -> str | Path:
        """What :meth:`open` was given: another connection to the same database opens this."""

    @classmethod
    async def open(cls, target: str | Path) -> Database:
        """Open ``target``: a ``postgresql://`` URL, or the path of a SQLite file (created if missing)."""
        if is_postgres_url(target):
            from bot.db.postgres import PostgresDatabase

            return await PostgresDatabase.connect(str(target))
        from bot.db.sqlite import SqliteDatabase

        return await SqliteDatabase.connect(target)

    @abstractmethod
    async def schema_version(self) -> int: ...

    @abstractmethod
    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply pending migrations, each in its own transaction; return the versions applied."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A write transaction, committed when the block ends (so before anyone is told it happened)."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write statement in its own transaction; return the new row's id (0 if none)."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    @abstractmethod
    async def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @abstractmethod
    async def tables(self) -> list[str]:
        """The names of Rapport's tables, sorted (the engine's own bookkeeping tables left out)."""

    @abstractmethod
    async def columns(self, table: str) -> list[str]:
        """The columns of ``table``, in declaration order."""

    @abstractmethod
    async def primary_key(self, table: str) -> list[str]:
        """The columns of ``table``'s primary key, in key order (empty if it has none)."""

    @abstractmethod
    async def row_key(self, table: str) -> str:
        """An expression naming one row of ``table`` for ``DELETE … WHERE key IN (SELECT key … LIMIT n)``."""

    @abstractmethod
    async def size_bytes(self) -> int:
        """How much space the database takes."""

    async def schema(self) -> dict[str, list[str]]:
        """``{table: [columns]}`` of the live schema."""
        return {table: await self.columns(table) for table in await self.tables()}

    async def table_counts(self) -> dict[str, int]:
        """Row counts of every table, for ``db status`` and ``/about``."""
        counts = {}
        for name in await self.tables():
            # Table names come from the catalogue, never from user input.
            counts[name] = int(await self.fetchval(f'SELECT count(*) FROM "{name}"'))
        return counts

    @abstractmethod
    async def backup_to(self, target: str | Path) -> None:
        """Copy the live database to ``target`` (safe while the bot runs)."""

    @abstractmethod
    async def close(self) -> None:
        """Wait for the write in flight, then close."""

