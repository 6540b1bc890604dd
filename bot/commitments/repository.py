"""Commitments in the database: parameterised SQL (``?`` only), dataclasses out, one transaction per unit of work.

Every change to a commitment is conditional on the ``version`` it was read at, so two people pressing
buttons at once cannot both win: the second change finds nothing to update and is told to try again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.commitments.models import (
    PRIVATE_SOURCES,
    Commitment,
    CommitmentEvent,
    ListFilter,
    NewEvent,
    NudgeRecord,
    PeriodStats,
)
from bot.commitments.policy import NudgePolicy
from bot.db.claims import DueTable
from bot.db.codec import to_epoch, to_epoch_or_none
from bot.db.connection import Connection
from bot.db.database import Database
from bot.db.rows import from_row
from bot.db.schema import has_columns
from bot.delivery import Delivery
from bot.scheduling.shards import ShardScope

#: Columns a change may set; names never come from user input.
_MUTABLE = frozenset(
    {
        "status",
        "due_at",
        "opened_at",
        "closed_at",
        "round",
        "round_started_at",
        "step_index",
        "snooze_until",
        "snooze_count",
        "last_nudge_at",
        "last_dm_at",
        "unanswered_dms",
        "escalated",
        "help_asked_at",
        "next_nudge_at",
    }
)


class StaleCommitment(Exception):
    """The commitment changed between reading and writing it."""


def _commitment(row: Any) -> Commitment:
    return from_row(Commitment, row)


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return to_epoch(value)
    if isinstance(value, bool):
        return int(value)
    return value


async def _insert_event(
    conn: Connection, commitment_id: int, guild_id: int, now: datetime, event: NewEvent
) -> None:
    await conn.execute(
        "INSERT INTO commitment_events (commitment_id, guild_id, at, actor_id, kind, old_due_at, new_due_at, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            commitment_id,
            guild_id,
            to_epoch(now),
            event.actor_id,
            event.kind,
            to_epoch_or_none(event.old_due_at),
            to_epoch_or_none(event.new_due_at),
            event.note,
        ),
    )


async def _update(
    conn: Connection,
    commitment: Commitment,
    changes: Mapping[str, object],
    now: datetime,
    *,
    strict: bool = True,
) -> bool:
    unknown = set(changes) - _MUTABLE
    if unknown:
        raise ValueError(f"not a changeable commitment column: {sorted(unknown)}")
    columns = sorted(changes)
    assignments = "".join(f"{column} = ?, " for column in columns)
    cursor = await conn.execute(
        f"UPDATE commitments SET {assignments}version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        (*(_encode(changes[c]) for c in columns), to_epoch(now), commitment.id, commitment.version),
    )
    if cursor.rowcount != 1:
        if strict:
            raise StaleCommitment(f"commitment {commitment.id} changed meanwhile")
        return False
    return True


#: Commitments whose next nudge is due: the dispatcher's work (see :mod:`bot.commitments.nudges`).
NUDGES_DUE = DueTable("commitments", due="next_nudge_at")

#: Proposals whose owner has not been asked yet (see :mod:`bot.commitments.asks`).
ASKS_DUE = DueTable("commitments", due="ask_due_at")

#: Run inside a commitment's insert transaction with its id; raising rolls the insert back.
Claim = Callable[[Connection, int], Awaitable[None]]


class CommitmentRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def available(self) -> bool:
        """Whether this database has the commitment tables (for readers in other features)."""
        return await has_columns(self.db, "commitments", "guild_id", "status", "opened_at", "closed_at", "due_at")

    # -- creating and reading ----------------------------------------------------------------------------
    async def create(
        self,
        *,
        guild_id: int,
        owner_id: int,
        creator_id: int,
        text: str,
        status: str,
        due_at: datetime | None,
        source_kind: str,
        source_url: str | None,
        source_channel_id: int | None,
        now: datetime,
        next_nudge_at: datetime | None,
        event: NewEvent,
        claim: Claim | None = None,
        ask_claim: tuple[str, datetime] | None = None,
    ) -> Commitment:
        """Insert a commitment with the server's next short number, and its first history entry.

        ``claim`` runs in the same transaction with the new commitment's id (a caller records what the
        commitment was made for); if it raises, nothing is inserted. ``ask_claim`` (owner, until): the owner
        is to be asked, due now and already claimed by the process that asks at once.
        """
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO commitment_counters (guild_id, last_number) VALUES (?, 1) "
                "ON CONFLICT (guild_id) DO UPDATE SET last_number = commitment_counters.last_number + 1 "
                "RETURNING last_number",
                (guild_id,),
            )
            row = await cursor.fetchone()
            assert row is not None
            number = int(row[0])
            stamp = to_epoch(now)
            cursor = await conn.execute(
                "INSERT INTO commitments (guild_id, number, owner_id, creator_id, text, status, due_at, source_kind, "
                "source_url, source_channel_id, created_at, opened_at, round_started_at, next_nudge_at, updated_at, "
                "ask_due_at, claimed_by, claimed_until) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    guild_id,
                    number,
                    owner_id,
                    creator_id,
                    text,
                    status,
                    to_epoch_or_none(due_at),
                    source_kind,
                    source_url,
                    source_channel_id,
                    stamp,
                    stamp if status == "open" else None,
                    stamp,
                    to_epoch_or_none(next_nudge_at),
                    stamp,
                    None if ask_claim is None else stamp,
                    None if ask_claim is None else ask_claim[0],
                    None if ask_claim is None else to_epoch(ask_claim[1]),
                ),
            )
            inserted = await cursor.fetchone()
            assert inserted is not None
            commitment_id = int(inserted[0])
            await _insert_event(conn, commitment_id, guild_id, now, event)
            if claim is not None:
                await claim(conn, commitment_id)
        found = await self.get(commitment_id)
        assert found is not None
        return found

    async def get(self, commitment_id: int) -> Commitment | None:
        row = await self.db.fetchone("SELECT * FROM commitments WHERE id = ?", (commitment_id,))
        return None if row is None else _commitment(row)

    async def by_number(self, guild_id: int, number: int) -> Commitment | None:
        row = await self.db.fetchone(
            "SELECT * FROM commitments WHERE guild_id = ? AND number = ?", (guild_id, number)
        )
        return None if row is None else _commitment(row)

    # -- changing ----------------------------------------------------------------------------------------
    async def update(
        self, commitment: Commitment, changes: Mapping[str, object], now: datetime, event: NewEvent | None = None
    ) -> Commitment:
        """Apply ``changes`` if the commitment is still at the version read; raise StaleCommitment if not."""
        async with self.db.transaction() as conn:
            await _update(conn, commitment, changes, now)
            if event is not None:
                await _insert_event(conn, commitment.id, commitment.guild_id, now, event)
        found = await self.get(commitment.id)
        assert found is not None
        return found

    async def update_many(
        self, changes: Sequence[tuple[Commitment, Mapping[str, object]]], now: datetime
    ) -> int:
        """Apply many changes in one transaction, each only if its row is still at the version read;
        returns how many were applied."""
        applied = 0
        async with self.db.transaction() as conn:
            for commitment, change in changes:
                applied += await _update(conn, commitment, change, now, strict=False)
        return applied

    async def record_nudge(
        self,
        commitment: Commitment,
        *,
        step: str,
        planned_at: datetime,
        changes: Mapping[str, object],
        now: datetime,
    ) -> Commitment | None:
        """Record a nudge as about to be sent, with the state it leaves behind, before sending it.

        Returns None (and changes nothing) if this step of this round was already recorded or the commitment
        changed meanwhile: then the nudge must not be sent.
        """
        try:
            async with self.db.transaction() as conn:
                cursor = await conn.execute(
                    "INSERT INTO commitment_nudges (commitment_id, round, step, planned_at, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (commitment_id, round, step) DO NOTHING",
                    (commitment.id, commitment.round, step, to_epoch(planned_at), to_epoch(now)),
                )
                if cursor.rowcount != 1:
                    raise StaleCommitment(f"nudge {step} of commitment {commitment.id} already recorded")
                await _update(conn, commitment, changes, now)
        except StaleCommitment:
            return None
        return await self.get(commitment.id)

    async def finish_nudge(
        self,
        commitment: Commitment,
        *,
        step: str,
        delivery: Delivery,
        changes: Mapping[str, object] | None,
        now: datetime,
    ) -> Commitment | None:
        """Store how a recorded nudge was delivered and, if the commitment is still at the version read,
        apply ``changes`` (returning the updated commitment; None if there were none or it changed meanwhile)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE commitment_nudges SET delivery = ? WHERE commitment_id = ? AND round = ? AND step = ?",
                (delivery, commitment.id, commitment.round, step),
            )
            applied = changes is not None and await _update(conn, commitment, changes, now, strict=False)
        return await self.get(commitment.id) if applied else None

    async def cut_short_nudge(self, commitment_id: int) -> NudgeRecord | None:
        """A nudge recorded but never marked delivered (the process stopped mid-send), the latest first."""
        row = await self.db.fetchone(
            "SELECT * FROM commitment_nudges WHERE commitment_id = ? AND delivery = 'pending' "
            "ORDER BY recorded_at DESC, round DESC LIMIT 1",
            (commitment_id,),
        )
        return None if row is None else from_row(NudgeRecord, row, delivery=Delivery(row["delivery"]))

    async def settle_nudge(self, nudge: NudgeRecord, delivery: Delivery) -> None:
        """Record how a nudge cut short ended without sending it (``unknown``: it may have arrived)."""
        await self.db.execute(
            "UPDATE commitment_nudges SET delivery = ? WHERE commitment_id = ? AND round = ? AND step = ? "
            "AND delivery = 'pending'",
            (delivery, nudge.commitment_id, nudge.round, nudge.step),
        )

    async def set_next_nudge(self, commitment: Commitment, at: datetime | None, now: datetime) -> bool:
        """Move only the dispatcher's next look at this row (e.g. after quiet hours); False if it changed."""
        try:
            await self.update(commitment, {"next_nudge_at": at}, now)
        except StaleCommitment:
            return False
        return True

    # -- the dispatcher's claims -----------------------------------------------------------------------
    async def next_nudge_due(self, scope: ShardScope) -> datetime | None:
        """When the dispatcher should next look: the earliest due nudge, or the end of a claim on one."""
        return await NUDGES_DUE.next_due(self.db, scope)

    async def claim_due_nudges(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[Commitment]:
        """Claim commitments whose next nudge is due (through the ``next_nudge_at`` index), earliest first."""
        return [_commitment(row) for row in await NUDGES_DUE.claim(self.db, now, owner, until, limit, scope)]

    async def release_claim(self, commitment_id: int, owner: str) -> None:
        await NUDGES_DUE.release(self.db, commitment_id, owner)

    # -- asking a proposal's owner ---------------------------------------------------------------------
    async def next_ask_due(self, scope: ShardScope) -> datetime | None:
        return await ASKS_DUE.next_due(self.db, scope)

    async def claim_due_asks(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[Commitment]:
        return [_commitment(row) for row in await ASKS_DUE.claim(self.db, now, owner, until, limit, scope)]

    async def claim_ask(self, commitment_id: int, now: datetime, owner: str, until: datetime) -> Commitment | None:
        """Claim one proposal's question now (None when it was asked already or another process is asking)."""
        row = await ASKS_DUE.claim_one(self.db, commitment_id, now, owner, until)
        return None if row is None else _commitment(row)

    async def begin_ask(self, commitment_id: int, owner: str, now: datetime) -> bool:
        """Note that a send is being tried (the first try's instant is kept), while we hold the claim."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE commitments SET ask_started_at = COALESCE(ask_started_at, ?) "
                "WHERE id = ? AND ask_due_at IS NOT NULL AND claimed_by = ?",
                (to_epoch(now), commitment_id, owner),
            )
            return cursor.rowcount == 1

    async def finish_ask(self, commitment_id: int, owner: str, delivery: str | None) -> None:
        """The question is over (sent, failed, or no longer needed): nothing more is due; our claim ends."""
        await self.db.execute(
            "UPDATE commitments SET ask_due_at = NULL, ask_delivery = COALESCE(?, ask_delivery), "
            "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?",
            (delivery, commitment_id, owner),
        )

    async def drop_dead_claims(self, gone: Callable[[str], bool]) -> int:
        """End the claims that processes of this machine held when they died; returns how many holders."""
        dropped = 0
        for table in (ASKS_DUE, NUDGES_DUE):
            for holder in await table.holders(self.db):
                if gone(holder):
                    await table.drop_claims_of(self.db, holder)
                    dropped += 1
        return dropped

    # -- lists -------------------------------------------------------------------------------------------
    async def find(self, query: ListFilter, *, limit: int = 500) -> list[Commitment]:
        """Matching commitments sorted by due time (those without one last), then number."""
        clauses = ["guild_id = ?"]
        params: list[object] = [query.guild_id]
        if query.owner_id is not None:
            clauses.append("owner_id = ?")
            params.append(query.owner_id)
        if query.statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in query.statuses)})")
            params.extend(query.statuses)
        if query.due_from is not None:
            clauses.append("due_at >= ?")
            params.append(to_epoch(query.due_from))
        if query.due_before is not None:
            clauses.append("due_at < ?")
            params.append(to_epoch(query.due_before))
        if query.viewer_id is not None:
            clauses.append(
                f"(source_kind NOT IN ({', '.join('?' for _ in PRIVATE_SOURCES)}) OR owner_id = ? OR creator_id = ?)"
            )
            params.extend([*PRIVATE_SOURCES, query.viewer_id, query.viewer_id])
        rows = await self.db.fetchall(
            f"SELECT * FROM commitments WHERE {' AND '.join(clauses)} "
            "ORDER BY due_at IS NULL, due_at, number LIMIT ?",
            (*params, limit),
        )
        return [_commitment(row) for row in rows]

    async def search_own_open(self, guild_id: int, owner_id: int, text: str, limit: int = 25) -> list[Commitment]:
        """The owner's open commitments whose number or text contains ``text``, for autocomplete."""
        needle = text.strip().lstrip("#").lower()
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = await self.db.fetchall(
            "SELECT * FROM commitments WHERE guild_id = ? AND owner_id = ? AND status = 'open' "
            "AND (CAST(number AS TEXT) LIKE ? ESCAPE '\\' OR lower(text) LIKE ? ESCAPE '\\') "
            "ORDER BY due_at IS NULL, due_at, number LIMIT ?",
            (guild_id, owner_id, f"{escaped}%", f"%{escaped}%", limit),
        )
        return [_commitment(row) for row in rows]

    async def done_between(self, guild_id: int, start: datetime, end: datetime, limit: int = 100) -> list[Commitment]:
        """Commitments marked done in ``[start, end)``, newest first, leaving out private ones (from a repair)."""
        rows = await self.db.fetchall(
            "SELECT * FROM commitments WHERE guild_id = ? AND status = 'done' "
            f"AND source_kind NOT IN ({', '.join('?' for _ in PRIVATE_SOURCES)}) AND closed_at >= ? AND closed_at < ? "
            "ORDER BY closed_at DESC, number DESC LIMIT ?",
            (guild_id, *PRIVATE_SOURCES, to_epoch(start), to_epoch(end), limit),
        )
        return [_commitment(row) for row in rows]

    async def events(self, commitment_id: int) -> list[CommitmentEvent]:
        rows = await self.db.fetchall(
            "SELECT * FROM commitment_events WHERE commitment_id = ? ORDER BY id", (commitment_id,)
        )
        return [from_row(CommitmentEvent, row) for row in rows]

    async def nudges(self, commitment_id: int) -> list[NudgeRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM commitment_nudges WHERE commitment_id = ? ORDER BY recorded_at, round, step",
            (commitment_id,),
        )
        return [from_row(NudgeRecord, row, delivery=Delivery(row["delivery"])) for row in rows]

    async def with_nudges_in_guild(self, guild_id: int) -> list[Commitment]:
        """Open commitments of a server whose nudges a policy change may move."""
        rows = await self.db.fetchall(
            "SELECT * FROM commitments WHERE guild_id = ? AND status = 'open' AND (due_at IS NOT NULL "
            "OR snooze_until IS NOT NULL)",
            (guild_id,),
        )
        return [_commitment(row) for row in rows]

    # -- counts ------------------------------------------------------------------------------------------
    async def pending_between(self, guild_id: int, creator_id: int, owner_id: int) -> int:
        """Proposals from ``creator_id`` that ``owner_id`` has not accepted or declined yet."""
        value = await self.db.fetchval(
            "SELECT count(*) FROM commitments WHERE guild_id = ? AND creator_id = ? AND owner_id = ? "
            "AND status = 'proposed'",
            (guild_id, creator_id, owner_id),
        )
        return int(value or 0)

    async def open_count(self, guild_id: int | None = None) -> int:
        if guild_id is None:
            return int(await self.db.fetchval("SELECT count(*) FROM commitments WHERE status = 'open'"))
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM commitments WHERE guild_id = ? AND status = 'open'", (guild_id,)
            )
        )

    async def period_stats(self, guild_id: int, start: datetime, end: datetime, now: datetime) -> PeriodStats:
        """Opened, done and renegotiated in ``[start, end)``; overdue: due in the period and not done by then."""
        bounds = (guild_id, to_epoch(start), to_epoch(end))
        opened = await self.db.fetchval(
            "SELECT count(*) FROM commitments WHERE guild_id = ? AND opened_at >= ? AND opened_at < ?", bounds
        )
        done = await self.db.fetchval(
            "SELECT count(*) FROM commitments WHERE guild_id = ? AND status = 'done' "
            "AND closed_at >= ? AND closed_at < ?",
            bounds,
        )
        renegotiated = await self.db.fetchval(
            "SELECT count(*) FROM commitment_events WHERE guild_id = ? AND kind = 'renegotiated' "
            "AND at >= ? AND at < ?",
            bounds,
        )
        overdue = await self.db.fetchval(
            "SELECT count(*) FROM commitments WHERE guild_id = ? AND status IN ('open', 'done') "
            "AND due_at >= ? AND due_at < ? AND due_at < ? AND (closed_at IS NULL OR closed_at > due_at)",
            (*bounds, to_epoch(now)),
        )
        return PeriodStats(int(opened), int(done), int(renegotiated), int(overdue))

    # -- the server's policy -----------------------------------------------------------------------------
    async def policy(self, guild_id: int) -> NudgePolicy:
        row = await self.db.fetchone("SELECT * FROM commitment_policy WHERE guild_id = ?", (guild_id,))
        if row is None:
            return NudgePolicy()
        seconds = row["remind_before_seconds"]
        return NudgePolicy(
            remind_before=None if seconds is None else timedelta(seconds=seconds),
            overdue_limit=row["overdue_limit"],
            escalate=bool(row["escalate"]),
        )

    async def policies(self, guild_ids: Sequence[int]) -> dict[int, NudgePolicy]:
        return {guild_id: await self.policy(guild_id) for guild_id in set(guild_ids)}

    async def set_policy(self, guild_id: int, policy: NudgePolicy, now: datetime) -> None:
        seconds = None if policy.remind_before is None else int(policy.remind_before.total_seconds())
        await self.db.execute(
            "INSERT INTO commitment_policy (guild_id, remind_before_seconds, overdue_limit, escalate, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "remind_before_seconds = excluded.remind_before_seconds, overdue_limit = excluded.overdue_limit, "
            "escalate = excluded.escalate, updated_at = excluded.updated_at",
            (guild_id, seconds, policy.overdue_limit, int(policy.escalate), to_epoch(now)),
        )
