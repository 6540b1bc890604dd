"""The one request pacer: requests counted at HTTPClient.request, evenly spaced, under Discord's global limit."""

from __future__ import annotations

import asyncio
import time

import discord
import pytest

from bot.adapter.client import Rapport
from bot.adapter.pacing import REQUESTS_PER_SECOND, RequestPacer
from tests.e2e.conftest import World


async def test_pacer_spaces_requests_and_keeps_any_second_under_the_limit() -> None:
    pacer = RequestPacer(20)
    times: list[float] = []

    async def one() -> None:
        await pacer.wait()
        times.append(time.monotonic())

    await asyncio.gather(*(one() for _ in range(45)))
    times.sort()
    assert pacer.count == 45
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) <= 20
    assert times[-1] - times[0] >= 44 / 22 * 0.95  # at least 1/(20+2) s apart
    with pytest.raises(ValueError):
        RequestPacer(0)


def test_headroom_under_discords_global_limit() -> None:
    assert REQUESTS_PER_SECOND == 45 < 50


async def test_a_burst_from_every_feature_gets_no_429(rapport: Rapport, world: World) -> None:
    """120 posts at once (as a check-in burst, nudges and celebrations together would) against Discord's 50/s."""
    world.double.global_limit_per_second = 50
    channel = rapport.get_channel(world.general.id)
    assert isinstance(channel, discord.TextChannel)
    before = rapport.request_pacer.count
    started = len(world.double.requests)
    await asyncio.gather(*(channel.send(f"post {i}") for i in range(120)))
    statuses = [r.status for r in world.double.requests[started:]]
    assert 429 not in statuses and statuses.count(200) >= 120
    assert rapport.request_pacer.count - before >= 120
