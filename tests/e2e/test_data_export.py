"""/me data through the double: every item of the caller, nothing of anyone else's, split when huge."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from bot.adapter.client import Rapport
from bot.datarights.export import COVERS, SCHEMA_VERSION
from bot.datarights.registry import POLICIES
from tests.datarights.seed import seed_pair
from tests.e2e.conftest import World
from tests.e2e.helpers import slash

T = 1_764_511_200  # 2025-11-30 14:00 UTC

ALICE_ITEMS = [
    "ALICE-answer", "ALICE-blocker", "ALICE-own-promise", "shared promise owned by alice", "ALICE-note",
    "ALICE-item line", "ALICE-happened", "ALICE-affected", "ALICE-need", "ALICE-heard", "ALICE-owned",
    "ALICE-will-do", "ALICE-followup", "ALICE-question", "ALICE-win-for-other", "ALICE-team-win",
    "ALICE-missing-note", "ALICE-feedback", "ALICE-topic", "ALICE-close", "ALICE-clarifies",
]


def test_every_table_with_member_columns_is_covered_by_the_export() -> None:
    with_members = {p.table for p in POLICIES if p.members}
    assert with_members == set(COVERS)


async def _files(record: Any) -> list[tuple[str, bytes]]:
    messages = {m.id: m for m in [*([record.message] if record.message else []), *record.followups]}.values()
    return [(a.filename, a.data) for m in messages for a in m.attachments]


async def test_export_has_every_item_and_nothing_of_anyone_else(rapport: Rapport, world: World) -> None:
    await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "ALICE", "BOB", t=T)
    await seed_pair(rapport.db, world.other_guild.id, world.alice.id, world.stranger.id, "ELSEWHERE", "SAM", t=T)
    record = await slash(world.double, world.alice, world.general, "me data")
    assert record.ephemeral
    await record.wait_followup(1, timeout=10)
    files = dict(await _files(record))
    assert set(files) == {"rapport-data.json", "rapport-data.md"}
    assert all(m.flags & 64 for m in record.followups)
    text = files["rapport-data.json"].decode()
    doc = json.loads(text)
    assert doc["schema"] == "rapport.member-export" and doc["version"] == SCHEMA_VERSION
    assert doc["user_id"] == str(world.alice.id)
    assert [s["guild_id"] for s in doc["servers"]] == [str(world.guild.id)]
    for item in ALICE_ITEMS:
        assert item in text, item
    assert doc["preferences"]["timezone"] == "Europe/Paris"
    # Nothing bob wrote, nothing from the other server.
    assert "BOB-" not in text and "ELSEWHERE" not in text and "SAM-" not in text
    assert "anonymous-feedback" not in text
    assert "check-in answers: 1" in files["rapport-data.md"].decode()


async def test_huge_export_is_zipped_and_split_under_the_limit(rapport: Rapport, world: World) -> None:
    async with rapport.db.transaction() as conn:
        for n in range(3000):
            await conn.execute(
                "INSERT INTO wins (guild_id, channel_id, author_id, text, created_at) VALUES (?, 1, ?, ?, ?)",
                (world.guild.id, world.alice.id, f"win {n} " + hashlib.sha256(str(n).encode()).hexdigest() * 4, T),
            )
    limit = 64 * 1024
    world.double.attachment_size_limit = limit
    record = await slash(world.double, world.alice, world.general, "me data")
    first = await record.wait_followup(1, timeout=20)
    assert "split into" in first.content
    parts = int(first.content.split("split into ")[1].split(" ")[0])
    assert parts >= 2
    await record.wait_followup(parts, timeout=20)
    files = await _files(record)
    assert all(len(data) <= limit for _, data in files)
    assert [name for name, _ in files] == [f"rapport-data.zip.{n:03d}" for n in range(1, len(files) + 1)]
    blob = b"".join(data for _, data in files)
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        doc = json.loads(archive.read("rapport-data.json"))
    assert len(doc["servers"][0]["wins"]) == 3000
