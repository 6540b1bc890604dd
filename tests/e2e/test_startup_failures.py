"""Start-up failures of the real entry point end in one clear sentence and a non-zero exit.

Each test runs ``python -m bot`` (through the launcher that points it at the double) in its own process.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import sys
from pathlib import Path

from bot.adapter.runner import _database_problem
from bot.config import Secret, Settings
from tests.double import DiscordDouble

ROOT = Path(__file__).resolve().parents[2]


async def launch(base: str, token: str, db_path: Path, *, delays: str = "0.1,0.1") -> tuple[int, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DISCORD_TOKEN": token,
        "DATABASE_PATH": str(db_path),
        "LOG_LEVEL": "INFO",
        "RAPPORT_TEST_RETRY_DELAYS": delays,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.e2e._launch_bot", base, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, err.decode() + out.decode()


def one_sentence(log: str) -> str:
    lines = [line for line in log.splitlines() if line.startswith("rapport: ")]
    assert len(lines) == 1, log
    assert "Traceback" not in log, log
    return lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_discord_unreachable_retries_then_one_sentence(tmp_path: Path) -> None:
    code, log = await launch(f"http://127.0.0.1:{free_port()}", "a-valid-looking-token", tmp_path / "r.db")
    assert code != 0
    line = one_sentence(log)
    assert "couldn't reach Discord after 3 tries" in line
    assert log.count("trying again in") == 2


async def test_invalid_token(double: DiscordDouble, tmp_path: Path) -> None:
    code, log = await launch(f"http://127.0.0.1:{double.port}", "not-the-right-token", tmp_path / "r.db")
    assert code != 0 and "rejected DISCORD_TOKEN" in one_sentence(log)


async def test_missing_privileged_intents(double: DiscordDouble, tmp_path: Path) -> None:
    double.privileged_intents = 0
    code, log = await launch(f"http://127.0.0.1:{double.port}", double.token, tmp_path / "r.db")
    assert code != 0 and "privileged intents" in one_sentence(log)


async def test_database_locked(double: DiscordDouble, tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")
        code, log = await launch(f"http://127.0.0.1:{double.port}", double.token, path)
    finally:
        holder.close()
    assert code != 0 and "locked by another program" in one_sentence(log)


async def test_database_that_cannot_be_opened(double: DiscordDouble, tmp_path: Path) -> None:
    path = tmp_path / "a-folder.db"
    path.mkdir()  # a folder where the database file should be
    code, log = await launch(f"http://127.0.0.1:{double.port}", double.token, path)
    assert code != 0 and "points to a folder" in one_sentence(log)


def test_read_only_and_full_disk_are_named() -> None:
    settings = Settings(token=Secret("x" * 20), database_path=Path("data/rapport.db"))
    assert "read-only" in _database_problem(sqlite3.OperationalError("attempt to write a readonly database"), settings)
    assert "is full" in _database_problem(sqlite3.OperationalError("database or disk is full"), settings)
