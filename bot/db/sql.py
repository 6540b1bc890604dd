"""Portable SQL, engine by engine: ``?`` placeholders become ``$1, $2, …`` for PostgreSQL.

The repositories write SQL that both SQLite and PostgreSQL accept; only the placeholder style differs. A
small tokenizer rewrites it once per distinct statement (cached), in one pass over the text, leaving string
literals, quoted identifiers and comments alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INSERT_TABLE = re.compile(r'^\s*INSERT\s+INTO\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
_ROW_STATEMENTS = frozenset({"select", "with", "values", "pragma", "explain", "show", "table"})


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement rewritten for PostgreSQL, with what the driver needs to know to run it."""

    sql: str
    #: The statement yields rows (a query, or a write with ``RETURNING``).
    returns_rows: bool
    #: For ``INSERT INTO t …`` without ``RETURNING``: ``t``, so ``RETURNING id`` can give ``lastrowid``.
    insert_table: str | None
    placeholders: int
    #: For ``:name`` placeholders: the name each ``$n`` stands for, in order (empty for ``?`` placeholders).
    names: tuple[str, ...] = ()

    def arguments(self, params: Sequence[Any] | Mapping[str, Any]) -> Sequence[Any]:
        """The driver's positional arguments for ``params`` (a sequence for ``?``, a mapping for ``:name``)."""
        if isinstance(params, Mapping):
            return [params[name] for name in self.names]
        return params


def _scan(sql: str) -> tuple[list[str], list[str], int, tuple[str, ...]]:
    """Split ``sql`` into code pieces with ``?`` and ``:name`` numbered, and collect the words outside literals.

    Linear in the length of ``sql``: each character is looked at once.
    """
    out: list[str] = []
    words: list[str] = []
    n = len(sql)
    i = 0
    start = 0
    number = 0
    names: dict[str, int] = {}
    while i < n:
        ch = sql[i]
        if ch == "?":
            out.append(sql[start:i])
            number += 1
            out.append(f"${number}")
            i += 1
            start = i
        elif ch == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_") and sql[i - 1 : i] != ":":
            match = _WORD.match(sql, i + 1)
            assert match is not None
            out.append(sql[start:i])
            name = match.group(0)
            if name not in names:
                names[name] = len(names) + 1
            out.append(f"${names[name]}")
            i = match.end()
            start = i
        elif ch in ("'", '"'):
            end = sql.find(ch, i + 1)
            while end != -1 and end + 1 < n and sql[end + 1] == ch:  # '' or "" inside the literal
                end = sql.find(ch, end + 2)
            i = n if end == -1 else end + 1
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end == -1 else end + 1
        elif ch == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end == -1 else end + 2
        elif ch.isalpha() or ch == "_":
            match = _WORD.match(sql, i)
            assert match is not None
            words.append(match.group(0).lower())
            i = match.end()
        else:
            i += 1
    out.append(sql[start:])
    if number and names:
        raise ValueError("a statement mixes ? and :name placeholders")
    return out, words, number or len(names), tuple(names)


@lru_cache(maxsize=4096)
def for_postgresql(sql: str) -> Statement:
    pieces, words, placeholders, names = _scan(sql)
    text = "".join(pieces)
    first = words[0] if words else ""
    returning = "returning" in words
    insert_table = None
    if first == "insert" and not returning:
        match = _INSERT_TABLE.match(sql)
        insert_table = match.group(1) if match else None
    return Statement(text, first in _ROW_STATEMENTS or returning, insert_table, placeholders, names)


def numbered(sql: str) -> str:
    """``sql`` with its ``?`` placeholders numbered ``$1, $2, …`` (outside literals and comments)."""
    return for_postgresql(sql).sql
