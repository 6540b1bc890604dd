"""Migrations from an empty database, transactions and the preference repository on a real database."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from bot.db.database import Database, Migration, load_migrations
from bot.db.preferences import PreferencesRepo
from tests.support.databases import ENGINE, TestDatabases, sqlite_only

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def test_migrations_from_empty_database(databases: TestDatabases) -> None:
    db = await databases.open("fresh", migrate=False)
    try:
        assert db.engine == ENGINE
        assert await db.schema_version() == 0
        applied = await db.migrate()
        assert applied == [m.version for m in load_migrations(ENGINE)]
        assert await db.schema_version() == load_migrations(ENGINE)[-1].version
        assert await db.migrate() == []
        if ENGINE == "sqlite":
            assert await db.fetchval("PRAGMA journal_mode") == "wal"
            assert await db.fetchval("PRAGMA foreign_keys") == 1
            assert await db.fetchval("PRAGMA busy_timeout") == 5000
        else:
            assert await db.fetchval("SELECT max(version) FROM schema_version") == applied[-1]
            assert "schema_version" not in await db.tables()
    finally:
        await db.close()


async def test_failed_migration_leaves_database_unchanged(databases: TestDatabases) -> None:
    db = await databases.open("broken", migrate=False)
    try:
        good = Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
        bad = Migration(2, "0002_b.sql", "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);")
        with pytest.raises(Exception, match="nowhere"):
            await db.migrate([good, bad])
        assert await db.schema_version() == 1
        tables = set(await db.tables())
        assert "a" in tables and "b" not in tables
    finally:
        await db.close()


async def test_newer_schema_is_refused(databases: TestDatabases) -> None:
    db = await databases.open("future")
    try:
        if ENGINE == "sqlite":
            await db.execute("PRAGMA user_version = 999")
        else:
            await db.execute("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)")
        with pytest.raises(RuntimeError, match="newer"):
            await db.migrate()
    finally:
        await db.close()


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(ValueError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
            raise ValueError("boom")
    assert await db.fetchval("SELECT count(*) FROM bot_state") == 0


async def test_guild_preferences_round_trip(db: Database) -> None:
    prefs = PreferencesRepo(db)
    assert (await prefs.guild(1)).timezone is None
    await prefs.update_guild(1, NOW, timezone="Asia/Tokyo")
    updated = await prefs.update_guild(1, NOW, manager_role_id=55, celebrate=False)
    assert updated.timezone == "Asia/Tokyo"
    assert updated.manager_role_id == 55
    assert updated.celebrate is False
    assert (await prefs.guild(2)).timezone is None
    with pytest.raises(ValueError):
        await prefs.update_guild(1, NOW, **{"timezone = 'x'; --": "y"})


async def test_member_preferences_round_trip(db: Database) -> None:
    prefs = PreferencesRepo(db)
    away = datetime(2026, 12, 24, 0, 0, tzinfo=UTC)
    await prefs.update_member(7, NOW, timezone="Europe/Berlin", quiet_start=time(22), quiet_end=time(7))
    member = await prefs.update_member(7, NOW, away_until=away)
    assert member.timezone == "Europe/Berlin"
    assert (member.quiet_start, member.quiet_end) == (time(22), time(7))
    assert member.away_until == away and member.away_until.tzinfo is not None
    assert member.is_away(NOW) and not member.is_away(away)
    many = await prefs.members([7, 8])
    assert many[7].timezone == "Europe/Berlin" and many[8].timezone is None
    assert await prefs.member_zone_name(8, None, "UTC") == "UTC"
    await prefs.update_guild(3, NOW, timezone="Asia/Tokyo")
    assert await prefs.member_zone_name(8, 3, "UTC") == "Asia/Tokyo"
    assert await prefs.member_zone_name(7, 3, "UTC") == "Europe/Berlin"


async def test_naive_datetimes_are_refused(db: Database) -> None:
    prefs = PreferencesRepo(db)
    with pytest.raises(ValueError, match="naive"):
        await prefs.update_member(1, NOW, away_until=datetime(2026, 12, 1))  # noqa: DTZ001


@sqlite_only
async def test_backup_while_open(db: Database, tmp_path: Path) -> None:
    await db.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
    await db.backup_to(tmp_path / "b.db")
    copy = await Database.open(tmp_path / "b.db")
    try:
        assert await copy.fetchval("SELECT value FROM bot_state WHERE key = 'k'") == "v"
    finally:
        await copy.close()
