"""Sharing a repair summary in the channel takes several messages when it is long; a share that fails half way
resumes on the next press without posting the parts already posted again."""

from __future__ import annotations

import discord

from bot.adapter.client import Rapport
from bot.db.codec import to_epoch
from bot.repair.service import RepairService
from cogs.repair._buttons import share_view
from tests.e2e.conftest import BotRunner, World
from tests.repair._steps import press, start_ok, summary_messages


async def closed_with_a_long_summary(rapport: Rapport, world: World) -> tuple[int, discord.Message]:
    """A repair whose approved summary is posted in its thread and needs two messages to share."""
    started = await start_ok(world, world.alice, world.bob, topic="the launch")
    lines = [f"LINE-{i:03d} " + "we talked it through and agreed on the next step " * 2 for i in range(90)]
    await rapport.db.execute(
        "UPDATE repairs SET state = 'closed', summary_version = 1, summary_text = ?, closed_at = ?, "
        "summary_message_id = ? WHERE id = ?",
        ("\n".join(lines), to_epoch(rapport.clock.now()), started.control.id, started.repair_id),
    )
    repair = await rapport.service(RepairService).get(started.repair_id)
    thread = rapport.get_channel(started.thread.id)
    assert isinstance(thread, discord.Thread)
    sent = await thread.send("Share it?", view=share_view(repair, "general"))
    return started.repair_id, sent


async def test_a_share_failing_on_its_second_part_resumes_with_that_part(rapport: Rapport, world: World) -> None:
    d = world.double
    repair_id, sent = await closed_with_a_long_summary(rapport, world)
    button = d.message(sent.id)
    share_id = f"repair:{repair_id}:share"
    assert "only once" in (await press(d, world.alice, button, share_id)).content

    # The first part is posted, the second is refused (a permission taken away meanwhile).
    d.fail_next(f"POST /channels/{world.general.id}/messages", 403, after=1)
    failed = await press(d, world.bob, button, share_id)
    assert "not allowed to post" in (await failed.wait_followup(1)).content
    parts = summary_messages(d, world.general)
    assert len(parts) == 1 and "consent of both" in parts[0].content
    first_part = parts[0].id
    assert (await rapport.service(RepairService).get(repair_id)).shared_at is None

    # Fixed ten minutes later (past Discord's memory of nonces); pressing again posts only what is missing.
    d.advance_clock(600)
    retried = await press(d, world.bob, button, share_id)
    assert "Shared in" in (await retried.wait_followup(1)).content
    shared = [m for m in d.messages(world.general) if m.author_id == d.bot_user.id]
    assert len(shared) == 2 and shared[0].id == first_part
    text = "\n".join(str(m.embeds) for m in shared)
    for i in (0, 45, 89):
        assert text.count(f"LINE-{i:03d}") == 1
    repair = await rapport.service(RepairService).get(repair_id)
    assert repair.shared_at is not None
    assert await rapport.service(RepairService).shared_parts(repair) == []  # nothing left behind
    await d.wait_until(lambda: button.components == [])


async def test_a_share_cut_short_by_a_crash_resumes_after_the_restart(runner: BotRunner, world: World) -> None:
    d = world.double
    bot = await runner.start()
    repair_id, sent = await closed_with_a_long_summary(bot, world)
    service = bot.service(RepairService)
    # Both agreed and the share was claimed, then the process died before posting anything.
    await service.consent_share(repair_id, world.alice.id)
    assert (await service.consent_share(repair_id, world.bob.id)).act
    stuck = await press(d, world.alice, d.message(sent.id), f"repair:{repair_id}:share")
    assert "already shared" in (stuck.content or "")

    bot = await runner.restart()
    assert (await bot.service(RepairService).get(repair_id)).shared_at is None
    resumed = await press(d, world.bob, d.message(sent.id), f"repair:{repair_id}:share")
    assert "Shared in" in (await resumed.wait_followup(1)).content
    shared = [m for m in d.messages(world.general) if m.author_id == d.bot_user.id]
    assert len(shared) == 2 and "consent of both" in shared[0].content  # each part once
