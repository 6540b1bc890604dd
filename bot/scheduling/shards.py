"""Which process owns which server: Discord's shard rule, ``(guild_id >> 22) % shard_count``.

A process arms timers and sends only for the servers of its own shards. Work without a server (DMs, their
buttons and forms) reaches shard 0, so the process holding shard 0 owns it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


def owns_guild(guild_id: int | None, shard_count: int | None, shard_ids: Collection[int] | None) -> bool:
    """Whether a process running ``shard_ids`` of ``shard_count`` owns the work of ``guild_id``.

    ``guild_id=None`` is work without a server (DM-only), owned by the process holding shard 0. Without a
    shard count (one process) or without shard ids (a process running every shard) everything is owned.
    """
    if not shard_count or shard_ids is None:
        return True
    if guild_id is None:
        return 0 in shard_ids
    return shard_of(guild_id, shard_count) in shard_ids


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
        return self.everything or owns_guild(guild_id, self.shard_count, self.shard_ids)

    def sql(self, column: str) -> str:
        """A WHERE fragment (portable SQL, no parameters) keeping rows whose ``column`` server is ours.

        ``column`` is a trusted column name written in the repository, never user input.
        """
        if self.everything:
            return "1 = 1"
        ids = ", ".join(str(s) for s in sorted(self.shard_ids))
        return f"(({column} >> 22) % {self.shard_count}) IN ({ids})"


#: The scope of a process that runs every shard (the one-process default).
EVERY_SHARD = ShardScope()
