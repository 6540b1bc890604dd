"""The operators' commands, run as `python -m bot db ...` in their own process on a real database."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.datarights.forget import scan
from bot.db.database import Database
from tests.datarights.seed import seed_pair
from tests.support.databases import TestDatabases

TOKEN = "test-token-value-123456"
ALICE, BOB, SAM = 1_000_000_000_000_001, 1_000_000_000_000_002, 1_000_000_000_000_003
HERE, ELSEWHERE = 5_000_000_000_000_001, 5_000_000_000_000_002


@pytest.fixture
def live(databases: TestDatabases) -> str | Path:
    """The database the commands work on (a SQLite file, or a PostgreSQL database)."""
    return databases.target("live")


def _cli(tmp_path: Path, live: str | Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "DISCORD_TOKEN": TOKEN, **TestDatabases.env(live)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "db", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


async def _prepare(path: str | Path) -> None:
    db = await Database.open(path)
    await db.migrate()
    await seed_pair(db, HERE, ALICE, BOB, "ALICE", "BOB", t=1_764_511_200)
    await seed_pair(db, ELSEWHERE, ALICE, SAM, "ELSE", "SAM", t=1_764_511_200)
    await db.close()


async def _scan(path: str | Path, uid: int, guild: int | None = None) -> list[str]:
    db = await Database.open(path)
    try:
        return await scan(db, uid, guild)
    finally:
        await db.close()


def test_export_forget_and_purge_from_the_command_line(tmp_path: Path, live: str | Path) -> None:
    path = live
    asyncio.run(_prepare(path))
    exported = _cli(tmp_path, live, "export-member", str(ALICE), "--guild", str(HERE))
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(exported.stdout)
    assert doc["user_id"] == str(ALICE) and "ALICE-answer" in exported.stdout and "BOB-" not in exported.stdout
    out = tmp_path / "alice.json"
    assert _cli(tmp_path, live, "export-member", str(ALICE), "--out", str(out)).returncode == 0
    assert len(json.loads(out.read_text())["servers"]) == 2
    assert _cli(tmp_path, live, "export-member", str(ALICE), "--out", str(out)).returncode != 0  # never overwrites

    forgot = _cli(tmp_path, live, "forget-member", str(ALICE), "--guild", str(HERE))
    assert forgot.returncode == 0, forgot.stderr
    assert f"erased member {ALICE} in server {HERE}" in forgot.stdout and "checkin_answers" in forgot.stdout
    assert "notice(s) to other members" in forgot.stdout
    assert asyncio.run(_scan(path, ALICE, HERE)) == [] and asyncio.run(_scan(path, ALICE, ELSEWHERE))
    everywhere = _cli(tmp_path, live, "forget-member", str(ALICE))
    assert "2 server(s)" in everywhere.stdout
    assert asyncio.run(_scan(path, ALICE)) == []

    purged = _cli(tmp_path, live, "purge-guild", str(ELSEWHERE))
    assert purged.returncode == 0 and f"erased server {ELSEWHERE}" in purged.stdout
    assert asyncio.run(_scan(path, SAM, ELSEWHERE)) == ["member_settings.user_id: 1"]
    assert asyncio.run(_scan(path, BOB, HERE))


def test_bad_ids_are_refused(tmp_path: Path, live: str | Path) -> None:
    asyncio.run(_prepare(live))
    for bad in ("alice", "0", "-5", "1" * 30):
        result = _cli(tmp_path, live, "forget-member", bad)
        assert result.returncode != 0 and "not a Discord id" in result.stderr, bad
