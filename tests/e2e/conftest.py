"""End-to-end fixtures: the local Discord double, a small world in it, and the real bot running against it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.adapter.client import Rapport
from bot.config import Secret, Settings
from bot.scheduling.clock import FakeClock
from cogs import feature_extensions
from tests.double import Channel, DiscordDouble, Guild, Role, User
from tests.support.databases import TestDatabases


@pytest.fixture
async def double(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordDouble]:
    fake = DiscordDouble()
    await fake.start()
    fake.point_discord_py_here(monkeypatch)
    yield fake
    await fake.stop()


@dataclass
class World:
    """A small server: an owner with every permission, two members, a manager role and a channel."""

    double: DiscordDouble
    guild: Guild
    owner: User
    alice: User
    bob: User
    manager_role: Role
    general: Channel
    other_guild: Guild
    other_channel: Channel
    stranger: User


@pytest.fixture
def world(double: DiscordDouble) -> World:
    owner = double.create_user("olivia")
    alice = double.create_user("alice")
    bob = double.create_user("bob")
    stranger = double.create_user("sam")
    guild = double.create_guild("Team", owner=owner)
    manager_role = double.create_role(guild, "Managers", permissions=0)
    double.add_member(guild, alice)
    double.add_member(guild, bob)
    general = double.create_channel(guild, "general")
    other_guild = double.create_guild("Elsewhere", owner=stranger)
    other_channel = double.create_channel(other_guild, "lobby")
    return World(double, guild, owner, alice, bob, manager_role, general, other_guild, other_channel, stranger)


class BotRunner:
    """Starts the real Rapport against the double; a crash of the bot task fails the test."""

    def __init__(self, double: DiscordDouble, db_path: str | Path, clock: FakeClock) -> None:
        self.double = double
        #: A SQLite path, or a PostgreSQL URL (see ``tests.support.databases``).
        self.db_path = db_path
        self.clock = clock
        self.bot: Rapport | None = None
        self.task: asyncio.Task[None] | None = None

    def settings(self) -> Settings:
        if isinstance(self.db_path, Path):
            return Settings(token=Secret(self.double.token), database_path=self.db_path, default_timezone="UTC")
        return Settings(token=Secret(self.double.token), database_url=Secret(self.db_path), default_timezone="UTC")

    async def start(self, **overrides: object) -> Rapport:
        bot = Rapport(
            self.settings(),
            clock=self.clock,
            realtime_jobs=False,
            guild_ready_timeout=0.05,
            **{"extensions": feature_extensions(), **overrides},  # type: ignore[arg-type]
        )

        async def no_wait(shard_id: int | None, *, initial: bool = False) -> None:
            return None

        bot.before_identify_hook = no_wait  # type: ignore[method-assign]
        self.bot = bot
        self.task = asyncio.create_task(bot.start(self.double.token), name="rapport-under-test")
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, self.task}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
        if self.task in done:
            ready.cancel()
            self.task.result()
            raise AssertionError("the bot stopped before it was ready")
        if ready not in done:
            ready.cancel()
            raise AssertionError("the bot did not become ready within 15 s")
        return bot

    def check_alive(self) -> None:
        if self.task is not None and self.task.done() and not self.task.cancelled():
            error = self.task.exception()
            if error is not None:
                raise AssertionError(f"the bot task died: {error!r}") from error

    async def stop(self) -> None:
        if self.bot is None or self.task is None:
            return
        self.check_alive()
        await self.bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self.task, timeout=10)
        self.bot = None
        self.task = None

    async def restart(self) -> Rapport:
        await self.stop()
        return await self.start()


@pytest.fixture
async def runner(double: DiscordDouble, databases: TestDatabases, clock: FakeClock) -> AsyncIterator[BotRunner]:
    bot_runner = BotRunner(double, databases.target("rapport", migrated=True), clock)
    yield bot_runner
    await bot_runner.stop()


@pytest.fixture
async def rapport(runner: BotRunner, world: World) -> Rapport:
    """The real bot, with every cog, connected to the double and ready."""
    return await runner.start()
