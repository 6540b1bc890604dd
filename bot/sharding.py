"""Which process owns which work when Rapport runs as several processes (pure: no Discord import).

Discord routes a guild's events to shard ``(guild_id >> 22) % shard_count``; events without a guild
(DMs, and the buttons and forms inside them) reach shard 0 only. Rapport follows the same rule for the
work it starts itself: a process arms timers and sends due posts only for the guilds of its shards, and
work with no guild (a reminder DM, a follow-up in a DM) belongs to the process holding shard 0. Every
process then works on a disjoint part of the tables, and a standby that takes over a shard re-arms
exactly that part.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

#: Discord recommends about 1,000 guilds per shard and allows 2,500; 4,096 shards is far beyond any use here.
MAX_SHARDS = 4096
#: Discord's global REST limit is per bot token; Rapport paces to 45 of its 50 requests per second.
TOKEN_REQUESTS_PER_SECOND = 45


def shard_for_guild(guild_id: int, shard_count: int) -> int:
    """The shard Discord delivers ``guild_id``'s events to."""
    if shard_count < 1:
        raise ValueError("shard_count must be at least 1")
    return (guild_id >> 22) % shard_count


def owns_guild(guild_id: int | None, shard_count: int | None, shard_ids: Collection[int] | None) -> bool:
    """Whether a process running ``shard_ids`` of ``shard_count`` owns the work of ``guild_id``.

    ``guild_id=None`` is work with no guild (DM-only), owned by shard 0's process. Without a shard count
    (one process) or without shard ids (a process running every shard), everything is owned.
    """
    if shard_count is None or shard_ids is None:
        return True
    shard = 0 if guild_id is None else shard_for_guild(guild_id, shard_count)
    return shard in shard_ids


@dataclass(frozen=True, slots=True)
class ShardPlan:
    """The shards of one process: ``shard_count=None`` is the single-process default (every shard)."""

    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @property
    def sharded(self) -> bool:
        """Whether the process was told its shards (``SHARD_COUNT`` set)."""
        return self.shard_count is not None

    @property
    def count(self) -> int:
        return self.shard_count or 1

    @property
    def ids(self) -> tuple[int, ...]:
        """The shards this process runs (all of them unless ``SHARD_IDS`` says otherwise)."""
        if self.shard_ids is not None:
            return self.shard_ids
        return tuple(range(self.count))

    @property
    def holds_dms(self) -> bool:
        """Whether DM-only work is this process's (it runs shard 0)."""
        return 0 in self.ids

    def owns(self, guild_id: int | None) -> bool:
        return owns_guild(guild_id, self.shard_count, self.shard_ids)

    def rest_share(self, per_token: int = TOKEN_REQUESTS_PER_SECOND) -> int:
        """This process's share of the token's REST budget: ``per_token × len(ids) / count``, at least 1."""
        return max(1, per_token * len(self.ids) // self.count)

    def describe_ids(self) -> str:
        if not self.sharded:
            return "(not set: every shard)"
        if self.shard_ids is None:
            return f"(not set: all {self.count} shards in this process)"
        return ",".join(str(i) for i in self.shard_ids)
