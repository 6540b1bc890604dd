"""/me forget through the double: confirmation, erasure, notices, refusals, restarts."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.adapter.client import Rapport
from bot.datarights.forget import scan
from tests.datarights.seed import seed_pair
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import db_settles, embed_text, slash

T = 1_764_511_200


async def _confirmation(world: World, record: Any) -> Any:
    message = await record.wait_followup(1, timeout=10)
    assert message.flags & 64
    return message


def _button(message: Any, action: str) -> str:
    return next(cid for cid in message.custom_ids() if cid.endswith(f":{action}"))


async def test_forget_asks_then_erases_and_tells_the_other_person(rapport: Rapport, world: World) -> None:
    seeded = await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "ALICE", "BOB", t=T)
    thread = world.double.create_channel(world.guild, "repair-thread")
    await rapport.db.execute("UPDATE repairs SET thread_id = ? WHERE id = ?", (thread.id, seeded.repair_id))
    record = await slash(world.double, world.alice, world.general, "me forget")
    message = await _confirmation(world, record)
    text = embed_text(message)
    assert "Removed" in text and "1 check-in answers" in text and "Kept" in text
    assert "other person's words in a repair stay theirs" in text
    # Nothing happened yet.
    assert await scan(rapport.db, world.alice.id, world.guild.id)
    click = await world.double.click(world.alice, message, _button(message, "go"))
    await click.wait_response(timeout=10)
    await world.double.wait_until(lambda: "Done." in (message.content or ""), timeout=10)
    assert await scan(rapport.db, world.alice.id, world.guild.id) == []
    notice = await world.double.wait_for_message(lambda m: m.channel_id == thread.id, timeout=10)
    assert f"<@{world.bob.id}>" in notice.content and "erase their data" in notice.content
    assert "ALICE" not in notice.content and "BOB" not in notice.content
    assert notice.allowed_mentions is not None and notice.allowed_mentions.get("parse") == []
    await db_settles(rapport.db, "SELECT count(*) FROM data_rights_outbox", 0)
    # Bob's answer is untouched; Alice's is gone from the data and from /me data.
    answers = await rapport.db.fetchall("SELECT user_id FROM checkin_answers")
    assert [r[0] for r in answers] == [world.bob.id]


async def test_cancel_changes_nothing(rapport: Rapport, world: World) -> None:
    await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "ALICE", "BOB", t=T)
    before = await scan(rapport.db, world.alice.id)
    record = await slash(world.double, world.alice, world.general, "me forget")
    message = await _confirmation(world, record)
    click = await world.double.click(world.alice, message, _button(message, "no"))
    await click.wait_response(timeout=10)
    assert "Cancelled" in (message.content or "")
    assert await scan(rapport.db, world.alice.id) == before


async def test_forgetting_someone_else_is_refused(rapport: Rapport, world: World) -> None:
    await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "ALICE", "BOB", t=T)
    before = await scan(rapport.db, world.alice.id)
    record = await slash(world.double, world.alice, world.general, "me forget")
    message = await _confirmation(world, record)
    # Bob forges a press of Alice's button (the custom id names Alice).
    message.visible_to = None
    click = await world.double.click(world.bob, message, _button(message, "go"))
    await click.wait_response(timeout=10)
    reply = click.message or await click.wait_followup(1)
    assert click.ephemeral and "Only the member whose data it is" in reply.content
    assert await scan(rapport.db, world.alice.id) == before


async def test_confirming_twice_erases_once(rapport: Rapport, world: World) -> None:
    await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "ALICE", "BOB", t=T)
    record = await slash(world.double, world.alice, world.general, "me forget")
    message = await _confirmation(world, record)
    go = _button(message, "go")
    first = await world.double.click(world.alice, message, go)
    second = await world.double.click(world.alice, message, go)
    await asyncio.gather(first.wait_response(timeout=10), second.wait_response(timeout=10))
    await world.double.wait_until(
        lambda: "Done." in (message.content or "") or "already done" in (message.content or ""), timeout=10
    )
    assert await scan(rapport.db, world.alice.id, world.guild.id) == []
    assert await rapport.db.fetchval(
        "SELECT count(*) FROM commitment_events WHERE note LIKE 'Closed because%'"
    ) == 1


async def test_everywhere_erases_in_every_server(rapport: Rapport, world: World) -> None:
    await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "ALICE", "BOB", t=T)
    await seed_pair(rapport.db, world.other_guild.id, world.alice.id, world.stranger.id, "ELSE", "SAM", t=T)
    record = await slash(world.double, world.alice, world.general, "me forget", scope="everywhere")
    message = await _confirmation(world, record)
    assert "in every server" in embed_text(message)
    click = await world.double.click(world.alice, message, _button(message, "go"))
    await click.wait_response(timeout=10)
    await world.double.wait_until(lambda: "Done." in (message.content or ""), timeout=10)
    assert await scan(rapport.db, world.alice.id) == []
    assert await scan(rapport.db, world.stranger.id)


async def test_confirmation_button_works_after_a_restart(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    await seed_pair(bot.db, world.guild.id, world.alice.id, world.bob.id, "ALICE", "BOB", t=T)
    record = await slash(world.double, world.alice, world.general, "me forget")
    message = await _confirmation(world, record)
    bot = await runner.restart()
    click = await world.double.click(world.alice, message, _button(message, "go"))
    await click.wait_response(timeout=10)
    await world.double.wait_until(lambda: "Done." in (message.content or ""), timeout=10)
    assert await scan(bot.db, world.alice.id, world.guild.id) == []


async def test_notices_left_by_a_restart_are_delivered(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    thread = world.double.create_channel(world.guild, "repair-thread")
    await bot.db.execute(
        "INSERT INTO data_rights_outbox (kind, guild_id, channel_id, recipient_id, ref_id, created_at) "
        "VALUES ('repair_ended', ?, ?, ?, 1, ?)", (world.guild.id, thread.id, world.bob.id, T))
    bot = await runner.restart()
    notice = await world.double.wait_for_message(lambda m: m.channel_id == thread.id, timeout=10)
    assert "erase their data" in notice.content
    for _ in range(50):
        if await bot.db.fetchval("SELECT count(*) FROM data_rights_outbox") == 0:
            break
        await asyncio.sleep(0.05)
    assert await bot.db.fetchval("SELECT count(*) FROM data_rights_outbox") == 0


async def test_forget_drops_the_member_from_a_published_summary(rapport: Rapport, world: World) -> None:
    from tests.e2e.test_summaries import CONVERSATION, answer, channel_posts, run, talk

    talk(world, CONVERSATION)  # type: ignore[arg-type]
    reply = await answer(await run(world, world.owner, publish=True))  # type: ignore[arg-type]
    assert "Published" in reply.content
    (post,) = channel_posts(world)  # type: ignore[arg-type]
    before = embed_text(post)
    assert "announcement" in before and "release notes" in before
    record = await slash(world.double, world.alice, world.general, "me forget")
    message = await _confirmation(world, record)
    assert "your lines in 1 summary are dropped" in embed_text(message)
    click = await world.double.click(world.alice, message, _button(message, "go"))
    await click.wait_response(timeout=10)
    await world.double.wait_until(lambda: "Done." in (message.content or ""), timeout=10)
    await world.double.wait_until(lambda: post.edits > 0, timeout=10)
    after = embed_text(post)
    assert "release notes" in after
    # Every line that came from Alice's messages is gone; Bob's and Olivia's stay.
    for gone in ("alice (3)", "Shall we ship", "We decided to ship", "announcement", "Alice and bob will ship"):
        assert gone not in after, gone
    assert "feature flag" in after and "Thursday works for bob" in after
    stored = await rapport.db.fetchone("SELECT sections, markdown FROM summaries")
    assert stored is not None and str(world.alice.id) not in stored["sections"]
    assert "announcement" not in stored["markdown"]


async def test_after_forget_read_paths_show_none_of_their_content(rapport: Rapport, world: World) -> None:
    now = int(rapport.clock.now().timestamp()) - 3600
    await seed_pair(rapport.db, world.guild.id, world.alice.id, world.bob.id, "ALICE", "BOB", t=now)
    record = await slash(world.double, world.alice, world.general, "me forget")
    message = await _confirmation(world, record)
    click = await world.double.click(world.alice, message, _button(message, "go"))
    await click.wait_response(timeout=10)
    await world.double.wait_until(lambda: "Done." in (message.content or ""), timeout=10)
    wins = await slash(world.double, world.bob, world.general, "wins")
    shown = (wins.content or "") + embed_text(wins)
    assert "ALICE-team-win" not in shown and f"<@{world.alice.id}>" not in shown and "<@0>" not in shown
    assert "BOB-win-for-other" in shown and "a former member" in shown
    listed = await slash(world.double, world.bob, world.general, "commit list")
    text = (listed.content or "") + embed_text(listed)
    assert "ALICE-own-promise" not in text and "BOB-own-promise" in text
    exported = await slash(world.double, world.alice, world.general, "me data")
    files = {a.filename: a.data for m in [await exported.wait_followup(1)] for a in m.attachments}
    assert "ALICE-" not in files["rapport-data.json"].decode()
