"""Small end-to-end conveniences for the wins, feedback and digest tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from tests.double import DiscordDouble
from tests.double.commands import OptionBuilder
from tests.double.interactions import APPLICATION_COMMAND


async def eventually(read: Callable[[], Awaitable[Any]], attempts: int = 250) -> Any:
    """Poll until ``read()`` gives something truthy (the bot saves some ids just after replying)."""
    for _ in range(attempts):
        value = await read()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError("nothing appeared in time")


async def slash_options(double: DiscordDouble, user: Any, where: Any, name: str, options: dict[str, Any]) -> Any:
    """``double.slash`` with options as a dict, for options named like its own parameters (``channel``).

    Mirrors ``Actors.slash``; drop it once that method's leading parameters are positional-only.
    """
    parts = name.split()
    command = double._command(user, where, parts[0], 1)
    builder = OptionBuilder(double.world, double._guild_of(where), where, user)
    invocation = builder.build(command, parts[1:], options)
    data = double._command_data(command)
    if invocation.options:
        data["options"] = invocation.options
    if invocation.resolved:
        data["resolved"] = invocation.resolved
    record = double._new_interaction(APPLICATION_COMMAND, user, where, data, f"/{name}", command=command)
    await record.wait_response(timeout=10)
    return record
