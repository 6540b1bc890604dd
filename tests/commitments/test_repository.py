"""The commitment repository on a real temporary SQLite database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.commitments.models import ListFilter, NewEvent
from bot.commitments.policy import NudgePolicy
from bot.commitments.repository import CommitmentRepo, StaleCommitment
from bot.db.database import Database
from bot.scheduling.shards import ShardScope

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
GUILD, OTHER = 100, 200


async def make(repo: CommitmentRepo, guild: int = GUILD, owner: int = 1, *, due: datetime | None = None,
               status: str = "open", text: str = "write the notes", nudge: datetime | None = None):  # type: ignore[no-untyped-def]
    return await repo.create(
        guild_id=guild, owner_id=owner, creator_id=owner, text=text, status=status, due_at=due,
        source_kind="manual", source_url="https://discord.com/channels/100/5", source_channel_id=5, now=NOW,
        next_nudge_at=nudge, event=NewEvent("created", owner, new_due_at=due),
    )


async def test_short_numbers_are_per_server_and_never_reused(db: Database) -> None:
    repo = CommitmentRepo(db)
    first = await make(repo)
    second = await make(repo)
    elsewhere = await make(repo, OTHER)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert first.label == "#1"
    await db.execute("DELETE FROM commitments WHERE id = ?", (second.id,))
    third = await make(repo)
    assert third.number == 3
    assert (await repo.by_number(GUILD, 1)) == first
    assert await repo.by_number(OTHER, 2) is None
    assert await db.fetchval("SELECT count(*) FROM commitments WHERE status = 'open'") == 3


async def test_created_row_round_trips_with_aware_datetimes(db: Database) -> None:
    repo = CommitmentRepo(db)
    due = NOW + timedelta(days=2)
    made = await make(repo, due=due, nudge=NOW + timedelta(days=1))
    assert made.due_at == due and made.due_at.tzinfo is not None
    assert made.created_at == NOW and made.opened_at == NOW and made.closed_at is None
    assert made.next_nudge_at == NOW + timedelta(days=1)
    assert made.version == 0 and made.round == 0 and not made.escalated
    proposed = await make(repo, status="proposed")
    assert proposed.opened_at is None
    events = await repo.events(made.id)
    assert [(e.kind, e.new_due_at) for e in events] == [("created", due)]


async def test_update_is_conditional_on_the_version_read(db: Database) -> None:
    repo = CommitmentRepo(db)
    made = await make(repo)
    updated = await repo.update(made, {"status": "done", "closed_at": NOW}, NOW, NewEvent("done", 1, note="ok"))
    assert updated.status == "done" and updated.version == 1
    with pytest.raises(StaleCommitment):
        await repo.update(made, {"status": "dropped"}, NOW, NewEvent("dropped", 1))
    assert (await repo.get(made.id)).status == "done"  # type: ignore[union-attr]
    # The failed change added no history either.
    assert [e.kind for e in await repo.events(made.id)] == ["created", "done"]
    with pytest.raises(ValueError):
        await repo.update(updated, {"owner_id": 5}, NOW)


async def test_a_nudge_is_recorded_once_per_round_and_step(db: Database) -> None:
    repo = CommitmentRepo(db)
    made = await make(repo, due=NOW, nudge=NOW)
    first = await repo.record_nudge(made, step="overdue-1", planned_at=NOW, changes={"step_index": 1,
                                    "next_nudge_at": None}, now=NOW)
    assert first is not None and first.step_index == 1 and first.next_nudge_at is None
    # Same step again (even from a fresh read): refused, nothing changes.
    again = await repo.record_nudge(first, step="overdue-1", planned_at=NOW, changes={"step_index": 2}, now=NOW)
    assert again is None
    assert (await repo.get(made.id)).step_index == 1  # type: ignore[union-attr]
    # A stale read cannot record a new step either.
    stale = await repo.record_nudge(made, step="overdue-2", planned_at=NOW, changes={"step_index": 2}, now=NOW)
    assert stale is None
    assert [n.step for n in await repo.nudges(made.id)] == ["overdue-1"]
    finished = await repo.finish_nudge(first, step="overdue-1", delivery="dm", changes={"unanswered_dms": 1}, now=NOW)
    assert finished is not None and finished.unanswered_dms == 1
    assert [n.delivery for n in await repo.nudges(made.id)] == ["dm"]
    # A stale read still stores the delivery, but not its changes.
    stale_finish = await repo.finish_nudge(first, step="overdue-1", delivery="channel",
                                           changes={"unanswered_dms": 5}, now=NOW)
    assert stale_finish is None
    assert [n.delivery for n in await repo.nudges(made.id)] == ["channel"]
    assert (await repo.get(made.id)).unanswered_dms == 1  # type: ignore[union-attr]


async def test_due_rows_are_claimed_from_the_index_earliest_first_with_a_lease(db: Database) -> None:
    repo = CommitmentRepo(db)
    scope = ShardScope()
    late = await make(repo, nudge=NOW + timedelta(hours=2))
    early = await make(repo, nudge=NOW - timedelta(hours=1))
    now_row = await make(repo, nudge=NOW)
    await make(repo)  # nothing planned
    assert await repo.next_nudge_due(scope) == NOW - timedelta(hours=1)
    lease = NOW + timedelta(minutes=2)
    assert [c.id for c in await repo.claim_due_nudges(NOW, "p1", lease, 1, scope)] == [early.id]
    # The claimed row is under a lease: another claim (by anyone) skips it until the lease ends.
    assert [c.id for c in await repo.claim_due_nudges(NOW, "p2", lease, 10, scope)] == [now_row.id]
    assert await repo.claim_due_nudges(NOW, "p1", lease, 10, scope) == []
    assert await repo.next_nudge_due(scope) == lease
    await repo.release_claim(early.id, "p2")  # not p2's claim: left alone
    assert await repo.claim_due_nudges(NOW, "p2", lease, 10, scope) == []
    await repo.release_claim(early.id, "p1")
    assert await repo.next_nudge_due(scope) == NOW - timedelta(hours=1)
    assert [c.id for c in await repo.claim_due_nudges(lease, "p3", lease + timedelta(minutes=2), 10, scope)] == [
        early.id, now_row.id
    ]
    assert late.next_nudge_at == NOW + timedelta(hours=2)
    due = (
        "SELECT id FROM commitments WHERE next_nudge_at IS NOT NULL AND 1 = 1 AND next_nudge_at <= ? "
        "AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_nudge_at, id"
    )
    if db.engine == "sqlite":
        plan = await db.fetchall(f"EXPLAIN QUERY PLAN {due} LIMIT ?", (0, 0, 10))
        assert "commitments_next_nudge" in " ".join(str(row[3]) for row in plan)
    else:  # a few rows: PostgreSQL would rather scan them, unless told not to; the index must still fit
        async with db.transaction() as conn:
            await conn.execute("SET LOCAL enable_seqscan = off")
            async with conn.execute(f"EXPLAIN {due} LIMIT 10", (0, 0)) as cursor:
                plan = list(await cursor.fetchall())
        assert "commitments_next_nudge" in " ".join(str(row[0]) for row in plan)


async def test_find_filters_and_sorts_by_due_time(db: Database) -> None:
    repo = CommitmentRepo(db)
    no_due = await make(repo, text="someday")
    later = await make(repo, due=NOW + timedelta(days=5))
    sooner = await make(repo, due=NOW + timedelta(days=1))
    other_owner = await make(repo, owner=2, due=NOW + timedelta(days=2))
    done = await make(repo, due=NOW + timedelta(days=3))
    await repo.update(done, {"status": "done"}, NOW)
    await make(repo, OTHER, due=NOW)

    mine_open = await repo.find(ListFilter(GUILD, 1, ("open",)))
    assert [c.id for c in mine_open] == [sooner.id, later.id, no_due.id]
    everyone = await repo.find(ListFilter(GUILD, None, ()))
    assert [c.id for c in everyone] == [sooner.id, other_owner.id, done.id, later.id, no_due.id]
    window = await repo.find(ListFilter(GUILD, None, ("open",), due_from=NOW + timedelta(days=1),
                                        due_before=NOW + timedelta(days=3)))
    assert [c.id for c in window] == [sooner.id, other_owner.id]


async def test_autocomplete_search_is_own_open_and_escapes_wildcards(db: Database) -> None:
    repo = CommitmentRepo(db)
    a = await make(repo, text="Send 100% of the invoices")
    b = await make(repo, text="Book the room")
    await make(repo, owner=2, text="Book a table")
    closed = await make(repo, text="Book flights")
    await repo.update(closed, {"status": "dropped"}, NOW)
    assert [c.id for c in await repo.search_own_open(GUILD, 1, "book")] == [b.id]
    assert [c.id for c in await repo.search_own_open(GUILD, 1, "100%")] == [a.id]
    assert [c.id for c in await repo.search_own_open(GUILD, 1, "%")] == [a.id]
    assert [c.id for c in await repo.search_own_open(GUILD, 1, "#2")] == [b.id]
    assert len(await repo.search_own_open(GUILD, 1, "")) == 2


async def test_policy_defaults_and_round_trip(db: Database) -> None:
    repo = CommitmentRepo(db)
    assert await repo.policy(GUILD) == NudgePolicy()
    custom = NudgePolicy(remind_before=None, overdue_limit=2, escalate=True)
    await repo.set_policy(GUILD, custom, NOW)
    assert await repo.policy(GUILD) == custom
    await repo.set_policy(GUILD, NudgePolicy(remind_before=timedelta(hours=2)), NOW)
    assert await repo.policy(GUILD) == NudgePolicy(remind_before=timedelta(hours=2))
    assert await repo.policy(OTHER) == NudgePolicy()


async def test_counts_and_period_stats(db: Database) -> None:
    repo = CommitmentRepo(db)
    week_start, week_end = NOW - timedelta(days=7), NOW
    kept = await make(repo, due=NOW - timedelta(days=2))
    await repo.update(kept, {"status": "done", "closed_at": NOW - timedelta(days=3)}, NOW)  # kept early
    late = await make(repo, due=NOW - timedelta(days=2))  # still open, due passed: overdue
    done_late = await make(repo, due=NOW - timedelta(days=4))
    await repo.update(done_late, {"status": "done", "closed_at": NOW - timedelta(days=1)}, NOW)
    moved = await make(repo, due=NOW + timedelta(days=1))
    await repo.update(moved, {"due_at": NOW + timedelta(days=9)}, NOW - timedelta(days=1),
                      NewEvent("renegotiated", 1, old_due_at=NOW + timedelta(days=1), new_due_at=NOW))
    await make(repo, status="proposed")
    await make(repo, OTHER)
    assert await repo.open_count() == 3
    assert await repo.open_count(GUILD) == 2
    stats = await repo.period_stats(GUILD, week_start, week_end, NOW)
    # created_at/opened_at of every row is NOW, which is the (exclusive) end of the period.
    assert (stats.opened, stats.done, stats.renegotiated, stats.overdue) == (0, 2, 1, 2)
    this_week = await repo.period_stats(GUILD, NOW, NOW + timedelta(days=7), NOW + timedelta(days=7))
    assert this_week.opened == 4  # the proposed one is not opened
    assert late.status == "open"
