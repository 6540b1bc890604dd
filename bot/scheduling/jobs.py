"""Timers for things that will happen later, over APScheduler 3.11's AsyncIOScheduler.

The database is the source of truth: every job here mirrors a row (a run, a reminder, a nudge) and is rebuilt
from the tables at start-up by the feature that owns it. Jobs have stable ids such as ``checkin-close:42`` so
scheduling the same thing twice replaces it instead of doubling it.

APScheduler only ever gets a one-shot date trigger for the next instant; calendar rules are computed by
:mod:`bot.scheduling.recurrence`, which handles DST the way Rapport promises.

With ``realtime=False`` (tests, benchmarks) APScheduler is not used; :meth:`run_due` runs whatever is due by
the injected clock, so a test advances a :class:`~bot.scheduling.clock.FakeClock` and runs due jobs at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.scheduling.clock import Clock

log = logging.getLogger(__name__)

JobFunc = Callable[..., Awaitable[Any]]


@dataclass(slots=True)
class _Job:
    job_id: str
    run_at: datetime
    func: JobFunc
    args: tuple[Any, ...]


class JobService:
    def __init__(self, clock: Clock, *, realtime: bool = True, max_concurrency: int = 16) -> None:
        self.clock = clock
        self.realtime = realtime
        self._jobs: dict[str, _Job] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._limit = asyncio.Semaphore(max_concurrency)
        self._scheduler: AsyncIOScheduler | None = None
        #: Called with (job id, seconds late) as each job starts; the metrics' due-work lag.
        self.on_fire: Callable[[str, float], None] | None = None
        if realtime:
            self._scheduler = AsyncIOScheduler(
                timezone="UTC",
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            )

    # -- lifecycle ---------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._scheduler is not None and not self._scheduler.running:
            self._scheduler.start()

    async def shutdown(self, timeout: float | None = None) -> int:  # noqa: ASYNC109 - a drain deadline
        """Stop firing new jobs and wait for the ones already running, at most ``timeout`` seconds.

        Returns how many were still running at the deadline (they are cancelled; each rebuilds from the
        database at the next start-up, like any job cut short by a crash).
        """
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._jobs.clear()
        running = set(self._running)
        if not running:
            return 0
        _, pending = await asyncio.wait(running, timeout=timeout)
        for task in pending:
            log.warning("job still running at shutdown after %ss: cancelling it", timeout)
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        return len(pending)

    # -- scheduling --------------------------------------------------------------------------------------
    def schedule(self, job_id: str, run_at: datetime, func: JobFunc, *args: Any) -> None:
        """Run ``func(*args)`` at ``run_at`` (aware); replaces any job with the same id."""
        if run_at.tzinfo is None:
            raise ValueError("run_at must be timezone-aware")
        self._jobs[job_id] = _Job(job_id, run_at, func, args)
        if self._scheduler is not None:
            self._scheduler.add_job(
                self._fire,
                DateTrigger(run_date=max(run_at, self.clock.now())),
                args=(job_id,),
                id=job_id,
                replace_existing=True,
            )

    def cancel(self, job_id: str) -> bool:
        job = self._jobs.pop(job_id, None)
        if self._scheduler is not None and job is not None:
            try:
                self._scheduler.remove_job(job_id)
            except Exception:  # already fired or never added
                log.debug("job %s was not in the scheduler", job_id)
        return job is not None

    def cancel_prefix(self, prefix: str) -> int:
        ids = [job_id for job_id in self._jobs if job_id.startswith(prefix)]
        for job_id in ids:
            self.cancel(job_id)
        return len(ids)

    def get(self, job_id: str) -> datetime | None:
        job = self._jobs.get(job_id)
        return None if job is None else job.run_at

    def pending(self) -> dict[str, datetime]:
        return {job_id: job.run_at for job_id, job in self._jobs.items()}

    def __len__(self) -> int:
        return len(self._jobs)

    # -- running -----------------------------------------------------------------------------------------
    async def _fire(self, job_id: str) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        if self.on_fire is not None:
            try:
                self.on_fire(job_id, (self.clock.now() - job.run_at).total_seconds())
            except Exception:
                log.exception("the job observer failed for %s", job_id)
        try:
            async with self._limit:
                await job.func(*job.args)
        except Exception:
            log.exception("scheduled job %s failed", job_id)
        finally:
            if task is not None:
                self._running.discard(task)

    async def run_due(self) -> int:
        """Run every job due by the clock, earliest first, including jobs that due jobs schedule.

        Returns how many ran. Used by tests and benchmarks that drive a fake clock.
        """
        ran = 0
        while True:
            now = self.clock.now()
            due = sorted((j for j in self._jobs.values() if j.run_at <= now), key=lambda j: (j.run_at, j.job_id))
            if not due:
                return ran
            batch_at = due[0].run_at
            batch = [j for j in due if j.run_at == batch_at]
            await asyncio.gather(*(self._fire(j.job_id) for j in batch))
            ran += len(batch)

    async def advance(self, delta: timedelta) -> int:
        """Move a fake clock forward, stopping at every due job on the way so each sees its own time."""
        set_clock = getattr(self.clock, "set", None)
        if set_clock is None:
            raise TypeError("advance() needs a clock with set(), such as FakeClock")
        target = self.clock.now() + delta
        ran = 0
        while True:
            upcoming = [j.run_at for j in self._jobs.values() if j.run_at <= target]
            step = max(min(upcoming), self.clock.now()) if upcoming else target
            set_clock(step)
            ran += await self.run_due()
            if step >= target:
                return ran
