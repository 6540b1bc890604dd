from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.db.rows import from_row
from tests.support.databases import TestDatabases


@dataclass(frozen=True)
class Thing:
    id: int
    name: str
    done: bool
    created_at: datetime
    closed_at: datetime | None
    quiet: time | None
    window: timedelta
    note: str | None = None
    cached: int = field(default=0, init=False)


async def test_a_stored_row_becomes_the_dataclass(databases: TestDatabases) -> None:
    db = await databases.open("rows", migrate=False)
    try:
        async with db.transaction() as conn:
            await conn.execute(
                "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, done INTEGER, created_at INTEGER,"
                " closed_at INTEGER, quiet TEXT, window_seconds INTEGER, note TEXT)"
            )
            await conn.execute(
                "INSERT INTO things VALUES (1, 'a', 1, 1764547200, NULL, '22:30', 90, NULL),"
                " (2, 'b', 0, 1764547200, 1764550800, NULL, 60, 'n')"
            )
        rows = await db.fetchall("SELECT * FROM things ORDER BY id")
        things = [from_row(Thing, r, window=timedelta(seconds=r["window_seconds"])) for r in rows]
    finally:
        await db.close()
    start = datetime(2025, 12, 1, tzinfo=UTC)
    assert things[0] == Thing(1, "a", True, start, None, time(22, 30), timedelta(seconds=90))
    assert things[1] == Thing(2, "b", False, start, start + timedelta(hours=1), None, timedelta(minutes=1), "n")
    assert things[0].created_at.tzinfo is UTC and things[0].done is True


def test_a_missing_column_is_an_error_not_a_silent_default() -> None:
    with pytest.raises(KeyError):
        from_row(Thing, {"id": 1}, window=timedelta(0))


def test_only_dataclasses_are_mapped() -> None:
    with pytest.raises(TypeError):
        from_row(int, {})
