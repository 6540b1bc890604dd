"""One request pacer for the whole bot, in the Discord adapter layer: every REST request waits its turn.

Discord allows a bot 50 requests per second in total (per token), whatever feature sends them; a DM is two or
three requests, a check-in prompt with its thread two. Pacing each feature's *deliveries* separately let two
features each assume the whole budget. This pacer counts *requests*, at the one place they all pass
(``HTTPClient.request``), and keeps a headroom under the limit. Interaction responses do not pass here: they
go through the webhook adapter and are not bound by the global limit, so acknowledging is never delayed.
The pacer measures real time (the event loop's clock), never the injectable clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

#: Requests let through per second: Discord's global limit is 50; 45 leaves 10 % for discord.py's own
#: retries (which happen inside a request and are not counted again) and for clock skew.
REQUESTS_PER_SECOND = 45


def share_of_token_budget(shards_here: int, shard_count: int, per_token: int = REQUESTS_PER_SECOND) -> int:
    """A process's part of the token's budget when several processes share one bot token.

    Discord's global limit is per token, not per process: a process running ``shards_here`` of
    ``shard_count`` shards paces to ``per_token × shards_here / shard_count`` requests per second (at least
    one), so the processes together stay under the limit (with 2 processes of 1 shard each: 22 + 22 ≤ 45).
    """
    if shard_count < 1 or not 0 < shards_here <= shard_count:
        raise ValueError("shards_here must be between 1 and shard_count")
    return max(1, per_token * shards_here // shard_count)


class RequestPacer:
    """At most ``per_second`` requests in any sliding one-second window, evenly spaced (at least
    ``1 / (per_second + 2)`` s apart), first come first served."""

    def __init__(self, per_second: int = REQUESTS_PER_SECOND, *, window: float = 1.0) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.limit = per_second
        self.window = window
        self.spacing = window / (per_second + 2)
        self.count = 0
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._sent and self._sent[0] <= now - self.window:
                    self._sent.popleft()
                delay = 0.0
                if len(self._sent) >= self.limit:
                    delay = self._sent[0] + self.window - now
                if self._sent:
                    delay = max(delay, self._sent[-1] + self.spacing - now)
                if delay <= 0:
                    self._sent.append(now)
                    self.count += 1
                    return
                await asyncio.sleep(delay)


def pace_requests(http: Any, pacer: RequestPacer) -> None:
    """Make every request of a discord.py ``HTTPClient`` wait for ``pacer`` first."""
    original = http.request

    async def paced(route: Any, **kwargs: Any) -> Any:
        await pacer.wait()
        return await original(route, **kwargs)

    http.request = paced
