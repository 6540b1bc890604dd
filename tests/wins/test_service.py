"""Wins on real SQLite: what may be celebrated, and what /wins lists for a week or a month."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db.database import Database
from bot.digest.sources import DigestSources
from bot.errors import BadInput, ObjectNotFound
from bot.scheduling.clock import FakeClock
from bot.wins.service import WinService
from tests.digest import _seed as seed

GUILD = 10


@pytest.fixture
def service(db: Database, clock: FakeClock) -> WinService:
    return WinService(db, clock, DigestSources(db))


async def test_a_win_is_stored_with_who_and_where(service: WinService, clock: FakeClock) -> None:
    win = await service.add(guild_id=GUILD, channel_id=5, author_id=1, text="  Shipped the guide  ", member_id=2)
    assert (win.guild_id, win.channel_id, win.author_id, win.member_id) == (GUILD, 5, 1, 2)
    assert win.text == "Shipped the guide"
    assert win.created_at == clock.now() and win.message_id is None and win.jump_url is None
    await service.posted(win.id, 99)
    stored = await service.get(win.id)
    assert stored.message_id == 99 and stored.jump_url == f"https://discord.com/channels/{GUILD}/5/99"


async def test_refusals_store_nothing(service: WinService, db: Database) -> None:
    with pytest.raises(BadInput, match="what the win was"):
        await service.add(guild_id=GUILD, channel_id=5, author_id=1, text="   ")
    with pytest.raises(BadInput, match="under 500"):
        await service.add(guild_id=GUILD, channel_id=5, author_id=1, text="x" * 501)
    with pytest.raises(BadInput, match="for people"):
        await service.add(guild_id=GUILD, channel_id=5, author_id=1, text="beep", member_id=3, member_is_bot=True)
    assert await db.fetchval("SELECT count(*) FROM wins") == 0


async def test_discard_forgets_a_win_nobody_saw(service: WinService) -> None:
    win = await service.add(guild_id=GUILD, channel_id=5, author_id=1, text="Done")
    await service.discard(win.id)
    with pytest.raises(ObjectNotFound):
        await service.get(win.id)


async def test_report_week_and_month_with_kept_commitments(service: WinService, db: Database, clock: FakeClock) -> None:
    now = clock.now()
    await seed.add_win(db, GUILD, now - timedelta(days=2), text="This week")
    await seed.add_win(db, GUILD, now - timedelta(days=20), text="This month")
    await seed.add_win(db, GUILD, now - timedelta(days=40), text="Too old")
    await seed.add_win(db, GUILD + 1, now - timedelta(days=1), text="Elsewhere")
    await seed.add_commitment(db, GUILD, 4, status="done", opened_at=now - timedelta(days=9),
                              closed_at=now - timedelta(days=1), text="Fix the build")
    await seed.add_commitment(db, GUILD, 5, status="done", opened_at=now - timedelta(days=30),
                              closed_at=now - timedelta(days=12))
    await seed.add_commitment(db, GUILD, 6, status="dropped", opened_at=now - timedelta(days=3),
                              closed_at=now - timedelta(days=1))
    week = await service.report(GUILD, "week")
    assert [w.text for w in week.wins] == ["This week"]
    assert [(k.number, k.text) for k in week.kept] == [(4, "Fix the build")]
    month = await service.report(GUILD, "month")
    assert [w.text for w in month.wins] == ["This week", "This month"]
    assert [k.number for k in month.kept] == [4, 5]
    assert month.end - month.start == timedelta(days=30)
    assert await service.count_between(GUILD, now - timedelta(days=7), now) == 1
