"""Erase one member's data in some servers by the registered policies, in one transaction.

Before the generic policies run, the feature rules that need more than a column change: open commitments
the member owns are closed, open repairs they are in are ended (a notice for the other person is queued in
the outbox, without any content), and summaries drop the member from their participants and action items.
Then each table's member columns are deleted or tombstoned. Everything happens inside one write
transaction, so a crash or restart leaves the erasure either done or not started.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.datarights.registry import (
    POLICIES,
    TOMBSTONE_ID,
    Forget,
    TablePolicy,
    guilds_with_data_sql,
    is_id_like,
    live_schema,
)
from bot.db.codec import to_epoch
from bot.db.connection import Connection
from bot.db.database import Database
from bot.summary.render import to_markdown
from bot.summary.repository import _item_from_row, sections_from_json, sections_to_json

Checkpoint = Callable[[str], Awaitable[None]]


@dataclass
class ForgetReport:
    """Rows deleted and tombstoned per table, and the feature steps taken."""

    deleted: dict[str, int] = field(default_factory=dict)
    tombstoned: dict[str, int] = field(default_factory=dict)
    commitments_closed: int = 0
    repairs_ended: int = 0
    summaries_edited: int = 0

    @property
    def total(self) -> int:
        return sum(self.deleted.values()) + sum(self.tombstoned.values())

    def lines(self) -> list[str]:
        out = [f"deleted {n} row(s) from {t}" for t, n in sorted(self.deleted.items()) if n]
        out += [f"replaced the id with a tombstone in {n} row(s) of {t}" for t, n in sorted(self.tombstoned.items())
                if n]
        out += [f"closed {self.commitments_closed} open commitment(s)"] if self.commitments_closed else []
        out += [f"ended {self.repairs_ended} repair(s)"] if self.repairs_ended else []
        out += [f"removed the member from {self.summaries_edited} summary(ies)"] if self.summaries_edited else []
        return out or ["nothing was stored"]


def _where(policy: TablePolicy, member_clause: str, guild_id: int | None) -> tuple[str, list[int]]:
    if guild_id is None or policy.scope is None:
        return member_clause, []
    return f"({member_clause}) AND ({policy.scope})", [guild_id]


def _policy_guilds(policy: TablePolicy, guild_ids: Sequence[int]) -> list[int | None]:
    # A table not kept per server (member preferences) is erased once, whatever the servers.
    return [None] if policy.scope is None else list(guild_ids)


class _DryRun(Exception):
    pass


async def plan(db: Database, user_id: int, guild_ids: Sequence[int], *, now: datetime) -> ForgetReport:
    """Exactly what :func:`forget_member` would do: it runs, then the transaction is rolled back."""
    report = ForgetReport()
    try:
        async with db.transaction() as conn:
            await _run(conn, report, user_id, guild_ids, to_epoch(now), None, {})
            raise _DryRun
    except _DryRun:
        pass
    return report


def _delete_clause(policy: TablePolicy) -> str | None:
    clauses = [f'"{col}" = :uid' for col, action in policy.members.items() if action is Forget.DELETE]
    if policy.delete_when_sole:
        cols = list(policy.members)
        anyone = " OR ".join(f'"{c}" = :uid' for c in cols)
        only = " AND ".join(f'("{c}" IS NULL OR "{c}" IN (:uid, {TOMBSTONE_ID}))' for c in cols)
        clauses.append(f"(({anyone}) AND {only})")
    return " OR ".join(f"({c})" for c in clauses) if clauses else None


def _named(sql: str, uid: int, guild_id: int | None, policy: TablePolicy) -> tuple[str, dict[str, int]]:
    params: dict[str, int] = {"uid": uid}
    if guild_id is not None and policy.scope is not None:
        sql = f"({sql}) AND ({policy.scope.replace('?', ':gid')})"
        params["gid"] = guild_id
    return sql, params


async def forget_member(
    db: Database,
    user_id: int,
    guild_ids: Sequence[int],
    *,
    now: datetime,
    checkpoint: Checkpoint | None = None,
    authored: Mapping[int, set[int]] | None = None,
) -> ForgetReport:
    """Erase ``user_id`` in ``guild_ids``; returns what was done. Idempotent: a second run finds nothing.

    ``authored`` maps a summary id to the ids of its source messages the member wrote (looked up in Discord
    by the caller, since summaries do not store who wrote each line): those lines are dropped too.
    """
    if user_id == TOMBSTONE_ID:
        raise ValueError("the tombstone id cannot be forgotten")
    report = ForgetReport()
    async with db.transaction() as conn:
        await _run(conn, report, user_id, guild_ids, to_epoch(now), checkpoint, authored or {})
    return report


async def _run(
    conn: Connection,
    report: ForgetReport,
    user_id: int,
    guild_ids: Sequence[int],
    at: int,
    checkpoint: Checkpoint | None,
    authored: Mapping[int, set[int]],
) -> None:
    for guild_id in guild_ids:
        report.commitments_closed += await _close_commitments(conn, user_id, guild_id, at)
        report.repairs_ended += await _end_repairs(conn, user_id, guild_id, at)
        edited, items = await _edit_summaries(conn, user_id, guild_id, at, authored)
        report.summaries_edited += edited
        report.deleted["summary_action_items"] = report.deleted.get("summary_action_items", 0) + items
    if checkpoint:
        await checkpoint("features")
    for policy in POLICIES:
        for scope_guild in _policy_guilds(policy, guild_ids):
            deleted, tombstoned = await _apply(conn, policy, user_id, scope_guild)
            report.deleted[policy.table] = report.deleted.get(policy.table, 0) + deleted
            report.tombstoned[policy.table] = report.tombstoned.get(policy.table, 0) + tombstoned
        if checkpoint:
            await checkpoint(policy.table)


async def _close_commitments(conn: Connection, uid: int, gid: int, at: int) -> int:
    """Open or proposed commitments the member owns, and that someone else created, are closed."""
    cursor = await conn.execute(
        "SELECT id FROM commitments WHERE guild_id = ? AND owner_id = ? AND creator_id <> ? "
        "AND status IN ('open', 'proposed')",
        (gid, uid, uid),
    )
    ids = [row[0] for row in await cursor.fetchall()]
    for cid in ids:
        await conn.execute(
            "UPDATE commitments SET status = 'dropped', closed_at = ?, next_nudge_at = NULL, updated_at = ?, "
            "version = version + 1 WHERE id = ?",
            (at, at, cid),
        )
        await conn.execute(
            "INSERT INTO commitment_events (commitment_id, guild_id, at, actor_id, kind, note) "
            "VALUES (?, ?, ?, NULL, 'dropped', 'Closed because its owner asked Rapport to erase their data.')",
            (cid, gid, at),
        )
    return len(ids)


async def _end_repairs(conn: Connection, uid: int, gid: int, at: int) -> int:
    """Open repairs the member is in are closed; the other people get a kind notice (queued)."""
    cursor = await conn.execute(
        "SELECT * FROM repairs WHERE guild_id = ? AND state IN ('open', 'closing') "
        "AND (starter_id = ? OR partner_id = ? OR mediator_id = ?)",
        (gid, uid, uid, uid),
    )
    rows = list(await cursor.fetchall())
    for row in rows:
        await conn.execute(
            "UPDATE repairs SET state = 'closed', closed_at = ?, followup_at = NULL WHERE id = ?", (at, row["id"])
        )
        others = {row["starter_id"], row["partner_id"], row["mediator_id"]} - {uid, None, TOMBSTONE_ID}
        for other in sorted(others):
            await conn.execute(
                "INSERT INTO data_rights_outbox (kind, guild_id, channel_id, recipient_id, ref_id, created_at) "
                "VALUES ('repair_ended', ?, ?, ?, ?, ?)",
                (gid, row["thread_id"] or row["channel_id"], other, row["id"], at),
            )
    # No follow-up will be posted for any repair the member was in.
    await conn.execute(
        "UPDATE repairs SET followup_at = NULL WHERE guild_id = ? AND followup_posted_at IS NULL "
        "AND (starter_id = ? OR partner_id = ? OR mediator_id = ?)",
        (gid, uid, uid, uid),
    )
    # Requests for clarification of the member's messages are closed: no one is left to answer or remind.
    await conn.execute(
        "UPDATE clarifications SET state = 'clarified', closed_at = ?, remind_at = NULL "
        "WHERE guild_id = ? AND author_id = ? AND state = 'open'",
        (at, gid, uid),
    )
    # Closed repairs need no notice, but their person_high must stay above person_low once tombstoned.
    await conn.execute(
        "UPDATE repairs SET person_high = person_low, person_low = ? WHERE guild_id = ? AND person_high = ? "
        "AND person_low <> ?",
        (TOMBSTONE_ID, gid, uid, TOMBSTONE_ID),
    )
    return len(rows)


async def _edit_summaries(
    conn: Connection, uid: int, gid: int, at: int, authored: Mapping[int, set[int]]
) -> tuple[int, int]:
    """Drop the member from each summary's participants and action items, and re-render its Markdown."""
    cursor = await conn.execute(
        "SELECT s.* FROM summaries s WHERE s.guild_id = ? AND (s.creator_id = ? OR EXISTS "
        "(SELECT 1 FROM summary_action_items i WHERE i.summary_id = s.id AND i.owner_id = ?) "
        "OR s.sections LIKE ?)",
        (gid, uid, uid, f"%{uid}%"),
    )
    edited = items_deleted = 0
    for row in list(await cursor.fetchall()):
        raw = json.loads(row["sections"] or "{}")
        participants = raw.get("participants", [])
        kept = [p for p in participants if p[0] != uid]
        theirs = authored.get(row["id"], set())
        dropped_bullets = 0
        for key in ("key_points", "decisions", "open_questions"):
            bullets = raw.get(key, [])
            raw[key] = [b for b in bullets if int(b["source"]) not in theirs]
            dropped_bullets += len(bullets) - len(raw[key])
        marks = ",".join("?" * len(theirs))
        quoting = f" OR source_message_id IN ({marks})" if theirs else ""
        item_where = f"summary_id = ? AND (owner_id = ?{quoting})"
        item_params = (row["id"], uid, *sorted(theirs))
        items_cursor = await conn.execute(f"SELECT count(*) FROM summary_action_items WHERE {item_where}", item_params)
        items_row = await items_cursor.fetchone()
        own_items = int(items_row[0]) if items_row else 0
        if len(kept) == len(participants) and not own_items and not dropped_bullets:
            continue
        raw["participants"] = kept
        items_deleted += own_items
        await conn.execute(f"DELETE FROM summary_action_items WHERE {item_where}", item_params)
        rest = await conn.execute("SELECT * FROM summary_action_items WHERE summary_id = ? ORDER BY position",
                                  (row["id"],))
        items = [_item_from_row(r).item for r in await rest.fetchall()]
        summary = sections_from_json(json.dumps(raw), items)
        title = row["markdown"].splitlines()[0].lstrip("# ").strip() if row["markdown"] else "Conversation summary"
        await conn.execute(
            "UPDATE summaries SET sections = ?, markdown = ? WHERE id = ?",
            (sections_to_json(summary), to_markdown(summary, title=title or "Conversation summary"), row["id"]),
        )
        if row["status"] == "published" and row["published_message_id"]:
            await conn.execute(
                "INSERT INTO data_rights_outbox (kind, guild_id, channel_id, message_id, ref_id, created_at) "
                "VALUES ('summary_edit', ?, ?, ?, ?, ?)",
                (gid, row["channel_id"], row["published_message_id"], row["id"], at),
            )
        edited += 1
    return edited, items_deleted


async def _apply(conn: Connection, policy: TablePolicy, uid: int, gid: int | None) -> tuple[int, int]:
    if not policy.members:
        return 0, 0
    deleted = 0
    delete = _delete_clause(policy)
    tomb = [c for c, a in policy.members.items() if a is Forget.TOMBSTONE]
    tombstoned = 0
    if tomb:
        # Rows, not cells: a repair with the member in three columns counts once.
        anyone = " OR ".join(f'"{c}" = :uid' for c in tomb)
        clause = f"({anyone}) AND NOT ({delete})" if delete else anyone
        where, params = _named(clause, uid, gid, policy)
        cursor = await conn.execute(f'SELECT count(*) FROM "{policy.table}" WHERE {where}', params)
        row = await cursor.fetchone()
        tombstoned = int(row[0]) if row else 0
    if delete:
        where, params = _named(delete, uid, gid, policy)
        cursor = await conn.execute(f'DELETE FROM "{policy.table}" WHERE {where}', params)
        deleted = cursor.rowcount
    for column in tomb:
        where, params = _named(f'"{column}" = :uid', uid, gid, policy)
        cleared = "".join(f', "{c}" = NULL' for c in policy.clear_with.get(column, ()))
        await conn.execute(
            f'UPDATE "{policy.table}" SET "{column}" = {TOMBSTONE_ID}{cleared} WHERE {where}', params
        )
    return deleted, tombstoned


async def scan(db: Database, user_id: int, guild_id: int | None = None) -> list[str]:
    """Every place in the live schema where ``user_id`` is still stored: id-like columns and embedded text.

    Reads the live schema, not the registry, so a column the registry forgot is still searched. With
    ``guild_id``, only that server's rows (by the registry's scopes) and the tables not kept per server.
    """
    from bot.datarights.registry import BY_TABLE

    found = []
    schema = await live_schema(db)
    for table, columns in sorted(schema.items()):
        policy = BY_TABLE.get(table)
        if guild_id is not None and policy is not None and policy.scope is not None:
            scope, scope_params = f" AND ({policy.scope})", [guild_id]
        else:
            scope, scope_params = "", []
        params: list[object]
        for column in columns:
            if is_id_like(column):
                # As text: an id-like column may be TEXT (owner_name), and PostgreSQL compares only like types.
                sql = f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) = ?{scope}'
                params = [str(user_id), *scope_params]
            elif policy is not None and column in policy.embedded:
                sql, params = (f'SELECT count(*) FROM "{table}" WHERE "{column}" LIKE ?{scope}',
                               [f"%{user_id}%", *scope_params])
            else:
                continue
            count = int(await db.fetchval(sql, params))
            if count:
                found.append(f"{table}.{column}: {count}")
    return found


async def guilds_with_data(db: Database) -> list[int]:
    """Every server id the database holds rows for (``scope:everywhere``), from the data-rights registry."""
    rows = await db.fetchall(guilds_with_data_sql())
    return sorted(int(r[0]) for r in rows)
