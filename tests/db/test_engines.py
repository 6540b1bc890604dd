"""Both engines: the same migrations, the same schema, the same read and write behaviour, and db copy."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.db.connection import IntegrityError
from bot.db.database import ENGINES, Database, load_migrations
from tests.datarights.seed import seed_pair
from tests.support.databases import ON_POSTGRES, SERVER_URL, TestDatabases

TOKEN = "test-token-value-123456"
ROOT = Path(__file__).resolve().parents[2]
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="needs RAPPORT_TEST_DATABASE_URL (a PostgreSQL server)")


def test_both_engines_have_the_same_migration_numbers() -> None:
    sqlite, postgresql = (load_migrations(engine) for engine in ENGINES)
    assert [m.name for m in sqlite] == [m.name for m in postgresql]
    assert [m.version for m in sqlite] == list(range(1, len(sqlite) + 1))


@needs_postgres
async def test_migrated_engines_expose_the_same_tables_columns_and_keys(tmp_path: Path) -> None:
    assert SERVER_URL is not None
    made = TestDatabases(tmp_path)
    lite = await Database.open(tmp_path / "same.db")
    pg = await Database.open(made.target("same", migrated=False))
    try:
        await lite.migrate()
        await pg.migrate()
        assert await lite.schema_version() == await pg.schema_version() == load_migrations()[-1].version
        assert await lite.schema() == await pg.schema()
        for table in await lite.tables():
            assert await lite.primary_key(table) == await pg.primary_key(table), table
    finally:
        await lite.close()
        await pg.close()
        made.drop_all()


async def test_reads_never_see_a_transaction_in_flight(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
        assert await db.fetchval("SELECT count(*) FROM bot_state") == 0
    assert await db.fetchval("SELECT count(*) FROM bot_state") == 1


async def test_cursor_surface_is_the_same(db: Database) -> None:
    async with db.transaction() as conn:
        first = await conn.execute(
            "INSERT INTO wins (guild_id, channel_id, author_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
            (1, 2, 3, "shipped it?", 4),
        )
        second = await conn.execute(
            "INSERT INTO wins (guild_id, channel_id, author_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
            (1, 2, 3, "again", 5),
        )
        assert first.lastrowid and second.lastrowid == first.lastrowid + 1
        updated = await conn.execute("UPDATE wins SET text = ? WHERE guild_id = ?", ("done", 1))
        assert updated.rowcount == 2
        async with conn.execute("SELECT id, text FROM wins ORDER BY id") as cursor:
            rows = list(await cursor.fetchall())
        assert [(r["id"], r[1]) for r in rows] == [(first.lastrowid, "done"), (second.lastrowid, "done")]
        claimed = await conn.execute("UPDATE wins SET message_id = 9 WHERE id = ? RETURNING id", (first.lastrowid,))
        assert [r[0] for r in await claimed.fetchall()] == [first.lastrowid]
        ignored = await conn.execute(
            "INSERT INTO bot_state (key, value) VALUES ('a', '1') ON CONFLICT DO NOTHING"
        )
        again = await conn.execute("INSERT INTO bot_state (key, value) VALUES ('a', '2') ON CONFLICT DO NOTHING")
        assert (ignored.rowcount, again.rowcount) == (1, 0)
    assert await db.fetchval("SELECT sum(id) FROM wins") == first.lastrowid + second.lastrowid
    assert await db.fetchval("SELECT coalesce(sum(id), 0) FROM wins WHERE guild_id = 99") == 0


async def test_a_duplicate_key_is_one_error_type(db: Database) -> None:
    await db.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
    with pytest.raises(IntegrityError) as raised:
        await db.execute("INSERT INTO bot_state (key, value) VALUES ('a', '2')")
    assert raised.value.unique
    with pytest.raises(IntegrityError) as raised:
        await db.execute("INSERT INTO bot_state (key, value) VALUES ('b', NULL)")
    assert not raised.value.unique


def _cli(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DISCORD_TOKEN": TOKEN, "PYTHONPATH": str(ROOT), **env},
    )


async def _seeded_sqlite(path: Path) -> dict[str, int]:
    db = await Database.open(path)
    try:
        await db.migrate()
        await seed_pair(db, 5_000_000_000_000_001, 1_000_000_000_000_001, 1_000_000_000_000_002, "A", "B",
                        t=1_764_511_200)
        return await db.table_counts()
    finally:
        await db.close()


@needs_postgres
def test_db_copy_moves_everything_into_an_empty_postgres_and_refuses_a_full_one(
    tmp_path: Path, databases: TestDatabases
) -> None:
    source = tmp_path / "live.db"
    counts = asyncio.run(_seeded_sqlite(source))
    target = databases.target("copy", migrated=False)
    assert isinstance(target, str)
    copied = _cli(tmp_path, "db", "copy", "--to", target, env={"DATABASE_PATH": str(source)})
    assert copied.returncode == 0, copied.stderr
    assert "row count checked" in copied.stdout and "repairs" in copied.stdout

    async def check() -> None:
        pg = await Database.open(target)
        lite = await Database.open(source)
        try:
            assert await pg.table_counts() == counts
            for table in ("repairs", "commitments", "checkin_runs"):
                assert await pg.fetchall(f"SELECT * FROM {table} ORDER BY id") == [
                    tuple(r) for r in await lite.fetchall(f"SELECT * FROM {table} ORDER BY id")
                ]
            top = await pg.fetchval("SELECT max(id) FROM commitments")
            new_id = await pg.execute(
                "INSERT INTO commitment_events (commitment_id, guild_id, at, kind) VALUES (?, 1, 1, 'created')", (top,)
            )
            assert new_id > await lite.fetchval("SELECT max(id) FROM commitment_events")
        finally:
            await pg.close()
            await lite.close()

    asyncio.run(check())
    status = _cli(tmp_path, "db", "status", env={"DATABASE_URL": target})
    assert status.returncode == 0 and "postgresql" in status.stdout and "up to date" in status.stdout
    refused = _cli(tmp_path, "db", "copy", "--to", target, env={"DATABASE_PATH": str(source)})
    assert refused.returncode != 0 and "not empty" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


@needs_postgres
def test_db_backup_on_postgres_runs_pg_dump(tmp_path: Path, databases: TestDatabases) -> None:
    target = databases.target("dump", migrated=True)
    assert isinstance(target, str)
    out = tmp_path / "rapport.dump"
    backup = _cli(tmp_path, "db", "backup", str(out), env={"DATABASE_URL": target})
    assert backup.returncode == 0, backup.stderr
    assert out.read_bytes()[:5] == b"PGDMP"
    missing = _cli(tmp_path, "db", "backup", str(tmp_path / "again.dump"),
                   env={"DATABASE_URL": target, "PATH": str(tmp_path)})
    if missing.returncode != 0 and "pg_dump is not installed" in missing.stderr:
        assert len(missing.stderr.strip().splitlines()) == 1


def test_an_unreachable_postgres_is_one_sentence(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://rapport:hunter2@127.0.0.1:{port}/rapport"
    result = _cli(tmp_path, "db", "status", env={"DATABASE_URL": url})
    assert result.returncode != 0
    assert "can't connect to the PostgreSQL database" in result.stderr and "hunter2" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_copy_needs_a_postgres_url(tmp_path: Path) -> None:
    result = _cli(tmp_path, "db", "copy", "--to", str(tmp_path / "x.db"), env={"DATABASE_PATH": str(tmp_path / "a")})
    assert result.returncode != 0 and "--to must be a PostgreSQL URL" in result.stderr
