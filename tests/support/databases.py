"""Where tests get their databases: SQLite files in a temporary folder, or fresh PostgreSQL databases.

By default every test database is a new SQLite file. With ``RAPPORT_TEST_DATABASE_URL`` set to a PostgreSQL
server (``postgresql://user@host:port/postgres``), each test gets its own new database on that server instead:
a copy (``CREATE DATABASE … TEMPLATE``) of one template migrated once per test process, or an empty one for
tests that migrate themselves. When the test ends, an empty one is dropped; a migrated one whose schema is
still the template's is emptied (``DELETE`` with foreign-key triggers off, identities restarted: a few
milliseconds, where a new copy takes a few hundred) and handed to a
later test, and dropped otherwise.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.db.database import Database

SERVER_URL = os.environ.get("RAPPORT_TEST_DATABASE_URL") or None
ON_POSTGRES = SERVER_URL is not None
ENGINE = "postgresql" if ON_POSTGRES else "sqlite"

#: For a test about SQLite itself (its files, pragmas, locks): skipped when the suite runs on PostgreSQL.
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about the SQLite file itself")

T = TypeVar("T")
_names = itertools.count(1)
_template_lock = threading.Lock()
_template: str | None = None
#: Migrated databases emptied after their test, ready for the next one.
_recycled: list[str] = []


def _url(database: str) -> str:
    assert SERVER_URL is not None
    parts = urlsplit(SERVER_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _in_thread(work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` on its own event loop in another thread (callable from sync code and from a running loop)."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(asyncio.run(work()))  # type: ignore[arg-type]
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run, name="test-database-admin")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(SERVER_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _build_template(name: str) -> None:
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
    db = await Database.open(_url(name))
    try:
        await db.migrate()
    finally:
        await db.close()


def _template_name() -> str:
    global _template
    with _template_lock:
        if _template is None:
            name = f"rapport_template_{os.getpid()}"
            _in_thread(lambda: _build_template(name))
            _in_thread(lambda: _remember_tables(name))
            _template = name
        return _template


async def _recycle(database: str) -> bool:
    """Empty a migrated database for the next test; False when its schema was changed (then it is dropped)."""
    import asyncpg

    from bot.db.database import load_migrations

    await _admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    )
    conn = await asyncpg.connect(_url(database))
    try:
        tables = [
            r[0]
            for r in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' ORDER BY table_name"
            )
        ]
        version = await conn.fetchval("SELECT max(version) FROM schema_version")
        if version != load_migrations("postgresql")[-1].version or tables != _template_tables():
            return False
        sequences = [
            r[0]
            for r in await conn.fetch(
                "SELECT pg_get_serial_sequence(table_name, column_name) FROM information_schema.columns "
                "WHERE table_schema = 'public' AND is_identity = 'YES'"
            )
        ]
        try:
            await conn.execute(
                "SET session_replication_role = replica; "
                + "".join(f'DELETE FROM "{t}"; ' for t in tables)
                + "".join(f"SELECT setval('{s}', 1, false); " for s in sequences)
                + "SET session_replication_role = DEFAULT"
            )
        except asyncpg.InsufficientPrivilegeError:  # not a superuser: the slower way
            await conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY")
        return True
    finally:
        await conn.close()


_tables: list[str] = []


def _template_tables() -> list[str]:
    return _tables


async def _remember_tables(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_url(name))
    try:
        _tables[:] = [
            r[0]
            for r in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' ORDER BY table_name"
            )
        ]
    finally:
        await conn.close()


def drop_template() -> None:
    """Drop this process's template and recycled databases (at the end of the test session)."""
    global _template
    names = list(_recycled)
    _recycled.clear()
    if _template is not None:
        names.append(_template)
        _template = None
    if names:

        async def drop() -> None:
            for name in names:
                await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        _in_thread(drop)


class TestDatabases:
    """The databases of one test, created on demand and dropped (PostgreSQL) when it ends."""

    __test__ = False

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.created: list[str] = []
        self.migrated: set[str] = set()

    def target(self, name: str = "test", *, migrated: bool = False) -> str | Path:
        """A new database for ``Database.open``: a SQLite path, or a PostgreSQL URL (migrated if asked)."""
        if not ON_POSTGRES:
            return self.tmp_path / f"{name}.db"
        if migrated and _recycled:
            database = _recycled.pop()
        else:
            database = f"rapport_{os.getpid()}_{next(_names)}"
            template = _template_name() if migrated else "template0"
            _in_thread(lambda: _admin(f'CREATE DATABASE "{database}" TEMPLATE "{template}"'))
        if migrated:
            self.migrated.add(database)
        self.created.append(database)
        return _url(database)

    async def open(self, name: str = "test", *, migrate: bool = True) -> Database:
        database = await Database.open(self.target(name, migrated=migrate))
        if migrate:
            await database.migrate()
        return database

    @staticmethod
    def env(target: str | Path) -> dict[str, str]:
        """The environment that points ``python -m bot`` at ``target``."""
        if isinstance(target, Path):
            return {"DATABASE_PATH": str(target)}
        return {"DATABASE_URL": target}

    def drop_all(self) -> None:
        if not self.created:
            return
        names, self.created = self.created, []
        migrated, self.migrated = self.migrated, set()

        async def drop() -> None:
            for database in names:
                if database in migrated and await _recycle(database):
                    _recycled.append(database)
                else:
                    await _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

        _in_thread(drop)
