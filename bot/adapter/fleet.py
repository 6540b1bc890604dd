"""Rapport as one of several processes: its shards, their locks, IDENTIFY turns, health and metrics.

:class:`FleetMember` is mixed into the bot class. It decides nothing about features; it answers four
questions for the rest of the bot:

- which servers are mine (``shard_scope``: the servers of this process's shards; DM-only work goes to the
  process holding shard 0, where Discord delivers it),
- may I connect (``acquire_shards``: the per-shard locks, taken in ``setup_hook`` before the database is
  opened, timers are armed or the gateway is opened; a ``--standby`` waits there),
- may this shard IDENTIFY now (``before_identify_hook``: Discord's ``max_concurrency`` per 5 s, shared across
  processes through the lock files or the database),
- how am I doing (``metrics`` and the ``METRICS_PORT`` health server).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

import discord

from bot import shardlock
from bot.adapter.observe import MaxConcurrency, gateway_connected, interaction_label
from bot.adapter.pacing import REQUESTS_PER_SECOND, share_of_token_budget
from bot.config import Settings
from bot.metrics import HealthServer, Metrics
from bot.scheduling.shards import ShardScope
from bot.shardlock import IdentifyGate, ShardLocks, shard_locks_for

if TYPE_CHECKING:
    from bot.db.database import Database

log = logging.getLogger(__name__)


def client_options(settings: Settings, metrics: Metrics) -> dict[str, Any]:
    """Constructor options for discord.py: the shards to run, and the HTTP trace feeding the metrics."""
    options: dict[str, Any] = {"http_trace": metrics.trace_config()}
    if settings.sharded:
        options["shard_count"] = settings.shard_count
        options["shard_ids"] = list(settings.process_shard_ids)
    return options


def rest_budget(settings: Settings) -> int:
    """Requests per second for this process's pacer: its shards' share of the token's budget."""
    if not settings.sharded or settings.shard_count is None:
        return REQUESTS_PER_SECOND
    return share_of_token_budget(len(settings.process_shard_ids), settings.shard_count)


class FleetMember:
    """Mixed into the bot (before the discord.py base). Call :meth:`_init_fleet` in ``__init__``."""

    settings: Settings
    db: Database
    metrics: Metrics
    shard_scope: ShardScope
    shard_locks: ShardLocks
    identify_gate: IdentifyGate
    standby: bool

    def _init_fleet(self, *, standby: bool, identify_window: float | None) -> None:
        settings = self.settings
        self.standby = standby
        self.shard_scope = ShardScope.of(settings.shard_count, settings.shard_ids)
        window = shardlock.IDENTIFY_WINDOW if identify_window is None else identify_window
        self.shard_locks, self.identify_gate = shard_locks_for(
            settings.process_shard_ids,
            sharded=settings.sharded,
            database_path=settings.database_path,
            database_url=settings.database_url.reveal() if settings.database_url else None,
            identify_window=window,
        )
        self.health: HealthServer | None = None
        self._max_concurrency = MaxConcurrency()
        self._lock_watch: asyncio.Task[None] | None = None
        #: Set (one sentence) when the shard locks were lost with their database connection and the bot stopped.
        self.lost_shards: str | None = None

    def owns_guild(self, guild_id: int | None) -> bool:
        """Whether this process owns a server's work (``None``: DM-only work, owned by shard 0's process)."""
        return self.shard_scope.owns_guild(guild_id)

    # -- start-up -------------------------------------------------------------------------------------------
    async def start_health(self) -> None:
        port = self.settings.metrics_port
        if port is None or self.health is not None:
            return
        self.health = HealthServer(
            self.metrics,
            {"gateway": self._gateway_ready, "database": self._database_ready, "shards": self._shards_ready},
            host=self.settings.metrics_host,
            port=port,
            db_probe=self._database_ready,
        )
        await self.health.start()

    async def acquire_shards(self) -> None:
        """Take this process's shard locks (waiting for them as a standby), before anything else starts.

        Raises :class:`~bot.shardlock.ShardsHeldElsewhere` with one sentence when another process holds them.
        """
        locks = self.shard_locks

        def waiting(ids: list[int]) -> None:
            which = ",".join(str(i) for i in ids)
            log.info("standby: shard %s is held by another process; waiting to take over", which)

        started = time.monotonic()
        await locks.acquire(standby=self.standby, on_wait=waiting)
        if locks.takeovers:
            self.metrics.lease_takeovers.labels("shard").inc(locks.takeovers)
            log.warning(
                "took over shard(s) %s after %.1fs as a standby",
                ",".join(map(str, locks.held_ids())),
                time.monotonic() - started,
            )
        self.metrics.shards_held.set(len(locks.held_ids()))
        connection = locks.connection
        if connection is not None:
            connection.on_lost(self._shard_locks_lost)
            if not locks.all_held():  # lost between taking them and listening for the loss
                self._shard_locks_lost()

    def _shard_locks_lost(self) -> None:
        """The connection holding this process's shard locks broke: another process may hold them now, so this
        one stops serving them at once, and says why in one sentence (see :mod:`bot.adapter.runner`)."""
        if self.lost_shards is not None:
            return
        self.metrics.shards_held.set(0)
        ids = ",".join(str(lock.shard_id) for lock in self.shard_locks.locks)
        what = f"shards {ids}" if len(self.shard_locks.locks) > 1 else f"shard {ids}"
        self.lost_shards = (
            f"lost the database connection holding the lock of {what} on {self.shard_locks.where}, so another "
            "process may be serving it now: stopped so that no server is served twice (start Rapport again; "
            "a supervisor restarts it, and it waits as a standby if another process took over)."
        )
        log.error("the shard locks were lost with their database connection: stopping so a standby can take over")
        close = getattr(self, "close", None)
        if close is not None:
            self._lock_watch = asyncio.ensure_future(close())

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this shard's IDENTIFY turn: ``max_concurrency`` per 5 s, shared by every process."""
        assert isinstance(self, discord.Client)
        concurrency = await self._max_concurrency.get(self)
        try:
            await self.identify_gate.wait_turn(shard_id or 0, concurrency)
        except shardlock.LockConnectionLost:
            if not getattr(self, "stopping", False):
                raise
            # Stopping while this shard waited for its turn: no IDENTIFY; the runner ends the launch.
            await asyncio.Event().wait()

    # -- readiness --------------------------------------------------------------------------------------------
    async def _gateway_ready(self) -> bool:
        assert isinstance(self, discord.Client)
        connected = gateway_connected(self)
        self.metrics.gateway_connected.set(1 if connected else 0)
        return connected

    async def _database_ready(self) -> bool:
        db = getattr(self, "db", None)
        if db is None:
            return False
        started = time.perf_counter()
        await db.fetchval("SELECT 1")
        self.metrics.db_latency.observe(time.perf_counter() - started)
        return True

    async def _shards_ready(self) -> bool:
        return self.shard_locks.all_held()

    # -- interactions ---------------------------------------------------------------------------------------
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        self.metrics.interaction_received(interaction.id, interaction_label(interaction))

    # -- shutdown -------------------------------------------------------------------------------------------
    async def stop_fleet(self) -> None:
        """After the gateway and database are closed: stop serving health, then let a standby take over."""
        if self.health is not None:
            await self.health.stop()
            self.health = None
        with contextlib.suppress(Exception):
            await self.identify_gate.close()
        await self.shard_locks.release()
        self.metrics.shards_held.set(0)
