"""Acknowledge first: an interaction is answered before any channel post that may wait on Discord's limits.

Each test makes the channel post slow (three 429s of one second: discord.py waits and retries) and checks the
member's first response arrived well inside Discord's three seconds, and the post still happened once.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from bot.adapter.client import Rapport
from tests.e2e.conftest import World
from tests.e2e.test_commitments_nudges import add, service
from tests.e2e.test_feedback import setup_channel
from tests.e2e.test_summaries import CONVERSATION, answer, only_summary, published, run, talk

DAY = timedelta(days=1)
#: A channel post answered with 429 three times (1 s each) takes 3 s, as long as Discord allows a first reply.
SLOW_POSTS = 3
#: The first response must come well before Discord's 3 s deadline.
PROMPT = 1.0


def slow_channel(world: World, channel: Any) -> None:
    world.double.rate_limit(f"POST /channels/{channel.id}/messages", retry_after=1.0, count=SLOW_POSTS)


async def posted_in(world: World, channel: Any) -> None:
    await world.double.wait_request(
        lambda r: r.method == "POST" and r.path.endswith(f"/channels/{channel.id}/messages") and r.status == 200,
        timeout=15,
    )


async def timed_response(record: Any) -> float:
    started = time.monotonic()
    await record.wait_response(timeout=10)
    return time.monotonic() - started


async def test_commit_done_replies_before_the_celebration(rapport: Rapport, world: World) -> None:
    c = await add(rapport, world, "Ship v1", None)
    slow_channel(world, world.general)
    rec = await world.double.slash(world.alice, world.general, "commit done", id=str(c.number))
    assert await timed_response(rec) < PROMPT
    assert "done. Thank you" in (rec.content or "") and "share the good news" in (rec.content or "")
    assert (await service(rapport).get(c.id)).status == "done"
    await posted_in(world, world.general)
    assert len(world.double.messages(world.general)) == 1


async def test_done_and_need_help_buttons_reply_before_posting(rapport: Rapport, world: World) -> None:
    start = rapport.clock.now()
    first = await add(rapport, world, "Send the invoices", start + 2 * DAY)
    second = await add(rapport, world, "Book the venue", start + 2 * DAY)
    await rapport.jobs.advance(DAY)
    dm_first, dm_second = world.double.dm_messages(world.alice)

    slow_channel(world, world.general)
    click = await world.double.click(world.alice, dm_first, f"commit:{first.id}:done")
    assert await timed_response(click) < PROMPT
    assert (await service(rapport).get(first.id)).status == "done"
    await posted_in(world, world.general)

    slow_channel(world, world.general)
    click = await world.double.click(world.alice, dm_second, f"commit:{second.id}:help")
    assert await timed_response(click) < PROMPT
    reply = await click.wait_followup(1, timeout=15)
    assert "lend a hand" in reply.content
    assert len(world.double.messages(world.general)) == 2


async def test_feedback_replies_before_posting(rapport: Rapport, world: World) -> None:
    channel = await setup_channel(world)
    slow_channel(world, channel)
    rec = await world.double.slash(world.bob, world.general, "feedback", text="Loved the retro format")
    assert await timed_response(rec) < PROMPT
    reply = await rec.wait_followup(1, timeout=15)
    assert "with your name" in reply.content
    assert len(world.double.messages(channel)) == 1


async def test_publish_acknowledges_before_posting(rapport: Rapport, world: World) -> None:
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    slow_channel(world, world.general)
    click = await world.double.click(world.alice, draft, f"summary:{stored.id}:publish")
    assert await timed_response(click) < PROMPT
    await published(world, draft)


async def test_asking_for_a_hand_is_recorded_before_the_post(rapport: Rapport, world: World) -> None:
    start = rapport.clock.now()
    commitment = await add(rapport, world, "Book the venue", start + 2 * DAY)
    await rapport.jobs.advance(DAY)
    (dm,) = world.double.dm_messages(world.alice)
    world.double.rate_limit(f"POST /channels/{world.general.id}/messages", retry_after=1.0)
    click = await world.double.click(world.alice, dm, f"commit:{commitment.id}:help")
    await world.double.wait_request(lambda r: r.method == "POST" and r.status == 429)
    # The post is still waiting on Discord; the request for a hand is already stored.
    assert world.double.messages(world.general) == []
    assert (await service(rapport).get(commitment.id)).help_asked_at == rapport.clock.now()
    assert "lend a hand" in (await click.wait_followup(1, timeout=15)).content
    assert len(world.double.messages(world.general)) == 1
