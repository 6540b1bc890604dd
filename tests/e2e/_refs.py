"""Rows that persistent buttons name by id, written with SQL directly (feedback and replay tests)."""

from __future__ import annotations

from datetime import timedelta

from bot.adapter.client import Rapport
from bot.db.codec import to_epoch
from tests.digest import _seed as seed
from tests.e2e.conftest import World


async def seed_ref(bot: Rapport, world: World, kind: str, ref: int) -> None:
    """The row a feedback button names, with that id, in this server's #general (buttons are scoped to it)."""
    now = bot.clock.now()
    if kind == "summary":
        await bot.db.execute(
            "INSERT INTO summaries (id, guild_id, channel_id, channel_name, creator_id, created_at, message_count,"
            " excluded_count, skipped_count, engine, sections, markdown, status, number, published_at,"
            " published_url) VALUES (?, ?, ?, 'general', ?, ?, 3, 0, 0, 'offline', '', '# s', 'published', ?, ?,"
            " 'https://discord.com/channels/1/2/3')",
            (ref, world.guild.id, world.general.id, world.alice.id, to_epoch(now), ref, to_epoch(now)),
        )
    elif kind == "checkin":
        checkin_id = await seed.add_checkin(bot.db, world.guild.id, channel_id=world.general.id, at=now)
        run_id = await seed.add_run(bot.db, checkin_id, now - timedelta(days=1), channel_id=world.general.id)
        await bot.db.execute("UPDATE checkin_runs SET id = ? WHERE id = ?", (ref, run_id))
    else:
        await bot.db.execute(
            "INSERT INTO repairs (id, guild_id, channel_id, thread_id, starter_id, partner_id, person_low, "
            "person_high, followup_days, state, created_at, closed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 7, 'closed', ?, ?)",
            (ref, world.guild.id, world.general.id, world.general.id, world.alice.id, world.bob.id,
             min(world.alice.id, world.bob.id), max(world.alice.id, world.bob.id), to_epoch(now), to_epoch(now)),
        )
