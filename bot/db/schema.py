"""What this database's schema holds: for code that must work while a feature's tables are absent (a database
migrated only part of the way, as in tests of one feature)."""

from __future__ import annotations

from bot.db.database import Database


async def table_columns(db: Database, table: str) -> frozenset[str]:
    """The table's columns; empty when it does not exist. ``table`` is a trusted name, never user input."""
    return frozenset(await db.columns(table))


async def has_columns(db: Database, table: str, *columns: str) -> bool:
    found = await table_columns(db, table)
    return bool(found) and set(columns) <= found
