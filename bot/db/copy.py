"""``db copy``: move a SQLite database into an empty PostgreSQL database, ids and all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.db.connection import DatabaseError
from bot.db.database import load_migrations
from bot.db.postgres import PostgresDatabase


class CopyRefused(DatabaseError):
    """The copy would be unsafe (the target holds data, the source is behind); nothing was written."""


@dataclass(frozen=True, slots=True)
class CopyReport:
    schema_version: int
    counts: dict[str, int]


async def _foreign_key_order(source: aiosqlite.Connection, tables: list[str]) -> list[str]:
    """``tables`` with every table after the tables its foreign keys point at."""
    parents: dict[str, set[str]] = {}
    for table in tables:
        async with source.execute('SELECT "table" FROM pragma_foreign_key_list(?)', (table,)) as cursor:
            parents[table] = {str(row[0]) for row in await cursor.fetchall()} - {table}
    ordered: list[str] = []
    placed: set[str] = set()
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in placed and parents[t] <= placed]
        if not ready:
            raise DatabaseError("the foreign keys between tables form a cycle; they can't be copied in order")
        ordered.extend(ready)
        placed.update(ready)
    return ordered


async def copy_sqlite_to_postgres(source_path: Path, target_url: str) -> CopyReport:
    """Copy every table of the SQLite database at ``source_path`` into the empty database at ``target_url``.

    The source is read in one read transaction (a consistent snapshot, safe while the bot runs; WAL lets it
    keep writing). The target is migrated, then filled in one transaction in foreign-key order with ids kept;
    identity sequences continue after the largest id; the row counts of every table are compared before it
    commits. A target that already holds rows is refused.
    """
    latest = load_migrations("sqlite")[-1].version
    source = await aiosqlite.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        async with source.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        if version != latest:
            raise CopyRefused(
                f"the SQLite database is at schema version {version}, not {latest}: start this Rapport on it once "
                "(it migrates at start-up), then copy it"
            )
        target = await PostgresDatabase.connect(target_url)
        try:
            filled = [table for table, count in (await target.table_counts()).items() if count]
            if filled:
                raise CopyRefused(
                    f"the PostgreSQL database is not empty ({', '.join(filled[:5])} hold rows): copy into a new, "
                    "empty database so nothing there is overwritten"
                )
            await target.migrate()
            await source.execute("BEGIN")
            async with source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ) as cursor:
                tables = [str(r[0]) for r in await cursor.fetchall()]
            target_tables = set(await target.tables())
            missing = [t for t in tables if t not in target_tables]
            if missing:
                raise CopyRefused(f"the PostgreSQL schema lacks table(s) {', '.join(missing)}; nothing was copied")
            counts: dict[str, int] = {}
            pool = target._pool
            async with target._write_lock, pool.acquire() as conn, conn.transaction():
                for table in await _foreign_key_order(source, tables):
                    columns = await target.columns(table)
                    select = "SELECT " + ", ".join(f'"{c}"' for c in columns) + f' FROM "{table}"'
                    async with source.execute(select) as cursor:
                        records = [tuple(r) for r in await cursor.fetchall()]
                    if records:
                        await conn.copy_records_to_table(table, records=records, columns=columns)
                    if "id" in columns:
                        await conn.execute(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM \"{table}\" "
                            "HAVING max(id) IS NOT NULL"
                        )
                    copied = int(await conn.fetchval(f'SELECT count(*) FROM "{table}"'))
                    if copied != len(records):
                        raise DatabaseError(f"{table}: {len(records)} row(s) read but {copied} written; nothing kept")
                    counts[table] = copied
            await source.execute("COMMIT")
        finally:
            await target.close()
    finally:
        await source.close()
    return CopyReport(latest, counts)
