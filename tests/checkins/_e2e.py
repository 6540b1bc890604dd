"""Helpers for the check-in end-to-end tests (through the local Discord double)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from bot.adapter.client import Rapport
from bot.db.database import Database
from tests.double import DiscordDouble
from tests.double.commands import OptionBuilder
from tests.double.interactions import APPLICATION_COMMAND
from tests.double.models import iter_components

T = TypeVar("T")


async def run_command(double: DiscordDouble, user: Any, channel: Any, command: str, options: dict[str, Any]) -> Any:
    """Like ``tests.e2e.helpers.slash``, for commands with options called ``name`` or ``channel``.

    ``DiscordDouble.slash(user, channel, name, **options)`` cannot receive options with those names (they
    collide with its own parameters), so this builds the same interaction through the double's builder.
    """
    parts = command.split()
    registered = double._command(user, channel, parts[0], 1)
    builder = OptionBuilder(double.world, double._guild_of(channel), channel, user)
    invocation = builder.build(registered, parts[1:], options)
    data = double._command_data(registered)
    if invocation.options:
        data["options"] = invocation.options
    if invocation.resolved:
        data["resolved"] = invocation.resolved
    record = double._new_interaction(APPLICATION_COMMAND, user, channel, data, f"/{command}", command=registered)
    await record.wait_response(timeout=10)
    return record


async def create(double: DiscordDouble, user: Any, where: Any, /, **options: Any) -> Any:
    """``/checkin create`` typed in ``where``; the check-in's channel defaults to ``where`` too."""
    options.setdefault("name", "Stand-up")
    options.setdefault("channel", where)
    options.setdefault("schedule", "daily 15:00")
    return await run_command(double, user, where, "checkin create", options)


async def advance(bot: Rapport, delta: timedelta) -> None:
    """Move the test clock forward, running every check-in job that falls due on the way."""
    await bot.jobs.advance(delta)


def custom_ids(message: Any) -> list[str]:
    return [c["custom_id"] for c in iter_components(message.components) if "custom_id" in c]


def prompts(double: DiscordDouble, channel: Any) -> list[Any]:
    """The bot's check-in prompts in a channel."""
    bot_id = double.world.bot_user.id
    return [
        m for m in double.messages(channel)
        if m.author_id == bot_id and any(cid.endswith(":answer") for cid in custom_ids(m))
    ]


def button(message: Any, suffix: str) -> str:
    return next(cid for cid in custom_ids(message) if cid.endswith(suffix))


async def eventually(check: Callable[[], Awaitable[T]], within: float = 5.0) -> T:
    """Poll ``check`` until it returns something truthy (for effects of gateway events)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def answer_by_form(double: DiscordDouble, user: Any, message: Any, values: dict[str, Any]) -> Any:
    opened = await double.click(user, message, button(message, ":answer"))
    await opened.wait_response()
    assert opened.modal is not None, opened
    submitted = await double.submit_modal(user, opened, values)
    await submitted.wait_response()
    return submitted


async def counts(db: Database) -> dict[str, int]:
    tables = ("checkins", "checkin_runs", "checkin_answers", "checkin_reminders")
    return {t: int(await db.fetchval(f"SELECT count(*) FROM {t}")) for t in tables}
