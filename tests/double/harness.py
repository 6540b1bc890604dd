"""Running a real discord.py client against the double inside a test.

``running_client`` starts ``client.start(token)`` as a task, waits for READY (and the guild
chunking that follows), fails the test if the client task dies, closes the client at the end, and
then fails the test if the double saw requests for routes it does not implement or discord.py
logged errors (both usually mean a hidden bug).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import discord
import discord.http

from .errors import ClientDiedError
from .server import DiscordDouble

ClientT = TypeVar("ClientT", bound=discord.Client)


def test_intents() -> discord.Intents:
    """``Intents.default()`` plus members and message content (what Rapport asks for)."""
    intents = discord.Intents.default()
    intents.members = True
    intents.message_content = True
    return intents


def client_kwargs(**overrides: Any) -> dict[str, Any]:
    """Constructor arguments for a fast test client: test intents, ``guild_ready_timeout=0.05``."""
    kwargs: dict[str, Any] = {"intents": test_intents(), "guild_ready_timeout": 0.05}
    kwargs.update(overrides)
    return kwargs


async def _no_identify_delay(shard_id: int | None, *, initial: bool = False) -> None:
    """Replaces ``Client.before_identify_hook`` (which sleeps 5 s before every re-IDENTIFY)."""


class _ErrorLogs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def describe(self) -> list[str]:
        out = []
        for r in self.records:
            text = f"[{r.name}] {r.getMessage()}"
            if r.exc_info and r.exc_info[1] is not None:
                text += f" ({r.exc_info[1]!r})"
            out.append(text)
        return out


async def _wait_ready(
    client: discord.Client,
    task: asyncio.Task[None],
    timeout: float,  # noqa: ASYNC109 - a deadline over the double's state, not an I/O timeout
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not client.is_ready():
        if task.done():
            exc = None if task.cancelled() else task.exception()
            raise ClientDiedError(f"the client stopped before READY: {exc!r}") from exc
        if loop.time() > deadline:
            raise TimeoutError(f"the client was not ready after {timeout}s")
        await asyncio.sleep(0.005)


async def _shutdown(client: discord.Client, task: asyncio.Task[None]) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(client.close(), 5.0)
    if not task.done():
        try:
            await asyncio.wait_for(asyncio.shield(task), 5.0)
        except (TimeoutError, Exception):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


@contextlib.asynccontextmanager
async def running_client(
    double: DiscordDouble,
    client: ClientT,
    *,
    monkeypatch: Any = None,
    token: str | None = None,
    ready_timeout: float = 5.0,
    allow_unknown_routes: bool = False,
    fail_on_error_logs: bool = True,
    fast_identify: bool = True,
) -> AsyncIterator[ClientT]:
    """Runs ``client`` against ``double`` for the duration of the block.

    Pass ``monkeypatch`` to point discord.py at the double here (otherwise do it first with
    ``double.point_discord_py_here(monkeypatch)``).
    """
    if monkeypatch is not None:
        double.point_discord_py_here(monkeypatch)
    if double.api_base != discord.http.Route.BASE:
        raise RuntimeError("discord.py is not pointed at this double: call double.point_discord_py_here(monkeypatch)")
    if fast_identify:
        client.before_identify_hook = _no_identify_delay  # type: ignore[method-assign]
    errors = _ErrorLogs()
    discord_logger = logging.getLogger("discord")
    discord_logger.addHandler(errors)
    unknown_before = len(double.unknown_routes)
    task = asyncio.create_task(client.start(token or double.token), name="discord-client-under-test")
    double.watch_client_task(task)
    body_ok = False
    try:
        await _wait_ready(client, task, ready_timeout)
        yield client
        body_ok = True
    finally:
        died = task.done() and not task.cancelled() and task.exception() is not None
        await _shutdown(client, task)
        double.unwatch_client_task(task)
        discord_logger.removeHandler(errors)
    if not body_ok:
        return
    problems = []
    if died:
        problems.append(f"the client task died: {task.exception()!r}")
    unknown = double.unknown_routes[unknown_before:]
    if unknown and not allow_unknown_routes:
        problems.append(f"the double has no route for: {unknown} (implement it in tests/double)")
    if errors.records and fail_on_error_logs:
        problems.append("discord.py logged errors:\n  " + "\n  ".join(errors.describe()))
    if problems:
        raise AssertionError("\n".join(problems))
