"""pytest fixtures for the double. Import them into a conftest.py::

from tests.double.fixtures import discord_double  # noqa: F401
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .server import DiscordDouble


@pytest.fixture
async def discord_double(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordDouble]:
    """A started double with discord.py pointed at it (restored after the test)."""
    double = DiscordDouble()
    await double.start()
    double.point_discord_py_here(monkeypatch)
    try:
        yield double
    finally:
        await double.stop()
