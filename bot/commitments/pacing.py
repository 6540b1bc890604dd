"""Spacing out deliveries so a burst of due nudges stays under Discord's global rate limit.

Discord allows a bot about 50 requests per second in total; a first DM to someone is two requests (open
the DM channel, then send). Sending 10,000 due nudges as fast as possible would earn a storm of 429
answers, and discord.py gives up on a request after five of them. Starting deliveries evenly at a steady
rate below the limit sends them all, in about the time the limit allows, with room left for everything
else the bot does. The pacer measures real time (the event loop's clock), never the injectable clock.
"""

from __future__ import annotations

import asyncio

#: Nudge deliveries started per second by default: 2 requests each, so 48 of Discord's 50 per second.
DEFAULT_DELIVERIES_PER_SECOND = 24.0


class Pacer:
    """Lets callers through at most ``rate`` times per second, each at least ``1 / rate`` after the previous
    one actually went through, first come first served. Measuring from the actual start (not a planned slot)
    means a late wake-up of the event loop never lets a bunch through at once."""

    def __init__(self, rate: float | None) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive (or None for no pacing)")
        self.interval = 0.0 if rate is None else 1.0 / rate
        self._last = float("-inf")
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        loop = asyncio.get_running_loop()
        async with self._lock:
            delay = self._last + self.interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._last = loop.time()
