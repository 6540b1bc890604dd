"""The real entry point, in its own process: it starts, answers, and on SIGTERM stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.db.database import Database
from tests.double import DiscordDouble
from tests.e2e.conftest import World
from tests.e2e.helpers import slash
from tests.support.databases import ON_POSTGRES, TestDatabases


async def test_sigterm_stops_scheduler_finishes_writes_and_closes_database(
    double: DiscordDouble, world: World, tmp_path: Path, databases: TestDatabases
) -> None:
    db_path = tmp_path / "data" / "rapport.db"
    target = db_path if not ON_POSTGRES else databases.target("rapport")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DISCORD_TOKEN": double.token,
        **TestDatabases.env(target),
        "LOG_LEVEL": "INFO",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.e2e._launch_bot", f"http://127.0.0.1:{double.port}",
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        # Ready means: commands synced and the gateway identified.
        await double.wait_gateway(lambda record: record.op == 2, timeout=60)
        await double.wait_until(lambda: double.sync_count.get(None, 0) >= 1, timeout=30)
        await asyncio.sleep(0.5)  # let GUILD_CREATE and member chunking finish in the child
        record = await slash(double, world.alice, world.general, "me timezone", timezone="Asia/Tokyo")
        assert "Asia/Tokyo" in record.content

        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = output.decode()
    assert process.returncode == 0, log
    assert "Rapport stopped" in log, log
    assert "Traceback" not in log
    if isinstance(target, str):
        db = await Database.open(target)
        try:
            zone = await db.fetchval("SELECT timezone FROM member_settings WHERE user_id = ?", (world.alice.id,))
        finally:
            await db.close()
        assert zone == "Asia/Tokyo"
        return
    # The database was closed properly: the write-ahead log was checkpointed and removed.
    assert db_path.exists()
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        (zone,) = conn.execute("SELECT timezone FROM member_settings WHERE user_id = ?", (world.alice.id,)).fetchone()
    assert zone == "Asia/Tokyo"
