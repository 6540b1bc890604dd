"""Which process owns which server: Discord's shard rule, ``(guild_id >> 22) % shard_count``.

A process arms timers and sends only for the servers of its own shards. Work without a server (DMs, their
buttons and forms) reaches shard 0, so the process holding shard 0 owns it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True, slots=True)
class ShardScope:
    """The shards one process holds. The default, one process for everything, owns every server."""

    shard_count: int = 1
    shard_ids: frozenset[int] = frozenset({0})

    @classmethod
    def of(cls, shard_count: int | None, shard_ids: Iterable[int] | None) -> ShardScope:
        if not shard_count:
            return cls()
        ids = frozenset(range(shard_count)) if shard_ids is None else frozenset(shard_ids)
        if not ids or any(not 0 <= s < shard_count for s in ids):
            raise ValueError(f"shard ids must be between 0 and {shard_count - 1}")
        return cls(shard_count, ids)

    @property
    def everything(self) -> bool:
        return self.shard_ids == frozenset(range(self.shard_count))

    def owns_guild(self, guild_id: int | None) -> bool:
        """Whether this process owns a server's work (``None``: work without a server, owned by shard 0)."""
        if self.everything:
            return True
        if guild_id is None:
            return 0 in self.shard_ids
        return shard_of(guild_id, self.shard_count) in self.shard_ids

    def sql(self, column: str) -> str:
        """A WHERE fragment (portable SQL, no parameters) keeping rows whose ``column`` server is ours.

        ``column`` is a trusted column name written in the repository, never user input.
        """
        if self.everything:
            return "1 = 1"
        ids = ", ".join(str(s) for s in sorted(self.shard_ids))
        return f"(({column} >> 22) % {self.shard_count}) IN ({ids})"
