"""The one job style: a dispatcher per kind of due work, over the work's own table.

Every thing that will happen later is a row with a due instant in an indexed column. A kind of work (a
:class:`DueWork` source) answers two questions in SQL: when is the next row due, and "claim the due rows
for me". The dispatcher keeps a single in-memory timer per source at the earliest due instant (APScheduler
one-shot, through :class:`~bot.scheduling.jobs.JobService`), claims due rows in batches when it fires, runs
each claimed row's action with bounded concurrency, and re-arms at the next due instant.

Why this style, and not a timer per row: start-up costs one query per source whatever the number of rows
(100,000 commitments arm one timer, not 100,000), and a claim is a row update, so several processes on one
database never act on the same row. A claim is a lease: ``claimed_by`` and ``claimed_until``. A process
that dies mid-action leaves the lease to expire, and the row is claimed again then (by it after a restart,
or by a standby); the action's deterministic nonce makes Discord drop the repeated post. An action ends by
moving the row on (its due column to the next instant or NULL) and clearing the claim.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.scheduling.clock import Clock
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import ShardScope

log = logging.getLogger(__name__)

#: How long a claim holds: longer than any one action takes, shorter than Discord's nonce window.
DEFAULT_LEASE = timedelta(minutes=2)


class DueWork(Protocol):
    """A kind of due work, over its table. ``name`` is unique among the sources of one dispatcher."""

    name: str

    async def next_due(self, scope: ShardScope) -> datetime | None:
        """The earliest instant at which a row of ours is due or its lease ends; None when nothing is pending."""
        ...

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[Any]:
        """Atomically claim up to ``limit`` rows due by ``now`` and not under a live lease; return them."""
        ...

    async def run(self, item: Any, now: datetime) -> None:
        """Act on one claimed row, then move it on and clear its claim. Raising leaves the lease to expire."""
        ...


class Dispatcher:
    def __init__(
        self,
        jobs: JobService,
        clock: Clock,
        *,
        owner: str,
        scope: ShardScope | None = None,
        lease: timedelta = DEFAULT_LEASE,
        batch_size: int = 200,
        concurrency: int = 16,
    ) -> None:
        self.jobs = jobs
        self.clock = clock
        self.owner = owner
        self.scope = scope or ShardScope()
        self.lease = lease
        self.batch_size = batch_size
        self.concurrency = concurrency
        self._sources: dict[str, DueWork] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._armed: set[str] = set()

    def job_id(self, name: str) -> str:
        return f"dispatch:{name}"

    def add(self, source: DueWork) -> None:
        if source.name in self._sources:
            raise ValueError(f"a source named {source.name!r} is already registered")
        self._sources[source.name] = source
        self._locks[source.name] = asyncio.Lock()

    async def arm(self, name: str) -> datetime | None:
        """Point the source's timer at its next due instant (at start-up, and after each run)."""
        at = await self._sources[name].next_due(self.scope)
        self._armed.add(name)
        if at is None:
            self.jobs.cancel(self.job_id(name))
        else:
            self.jobs.schedule(self.job_id(name), at, self.dispatch, name)
        return at

    async def arm_all(self) -> dict[str, datetime | None]:
        """Arm every source not armed yet (a feature may arm its own as it starts): one query each, once."""
        return {name: await self.arm(name) for name in self._sources if name not in self._armed}

    def poke(self, name: str, at: datetime | None = None) -> None:
        """A row of this source became due at ``at`` (default now): fire no later than that."""
        at = at or self.clock.now()
        current = self.jobs.get(self.job_id(name))
        if current is None or at < current:
            self.jobs.schedule(self.job_id(name), at, self.dispatch, name)

    async def dispatch(self, name: str) -> int:
        """Claim and run every due row of one source; returns how many ran without raising."""
        source = self._sources[name]
        done = 0
        async with self._locks[name]:
            limit = asyncio.Semaphore(self.concurrency)

            async def one(item: Any, now: datetime) -> bool:
                async with limit:
                    try:
                        await source.run(item, now)
                        return True
                    except Exception:
                        log.exception("%s: an action failed; it is tried again when its claim ends", name)
                        return False

            while True:
                now = self.clock.now()
                items = await source.claim(now, self.owner, now + self.lease, self.batch_size, self.scope)
                if not items:
                    break
                results = await asyncio.gather(*(one(item, now) for item in items))
                done += sum(results)
            await self.arm(name)
        return done
