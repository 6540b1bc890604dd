"""The double's clock and snowflake ids.

Discord-side deadlines (the 3 s interaction window, 15 min interaction tokens, nonce memory) use
this clock, which tests may move forward with ``advance``. Rate limits deliberately use real time,
because the discord.py client sleeps in real time.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

DISCORD_EPOCH_MS = 1_420_070_400_000


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the double's clock only moves forward")
        self.offset += seconds


def snowflake_time(snowflake: int) -> datetime:
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


class Snowflakes:
    """Unique, increasing snowflakes whose timestamp part follows the double's clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last = 0
        self._used: set[int] = set()

    def next(self) -> int:
        ms = int(self._clock.now().timestamp() * 1000) - DISCORD_EPOCH_MS
        candidate = max(ms << 22, self._last + 1)
        self._last = candidate
        self._used.add(candidate)
        return candidate

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """A fresh snowflake whose guild shard ``(id >> 22) % shard_count`` is ``shard_id`` (a few ms ahead)."""
        if not 0 <= shard_id < shard_count:
            raise ValueError("shard_id must be in range(shard_count)")
        base = self.next() >> 22
        ms = base + (shard_id - base) % shard_count
        candidate = max(ms << 22, self._last + 1)
        while (candidate >> 22) % shard_count != shard_id:
            candidate = ((candidate >> 22) + 1) << 22
        self._last = candidate
        self._used.add(candidate)
        return candidate

    def at(self, when: datetime) -> int:
        """A unique snowflake for a moment in the past (for back-dated history)."""
        if when.tzinfo is None:
            raise ValueError("datetimes given to the double must be timezone-aware")
        base = (int(when.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22
        candidate = base
        while candidate in self._used:
            candidate += 1
        self._used.add(candidate)
        return candidate


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat()
