"""/repair end, the truth about who sees a private thread, start-up clean-up of orphans, and private repair
commitments on the button path."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.adapter.client import Rapport
from bot.commitments.service import CommitmentService
from bot.db.codec import to_epoch
from bot.repair.service import RepairService
from cogs.commitments._buttons import nudge_view
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash
from tests.repair._steps import start_ok


async def test_either_person_ends_a_repair_after_confirming(rapport: Rapport, world: World) -> None:
    d = world.double
    started = await start_ok(world, world.alice, world.bob)
    assert "Manage Threads or Administrator" in embed_text(started.control)

    outsider = await slash(d, world.owner, started.thread, "repair end")
    assert "Only the two people" in (outsider.content or "")

    cancelled = await slash(d, world.bob, started.thread, "repair end")
    assert cancelled.ephemeral and cancelled.message is not None
    [_, cancel] = cancelled.message.custom_ids()
    await (await d.click(world.bob, cancelled.message, cancel)).wait_response()
    assert (await rapport.service(RepairService).get(started.repair_id)).state == "open"

    asked = await slash(d, world.bob, started.thread, "repair end")
    assert asked.message is not None
    [confirm, _] = asked.message.custom_ids()
    await (await d.click(world.bob, asked.message, confirm)).wait_response()
    await asked.wait_edit()
    repair = await rapport.service(RepairService).get(started.repair_id)
    assert repair.state == "closed" and repair.summary_text is None and repair.followup_at is None
    await d.wait_for_message(lambda m: m.channel_id == started.thread.id and "ended this repair" in m.content)
    listed = await slash(d, world.alice, world.general, "repair list")
    assert "ended without a summary" in embed_text(listed)
    # The pair is free again.
    again = await start_ok(world, world.alice, world.bob)
    assert again.repair_id != started.repair_id


async def test_repair_settings_tell_the_truth_about_private_threads(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.owner, world.general, "repair settings managers-can-view", allowed="off")
    assert "Manage Threads or Administrator" in (record.content or "")


async def test_orphans_are_cleaned_up_at_start_up(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    now = to_epoch(bot.clock.now())
    low, high = sorted((world.alice.id, world.bob.id))
    await bot.db.execute(
        "INSERT INTO repairs (guild_id, channel_id, starter_id, partner_id, person_low, person_high, followup_days, "
        "state, created_at) VALUES (?, ?, ?, ?, ?, ?, 7, 'open', ?)",
        (world.guild.id, world.general.id, world.alice.id, world.bob.id, low, high, now),
    )
    await bot.db.execute(
        "INSERT INTO clarifications (guild_id, channel_id, message_id, author_id, asker_id, state, created_at) "
        "VALUES (?, ?, 5, ?, ?, 'open', ?)",
        (world.guild.id, world.general.id, world.bob.id, world.alice.id, now),
    )
    bot = await runner.restart()
    assert await bot.db.fetchval("SELECT count(*) FROM repairs") == 0
    assert await bot.db.fetchval("SELECT count(*) FROM clarifications") == 0
    await start_ok(world, world.alice, world.bob)  # the pair is no longer blocked


async def test_a_manager_pressing_a_private_commitment_button_gets_not_found(rapport: Rapport, world: World) -> None:
    service = rapport.service(CommitmentService)
    private = await service.add(
        guild_id=world.guild.id, owner_id=world.alice.id, text="PRIVATE-REPAIR-PROMISE",
        due=rapport.clock.now() + timedelta(days=2), source_kind="repair", source_channel_id=world.general.id,
    )
    channel = rapport.get_channel(world.general.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("replayed", view=nudge_view(private))
    message = world.double.message(sent.id)
    for action in ("done", "snooze", "reneg"):
        record = await world.double.click(world.owner, message, f"commit:{private.id}:{action}")
        await record.wait_response()
        assert record.modal is None and "couldn't find" in (record.content or ""), action
    assert (await service.get(private.id)).status == "open"
    done = await world.double.click(world.alice, message, f"commit:{private.id}:done")
    await done.wait_response()
    assert (await service.get(private.id)).status == "done"
