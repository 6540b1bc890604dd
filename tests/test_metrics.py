"""The health server's three endpoints, and the figures the HTTP trace and job service feed it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import HealthServer, Metrics, job_kind
from bot.scheduling.clock import FakeClock
from bot.scheduling.jobs import JobService


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def get(server: HealthServer, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{server.port}{path}") as resp:
        return resp.status, resp.headers.get("Content-Type", ""), await resp.text()


@pytest.fixture
async def served():
    state = {"gateway": True, "database": True, "shards": True}

    def check(name: str):
        async def run() -> bool:
            if state[name] is None:
                raise RuntimeError("boom")
            return bool(state[name])

        return run

    metrics = Metrics()
    server = HealthServer(metrics, {name: check(name) for name in state}, port=0)
    await server.start()
    try:
        yield server, metrics, state
    finally:
        await server.stop()


async def test_healthz_answers_while_alive(served) -> None:
    server, _, state = served
    state["gateway"] = False  # liveness does not depend on readiness
    status, _, body = await get(server, "/healthz")
    assert (status, body) == (200, "ok\n")


async def test_readyz_is_503_naming_the_failed_check(served) -> None:
    server, _, state = served
    status, ctype, body = await get(server, "/readyz")
    assert status == 200 and ctype.startswith("application/json")
    assert json.loads(body) == {"ready": True, "checks": {"database": True, "gateway": True, "shards": True}}
    state["shards"] = False
    state["database"] = None  # a check that raises counts as failed
    status, _, body = await get(server, "/readyz")
    assert status == 503
    assert json.loads(body)["checks"] == {"database": False, "gateway": True, "shards": False}


async def test_metrics_in_prometheus_format(served) -> None:
    server, metrics, _ = served
    metrics.interaction_received(111, "checkin answer")
    metrics.response("POST", "/api/v10/interactions/111/tok/callback", 200, {})
    metrics.interaction_received(112, "about")
    metrics.response("POST", "/api/v10/interactions/112/tok/callback", 400, {})
    metrics.interaction_failed("about", expected=True)
    metrics.response("POST", "/api/v10/channels/5/messages", 200, {})
    metrics.response("POST", "/api/v10/channels/5/messages", 403, {})
    metrics.response("POST", "/api/v10/channels/5/messages", 429, {"X-RateLimit-Global": "true", "Via": "1.1 google"})
    metrics.response("GET", "/api/v10/channels/5/messages", 429, {"X-RateLimit-Scope": "shared", "Via": "1.1 google"})
    metrics.request_failed("POST", "/api/v10/channels/5/messages")
    metrics.job_ran("checkin-close:42", 2.5)
    metrics.lease_takeovers.labels("shard").inc()
    metrics.db_latency.observe(0.002)
    metrics.shards_held.set(2)
    status, ctype, body = await get(server, "/metrics")
    assert status == 200 and ctype.startswith("text/plain; version=0.0.4")
    got = samples(body)
    assert got[("rapport_interactions_total", (("command", "checkin answer"), ("outcome", "acknowledged")))] == 1
    assert got[("rapport_interactions_total", (("command", "about"), ("outcome", "ack_failed")))] == 1
    assert got[("rapport_interactions_total", (("command", "about"), ("outcome", "user_error")))] == 1
    assert got[("rapport_interaction_ack_seconds_count", (("command", "checkin answer"),))] == 1
    assert got[("rapport_sends_total", (("outcome", "sent"),))] == 1
    assert got[("rapport_sends_total", (("outcome", "rejected"),))] == 1
    assert got[("rapport_sends_total", (("outcome", "rate_limited"),))] == 1
    assert got[("rapport_sends_total", (("outcome", "failed"),))] == 1
    assert got[("rapport_rate_limited_total", (("scope", "global"),))] == 1
    assert got[("rapport_rate_limited_total", (("scope", "shared"),))] == 1
    assert got[("rapport_due_work_lag_seconds_sum", (("kind", "checkin-close"),))] == 2.5
    assert got[("rapport_lease_takeovers_total", (("kind", "shard"),))] == 1
    assert got[("rapport_database_seconds_count", ())] == 1
    assert got[("rapport_shards_held", ())] == 2


async def test_an_acknowledgement_without_a_dispatch_is_not_counted() -> None:
    metrics = Metrics()
    metrics.response("POST", "/api/v10/interactions/999/tok/callback", 200, {})
    assert "rapport_interactions_total{" not in metrics.render().decode()


async def test_job_service_reports_how_late_each_job_ran() -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    jobs = JobService(clock, realtime=False)
    seen: list[tuple[str, float]] = []
    jobs.on_fire = lambda job_id, lag: seen.append((job_id, lag))

    async def work() -> None:
        return None

    jobs.schedule("reminder:7", clock.now() + timedelta(seconds=10), work)
    clock.advance(timedelta(seconds=70))
    assert await jobs.run_due() == 1
    assert seen == [("reminder:7", 60.0)]
    assert job_kind("reminder:7") == "reminder"
    assert job_kind("dispatch:nudges") == "nudges"
    assert job_kind("dispatch") == "dispatch"
    assert job_kind("") == "job"
