"""``DiscordDouble``: the public test API (world building and actors come from the mixins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yarl

from .actors import Actors
from .gateway import DispatchRecord, GatewayRecord
from .interactions import InteractionRecord
from .models import Channel, Message, User
from .ratelimit import Fault, RoutePattern
from .rest import RequestRecord


class DiscordDouble(Actors):
    """An in-memory Discord serving REST (``/api/v10``) and the gateway on 127.0.0.1.

    Typical use::

        double = DiscordDouble()
        await double.start()
        double.point_discord_py_here(monkeypatch)
        alice = double.create_user("alice")
        guild = double.create_guild("Team", owner=alice)
        channel = double.create_channel(guild, "general")
    """

    def point_discord_py_here(self, monkeypatch: Any) -> None:
        """Redirects discord.py's REST base and default gateway (restored by ``monkeypatch``)."""
        import discord.gateway
        import discord.http

        if not self.port:
            raise RuntimeError("start() the double before pointing discord.py at it")
        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url))

    async def __aenter__(self) -> DiscordDouble:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # queries ------------------------------------------------------------------------------------
    def messages(
        self, channel: Channel, *, include_ephemeral: bool = False, include_deleted: bool = False
    ) -> list[Message]:
        """Messages of a channel/thread/DM in creation order (as Discord stores them: no ephemeral
        or deleted ones unless asked)."""
        return [
            m
            for m in self.world.messages_by_channel[channel.id]
            if (include_ephemeral or not m.ephemeral) and (include_deleted or not m.deleted)
        ]

    def dm_messages(self, user: User) -> list[Message]:
        """Messages the bot sent to ``user``'s DM channel."""
        channel = self.world.dm_by_user.get(user.id)
        if channel is None:
            return []
        return [m for m in self.messages(channel) if m.author_id == self.world.bot_user.id]

    def threads(self, channel: Channel) -> list[Channel]:
        """Live threads whose parent is ``channel``, in creation order."""
        return self.world.threads_of(channel)

    def channel(self, channel_id: int) -> Channel:
        return self.world.channels[channel_id]

    def message(self, message_id: int) -> Message:
        return self.world.messages[message_id]

    def commands(self, guild: Any = None) -> list[Any]:
        """Registered commands of a scope (``None`` = global)."""
        return list(self.world.registered(None if guild is None else guild.id))

    @property
    def gateway_received(self) -> list[GatewayRecord]:
        return self.gateway.received

    @property
    def dispatched(self) -> list[DispatchRecord]:
        return self.gateway.dispatched

    @property
    def connected(self) -> bool:
        return self.gateway.connected

    # waiting ------------------------------------------------------------------------------------
    async def wait_for_message(
        self,
        pred: Callable[[Message], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline over the double's state, not an I/O timeout
    ) -> Message:
        """Waits until a message (existing or future, also re-checked after edits) matches ``pred``.
        Ephemeral messages are included; deleted ones are not."""

        def check() -> Message | None:
            for message in self.world.messages.values():
                if not message.deleted and pred(message):
                    return message
            return None

        def describe() -> str:
            recent = [m for m in self.world.messages.values() if not m.deleted][-8:]
            return f"no message matched within {timeout}s; latest messages: {recent}"

        return await self.notifier.wait_for(check, timeout, describe)

    async def wait_request(
        self,
        pred: Callable[[RequestRecord], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline over the double's state, not an I/O timeout
        *,
        new_only: bool = False,
    ) -> RequestRecord:
        """Waits for a REST request (already logged, or future; ``new_only`` skips the past)."""
        start = len(self.requests) if new_only else 0

        def check() -> RequestRecord | None:
            return next((r for r in self.requests[start:] if pred(r)), None)

        def describe() -> str:
            recent = [f"{r.method} {r.path} -> {r.status}" for r in self.requests[-8:]]
            return f"no request matched within {timeout}s; latest requests: {recent}"

        return await self.notifier.wait_for(check, timeout, describe)

    async def wait_gateway(
        self,
        pred: Callable[[GatewayRecord], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline over the double's state, not an I/O timeout
        *,
        new_only: bool = False,
    ) -> GatewayRecord:
        """Waits for a frame received from the client (``op``, ``d``)."""
        start = len(self.gateway.received) if new_only else 0

        def check() -> GatewayRecord | None:
            return next((r for r in self.gateway.received[start:] if pred(r)), None)

        def describe() -> str:
            recent = [(r.op, str(r.d)[:60]) for r in self.gateway.received[-8:]]
            return f"no gateway frame matched within {timeout}s; latest frames: {recent}"

        return await self.notifier.wait_for(check, timeout, describe)

    async def wait_until(
        self,
        condition: Callable[[], Any],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline over the double's state, not an I/O timeout
        message: str = "",
    ) -> Any:
        """Waits until ``condition()`` is truthy (checked on every change and every 20 ms)."""
        return await self.notifier.wait_for(
            lambda: condition() or None, timeout, lambda: message or f"condition not met within {timeout}s"
        )

    def watch_client_task(self, task: Any) -> None:
        """Make every wait fail fast if this client task dies with an exception."""
        self.notifier.watch(task)

    def unwatch_client_task(self, task: Any) -> None:
        self.notifier.unwatch(task)

    def interaction(self, interaction_id: int) -> InteractionRecord:
        return self.interactions[interaction_id]

    # clock --------------------------------------------------------------------------------------
    def advance_clock(self, seconds: float) -> None:
        """Moves Discord's clock (interaction deadlines, token lifetime, nonce memory) forward."""
        self.clock.advance(seconds)

    # faults -------------------------------------------------------------------------------------
    def rate_limit(
        self,
        route_pattern: str | None = None,
        *,
        retry_after: float = 0.5,
        global_: bool = False,
        count: int = 1,
        via: bool = True,
    ) -> None:
        """The next ``count`` matching requests get a 429 (``global_`` for a global one; ``via=False``
        for a Cloudflare-style 429 discord.py does not retry)."""
        pattern = None if route_pattern is None else RoutePattern.parse(route_pattern)
        self.faults.add(Fault(pattern, count, 429, retry_after=retry_after, global_=global_, via=via))

    def fail_next(self, route_pattern: str, status: int = 500, count: int = 1, *, after: int = 0) -> None:
        """The next ``count`` matching requests (after ``after`` that pass) get ``status`` with a JSON error body."""
        self.faults.add(Fault(RoutePattern.parse(route_pattern), count, status, after=after))

    def fail_after(self, route_pattern: str, status: int = 502, count: int = 1, *, drop: bool = False) -> None:
        """The next ``count`` matching requests are carried out (a message is created) but the client gets
        ``status`` instead of the answer, or with ``drop`` no answer at all (the connection is cut)."""
        self.faults.add(Fault(RoutePattern.parse(route_pattern), count, status, after_work=True, drop=drop))

    def drop_next(self, route_pattern: str, count: int = 1) -> None:
        """The next ``count`` matching requests are not carried out and the connection is cut unanswered."""
        self.faults.add(Fault(RoutePattern.parse(route_pattern), count, 0, drop=True))

    def bucket_limit(self, route_pattern: str | None, limit: int, per: float = 1.0) -> None:
        """Sets a bucket's size (``None`` = the default for every route; default 50 per 1 s)."""
        if route_pattern is None:
            self.buckets.default = (limit, per)
        else:
            self.buckets.overrides.insert(0, (RoutePattern.parse(route_pattern), limit, per))

    @property
    def global_limit_per_second(self) -> int | None:
        return self.global_limiter.per_second

    @global_limit_per_second.setter
    def global_limit_per_second(self, value: int | None) -> None:
        self.global_limiter.per_second = value

    # gateway faults -----------------------------------------------------------------------------
    async def close_gateway(self, code: int = 4000) -> None:
        """Closes the client's socket with ``code`` (4000: the client RESUMEs)."""
        await self.gateway.close(code)

    async def abort_gateway(self) -> None:
        """Drops the TCP connection without a close frame."""
        self.gateway.abort()

    async def send_reconnect(self) -> None:
        """Sends op 7 RECONNECT."""
        self.gateway.send_op(7, None)

    async def invalidate_session(self, resumable: bool) -> None:
        """Sends op 9 INVALID_SESSION (``resumable=False`` ends the session: re-IDENTIFY)."""
        self.gateway.invalidate(resumable)

    async def request_heartbeat(self) -> None:
        """Sends op 1: the client must heartbeat immediately."""
        self.gateway.send_op(1, None)
