"""No harassment through the bot: /me block and /me unblock, the pending-proposal cap and the cooldowns."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.adapter.client import Rapport
from bot.safety import CANNOT_REACH, COOLDOWNS, MAX_PENDING_PROPOSALS
from tests.e2e.conftest import World
from tests.e2e.helpers import slash


async def propose(world: World, creator: Any, owner: Any, what: str) -> str:
    """``/commit add owner:``; the reply text (a refusal, or the followup once the proposal is sent)."""
    record = await slash(world.double, creator, world.general, "commit add", what=what, owner=owner)
    assert record.ephemeral
    if record.response_type == 5:
        return (await record.wait_followup()).content or ""
    return record.content or ""


async def count(bot: Rapport, sql: str) -> int:
    return int(await bot.db.fetchval(sql) or 0)


async def test_a_block_stops_proposals_and_repair_invitations_without_telling(rapport: Rapport, world: World) -> None:
    d = world.double
    blocked = await slash(d, world.alice, world.general, "me block", member=world.bob)
    assert blocked.ephemeral and "Blocked" in (blocked.content or "") and "aren't told" in (blocked.content or "")
    dms_before = len(d.dm_messages(world.alice))

    assert await propose(world, world.bob, world.alice, "Review my doc") == CANNOT_REACH
    repair = await slash(d, world.bob, world.general, "repair start", **{"with": world.alice})
    assert repair.ephemeral and repair.content == CANNOT_REACH
    assert await count(rapport, "SELECT count(*) FROM commitments") == 0
    assert await count(rapport, "SELECT count(*) FROM repairs") == 0
    assert len(d.dm_messages(world.alice)) == dms_before
    assert all("block" not in (m.content or "").lower() for m in d.dm_messages(world.bob))

    # Others (and the other direction) are unaffected.
    assert await propose(world, world.alice, world.bob, "Send the notes") != CANNOT_REACH
    assert await count(rapport, "SELECT count(*) FROM commitments") == 1

    unblocked = await slash(d, world.alice, world.general, "me unblock", member=world.bob)
    assert "Unblocked" in (unblocked.content or "")
    assert await propose(world, world.bob, world.alice, "Review my doc") != CANNOT_REACH
    assert await count(rapport, "SELECT count(*) FROM commitments") == 2


async def test_bad_input_to_block_is_refused_and_changes_nothing(rapport: Rapport, world: World) -> None:
    d = world.double
    me = await slash(d, world.alice, world.general, "me block", member=world.alice)
    assert me.ephemeral and "yourself" in (me.content or "")
    bot_member = d.create_user("helperbot", bot=True)
    d.add_member(world.guild, bot_member)
    robot = await slash(d, world.alice, world.general, "me block", member=bot_member)
    assert robot.ephemeral and "Bots" in (robot.content or "")
    nothing = await slash(d, world.alice, world.general, "me unblock", member=world.bob)
    assert "wasn't blocked" in (nothing.content or "")
    assert await count(rapport, "SELECT count(*) FROM member_blocks") == 0


async def test_pending_proposals_to_one_member_are_capped(rapport: Rapport, world: World) -> None:
    for index in range(MAX_PENDING_PROPOSALS):
        assert "proposals waiting" not in await propose(world, world.alice, world.bob, f"Task {index}")
    assert "proposals waiting" in await propose(world, world.alice, world.bob, "One more")
    assert await count(rapport, "SELECT count(*) FROM commitments") == MAX_PENDING_PROPOSALS
    assert "proposals waiting" not in await propose(world, world.alice, world.owner, "For olivia")
    assert await count(rapport, "SELECT count(*) FROM commitments") == MAX_PENDING_PROPOSALS + 1


async def test_win_pings_have_a_cooldown(rapport: Rapport, world: World) -> None:
    d = world.double
    limit = COOLDOWNS["win"]
    for index in range(limit.uses):
        await slash(d, world.alice, world.general, "win", text=f"Great work {index}", member=world.bob)
    refused = await slash(d, world.alice, world.general, "win", text="Once more", member=world.bob)
    assert refused.ephemeral and "at most 10 times" in (refused.content or "")
    assert await count(rapport, "SELECT count(*) FROM wins") == limit.uses
    rapport.clock.advance(limit.per)
    await slash(d, world.alice, world.general, "win", text="A new hour", member=world.bob)
    assert await count(rapport, "SELECT count(*) FROM wins") == limit.uses + 1
    # Celebrating the whole team pings no one: no cooldown.
    await slash(d, world.bob, world.general, "win", text="Team effort")
    assert await count(rapport, "SELECT count(*) FROM wins") == limit.uses + 2
    assert timedelta(hours=1) == limit.per
