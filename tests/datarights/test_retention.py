"""Retention and server removal on real SQLite: old rows go, recent ones stay, restarts are harmless."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.datarights.forget import scan
from bot.datarights.retention import (
    cancel_removal,
    last_run,
    parse_days,
    purge_all,
    purge_guild_retention,
    removals_due,
    retention_of,
    schedule_removal,
    set_retention,
)
from bot.db.database import Database
from tests.datarights.seed import seed_pair

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
OLD = int((NOW - timedelta(days=400)).timestamp())
RECENT = int((NOW - timedelta(days=10)).timestamp())
A, B, C, D = 11, 12, 13, 14
G1, G2 = 901, 902


async def _count(db: Database, sql: str) -> int:
    return int(await db.fetchval(sql))


async def _two_ages(db: Database) -> None:
    await seed_pair(db, G1, A, B, "OLD-A", "OLD-B", t=OLD)
    await seed_pair(db, G1, C, D, "NEW-C", "NEW-D", t=RECENT, base=100)
    async with db.transaction() as conn:
        await conn.execute("UPDATE commitments SET status = 'done', closed_at = created_at")
        await conn.execute("UPDATE repairs SET state = 'closed', closed_at = created_at")
        await conn.execute("UPDATE clarifications SET state = 'clarified', closed_at = created_at")


def test_parse_days() -> None:
    assert parse_days("forever") == 0 and parse_days("default") is None and parse_days("30") == 30
    assert parse_days("90 days") == 90
    for bad in ("0", "-3", "lots", "4000", "@everyone"):
        with pytest.raises(ValueError):
            parse_days(bad)


async def test_defaults_purge_old_rows_and_keep_recent(db: Database) -> None:
    await _two_ages(db)
    counts = await purge_guild_retention(db, G1, now=NOW)
    assert counts["checkin_answers"] == 2 and counts["commitments"] == 4 and counts["repairs"] == 1
    answers = await db.fetchall("SELECT user_id FROM checkin_answers ORDER BY user_id")
    assert [r[0] for r in answers] == [C, D]
    assert await _count(db, "SELECT count(*) FROM commitments") == 4
    assert await _count(db, "SELECT count(*) FROM repair_views") == 2  # the recent repair's, via cascade
    assert await _count(db, "SELECT count(*) FROM server_feedback") == 3
    run = await last_run(db, G1)
    assert run is not None and run[0] == NOW and run[1] == counts


async def test_forever_keeps_and_short_retention_purges_recent(db: Database) -> None:
    await _two_ages(db)
    await set_retention(db, G1, {"checkin_answers": 0, "feedback": 5}, now=NOW)
    assert (await retention_of(db, G1))["checkin_answers"] == 0
    counts = await purge_guild_retention(db, G1, now=NOW)
    assert "checkin_answers" not in counts
    assert await _count(db, "SELECT count(*) FROM checkin_answers") == 4
    assert await _count(db, "SELECT count(*) FROM server_feedback") == 0


async def test_a_purge_interrupted_mid_way_finishes_at_the_next_run(db: Database) -> None:
    await _two_ages(db)

    async def crash(table: str, removed: int) -> None:
        if table == "checkin_answers" and removed:
            raise RuntimeError("restart")

    with pytest.raises(RuntimeError):
        await purge_guild_retention(db, G1, now=NOW, batch=1, checkpoint=crash)
    # The first batch was committed, the rest not touched yet: no half rows anywhere.
    assert await _count(db, "SELECT count(*) FROM checkin_answers") == 3
    await purge_guild_retention(db, G1, now=NOW, batch=1)
    assert await _count(db, "SELECT count(*) FROM checkin_answers") == 2
    assert await _count(db, "SELECT count(*) FROM commitments") == 4


async def test_removal_grace_period_readd_cancels_and_expiry_erases(db: Database) -> None:
    await seed_pair(db, G1, A, B, "A", "B", t=RECENT)
    await seed_pair(db, G2, C, D, "C", "D", t=RECENT)
    await schedule_removal(db, G1, now=NOW, grace=timedelta(days=30))
    assert await removals_due(db, now=NOW + timedelta(days=29)) == []
    assert await cancel_removal(db, G1) is True
    await purge_all(db, now=NOW + timedelta(days=31))
    assert await scan(db, A, G1)
    await schedule_removal(db, G1, now=NOW, grace=timedelta(days=30))
    await purge_all(db, now=NOW + timedelta(days=31))
    # Only preferences remain: they are the member's own, kept once for every server.
    assert await scan(db, A, G1) == ["member_settings.user_id: 1"]
    assert await scan(db, B, G1) == ["member_settings.user_id: 1"]
    assert await _count(db, "SELECT count(*) FROM guild_removals") == 0
    assert await scan(db, C, G2)  # the other server is untouched
