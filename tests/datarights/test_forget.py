"""Erasure by the registered policies on real SQLite: complete, scoped, idempotent, all or nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from bot.datarights.export import build_export
from bot.datarights.forget import forget_member, guilds_with_data, plan, scan
from bot.datarights.registry import TOMBSTONE_ID
from bot.db.database import Database
from tests.datarights.seed import seed_pair
from tests.support.databases import TestDatabases

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
T = int(NOW.timestamp()) - 86400
ALICE, BOB, SAM = 1_000_000_000_000_001, 1_000_000_000_000_002, 1_000_000_000_000_003
HERE, ELSEWHERE = 5_000_000_000_000_001, 5_000_000_000_000_002


async def _seed(db: Database) -> None:
    await seed_pair(db, HERE, ALICE, BOB, "ALICE", "BOB", t=T)
    await seed_pair(db, ELSEWHERE, ALICE, SAM, "ELSEWHERE", "SAM", t=T)


async def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    tables = await db.tables()
    return {t: [tuple(r) for r in await db.fetchall(f'SELECT * FROM "{t}" ORDER BY 1, 2')] for t in tables}


async def test_forget_here_leaves_only_tombstones_and_others_untouched(db: Database) -> None:
    await _seed(db)
    bob_before = await build_export(db, BOB, [HERE], now=NOW)
    assert await scan(db, ALICE, HERE)
    planned = await plan(db, ALICE, [HERE], now=NOW)
    assert await scan(db, ALICE, HERE)
    report = await forget_member(db, ALICE, [HERE], now=NOW)
    assert report.deleted == planned.deleted and report.tombstoned == planned.tombstoned
    assert report.deleted["checkin_answers"] == 1 and report.deleted["repair_views"] == 1
    assert report.tombstoned["repairs"] >= 1 and report.commitments_closed == 1 and report.repairs_ended == 1
    assert await scan(db, ALICE, HERE) == []
    assert report.deleted["member_blocks"] == 2 and report.deleted["member_cooldowns"] == 1
    # The other server is untouched.
    assert await scan(db, ALICE, ELSEWHERE)
    # Tombstones are where others' records depend on the member.
    repair = await db.fetchone("SELECT * FROM repairs WHERE guild_id = ?", (HERE,))
    assert repair is not None and repair["state"] == "closed" and repair["starter_id"] == TOMBSTONE_ID
    assert repair["person_low"] < repair["person_high"]
    kept = await db.fetchone("SELECT * FROM commitments WHERE text = 'shared promise owned by alice'")
    assert kept is not None and kept["owner_id"] == TOMBSTONE_ID and kept["status"] == "dropped"
    assert await db.fetchval("SELECT count(*) FROM commitments WHERE text = 'ALICE-own-promise'") == 0
    texts = " ".join(str(v) for table in (await _dump(db)).values() for row in table for v in row)
    for gone in ("ALICE-answer", "ALICE-happened", "ALICE-owned", "ALICE-question", "ALICE-feedback",
                 "ALICE-missing-note", "ALICE-item line", "ALICE-own-promise", "ALICE-team-win", "ALICE-heard",
                 "ALICE-clarifies", "ALICE-note", "ALICE-topic", "ALICE-close"):
        assert gone not in texts, gone
    # Bob's own data: everything still there, except what Alice wrote for him is now "someone else's".
    bob_after = await build_export(db, BOB, [HERE], now=NOW)
    for key in ("checkin_answers", "feedback"):
        assert bob_after["servers"][0][key] == bob_before["servers"][0][key], key
    # Bob's own request stays; Alice's request about Bob's message was hers and is gone.
    # His request about her message is kept for him, closed: no one is left to answer it.
    asked = [c for c in bob_before["servers"][0]["clarifications"] if c["role"] == "asked"]
    closed = [{**c, "state": "clarified", "closed_at": "2026-11-30T14:00:00Z"} for c in asked]
    assert bob_after["servers"][0]["clarifications"] == closed
    assert [r["my_view"] for r in bob_after["servers"][0]["repairs"]] == [
        r["my_view"] for r in bob_before["servers"][0]["repairs"]
    ]
    assert await db.fetchval("SELECT count(*) FROM data_rights_outbox WHERE recipient_id = ?", (BOB,)) == 1
    summary = await db.fetchone("SELECT sections, markdown FROM summaries WHERE guild_id = ?", (HERE,))
    assert summary is not None and str(ALICE) not in summary["sections"] and "ALICE-item" not in summary["markdown"]
    assert "BOB-item" in summary["markdown"]


async def test_second_forget_finds_nothing(db: Database) -> None:
    await _seed(db)
    await forget_member(db, ALICE, [HERE], now=NOW)
    before = await _dump(db)
    again = await forget_member(db, ALICE, [HERE], now=NOW)
    assert again.total == 0 and again.lines() == ["nothing was stored"]
    assert await _dump(db) == before


async def test_forget_everywhere_leaves_no_trace(db: Database) -> None:
    await _seed(db)
    assert await guilds_with_data(db) == [HERE, ELSEWHERE]
    await forget_member(db, ALICE, await guilds_with_data(db), now=NOW)
    assert await scan(db, ALICE) == []
    assert await scan(db, BOB) and await scan(db, SAM)


async def test_a_failure_mid_forget_changes_nothing(db: Database) -> None:
    await _seed(db)
    before = await _dump(db)

    async def fail(table: str) -> None:
        if table == "repair_views":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        await forget_member(db, ALICE, [HERE], now=NOW, checkpoint=fail)
    assert await _dump(db) == before


async def test_a_process_killed_mid_forget_leaves_it_not_started(databases: TestDatabases) -> None:
    path = str(databases.target("crash"))
    db = await Database.open(path)
    await db.migrate()
    await _seed(db)
    before = await _dump(db)
    await db.close()
    script = textwrap.dedent(f"""
        import asyncio, os
        from datetime import UTC, datetime
        from bot.db.database import Database
        from bot.datarights.forget import forget_member

        async def main():
            db = await Database.open({path!r})
            async def die(table):
                if table == "repair_views":
                    os._exit(9)  # no rollback, no close: as if the machine stopped
            await forget_member(db, {ALICE}, [{HERE}], now=datetime.now(UTC), checkpoint=die)

        asyncio.run(main())
    """)
    done = subprocess.run(  # noqa: ASYNC221 - the test waits for the child on purpose
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 9, done.stderr
    db = await Database.open(path)
    try:
        assert await _dump(db) == before
        await forget_member(db, ALICE, [HERE], now=NOW)
        assert await scan(db, ALICE, HERE) == []
    finally:
        await db.close()
