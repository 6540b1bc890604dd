"""What repositories see of a connection, whichever engine is behind it."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeAlias

#: Statement parameters: a sequence for ``?`` placeholders, a mapping for ``:name`` ones.
Params: TypeAlias = Sequence[Any] | Mapping[str, Any]


class Row(Protocol):
    """A result row: by position (``row[0]``) or by column name (``row["id"]``); ``dict(row)`` works."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...

    def keys(self) -> Any: ...


class Cursor(Protocol):
    """The result of one statement run inside a transaction."""

    @property
    def lastrowid(self) -> int | None: ...

    @property
    def rowcount(self) -> int: ...

    async def fetchone(self) -> Row | None: ...

    async def fetchall(self) -> Iterable[Row]: ...

    async def close(self) -> None: ...


class PendingCursor(Protocol):
    """``await conn.execute(…)`` gives the cursor; ``async with conn.execute(…) as cur`` does too."""

    def __await__(self) -> Generator[Any, None, Cursor]: ...

    async def __aenter__(self) -> Cursor: ...

    async def __aexit__(self, *exc: object) -> None: ...


class Connection(Protocol):
    """The connection a transaction yields: statements with ``?`` placeholders, run in that transaction."""

    def execute(self, sql: str, parameters: Params = ()) -> PendingCursor: ...

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> None: ...

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> Iterable[Row]: ...


class DatabaseError(Exception):
    """A database failure the engine reported, worded the same whichever engine it was."""


class IntegrityError(DatabaseError):
    """A constraint refused a write; ``unique`` says whether it was a uniqueness constraint."""

    def __init__(self, message: str, *, unique: bool) -> None:
        super().__init__(message)
        self.unique = unique


class ReadyCursor:
    """A cursor whose rows are already fetched (how both backends hand results back)."""

    __slots__ = ("_lastrowid", "_position", "_rowcount", "_rows")

    def __init__(self, rows: Sequence[Row], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self._rowcount = rowcount
        self._lastrowid = lastrowid
        self._position = 0

    @property
    def lastrowid(self) -> int | None:
        return self._lastrowid

    @property
    def rowcount(self) -> int:
        return self._rowcount

    async def fetchone(self) -> Row | None:
        if self._position >= len(self._rows):
            return None
        row = self._rows[self._position]
        self._position += 1
        return row

    async def fetchall(self) -> Sequence[Row]:
        rows = self._rows[self._position :]
        self._position = len(self._rows)
        return rows

    async def close(self) -> None:
        return None


class Pending:
    """Wraps the coroutine that runs a statement so it can be awaited or used with ``async with``."""

    __slots__ = ("_cursor", "_run")

    def __init__(self, run: Any) -> None:
        self._run = run
        self._cursor: Cursor | None = None

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._run.__await__()

    async def __aenter__(self) -> Cursor:
        self._cursor = await self._run
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        if self._cursor is not None:
            await self._cursor.close()


__all__ = [
    "Connection",
    "Cursor",
    "DatabaseError",
    "IntegrityError",
    "Params",
    "Pending",
    "PendingCursor",
    "ReadyCursor",
    "Row",
]
