"""``--standby`` is accepted before and after ``run``: the real ``python -m bot`` waits while another copy holds
the database's shard, then takes over (IDENTIFYs) once that copy lets go."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.shardlock import FileShardLock
from tests.double import DiscordDouble
from tests.double.gateway import IDENTIFY
from tests.e2e.test_shards import _env, _spawn, _stop

WAITING = "standby: shard 0 is held by another process; waiting to take over"


async def _log_says(log: Path, text: str, process: asyncio.subprocess.Process, within: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while text not in (log.read_text(errors="replace") if log.exists() else ""):
        if process.returncode is not None:
            raise AssertionError(f"the bot stopped ({process.returncode}): {log.read_text(errors='replace')[-2000:]}")
        if loop.time() > deadline:
            raise AssertionError(f"{text!r} not logged within {within}s")
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("args", [("run", "--standby"), ("--standby", "run")])
async def test_standby_is_accepted_before_and_after_run(
    double: DiscordDouble, tmp_path: Path, args: tuple[str, ...]
) -> None:
    db_path = tmp_path / "data" / "rapport.db"
    held = FileShardLock(db_path, 0)  # another copy of Rapport holds the database's one shard
    assert await held.try_acquire()
    log = tmp_path / "standby.log"
    standby = await _spawn(double, _env(double, db_path), *args, log=log)
    try:
        await _log_says(log, WAITING, standby)
        await asyncio.sleep(0.5)
        assert standby.returncode is None
        assert not any(r.op == IDENTIFY for r in double.gateway_received)  # off the gateway while it waits
        await held.release()
        await double.wait_gateway(lambda r: r.op == IDENTIFY, timeout=30)
        assert standby.returncode is None
    finally:
        await held.release()
        await _stop(standby)


async def test_run_without_standby_is_refused_while_another_copy_runs(double: DiscordDouble, tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "rapport.db"
    held = FileShardLock(db_path, 0)
    assert await held.try_acquire()
    try:
        process = await _spawn(double, _env(double, db_path), "run")
        _, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 2
        assert err.decode().splitlines()[-1].startswith(f"rapport: Rapport is already running on {db_path}")
    finally:
        await held.release()
