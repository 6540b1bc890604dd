"""Many processes on PostgreSQL: a burst of check-ins due at one instant, posted by several real ``python -m bot``
processes under Discord's global limit (prints figures; not a pytest test).

    RAPPORT_TEST_DATABASE_URL=postgresql://… .venv/bin/python -m tests.bench.bench_fleet          # both variants
    … -m tests.bench.bench_fleet --servers 40 --processes 2 --lead 20                           # a quick run
    … -m tests.bench.bench_fleet --variant kill                                                 # only the kill -9

``--servers`` servers (1,000), one check-in each, all due at one instant; ``--processes`` processes (4), each
``SHARD_COUNT=N SHARD_IDS=k`` on a fresh PostgreSQL database of its own, each pacing its REST requests to its
share of the token's budget, ``45 × 1 / N`` per second. The Discord double runs in this process and enforces
50 requests per second for the token, over any sliding second.

* ``burst``: wall time from the due instant until every prompt and its thread exist, against the floor
  (requests answered 2xx / 50; ``ratio_with_429s`` also counts the refused ones, as ``bench_checkins`` does);
  prompts lost and duplicated; 429s. The processes pace to 45 × 1 / N each (44 in all with N = 4), so the
  ratio cannot go below 50 / 44 = 1.136.
* ``kill``: the same, plus a ``--standby`` for one shard; once half of the prompts exist, that shard's live
  process is killed with SIGKILL. Recovery: from the kill until the last of that shard's prompts and threads
  exist (target: the lease, 2 minutes, plus 30 s). Lost and duplicated prompts over all servers.

The processes are started ``--lead`` seconds before the due instant (their timers are armed from the tables at
start-up); a run whose processes were not all connected 2 s before it is reported as such. Guild member
chunking at start-up is off in these processes (as in the other benchmarks: it is gateway traffic, not REST).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import pytest

from bot.scheduling.dispatch import DEFAULT_LEASE
from tests.bench.bench_checkins import answer_ids, seed_checkins
from tests.double import DiscordDouble
from tests.double.gateway import IDENTIFY

ROOT = Path(__file__).resolve().parents[2]
GLOBAL_LIMIT = 50
PROMPT = re.compile(r"^/channels/(\d+)/messages$")
THREAD = re.compile(r"^/channels/(\d+)/messages/\d+/threads$")


class Progress:
    """Which channels have their prompt and their thread, read incrementally from the double's request log."""

    def __init__(self, double: DiscordDouble, start: int) -> None:
        self.double = double
        self.seen = start
        self.prompted: dict[int, float] = {}
        self.threaded: dict[int, float] = {}

    def update(self) -> None:
        requests = self.double.requests
        for record in requests[self.seen :]:
            if record.method != "POST" or not 200 <= record.status < 300:
                continue
            if (m := PROMPT.match(record.path)) is not None:
                self.prompted.setdefault(int(m.group(1)), record.at)
            elif (m := THREAD.match(record.path)) is not None:
                self.threaded.setdefault(int(m.group(1)), record.at)
        self.seen = len(requests)

    def done(self, channels: set[int]) -> bool:
        return channels <= self.prompted.keys() and channels <= self.threaded.keys()

    def finished_at(self, channels: set[int]) -> float:
        return max(max(self.prompted[c], self.threaded[c]) for c in channels)


async def fresh_database(admin_url: str) -> str:
    import asyncpg

    name = f"rapport_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{admin_url.rpartition('/')[0]}/{name}"


async def drop_database(admin_url: str, url: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')
    finally:
        await admin.close()


def bot_env(double: DiscordDouble, url: str, count: int, shard: int) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DISCORD_TOKEN": double.token,
        "DATABASE_URL": url,
        "SHARD_COUNT": str(count),
        "SHARD_IDS": str(shard),
        "LOG_LEVEL": "WARNING",
        "RAPPORT_TEST_IDENTIFY_WINDOW": "0.2",
        "RAPPORT_TEST_NO_CHUNKING": "1",
    }


async def spawn(double: DiscordDouble, env: dict[str, str], log: Path, *args: str) -> asyncio.subprocess.Process:
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.e2e._launch_bot", f"http://127.0.0.1:{double.port}", *args,
            cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


async def one_round(admin_url: str, servers: int, processes: int, lead: float, kill: bool) -> dict[str, Any]:
    double = DiscordDouble()
    await double.start()
    patcher = pytest.MonkeyPatch()
    double.point_discord_py_here(patcher)
    tmp = tempfile.TemporaryDirectory()
    url = await fresh_database(admin_url)
    bots: list[asyncio.subprocess.Process] = []
    try:
        owner = double.create_user("owner")
        places = []
        for i in range(servers):
            guild = double.create_guild(f"Team {i}", owner=owner, shard=(i % processes, processes))
            places.append((guild, double.create_channel(guild, "check-ins"), i % processes))
        started = time.time()
        due_epoch = int(started + lead) + 1
        due = datetime.fromtimestamp(due_epoch, UTC)
        db = await seed_checkins(url, [(g.id, c.id, owner.id) for g, c, _ in places], due)  # type: ignore[arg-type]
        await db.close()
        double.global_limit_per_second = GLOBAL_LIMIT
        logs = Path(tmp.name)
        for shard in range(processes):
            env = bot_env(double, url, processes, shard)
            bots.append(await spawn(double, env, logs / f"shard-{shard}.log"))
        victim = 1 % processes
        standby = None
        if kill:
            # Started after the live one has its lock (it waits, off the gateway).
            await double.wait_until(lambda: sum(r.op == IDENTIFY for r in double.gateway_received) >= 1, timeout=lead)
            env = bot_env(double, url, processes, victim)
            standby = await spawn(double, env, logs / f"shard-{victim}-standby.log", "--standby")
            bots.append(standby)
        identified = lambda: sum(r.op == IDENTIFY for r in double.gateway_received)  # noqa: E731
        while identified() < processes and time.time() < due_epoch - 2:  # noqa: ASYNC110 (a deadline, too)
            await asyncio.sleep(0.1)
        ready_before_due = identified() >= processes
        ready_s = time.time() - started
        progress = Progress(double, len(double.requests))
        first_request = len(double.requests)
        before_429 = double.stats["429"]
        channels = {c.id for _, c, _ in places}
        victim_channels = {c.id for _, c, shard in places if shard == victim}
        monotonic_due = time.monotonic() + (due_epoch - time.time())  # the double's request times are monotonic
        killed_at: float | None = None
        prompts_at_kill = 0
        deadline = due_epoch + 4 * servers * 2 / GLOBAL_LIMIT + 180
        while time.time() < deadline:
            await asyncio.sleep(0.25)
            progress.update()
            if kill and killed_at is None and len(progress.prompted) >= servers // 2:
                live = bots[victim]
                live.send_signal(signal.SIGKILL)
                killed_at = time.monotonic()
                await live.wait()  # reaped: a process of this machine that is gone (its claims are taken over)
                prompts_at_kill = len(progress.prompted)
            if progress.done(channels):
                break
        await asyncio.sleep(1.0)  # anything posted twice shows up by now
        progress.update()
        complete = progress.done(channels)
        requests = double.requests[first_request:]
        bot_id = double.world.bot_user.id
        lost = duplicates = 0
        for _, channel, _ in places:
            posted = [m for m in double.messages(channel) if m.author_id == bot_id and answer_ids(m)]
            threads = double.threads(channel)
            lost += not posted or not threads
            duplicates += max(0, len(posted) - 1) + max(0, len(threads) - 1)
        floor = len(requests) / GLOBAL_LIMIT
        needed = sum(1 for r in requests if 200 <= r.status < 300)
        floor_needed = needed / GLOBAL_LIMIT  # without the requests refused with 429 (sent again)
        figures: dict[str, Any] = {
            "servers": servers,
            "processes": processes,
            "all_connected_before_due": ready_before_due,
            "connected_after_s": round(ready_s, 1),
            "requests": len(requests),
            "routes": dict(Counter(f"{r.method} {r.route} {r.status}" for r in requests)),
        }
        if complete:
            wall = progress.finished_at(channels) - monotonic_due
            figures.update(
                wall_s=round(wall, 2),
                floor_s=round(floor_needed, 2),
                ratio=round(wall / floor_needed, 3),
                floor_with_429s_s=round(floor, 2),
                ratio_with_429s=round(wall / floor, 3),
            )
        else:
            figures.update(wall_s=None, incomplete=f"{len(channels - progress.threaded.keys())} without a thread")
        paced = processes * (45 // processes)
        figures.update(
            paced_total_per_s=paced,
            ratio_floor_at_paced_rate=round(GLOBAL_LIMIT / paced, 3),
            lost=lost,
            duplicates=duplicates,
            **{"429s": double.stats["429"] - before_429},
            max_requests_in_any_1s=double.global_limiter.max_in_any_window(),
        )
        if kill:
            figures["prompts_before_kill"] = prompts_at_kill
            if killed_at is not None and progress.done(victim_channels):
                recovered = progress.finished_at(victim_channels) - killed_at
                figures["recovered_s"] = round(recovered, 2)
                figures["recovery_target_s"] = DEFAULT_LEASE.total_seconds() + 30
            if standby is not None:
                figures["standby_rss_mb"] = rss_mb(standby.pid)
        figures["rss_mb"] = [rss_mb(p.pid) for p in bots if p.returncode is None]
        return figures
    finally:
        for process in bots:
            await stop(process)
        await double.stop()
        patcher.undo()
        await drop_database(admin_url, url)
        tmp.cleanup()


def rss_mb(pid: int) -> float | None:
    try:
        return round(psutil.Process(pid).memory_info().rss / 2**20, 1)
    except psutil.Error:
        return None


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--lead", type=float, default=45.0, help="seconds from starting the processes to the due time")
    parser.add_argument("--variant", choices=["burst", "kill", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    admin_url = os.environ.get("RAPPORT_TEST_DATABASE_URL")
    if not admin_url:
        raise SystemExit("set RAPPORT_TEST_DATABASE_URL to a PostgreSQL server (tests/support/postgres_server.py)")
    print(f"python {sys.version.split()[0]}, {psutil.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
    variants = ["burst", "kill"] if args.variant == "both" else [args.variant]
    for variant in variants:
        ratios = []
        for round_ in range(args.rounds):
            figures = await one_round(admin_url, args.servers, args.processes, args.lead, variant == "kill")
            print(f"{variant} (round {round_ + 1}): {json.dumps(figures)}", flush=True)
            if figures.get("ratio") is not None:
                ratios.append(figures["ratio"])
        if len(ratios) > 1:
            print(f"{variant}: median ratio {statistics.median(ratios):.3f} of {len(ratios)}", flush=True)


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    asyncio.run(main())
