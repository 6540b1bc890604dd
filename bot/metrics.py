"""Health and metrics for operators: ``/healthz``, ``/readyz`` and ``/metrics`` (Prometheus), off by default.

``METRICS_PORT`` turns the server on (aiohttp, on ``METRICS_HOST``, 127.0.0.1 unless told otherwise):

- ``/healthz``: 200 while the process is alive and its event loop answers.
- ``/readyz``: 200 only when the gateway is connected, the database answers and this process holds the
  locks of all its shards; 503 otherwise. The body says which check failed, as JSON.
- ``/metrics``: the Prometheus text format, from a registry of this process's own (``prometheus-client``).

Most figures are taken where every request already passes, so features need no counting code: the HTTP
client's trace hooks see every REST request (429s, message sends by outcome) and every interaction
acknowledgement (latency from dispatch to acknowledgement); the job service reports how late due work ran.
This module imports no Discord code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

log = logging.getLogger(__name__)

#: Interactions not acknowledged within this long are counted as unanswered and forgotten.
PENDING_INTERACTION_SECONDS = 60.0
#: How often the database is probed for its latency while the metrics server runs.
DB_PROBE_SECONDS = 15.0

_CALLBACK = re.compile(r"/interactions/(\d{1,20})/[^/]+/callback$")
_MESSAGE_POST = re.compile(r"/channels/\d{1,20}/messages$")
_LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
_LAG_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0, 3600.0)
_DB_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


def job_kind(job_id: str) -> str:
    """``checkin-close:42`` -> ``checkin-close``; a dispatcher's ``dispatch:nudges`` -> ``nudges`` (the kind of
    work it runs). A bounded label, never an id."""
    head, _, rest = job_id.partition(":")
    if head == "dispatch" and rest:
        head = rest.split(":", 1)[0]
    return head[:40] or "job"


class Metrics:
    """This process's counters and histograms, in a registry of its own (several bots may share a process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.interactions = Counter(
            "rapport_interactions",
            "Interactions by command (or button/form prefix) and outcome",
            ["command", "outcome"],
            registry=r,
        )
        self.interaction_latency = Histogram(
            "rapport_interaction_ack_seconds",
            "From the interaction's dispatch to its acknowledgement",
            ["command"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.due_lag = Histogram(
            "rapport_due_work_lag_seconds",
            "How late due work (a timer) started after its due time",
            ["kind"],
            buckets=_LAG_BUCKETS,
            registry=r,
        )
        self.sends = Counter("rapport_sends", "Messages posted (channels and DMs) by outcome", ["outcome"], registry=r)
        self.rate_limited = Counter(
            "rapport_rate_limited", "HTTP 429 answers from Discord by scope", ["scope"], registry=r
        )
        self.lease_takeovers = Counter(
            "rapport_lease_takeovers",
            "Shard locks or work leases taken over from a process that stopped",
            ["kind"],
            registry=r,
        )
        self.db_latency = Histogram(
            "rapport_database_seconds", "Database round trip (a trivial query)", buckets=_DB_BUCKETS, registry=r
        )
        self.shards_held = Gauge("rapport_shards_held", "Shards whose lock this process holds", registry=r)
        self.gateway_connected = Gauge("rapport_gateway_connected", "1 while the gateway is connected", registry=r)
        self._pending: dict[int, tuple[str, float]] = {}

    # -- recording -----------------------------------------------------------------------------------------
    def interaction_received(self, interaction_id: int, label: str) -> None:
        now = time.monotonic()
        if len(self._pending) > 256:
            # Oldest first (a dict keeps insertion order, and insertion follows the clock): stop at the first one
            # still young. Scanning every entry instead cost O(pending) per interaction, exactly under a burst,
            # when hundreds are in flight (0.13 ms each at 200 answers/s, growing with the backlog).
            horizon = now - PENDING_INTERACTION_SECONDS
            while self._pending:
                key = next(iter(self._pending))
                old_label, at = self._pending[key]
                if at >= horizon:
                    break
                del self._pending[key]
                self.interactions.labels(old_label, "unanswered").inc()
        self._pending[interaction_id] = (label[:60], now)

    def interaction_acknowledged(self, interaction_id: int, ok: bool) -> None:
        pending = self._pending.pop(interaction_id, None)
        if pending is None:
            return
        label, at = pending
        self.interaction_latency.labels(label).observe(time.monotonic() - at)
        self.interactions.labels(label, "acknowledged" if ok else "ack_failed").inc()

    def interaction_failed(self, label: str, *, expected: bool) -> None:
        """The error path's view: ``expected`` is a short user-facing error, otherwise a bug."""
        self.interactions.labels(label[:60], "user_error" if expected else "error").inc()

    def job_ran(self, job_id: str, lag_seconds: float) -> None:
        self.due_lag.labels(job_kind(job_id)).observe(max(0.0, lag_seconds))

    def response(self, method: str, path: str, status: int, headers: Mapping[str, str]) -> None:
        """Every REST answer the bot got: counts 429s, message sends and interaction acknowledgements."""
        if status == 429:
            scope = (
                "global"
                if headers.get("X-RateLimit-Global", "").lower() == "true"
                else (headers.get("X-RateLimit-Scope") or ("cloudflare" if "Via" not in headers else "route"))
            )
            self.rate_limited.labels(scope[:20]).inc()
        if method == "POST":
            callback = _CALLBACK.search(path)
            if callback is not None:
                self.interaction_acknowledged(int(callback.group(1)), 200 <= status < 300)
            elif _MESSAGE_POST.search(path):
                self.sends.labels(_send_outcome(status)).inc()

    def request_failed(self, method: str, path: str) -> None:
        if method == "POST" and _MESSAGE_POST.search(path):
            self.sends.labels("failed").inc()

    def trace_config(self) -> aiohttp.TraceConfig:
        """aiohttp hooks for the bot's HTTP session (discord.py's ``http_trace``)."""
        trace = aiohttp.TraceConfig()

        async def on_end(_session: Any, _ctx: Any, params: aiohttp.TraceRequestEndParams) -> None:
            self.response(params.method, params.url.path, params.response.status, params.response.headers)

        async def on_exception(_session: Any, _ctx: Any, params: aiohttp.TraceRequestExceptionParams) -> None:
            self.request_failed(params.method, params.url.path)

        trace.on_request_end.append(on_end)
        trace.on_request_exception.append(on_exception)
        return trace

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _send_outcome(status: int) -> str:
    if 200 <= status < 300:
        return "sent"
    if status == 429:
        return "rate_limited"
    if 400 <= status < 500:
        return "rejected"
    return "failed"


# -- the server -------------------------------------------------------------------------------------------------
Check = Callable[[], Awaitable[bool]]


class HealthServer:
    """``/healthz``, ``/readyz`` and ``/metrics`` over aiohttp; ``checks`` name the readiness conditions."""

    def __init__(
        self,
        metrics: Metrics,
        checks: Mapping[str, Check],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        db_probe: Check | None = None,
        probe_every: float = DB_PROBE_SECONDS,
    ) -> None:
        self.metrics = metrics
        self.checks = dict(checks)
        self.host = host
        self.port = port
        self.db_probe = db_probe
        self.probe_every = probe_every
        self._runner: web.AppRunner | None = None
        self._prober: asyncio.Task[None] | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics)
        return app

    async def start(self) -> None:
        runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = sockets[0].getsockname()[1]
        if self.db_probe is not None and self.probe_every > 0:
            self._prober = asyncio.create_task(self._probe_forever(), name="metrics-db-probe")
        log.info("health and metrics on http://%s:%d/ (healthz, readyz, metrics)", self.host, self.port)

    async def stop(self) -> None:
        if self._prober is not None:
            self._prober.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._prober
            self._prober = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _probe_forever(self) -> None:
        assert self.db_probe is not None
        while True:
            await asyncio.sleep(self.probe_every)
            with contextlib.suppress(Exception):
                await self.db_probe()

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def _readyz(self, _request: web.Request) -> web.Response:
        results: dict[str, bool] = {}
        for name, check in self.checks.items():
            try:
                results[name] = bool(await asyncio.wait_for(check(), 5.0))
            except Exception:
                results[name] = False
        ready = bool(results) and all(results.values())
        body = json.dumps({"ready": ready, "checks": results}, sort_keys=True) + "\n"
        return web.Response(status=200 if ready else 503, text=body, content_type="application/json")

    async def _metrics(self, _request: web.Request) -> web.Response:
        return web.Response(body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})
