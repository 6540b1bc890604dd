"""The job service: stable ids, replacement, fake-clock runs, and the real APScheduler path."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduling.clock import FakeClock, SystemClock
from bot.scheduling.jobs import JobService

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def test_jobs_run_in_order_when_time_passes() -> None:
    clock = FakeClock(START)
    jobs = JobService(clock, realtime=False)
    seen: list[tuple[str, datetime]] = []

    async def record(name: str) -> None:
        seen.append((name, clock.now()))

    jobs.schedule("b", START + timedelta(hours=2), record, "b")
    jobs.schedule("a", START + timedelta(hours=1), record, "a")
    jobs.schedule("c", START + timedelta(days=1), record, "c")
    assert await jobs.run_due() == 0
    assert await jobs.advance(timedelta(hours=3)) == 2
    assert seen == [("a", START + timedelta(hours=1)), ("b", START + timedelta(hours=2))]
    assert jobs.pending() == {"c": START + timedelta(days=1)}


async def test_same_id_replaces_and_cancel_removes() -> None:
    clock = FakeClock(START)
    jobs = JobService(clock, realtime=False)
    calls: list[int] = []

    async def record(value: int) -> None:
        calls.append(value)

    jobs.schedule("x:1", START + timedelta(minutes=5), record, 1)
    jobs.schedule("x:1", START + timedelta(minutes=10), record, 2)
    jobs.schedule("x:2", START + timedelta(minutes=10), record, 3)
    assert jobs.cancel_prefix("x:2") == 1
    await jobs.advance(timedelta(hours=1))
    assert calls == [2]


async def test_jobs_scheduled_by_jobs_run_in_the_same_advance() -> None:
    clock = FakeClock(START)
    jobs = JobService(clock, realtime=False)
    times: list[datetime] = []

    async def tick(n: int) -> None:
        times.append(clock.now())
        if n < 3:
            jobs.schedule("tick", clock.now() + timedelta(hours=1), tick, n + 1)

    jobs.schedule("tick", START + timedelta(hours=1), tick, 1)
    await jobs.advance(timedelta(hours=10))
    assert times == [START + timedelta(hours=h) for h in (1, 2, 3)]


async def test_failing_job_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock(START)
    jobs = JobService(clock, realtime=False)

    async def boom() -> None:
        raise RuntimeError("nope")

    jobs.schedule("boom", START, boom)
    assert await jobs.run_due() == 1
    assert "scheduled job boom failed" in caplog.text


async def test_naive_time_refused() -> None:
    jobs = JobService(FakeClock(START), realtime=False)

    async def nothing() -> None:
        return None

    with pytest.raises(ValueError):
        jobs.schedule("n", datetime(2026, 1, 1), nothing)  # noqa: DTZ001


async def test_real_apscheduler_fires_a_date_job() -> None:
    jobs = JobService(SystemClock(), realtime=True)
    fired = asyncio.Event()

    async def done() -> None:
        fired.set()

    jobs.start()
    try:
        jobs.schedule("soon", SystemClock().now() + timedelta(milliseconds=50), done)
        await asyncio.wait_for(fired.wait(), timeout=5)
        assert "soon" not in jobs.pending()
    finally:
        await jobs.shutdown()
