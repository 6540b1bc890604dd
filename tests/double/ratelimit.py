"""Rate limits and injected faults.

* Normal answers carry bucket headers (``X-RateLimit-*``); buckets are enforced like Discord
  (a request over the bucket's limit gets a 429 with ``Via``), default 50 per second.
* ``global_limit_per_second`` enforces Discord's global limit over any sliding 1 s window.
* Scripted faults: the next N matching requests get a 429 (bucket or global, with or without
  ``Via``) or an arbitrary status.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque
from dataclasses import dataclass

from .errors import ApiError


@dataclass(frozen=True)
class RoutePattern:
    """``"POST /channels/{channel_id}/messages"`` (method optional; ``{...}`` matches any id)."""

    method: str | None
    segments: tuple[str, ...]
    text: str

    @classmethod
    def parse(cls, text: str) -> RoutePattern:
        method, _, path = text.strip().partition(" ")
        if not path:
            method, path = "", method
        if not path.startswith("/"):
            raise ValueError(f"route pattern must look like 'POST /channels/{{channel_id}}/messages', got {text!r}")
        return cls(method.upper() or None, tuple(path.strip("/").split("/")), text)

    def matches(self, method: str, template: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        tseg = template.strip("/").split("/")
        pseg = path.strip("/").split("/")
        if len(self.segments) != len(tseg):
            return False
        for mine, tmpl, actual in zip(self.segments, tseg, pseg, strict=False):
            if mine.startswith("{"):
                if not tmpl.startswith("{"):
                    return False
            elif mine != actual and mine != tmpl:
                return False
        return True


@dataclass
class Fault:
    pattern: RoutePattern | None
    remaining: int
    status: int
    retry_after: float = 0.0
    global_: bool = False
    via: bool = True
    #: Matching requests to let through before this fault starts.
    after: int = 0
    #: Discord does the work (the message exists) and the answer is lost: ``status`` or, with ``drop``, the
    #: connection is cut without a response (what a timeout looks like to the client).
    after_work: bool = False
    drop: bool = False


def too_many_requests(retry_after: float, *, global_: bool, via: bool, scope: str | None = None) -> ApiError:
    headers = {
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "X-RateLimit-Scope": scope or ("global" if global_ else "user"),
    }
    if global_:
        headers["X-RateLimit-Global"] = "true"
    if via:
        headers["Via"] = "1.1 google"
    return ApiError(
        429,
        0,
        "You are being rate limited.",
        headers=headers,
        extra={"retry_after": round(retry_after, 3), "global": global_},
    )


class Faults:
    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self.pending.append(fault)

    def take(self, method: str, template: str, path: str) -> Fault | None:
        for fault in self.pending:
            if fault.pattern is None or fault.pattern.matches(method, template, path):
                if fault.after > 0:
                    fault.after -= 1
                    continue
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.pending.remove(fault)
                return fault
        return None


class Buckets:
    """Per-route, per-major-parameter windows with Discord's headers."""

    def __init__(self) -> None:
        self.default = (50, 1.0)
        self.overrides: list[tuple[RoutePattern, int, float]] = []
        self.windows: dict[tuple[str, str], list[float]] = {}

    def limit_for(self, method: str, template: str, path: str) -> tuple[int, float]:
        for pattern, limit, per in self.overrides:
            if pattern.matches(method, template, path):
                return limit, per
        return self.default

    def hit(self, method: str, template: str, path: str, major: str) -> tuple[dict[str, str], float | None]:
        """Counts one request. Returns (headers, retry_after if over the limit)."""
        limit, per = self.limit_for(method, template, path)
        key = (f"{method} {template}", major)
        now = time.monotonic()
        window = self.windows.get(key)
        if window is None or now >= window[0] + per:
            window = [now, 0.0]
            self.windows[key] = window
        window[1] += 1
        reset_after = max(window[0] + per - now, 0.001)
        bucket = hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:32]
        over = window[1] > limit
        remaining = max(limit - int(window[1]), 0)
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }
        return headers, (reset_after if over else None)


class GlobalLimiter:
    """Discord's global limit: at most N accepted requests in any sliding 1 s window."""

    def __init__(self) -> None:
        self.per_second: int | None = None
        self.accepted: deque[float] = deque()
        self.history: list[float] = []

    def check(self) -> float | None:
        if self.per_second is None:
            return None
        now = time.monotonic()
        while self.accepted and self.accepted[0] <= now - 1.0:
            self.accepted.popleft()
        if len(self.accepted) >= self.per_second:
            return max(self.accepted[0] + 1.0 - now, 0.001)
        self.accepted.append(now)
        self.history.append(now)
        return None

    def max_in_any_window(self) -> int:
        """The most requests accepted in any 1 s window so far (for tests)."""
        best = 0
        start = 0
        times = self.history
        for end in range(len(times)):
            while times[end] - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best
