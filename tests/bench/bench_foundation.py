"""Foundation benchmark: start-up with 10,000 stored member preferences, and /about latency against a
minimal discord.py bot, both through the local Discord double in one process.

Run: .venv/bin/python -m tests.bench.bench_foundation [--requests 1000] [--concurrency 50] [--rounds 3]
Prints figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import psutil
from discord import app_commands

from bot.adapter.client import Rapport
from bot.config import Secret, Settings
from bot.db.database import Database
from bot.scheduling.clock import FakeClock
from cogs import feature_extensions
from tests.double import DiscordDouble

START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


class _Patch:
    """monkeypatch-like attribute setter for use outside pytest."""

    def __init__(self) -> None:
        self._undo: list[tuple[object, str, object]] = []

    def setattr(self, target: object, name: str, value: object) -> None:
        self._undo.append((target, name, getattr(target, name)))
        setattr(target, name, value)

    def undo(self) -> None:
        for target, name, value in reversed(self._undo):
            setattr(target, name, value)


async def _no_wait(shard_id: int | None, *, initial: bool = False) -> None:
    return None


async def _start(client: discord.Client, token: str) -> asyncio.Task[None]:
    client.before_identify_hook = _no_wait  # type: ignore[method-assign]
    task = asyncio.create_task(client.start(token))
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()
        raise RuntimeError("client stopped before ready")
    return task


async def _stop(client: discord.Client, task: asyncio.Task[None]) -> None:
    await client.close()
    with contextlib.suppress(asyncio.CancelledError, TimeoutError):
        await asyncio.wait_for(task, timeout=10)


async def _latencies(double: DiscordDouble, users: list[Any], channel: Any, name: str, total: int,
                     concurrency: int) -> list[float]:
    limit = asyncio.Semaphore(concurrency)
    results: list[float] = []

    async def one(i: int) -> None:
        async with limit:
            started = time.perf_counter()
            record = await double.slash(users[i % len(users)], channel, name)
            await record.wait_response(timeout=30)
            results.append(time.perf_counter() - started)

    await asyncio.gather(*(one(i) for i in range(total)))
    return results


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _about_embed() -> discord.Embed:
    """The minimal bot's constant answer: an embed shaped like Rapport's /about, so both bots send the double
    the same amount of work and the comparison measures the bots, not the payload."""
    embed = discord.Embed(title="Rapport", description="Check-ins, written summaries and commitments.")
    for name, value in [("Version", "0.1.0"), ("Up since", "<t:1764511200:R>"), ("Gateway latency", "1 ms"),
                        ("Servers", "1"), ("Schedules", "0"), ("Open commitments", "0"), ("Database", "1.0 MB")]:
        embed.add_field(name=name, value=value)
    return embed


async def _cold_start(double: DiscordDouble, db_path: Path, user: Any, channel: Any) -> tuple[float, int]:
    """``python -m bot`` in its own process (cold imports, all cogs): seconds from spawn until it has answered
    its first /about, and its RSS then."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DISCORD_TOKEN": double.token,
           "DATABASE_PATH": str(db_path), "LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.e2e._launch_bot", f"http://127.0.0.1:{double.port}",
        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await double.wait_gateway(lambda record: record.op == 2, timeout=60, new_only=True)
        while True:
            try:
                record = await double.slash(user, channel, "about")
                await record.wait_response(timeout=5)
                break
            except Exception:  # not connected or not chunked yet
                await asyncio.sleep(0.005)
        ready_s = time.perf_counter() - started
        rss = psutil.Process(process.pid).memory_info().rss
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
    return ready_s, rss


async def _rapport_round(double: DiscordDouble, db_path: Path, users: list[Any], channel: Any, total: int,
                         concurrency: int) -> tuple[float, list[float]]:
    settings = Settings(token=Secret(double.token), database_path=db_path)
    rapport = Rapport(
        settings,
        clock=FakeClock(START),
        realtime_jobs=False,
        guild_ready_timeout=0.05,
        extensions=feature_extensions(),
    )
    started = time.perf_counter()
    task = await _start(rapport, double.token)
    ready_s = time.perf_counter() - started
    await _latencies(double, users, channel, "about", 100, concurrency)  # warm-up
    latencies = await _latencies(double, users, channel, "about", total, concurrency)
    await _stop(rapport, task)
    return ready_s, latencies


async def _minimal_round(double: DiscordDouble, users: list[Any], channel: Any, total: int,
                         concurrency: int) -> list[float]:
    minimal = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
    tree = app_commands.CommandTree(minimal)
    constant = _about_embed()

    @tree.command(name="about", description="A constant answer.")
    async def about(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=constant, ephemeral=True)

    async def sync_hook() -> None:
        await tree.sync()

    minimal.setup_hook = sync_hook  # type: ignore[method-assign]
    task = await _start(minimal, double.token)
    await _latencies(double, users, channel, "about", 100, concurrency)
    latencies = await _latencies(double, users, channel, "about", total, concurrency)
    await _stop(minimal, task)
    return latencies


async def main(total: int, concurrency: int, members: int, rounds: int) -> None:
    logging.basicConfig(level=logging.ERROR)
    patch = _Patch()
    double = DiscordDouble()
    await double.start()
    double.point_discord_py_here(patch)
    owner = double.create_user("owner")
    guild = double.create_guild("Bench", owner=owner)
    channel = double.create_channel(guild, "general")
    users = [double.create_user(f"user{i}") for i in range(50)]
    for user in users:
        double.add_member(guild, user)

    rapport_p50: list[float] = []
    rapport_p99: list[float] = []
    minimal_p50: list[float] = []
    minimal_p99: list[float] = []
    ready: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        db = await Database.open(db_path)
        await db.migrate()
        await db.executemany(
            "INSERT INTO member_settings (user_id, timezone, updated_at) VALUES (?, ?, ?)",
            [(10_000_000 + i, "Europe/London", int(START.timestamp())) for i in range(members)],
        )
        await db.close()
        gc.collect()
        cold = [await _cold_start(double, db_path, users[0], channel) for _ in range(rounds)]
        # Rounds alternate between the two bots so machine noise hits both alike.
        for _ in range(rounds):
            ready_s, latencies = await _rapport_round(double, db_path, users, channel, total, concurrency)
            ready.append(ready_s)
            rapport_p50.append(_pct(latencies, 0.5))
            rapport_p99.append(_pct(latencies, 0.99))
            latencies = await _minimal_round(double, users, channel, total, concurrency)
            minimal_p50.append(_pct(latencies, 0.5))
            minimal_p99.append(_pct(latencies, 0.99))
    await double.stop()
    patch.undo()

    ms = 1000
    r50, r99 = statistics.median(rapport_p50) * ms, statistics.median(rapport_p99) * ms
    m50, m99 = statistics.median(minimal_p50) * ms, statistics.median(minimal_p99) * ms
    ratios = [r / m for r, m in zip(rapport_p50, minimal_p50, strict=True)]
    out = sys.stdout
    python = sys.version.split()[0]
    out.write(f"machine: {psutil.cpu_count()} cores, Python {python}, discord.py {discord.__version__}\n")
    cold_ready = statistics.median(r for r, _ in cold)
    cold_rss = statistics.median(m for _, m in cold)
    out.write(f"(a) start-up with {members:,} stored member preferences, `python -m bot` in its own process: "
              f"first /about answered {cold_ready:.2f} s after spawn, RSS {cold_rss / 2**20:.0f} MB "
              f"(medians of {rounds}); in-process warm restart ready in {statistics.median(ready):.3f} s\n")
    out.write(f"(b) Rapport /about x{total}, {concurrency} concurrent: p50 {r50:.1f} ms, p99 {r99:.1f} ms "
              f"(medians of {rounds} rounds)\n")
    out.write(f"(c) minimal bot  x{total}, {concurrency} concurrent: p50 {m50:.1f} ms, p99 {m99:.1f} ms\n")
    out.write(f"p50 ratio Rapport / minimal: {statistics.median(ratios):.2f} (median of per-round ratios "
              f"{', '.join(f'{r:.2f}' for r in ratios)}; target <= 1.3)\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency, args.members, args.rounds))
