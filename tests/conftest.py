"""Fixtures shared by every test: a fixed start time, an injectable clock and a temporary database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.scheduling.clock import FakeClock

# A Monday afternoon, far from any DST change in the zones the tests use.
START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.db")
    await database.migrate()
    yield database
    await database.close()
