"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, op 7/9, member
chunks, intent-aware dispatch and sharding.

Sharding follows Discord: a session that IDENTIFYs with ``shard: [id, count]`` receives only the
events of guilds with ``(guild_id >> 22) % count == id``; events without a guild (DMs, their
buttons and forms) go to shard 0 only. An IDENTIFY whose shard id is out of range, or whose count
differs from the other connected sessions', is closed with 4010 Invalid shard. With
``core.enforce_identify_concurrency`` on, each rate-limit bucket (``shard_id % max_concurrency``)
may IDENTIFY once per 5 s; a faster IDENTIFY gets op 9 INVALID_SESSION (``d: false``), as Discord
documents for IDENTIFYs over the limit.

Every dispatch goes to each live session's log first (with its own sequence number) and is then
sent if that session has a socket; a RESUME replays the log after the client's last sequence, so
events dispatched while the client was disconnected are not lost, exactly like Discord.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import payloads

if TYPE_CHECKING:
    from .core import DoubleCore

log = logging.getLogger(__name__)

# Gateway intents
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MODERATION = 1 << 2
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
GUILD_MESSAGE_TYPING = 1 << 11
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
DIRECT_MESSAGE_TYPING = 1 << 14
MESSAGE_CONTENT = 1 << 15
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
ALL_INTENTS = (1 << 26) - 1

# Opcodes
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11

#: Seconds in which each IDENTIFY bucket may start one session (Discord: max_concurrency per 5 s).
IDENTIFY_WINDOW = 5.0

# Events whose own ``id`` is the guild's id (the rest carry ``guild_id`` when they belong to a guild).
_GUILD_ID_IS_ID = {"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"}

# Events that are never replayed by a RESUME (they describe the connection itself).
_NOT_REPLAYED = {"READY", "RESUMED"}


@dataclass(frozen=True)
class GatewayRecord:
    """A frame received from the client."""

    op: int
    d: Any
    at: float
    session_id: str | None = None


@dataclass(frozen=True)
class DispatchRecord:
    """A dispatch the double sent (or buffered) for a session."""

    t: str
    s: int
    d: Any
    session_id: str
    at: float


@dataclass(eq=False)
class Session:
    id: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    log: list[tuple[int, str, Any]] = field(default_factory=list)
    conn: Connection | None = None
    invalid: bool = False

    @property
    def shard_id(self) -> int:
        return 0 if self.shard is None else self.shard[0]

    @property
    def shard_count(self) -> int:
        return 1 if self.shard is None else self.shard[1]

    def receives_guild(self, guild_id: int) -> bool:
        """Whether Discord routes this guild's events to this session."""
        return shard_of(guild_id, self.shard_count) == self.shard_id


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord routes a guild to: ``(guild_id >> 22) % shard_count``."""
    return (guild_id >> 22) % shard_count


def event_guild_id(t: str, d: Any) -> int | None:
    """The guild an event belongs to, or ``None`` (DMs and other guild-less events: shard 0)."""
    if not isinstance(d, dict):
        return None
    raw = d.get("id") if t in _GUILD_ID_IS_ID else d.get("guild_id")
    if raw in (None, "None"):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


class Connection:
    def __init__(self, ws: web.WebSocketResponse, request: web.Request) -> None:
        self.ws = ws
        self.request = request
        self.session: Session | None = None
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write(), name="discord-double-gateway-writer")
        self.closing = False
        self.closed_by_server = False

    def send(self, payload: dict[str, Any]) -> None:
        if not self.closing:
            self.queue.put_nowait(json.dumps(payload, separators=(",", ":")))

    async def _write(self) -> None:
        while True:
            item = await self.queue.get()
            if item is None or self.ws.closed:
                return
            try:
                await self.ws.send_str(item)
            except (ConnectionError, RuntimeError):
                return

    async def close(self, code: int, message: bytes = b"") -> None:
        if self.closing:
            return
        self.closing = True
        self.closed_by_server = True
        self.queue.put_nowait(None)
        await self._flush()
        await self.ws.close(code=code, message=message)

    async def _flush(self) -> None:
        try:
            await asyncio.wait_for(asyncio.shield(self.writer), 1.0)
        except TimeoutError:
            self.writer.cancel()

    def abort(self) -> None:
        self.closing = True
        self.closed_by_server = True
        self.writer.cancel()
        transport = self.request.transport
        if transport is not None:
            transport.abort()


class Gateway:
    def __init__(self, core: DoubleCore) -> None:
        self.core = core
        self.sessions: dict[str, Session] = {}
        self.connections: list[Connection] = []
        self.received: list[GatewayRecord] = []
        self.dispatched: list[DispatchRecord] = []
        self._background: set[asyncio.Task[None]] = set()
        #: (bucket, real monotonic time) of each accepted IDENTIFY, for the concurrency limit.
        self.identifies: list[tuple[int, float]] = []
        self.identify_rejections = 0

    # dispatch --------------------------------------------------------------------------------
    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if not s.invalid]

    def dispatch(
        self,
        t: str,
        d: Any,
        *,
        intent: int | None = None,
        transform: Callable[[Session, Any], Any] | None = None,
    ) -> None:
        """Sends an event to every live session whose intents and shard allow it (buffered when offline)."""
        guild_id = event_guild_id(t, d)
        for session in self.live_sessions():
            if intent is not None and not session.intents & intent:
                continue
            if not self.routes_to(session, guild_id):
                continue
            data = transform(session, d) if transform is not None else d
            if data is None:
                continue
            self._send_dispatch(session, t, data)

    @staticmethod
    def routes_to(session: Session, guild_id: int | None) -> bool:
        """Whether an event of ``guild_id`` (``None``: no guild) reaches ``session``."""
        if guild_id is None:
            return session.shard_id == 0
        return session.receives_guild(guild_id)

    def sessions_of_shard(self, shard_id: int) -> list[Session]:
        """Live sessions that identified as ``shard_id`` (unsharded sessions count as shard 0)."""
        return [s for s in self.live_sessions() if s.shard_id == shard_id]

    def _send_dispatch(self, session: Session, t: str, d: Any) -> None:
        session.seq += 1
        if t not in _NOT_REPLAYED:
            session.log.append((session.seq, t, d))
        self.dispatched.append(DispatchRecord(t, session.seq, d, session.id, self.core.clock.monotonic()))
        if session.conn is not None:
            session.conn.send({"op": DISPATCH, "t": t, "s": session.seq, "d": d})
        self.core.notifier.changed()

    # websocket handler -----------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(ws, request)
        self.connections.append(conn)
        try:
            if request.query.get("v", "10") != "10":
                await conn.close(4012, b"Invalid API version")
                return ws
            if request.query.get("encoding", "json") != "json":
                await conn.close(4002, b"Decode error")
                return ws
            conn.send({"op": HELLO, "d": {"heartbeat_interval": self.core.heartbeat_interval_ms}, "s": None, "t": None})
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_frame(conn, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await conn.close(4002, b"Decode error")
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self._detach(conn)
        return ws

    def _detach(self, conn: Connection) -> None:
        conn.closing = True
        conn.queue.put_nowait(None)
        if conn in self.connections:
            self.connections.remove(conn)
        session = conn.session
        if session is not None and session.conn is conn:
            session.conn = None
            # A client that closes with 1000/1001 ends its session (it goes offline).
            if not conn.closed_by_server and conn.ws.close_code in (1000, 1001):
                session.invalid = True
        self.core.notifier.changed()

    async def _on_frame(self, conn: Connection, raw: str) -> None:
        try:
            frame = json.loads(raw)
            op = frame["op"]
        except (ValueError, KeyError, TypeError):
            await conn.close(4002, b"Decode error")
            return
        d = frame.get("d")
        session_id = conn.session.id if conn.session else None
        self.received.append(GatewayRecord(op, d, self.core.clock.monotonic(), session_id))
        self.core.notifier.changed()
        if op == HEARTBEAT:
            if self.core.ack_heartbeats:
                conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(conn, d)
        elif op == RESUME:
            await self._resume(conn, d)
        elif conn.session is None:
            await conn.close(4003, b"Not authenticated")
        elif op == REQUEST_GUILD_MEMBERS:
            self._request_members(conn.session, d)
        elif op in (PRESENCE_UPDATE, VOICE_STATE_UPDATE):
            pass
        else:
            await conn.close(4001, b"Unknown opcode")

    async def _identify(self, conn: Connection, d: Any) -> None:
        if conn.session is not None:
            await conn.close(4005, b"Already authenticated")
            return
        if not isinstance(d, dict) or d.get("token") != self.core.token:
            await conn.close(4004, b"Authentication failed")
            return
        intents = d.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents > ALL_INTENTS:
            await conn.close(4013, b"Invalid intent(s)")
            return
        if intents & PRIVILEGED & ~self.core.privileged_intents:
            await conn.close(4014, b"Disallowed intent(s)")
            return
        shard = self._valid_shard(d.get("shard"))
        if shard is False:
            await conn.close(4010, b"Invalid shard")
            return
        if not self._identify_allowed(shard):
            conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        session = Session(id=secrets.token_hex(16), intents=intents, shard=shard)
        self.sessions[session.id] = session
        conn.session = session
        session.conn = conn
        world = self.core.world
        guilds = [g for g in world.bot_guilds() if session.receives_guild(g.id)]
        ready = {
            "v": 10,
            "user": payloads.current_user(world.bot_user),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "resume_gateway_url": self.core.gateway_url,
            "session_type": "normal",
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "user_settings": {},
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "application": {"id": str(world.application_id), "flags": world.application_flags},
            "auth": {},
        }
        if session.shard is not None:
            ready["shard"] = session.shard
        self._send_dispatch(session, "READY", ready)
        if intents & GUILDS:
            for guild in guilds:
                self._send_dispatch(session, "GUILD_CREATE", self.guild_create_for(session, guild))

    def _valid_shard(self, raw: Any) -> list[int] | bool | None:
        """The IDENTIFY's ``shard`` as ``[id, count]``, ``None`` when absent, ``False`` when Discord
        would close with 4010: malformed, id out of range, or a count other than the connected
        sessions' (an unsharded session counts as ``[0, 1]``)."""
        if raw is None:
            shard = None
            count = 1
        else:
            if (
                not isinstance(raw, list)
                or len(raw) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
            ):
                return False
            shard_id, count = raw
            if count < 1 or not 0 <= shard_id < count:
                return False
            shard = [shard_id, count]
        for other in self.live_sessions():
            if other.conn is not None and other.shard_count != count:
                return False
        return shard

    def _identify_allowed(self, shard: list[int] | None) -> bool:
        """One IDENTIFY per bucket (``shard_id % max_concurrency``) per 5 s, when enforced."""
        bucket = (0 if shard is None else shard[0]) % max(1, self.core.max_concurrency)
        now = time.monotonic()
        if self.core.enforce_identify_concurrency:
            recent = [at for b, at in self.identifies if b == bucket and at > now - IDENTIFY_WINDOW]
            if recent:
                self.identify_rejections += 1
                self.core.stats["identify_rejected"] += 1
                log.warning("Discord double: IDENTIFY of bucket %d within %ss of the last one", bucket, IDENTIFY_WINDOW)
                return False
        self.identifies.append((bucket, now))
        self.core.session_starts_remaining -= 1
        return True

    def guild_create_for(self, session: Session, guild: Any) -> dict[str, Any]:
        # Without the presences intent Discord only lists the bot itself (and voice members);
        # the client must chunk (op 8) to learn the other members.
        all_members = bool(session.intents & GUILD_PRESENCES)
        return payloads.guild_create(self.core.world, guild, all_members=all_members)

    async def _resume(self, conn: Connection, d: Any) -> None:
        session = self.sessions.get(d.get("session_id")) if isinstance(d, dict) else None
        if session is None or session.invalid or d.get("token") != self.core.token:
            conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        old = session.conn
        if old is not None and old is not conn:
            old.session = None
            task = asyncio.create_task(old.close(4000, b"Session resumed elsewhere"))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        conn.session = session
        session.conn = conn
        last = d.get("seq") or 0
        for seq, t, data in session.log:
            if seq > last:
                conn.send({"op": DISPATCH, "t": t, "s": seq, "d": data})
        self._send_dispatch(session, "RESUMED", {})

    def _request_members(self, session: Session, d: Any) -> None:
        world = self.core.world
        try:
            guild = world.guilds[int(d["guild_id"])]
        except (KeyError, ValueError, TypeError):
            return
        if not session.intents & GUILD_MEMBERS:
            log.warning("Discord double: op 8 REQUEST_GUILD_MEMBERS without the GUILD_MEMBERS intent")
        members = list(guild.members.values())
        not_found: list[str] = []
        if d.get("user_ids"):
            wanted = [int(u) for u in (d["user_ids"] if isinstance(d["user_ids"], list) else [d["user_ids"]])]
            members = [guild.members[u] for u in wanted if u in guild.members]
            not_found = [str(u) for u in wanted if u not in guild.members]
        else:
            query = (d.get("query") or "").lower()
            members = [m for m in members if m.user.name.lower().startswith(query)]
            if d.get("limit"):
                members = members[: int(d["limit"])]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [payloads.member(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": not_found,
        }
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        if d.get("presences"):
            chunk["presences"] = []
        self._send_dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    # faults ------------------------------------------------------------------------------------
    def _open_connections(self) -> list[Connection]:
        return [c for c in self.connections if c.session is not None and not c.closing]

    async def close(self, code: int) -> None:
        for conn in self._open_connections():
            session = conn.session
            if session is not None and code in (4007, 4009):
                session.invalid = True
            await conn.close(code, b"closed by the Discord double")

    def abort(self) -> None:
        for conn in self._open_connections():
            conn.abort()

    def send_op(self, op: int, d: Any) -> None:
        for conn in self._open_connections():
            conn.send({"op": op, "d": d, "s": None, "t": None})

    def invalidate(self, resumable: bool) -> None:
        for conn in self._open_connections():
            if not resumable and conn.session is not None:
                conn.session.invalid = True
            conn.send({"op": INVALID_SESSION, "d": resumable, "s": None, "t": None})

    async def shutdown(self) -> None:
        for conn in list(self.connections):
            conn.closing = False
            await conn.close(1001, b"double stopped")

    @property
    def connected(self) -> bool:
        return bool(self._open_connections())
