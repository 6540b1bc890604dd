"""Portable SQL: ``?`` and ``:name`` placeholders numbered for PostgreSQL, never inside literals or comments."""

from __future__ import annotations

import pytest

from bot.db.database import mask_url
from bot.db.sql import for_postgresql, numbered


def test_placeholders_are_numbered_in_order() -> None:
    assert numbered("SELECT * FROM t WHERE a = ? AND b IN (?, ?)") == "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)"


def test_literals_identifiers_and_comments_are_left_alone() -> None:
    sql = "SELECT 'why?', \"odd?col\", 'it''s ?' FROM t -- really?\nWHERE x = ? /* or ? */ AND y LIKE '%?%'"
    assert numbered(sql) == (
        "SELECT 'why?', \"odd?col\", 'it''s ?' FROM t -- really?\nWHERE x = $1 /* or ? */ AND y LIKE '%?%'"
    )
    assert for_postgresql(sql).placeholders == 1


def test_named_placeholders_reuse_their_number() -> None:
    statement = for_postgresql("UPDATE t SET a = :uid WHERE b = :gid OR c = :uid AND d = '12:30'")
    assert statement.sql == "UPDATE t SET a = $1 WHERE b = $2 OR c = $1 AND d = '12:30'"
    assert statement.arguments({"gid": 5, "uid": 7}) == [7, 5]


def test_mixing_placeholder_styles_is_refused() -> None:
    with pytest.raises(ValueError, match="mixes"):
        for_postgresql("SELECT ? WHERE a = :uid")


def test_what_the_driver_needs_to_know() -> None:
    insert = for_postgresql("INSERT INTO wins (guild_id) VALUES (?)")
    assert insert.insert_table == "wins" and not insert.returns_rows
    returning = for_postgresql("INSERT INTO t (a) VALUES (?) RETURNING id")
    assert returning.insert_table is None and returning.returns_rows
    assert for_postgresql("  with x AS (SELECT 1) SELECT * FROM x").returns_rows
    assert not for_postgresql("UPDATE t SET note = 'returning' WHERE id = ?").returns_rows
    assert for_postgresql("UPDATE t SET a = 1 RETURNING id").returns_rows


def test_an_unterminated_literal_does_not_hang_or_number_inside_it() -> None:
    assert numbered("SELECT ? WHERE a = 'open ?") == "SELECT $1 WHERE a = 'open ?"
    assert numbered("SELECT ? /* open ?") == "SELECT $1 /* open ?"


def test_long_statements_are_one_pass() -> None:
    many = "SELECT " + ", ".join("?" for _ in range(20_000))
    assert for_postgresql(many).placeholders == 20_000
    quotes = "SELECT '" + "''" * 50_000 + "' , ?"
    assert numbered(quotes).endswith(", $1")


def test_passwords_are_masked() -> None:
    assert mask_url("postgresql://rapport:s3cr3t@db.example:5432/rapport") == (
        "postgresql://rapport:***@db.example:5432/rapport"
    )
    assert mask_url("postgresql://rapport@localhost/rapport") == "postgresql://rapport@localhost/rapport"
