"""Waiting for the double's state to change, without sleeping.

Every change in the double (a request logged, a message created or edited, a gateway frame
received, an interaction answered) calls ``Notifier.changed()``. Waiters re-evaluate their check
after each change (and every 20 ms, for conditions on client-side state). A waiter also fails
fast when a watched client task dies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from .errors import ClientDiedError

T = TypeVar("T")

POLL_INTERVAL = 0.02


class Notifier:
    def __init__(self) -> None:
        self._event = asyncio.Event()
        self._watched: list[asyncio.Task[object]] = []

    def changed(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    def watch(self, task: asyncio.Task[object]) -> None:
        self._watched.append(task)
        task.add_done_callback(lambda _t: self.changed())

    def unwatch(self, task: asyncio.Task[object]) -> None:
        if task in self._watched:
            self._watched.remove(task)

    def check_watched(self) -> None:
        for task in self._watched:
            if task.done() and not task.cancelled() and task.exception() is not None:
                exc = task.exception()
                raise ClientDiedError(f"the discord.py client task died: {exc!r}") from exc

    async def wait_for(
        self,
        check: Callable[[], T | None],
        timeout: float,  # noqa: ASYNC109 - a deadline over state changes, not an I/O timeout
        describe: Callable[[], str],
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result is not None and result is not False:
                return result
            self.check_watched()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(describe())
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), min(remaining, POLL_INTERVAL))
            except TimeoutError:
                continue
