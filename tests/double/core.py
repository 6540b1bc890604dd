"""The double's shared core: state, gateway, REST, clock, logs and settings, plus the aiohttp app.

``DiscordDouble`` (server.py) adds the public test API on top of this.
"""

from __future__ import annotations

import logging
import socket
from collections import Counter
from typing import TYPE_CHECKING

from aiohttp import web

from . import gateway as gw
from . import rest_channels, rest_core, rest_interactions
from .clock import Clock, Snowflakes
from .events import Events
from .gateway import Gateway
from .ratelimit import Buckets, Faults, GlobalLimiter
from .rest import API_PREFIX, RequestRecord, RestApi
from .state import World
from .waiting import Notifier

if TYPE_CHECKING:
    from .interactions import InteractionRecord

log = logging.getLogger(__name__)

# Application flags: the "limited" privileged-intent flags of an unverified bot (< 100 guilds).
_FLAG_PRESENCE_LIMITED = 1 << 13
_FLAG_MEMBERS_LIMITED = 1 << 15
_FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19


class DoubleCore:
    def __init__(self) -> None:
        self.clock = Clock()
        self.ids = Snowflakes(self.clock)
        self.notifier = Notifier()
        self.world = World(self.clock, self.ids)
        self.gateway = Gateway(self)
        self.events = Events(self)
        self.rest = RestApi(self, [rest_core.routes, rest_channels.routes, rest_interactions.routes])
        self.faults = Faults()
        self.buckets = Buckets()
        self.global_limiter = GlobalLimiter()

        self.token = "test-token"
        self.ack_heartbeats = True
        self.heartbeat_interval_ms = 41250
        self.interaction_timeout = 3.0
        self.interaction_token_lifetime = 15 * 60.0
        self.nonce_window = 5 * 60.0
        self.attachment_size_limit = 10 * 1024 * 1024
        self._privileged_intents = gw.PRIVILEGED
        #: What ``GET /gateway/bot`` recommends, and its ``session_start_limit``.
        self.shards = 1
        self.max_concurrency = 1
        self.session_starts_total = 1000
        self.session_starts_remaining = 1000
        #: Off by default so single-client tests may re-IDENTIFY at once; multi-process tests turn it on.
        self.enforce_identify_concurrency = False

        self.requests: list[RequestRecord] = []
        self.unknown_routes: list[str] = []
        self.stats: Counter[str] = Counter()
        self.sync_count: Counter[int | None] = Counter()
        self.interactions: dict[int, InteractionRecord] = {}
        self.interactions_by_token: dict[str, InteractionRecord] = {}

        self.port = 0
        self._runner: web.AppRunner | None = None
        self._update_application_flags()

    # settings -----------------------------------------------------------------------------------
    @property
    def privileged_intents(self) -> int:
        """Privileged intents enabled for the app in the developer portal (IDENTIFY beyond -> 4014)."""
        return self._privileged_intents

    @privileged_intents.setter
    def privileged_intents(self, value: int) -> None:
        self._privileged_intents = value & gw.PRIVILEGED
        self._update_application_flags()

    def _update_application_flags(self) -> None:
        flags = 0
        if self._privileged_intents & gw.GUILD_PRESENCES:
            flags |= _FLAG_PRESENCE_LIMITED
        if self._privileged_intents & gw.GUILD_MEMBERS:
            flags |= _FLAG_MEMBERS_LIMITED
        if self._privileged_intents & gw.MESSAGE_CONTENT:
            flags |= _FLAG_MESSAGE_CONTENT_LIMITED
        self.world.application_flags = flags

    # lifecycle ----------------------------------------------------------------------------------
    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self.gateway.handle)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self.rest.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        return app

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("the Discord double is already running")
        runner = web.AppRunner(self._app(), handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner
        self.world.cdn_base = f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self._runner is None:
            return
        await self.gateway.shutdown()
        await self._runner.cleanup()
        self._runner = None

    async def _serve_attachment(self, request: web.Request) -> web.StreamResponse:
        att_id = int(request.match_info["attachment_id"])
        for message in self.world.messages.values():
            for att in message.attachments:
                if att.id == att_id:
                    return web.Response(body=att.data, content_type=att.content_type or "application/octet-stream")
        att = self.world.loose_attachments.get(att_id)
        if att is not None:
            return web.Response(body=att.data, content_type=att.content_type or "application/octet-stream")
        return web.Response(status=404)

    async def _unknown(self, request: web.Request) -> web.StreamResponse:
        self.unknown_routes.append(f"{request.method} {request.path}")
        self.stats["unknown_routes"] += 1
        log.error("DISCORD DOUBLE: request outside the API: %s %s", request.method, request.path)
        return web.Response(
            status=404, body=b'{"message": "404: Not Found", "code": 0}', headers={"Content-Type": "application/json"}
        )
