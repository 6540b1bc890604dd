"""/settings retention, the daily purge and leaving a server, through the double with a fake clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.adapter.client import Rapport
from bot.datarights.forget import scan
from tests.datarights.seed import seed_pair
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash


async def _count(bot: Rapport, sql: str) -> int:
    return int(await bot.db.fetchval(sql))


async def test_retention_setting_then_daily_purge_reported_in_settings_show(rapport: Rapport, world: World) -> None:
    now = int(rapport.clock.now().timestamp())
    await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "OLD", "OLDB", t=now - 40 * 86400)
    await seed_pair(rapport.db, world.guild.id, world.owner.id, world.stranger.id, "NEW", "NEWS", t=now, base=100)
    bad = await slash(world.double, world.owner, world.general, "settings retention", checkin_answers="soon")
    assert "number of days" in (bad.content or "")
    saved = await slash(world.double, world.owner, world.general, "settings retention", checkin_answers="30",
                        feedback="forever")
    assert "Saved." in (saved.content or "")
    assert "check-in answers: 30 days" in embed_text(saved) and "feedback votes, notes and posts: forever" in (
        embed_text(saved))
    await rapport.jobs.advance(timedelta(days=1))
    assert await _count(rapport, "SELECT count(*) FROM checkin_answers") == 2
    assert await _count(rapport, "SELECT count(*) FROM server_feedback") == 6
    shown = await slash(world.double, world.owner, world.general, "settings show")
    assert "Last purge" in embed_text(shown) and "2 checkin answers" in embed_text(shown)
    # The job keeps running every day.
    assert rapport.jobs.get("datarights:purge") is not None


async def test_removal_then_readd_within_grace_keeps_data(rapport: Rapport, world: World) -> None:
    now = int(rapport.clock.now().timestamp())
    await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "A", "B", t=now)
    world.double.remove_bot_from_guild(world.guild)
    await world.double.wait_until(lambda: rapport.get_guild(world.guild.id) is None, timeout=10)
    for _ in range(100):
        if await _count(rapport, "SELECT count(*) FROM guild_removals") == 1:
            break
        await asyncio.sleep(0.02)
    assert await rapport.db.fetchval("SELECT purge_at - removed_at FROM guild_removals") == 30 * 86400
    await rapport.jobs.advance(timedelta(days=10))
    world.guild.bot_present = True
    world.double.events.guild_create(world.guild)
    await world.double.wait_until(lambda: rapport.get_guild(world.guild.id) is not None, timeout=10)
    for _ in range(100):
        if await _count(rapport, "SELECT count(*) FROM guild_removals") == 0:
            break
        await asyncio.sleep(0.02)
    assert await _count(rapport, "SELECT count(*) FROM guild_removals") == 0
    await rapport.jobs.advance(timedelta(days=40))
    assert await scan(rapport.db, world.alice.id, world.guild.id)


async def test_removal_past_grace_erases_the_server(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    now = int(bot.clock.now().timestamp())
    await seed_pair(bot.db, world.guild.id, world.alice.id, world.bob.id, "A", "B", t=now)
    await seed_pair(bot.db, world.other_guild.id, world.stranger.id, world.bob.id, "S", "B2", t=now)
    world.double.remove_bot_from_guild(world.guild)
    for _ in range(200):
        if await _count(bot, "SELECT count(*) FROM guild_removals") == 1:
            break
        await asyncio.sleep(0.02)
    bot = await runner.restart()  # the schedule is in the database, not in memory
    await bot.jobs.advance(timedelta(days=29))
    assert await scan(bot.db, world.alice.id, world.guild.id)
    await bot.jobs.advance(timedelta(days=2))
    assert await scan(bot.db, world.alice.id, world.guild.id) == ["member_settings.user_id: 1"]
    assert await bot.db.fetchval("SELECT count(*) FROM commitments WHERE guild_id = ?", (world.guild.id,)) == 0
    assert await scan(bot.db, world.stranger.id, world.other_guild.id)
