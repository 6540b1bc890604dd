"""How long each kind of data is kept per server, the daily bounded purge, and erasing a whole server.

Each purge batch is its own short transaction and every rule is "older than the cut-off", so a purge
interrupted by a restart simply continues at the next run; nothing is ever half-deleted.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.datarights.forget import guilds_with_data
from bot.datarights.registry import POLICIES
from bot.db.codec import from_epoch, to_epoch
from bot.db.database import Database
from bot.i18n import Term, t, tn
from bot.scheduling.shards import EVERY_SHARD, ShardScope

log = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: Term
    default_days: int
    #: (table, condition with one ``?`` for the cut-off, scope with one ``?`` for the guild)
    rules: tuple[tuple[str, str, str], ...]


_RUNS = "run_id IN (SELECT r.id FROM checkin_runs r JOIN checkins c ON c.id = r.checkin_id WHERE c.guild_id = ?)"

CATEGORIES: tuple[Category, ...] = (
    Category("checkin_answers", Term("check-in answers"), 365, (
        ("checkin_answers", "answered_at < ?", _RUNS),
        ("checkin_reminders", "due_at < ?", _RUNS),
    )),
    Category("closed_commitments", Term("closed commitments"), 365, (
        ("commitments", "status IN ('done', 'dropped', 'declined') AND closed_at < ?", "guild_id = ?"),
    )),
    Category("summaries", Term("summaries and drafts"), 365, (
        ("summaries", "created_at < ?", "guild_id = ?"),
    )),
    Category("repairs", Term("repair content (closed repairs)"), 180, (
        ("repairs", "state = 'closed' AND closed_at < ?", "guild_id = ?"),
    )),
    Category("clarifications", Term("clarification requests (answered)"), 90, (
        ("clarifications", "state = 'clarified' AND closed_at < ?", "guild_id = ?"),
    )),
    Category("feedback", Term("feedback votes, notes and posts"), 365, (
        ("feedback_votes", "updated_at < ?", "guild_id = ?"),
        ("feedback_notes", "created_at < ?", "guild_id = ?"),
        ("server_feedback", "created_at < ?", "guild_id = ?"),
    )),
)
BY_KEY = {c.key: c for c in CATEGORIES}
FOREVER = 0


def describe_days(days: int, locale: str | None = None) -> str:
    """How long a category is kept, in the reader's language."""
    return t(locale, "forever") if days == FOREVER else tn(locale, "{n} day", "{n} days", days)


def parse_days(text: str) -> int | None:
    """``forever`` → 0, ``default`` → None, else whole days 1–3650. Raises ValueError."""
    value = text.strip().lower()
    if value in ("forever", "never", "keep"):
        return FOREVER
    if value == "default":
        return None
    value = value.removesuffix("days").removesuffix("day").removesuffix("d").strip()
    if not value.isdigit() or not 1 <= int(value) <= 3650:
        raise ValueError(f"{text[:20]!r} is not a number of days from 1 to 3650, `forever` or `default`")
    return int(value)


async def retention_of(db: Database, guild_id: int) -> dict[str, int]:
    """Days kept per category (0 = forever), defaults filled in."""
    row = await db.fetchone("SELECT * FROM retention_settings WHERE guild_id = ?", (guild_id,))
    out = {}
    for category in CATEGORIES:
        stored = None if row is None else row[f"{category.key}_days"]
        out[category.key] = category.default_days if stored is None else int(stored)
    return out


async def set_retention(db: Database, guild_id: int, changes: dict[str, int | None], *, now: datetime) -> None:
    for key in changes:
        if key not in BY_KEY:
            raise ValueError(f"unknown retention category {key}")
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO retention_settings (guild_id, updated_at) VALUES (?, ?) ON CONFLICT (guild_id) DO NOTHING",
            (guild_id, to_epoch(now)),
        )
        for key, days in changes.items():
            # Column names come from CATEGORIES, never from input.
            await conn.execute(
                f"UPDATE retention_settings SET {key}_days = ?, updated_at = ? WHERE guild_id = ?",
                (days, to_epoch(now), guild_id),
            )


Checkpoint = Callable[[str, int], Awaitable[None]]


async def purge_guild_retention(
    db: Database, guild_id: int, *, now: datetime, batch: int = BATCH, checkpoint: Checkpoint | None = None
) -> dict[str, int]:
    """Delete what is older than this server keeps, in batches of ``batch`` rows; returns counts per table."""
    kept = await retention_of(db, guild_id)
    counts: dict[str, int] = {}
    for category in CATEGORIES:
        days = kept[category.key]
        if days == FOREVER:
            continue
        cutoff = to_epoch(now - timedelta(days=days))
        for table, condition, scope in category.rules:
            key = await db.row_key(table)
            total = 0
            while True:
                async with db.transaction() as conn:
                    cursor = await conn.execute(
                        f'DELETE FROM "{table}" WHERE {key} IN (SELECT {key.strip("()")} FROM "{table}" '
                        f"WHERE ({condition}) AND ({scope}) LIMIT ?)",
                        (cutoff, guild_id, batch),
                    )
                    removed = cursor.rowcount
                total += removed
                if checkpoint:
                    await checkpoint(table, removed)
                if removed < batch:
                    break
                await asyncio.sleep(0)  # let the bot answer between batches
            if total:
                counts[table] = counts.get(table, 0) + total
    await db.execute(
        "INSERT INTO retention_runs (guild_id, ran_at, counts) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id) DO UPDATE SET ran_at = excluded.ran_at, counts = excluded.counts",
        (guild_id, to_epoch(now), json.dumps(counts, sort_keys=True)),
    )
    return counts


async def last_run(db: Database, guild_id: int) -> tuple[datetime, dict[str, int]] | None:
    row = await db.fetchone("SELECT ran_at, counts FROM retention_runs WHERE guild_id = ?", (guild_id,))
    return None if row is None else (from_epoch(row["ran_at"]), json.loads(row["counts"]))


async def purge_all(
    db: Database, *, now: datetime, batch: int = BATCH, scope: ShardScope = EVERY_SHARD
) -> dict[int, dict[str, int]]:
    """The daily job: every server's retention, then every server whose grace period after removal ended
    (of ``scope``'s servers: each process purges the servers of its own shards)."""
    results: dict[int, dict[str, int]] = {}
    for guild_id in await guilds_with_data(db):
        if not scope.owns_guild(guild_id):
            continue
        counts = await purge_guild_retention(db, guild_id, now=now, batch=batch)
        if counts:
            log.info("retention purge in server %s removed %s", guild_id, counts)
        results[guild_id] = counts
    for guild_id in await removals_due(db, now=now):
        if not scope.owns_guild(guild_id):
            continue
        counts = await purge_guild(db, guild_id)
        log.info("server %s removed the bot and its grace period ended: erased %d rows", guild_id,
                 sum(counts.values()))
    return results


# -- a server that removed the bot --------------------------------------------------------------------------


async def schedule_removal(db: Database, guild_id: int, *, now: datetime, grace: timedelta) -> datetime:
    purge_at = now + grace
    await db.execute(
        "INSERT INTO guild_removals (guild_id, removed_at, purge_at) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id) DO UPDATE SET removed_at = excluded.removed_at, purge_at = excluded.purge_at",
        (guild_id, to_epoch(now), to_epoch(purge_at)),
    )
    return purge_at


async def cancel_removal(db: Database, guild_id: int) -> bool:
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM guild_removals WHERE guild_id = ?", (guild_id,))
        return cursor.rowcount > 0


async def removals_due(db: Database, *, now: datetime) -> list[int]:
    rows = await db.fetchall("SELECT guild_id FROM guild_removals WHERE purge_at <= ? ORDER BY purge_at",
                             (to_epoch(now),))
    return [int(r[0]) for r in rows]


async def purge_guild(db: Database, guild_id: int) -> dict[str, int]:
    """Every row of one server, by the registry's scopes, children before parents, in one transaction."""
    counts: dict[str, int] = {}
    async with db.transaction() as conn:
        for policy in reversed(POLICIES):
            if policy.scope is None or policy.table == "guild_removals":
                continue
            cursor = await conn.execute(f'DELETE FROM "{policy.table}" WHERE {policy.scope}', (guild_id,))
            if cursor.rowcount:
                counts[policy.table] = cursor.rowcount
        await conn.execute("DELETE FROM guild_removals WHERE guild_id = ?", (guild_id,))
    return counts
