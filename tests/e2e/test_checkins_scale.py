"""Check-ins due together across servers, extra runs, servers not chunked at start-up, and the names setting."""

from __future__ import annotations

from datetime import timedelta

from tests.checkins._e2e import advance, answer_by_form, create, prompts
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash


async def test_many_checkins_due_together_respect_the_global_rate_limit(runner: BotRunner, world: World) -> None:
    double = world.double
    places = []
    for i in range(40):
        guild = double.create_guild(f"Team {i}", owner=world.owner)
        places.append(double.create_channel(guild, "check-ins"))
    bot = await runner.start()
    for channel in places:
        made = await create(double, world.owner, channel)
        assert "Created" in made.content
    double.global_limit_per_second = 50  # Discord's global limit; 80 requests need more than a second
    before = double.stats["429"]
    await advance(bot, timedelta(hours=1))
    for channel in places:
        assert len(prompts(double, channel)) == 1 and len(double.threads(channel)) == 1
    assert double.stats["429"] == before
    assert double.global_limiter.max_in_any_window() <= 50


async def test_extra_run_now(runner: BotRunner, world: World) -> None:
    double = world.double
    bot = await runner.start()
    await create(double, world.owner, world.general, template="pulse")
    record = await slash(double, world.owner, world.general, "checkin run", id="1")
    followup = await record.wait_followup()
    assert "Posted an extra run" in followup.content
    [prompt] = prompts(double, world.general)
    assert await bot.db.fetchval("SELECT due_at FROM checkin_runs WHERE kind = 'extra'") is not None  # its steps
    await answer_by_form(double, world.alice, prompt, {"q0": "Good", "q1": "Nothing"})
    await advance(bot, timedelta(hours=1))  # the scheduled run at 15:00 still happens, separately
    assert len(prompts(double, world.general)) == 2
    kinds = [r[0] for r in await bot.db.fetchall("SELECT kind FROM checkin_runs ORDER BY id")]
    assert kinds == ["extra", "scheduled"]


async def test_participants_role_without_chunking_at_startup_and_names_setting(
    runner: BotRunner, world: World
) -> None:
    double = world.double
    team = double.create_role(world.guild, "Team")
    for user in (world.alice, world.bob):
        double.set_member_roles(world.guild, user, [team])
    bot = await runner.start(chunk_guilds_at_startup=False)
    await slash(double, world.owner, world.general, "settings checkin-missing", mode="names")
    await create(double, world.owner, world.general, participants=team, template="wins")
    await advance(bot, timedelta(hours=7))  # the reminder at 21:00
    assert len(double.dm_messages(world.alice)) == 1 and len(double.dm_messages(world.bob)) == 1
    [prompt] = prompts(double, world.general)
    await answer_by_form(double, world.alice, prompt, {"q0": "Shipped"})
    await advance(bot, timedelta(hours=2))
    text = embed_text(double.messages(double.threads(world.general)[0])[-1])
    assert "**1 of 2** answered" in text and "Not heard from: bob" in text
    assert f"<@{world.bob.id}>" not in text
