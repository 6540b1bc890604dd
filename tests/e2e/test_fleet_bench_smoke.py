"""A tiny run of ``tests/bench/bench_fleet.py`` (40 servers, 2 processes on PostgreSQL), so the benchmark keeps
working; its figures are not checked against targets here (run the benchmark for those)."""

from __future__ import annotations

import os

import pytest

from tests.bench.bench_fleet import one_round

ADMIN_URL = os.environ.get("RAPPORT_TEST_DATABASE_URL")
pytestmark = [pytest.mark.skipif(not ADMIN_URL, reason="RAPPORT_TEST_DATABASE_URL is not set")]


async def test_a_tiny_fleet_burst_posts_every_checkin_once() -> None:
    assert ADMIN_URL is not None
    figures = await one_round(ADMIN_URL, servers=40, processes=2, lead=15, kill=False)
    assert figures["all_connected_before_due"], figures
    assert figures["lost"] == 0 and figures["duplicates"] == 0, figures
    assert figures["wall_s"] is not None and figures["ratio"] < 3, figures
