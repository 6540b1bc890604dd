"""Fixtures shared by every test: a fixed start time, an injectable clock and a temporary database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.scheduling.clock import FakeClock
from tests.support.databases import TestDatabases, drop_template

# A Monday afternoon, far from any DST change in the zones the tests use.
START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[TestDatabases]:
    """Every database a test opens comes from here (SQLite files, or PostgreSQL databases with
    ``RAPPORT_TEST_DATABASE_URL``), so the whole suite runs on either engine."""
    made = TestDatabases(tmp_path)
    yield made
    made.drop_all()


@pytest.fixture
async def db(databases: TestDatabases) -> AsyncIterator[Database]:
    database = await databases.open("test")
    yield database
    await database.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_template()
