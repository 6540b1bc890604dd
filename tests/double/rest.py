"""The REST side: a small router over ``/api/v10``, request logging, auth, faults, rate limits.

Handlers live in ``rest_*.py`` modules and are plain ``async def handler(core, ctx)`` functions
that return the JSON body (``None`` for 204) or raise ``ApiError``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import ApiError
from .messaging import UploadedFile
from .ratelimit import too_many_requests

if TYPE_CHECKING:
    from .core import DoubleCore

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
DROP = -1  # a status meaning: cut the connection without answering
JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class RequestRecord:
    """One REST request as the double saw it."""

    method: str
    path: str
    route: str
    query: dict[str, str]
    json: Any
    status: int
    at: float
    files: tuple[UploadedFile, ...] = ()
    response: Any = None
    authorized: bool = True

    @property
    def key(self) -> str:
        return f"{self.method} {self.route}"


@dataclass
class RequestContext:
    method: str
    path: str
    template: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    request: web.Request

    def body(self) -> dict[str, Any]:
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                errors={
                    "_errors": [{"code": "DICT_TYPE_CONVERT", "message": "Only dictionaries may be used in a DictType"}]
                },
            )
        return self.json


Handler = Callable[["DoubleCore", RequestContext], Awaitable[Any]]


@dataclass
class RouteDef:
    method: str
    template: str
    handler: Handler
    auth: bool = True
    global_limited: bool = True
    segments: tuple[str, ...] = field(default=())

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method != self.method:
            return None
        parts = path.strip("/").split("/")
        if len(parts) != len(self.segments):
            return None
        params = {}
        for seg, part in zip(self.segments, parts, strict=True):
            if seg.startswith("{"):
                if not part:
                    return None
                params[seg[1:-1]] = part
            elif seg != part:
                return None
        return params

    @property
    def literal_count(self) -> int:
        return sum(1 for s in self.segments if not s.startswith("{"))


class RouteTable:
    """Collects handlers with decorators: ``@routes.get("/users/@me")``."""

    def __init__(self) -> None:
        self.routes: list[RouteDef] = []

    def add(
        self, method: str, template: str, *, auth: bool = True, global_limited: bool = True
    ) -> Callable[[Handler], Handler]:
        def decorator(handler: Handler) -> Handler:
            self.routes.append(
                RouteDef(method, template, handler, auth, global_limited, tuple(template.strip("/").split("/")))
            )
            return handler

        return decorator

    def get(self, template: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.add("GET", template, **kw)

    def post(self, template: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.add("POST", template, **kw)

    def put(self, template: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.add("PUT", template, **kw)

    def patch(self, template: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.add("PATCH", template, **kw)

    def delete(self, template: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.add("DELETE", template, **kw)


class Router:
    def __init__(self, tables: list[RouteTable]) -> None:
        routes = [r for t in tables for r in t.routes]
        # Literal segments win over placeholders (/users/@me before /users/{user_id}).
        self.routes = sorted(routes, key=lambda r: -r.literal_count)

    def match(self, method: str, path: str) -> tuple[RouteDef, dict[str, str]] | None:
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        return None


def _major(template: str, params: dict[str, str]) -> str:
    for key in ("channel_id", "guild_id"):
        if "{" + key + "}" in template:
            return params.get(key, "")
    if template.startswith(("/webhooks/", "/interactions/")):
        parts = [
            v for k, v in params.items() if k in ("webhook_id", "webhook_token", "interaction_id", "interaction_token")
        ]
        return ":".join(parts)
    return ""


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    all_headers = dict(JSON_HEADERS)
    all_headers.update(headers or {})
    return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)


class RestApi:
    def __init__(self, core: DoubleCore, tables: list[RouteTable]) -> None:
        self.core = core
        self.router = Router(tables)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        core = self.core
        method = request.method
        path = "/" + request.match_info.get("tail", "")
        at = core.clock.monotonic()
        query = {k: v for k, v in request.query.items()}
        matched = self.router.match(method, path)
        if matched is None:
            body = await request.read()
            core.unknown_routes.append(f"{method} {path}")
            core.stats["unknown_routes"] += 1
            log.error("DISCORD DOUBLE: no route for %s %s%s (returning 404 code 0)", method, API_PREFIX, path)
            parsed = _try_json(body)
            self._record(RequestRecord(method, path, "?", query, parsed, 404, at))
            return json_response(404, {"message": "404: Not Found", "code": 0})
        route, params = matched
        try:
            payload, files = await _read_body(request)
        except ApiError as exc:
            self._record(RequestRecord(method, path, route.template, query, None, exc.status, at))
            return json_response(exc.status, exc.body(), exc.headers)
        authorized = request.headers.get("Authorization") == f"Bot {core.token}"
        ctx = RequestContext(method, path, route.template, params, query, payload, files, request)
        status, body, headers = await self._run(route, ctx, authorized)
        if status == DROP:
            dropped = RequestRecord(method, path, route.template, query, payload, 0, at, tuple(files), None, authorized)
            self._record(dropped)
            if request.transport is not None:
                request.transport.abort()  # no response at all: the client sees the connection drop
            return web.Response(status=204)
        self._record(
            RequestRecord(method, path, route.template, query, payload, status, at, tuple(files), body, authorized)
        )
        if status == 204 or body is None:
            return web.Response(status=204, headers=headers)
        return json_response(status, body, headers)

    async def _run(self, route: RouteDef, ctx: RequestContext, authorized: bool) -> tuple[int, Any, dict[str, str]]:
        core = self.core
        core.stats["requests"] += 1
        if route.auth and not authorized:
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        fault = core.faults.take(ctx.method, route.template, ctx.path)
        if fault is not None and (fault.after_work or fault.drop):
            if fault.after_work:
                try:
                    await route.handler(core, ctx)
                except ApiError:
                    pass
            if fault.drop:
                return DROP, None, {}
            return fault.status, {"message": f"{fault.status}: injected by the Discord double", "code": 0}, {}
        if fault is not None:
            if fault.status == 429:
                core.stats["429"] += 1
                err = too_many_requests(fault.retry_after, global_=fault.global_, via=fault.via)
                return 429, err.body(), err.headers
            return fault.status, {"message": f"{fault.status}: injected by the Discord double", "code": 0}, {}
        if route.global_limited and route.auth:
            retry = core.global_limiter.check()
            if retry is not None:
                core.stats["429"] += 1
                err = too_many_requests(retry, global_=True, via=True)
                return 429, err.body(), err.headers
        headers, retry = core.buckets.hit(ctx.method, route.template, ctx.path, _major(route.template, ctx.params))
        if retry is not None:
            core.stats["429"] += 1
            err = too_many_requests(retry, global_=False, via=True, scope="user")
            err.headers.update(headers)
            return 429, err.body(), err.headers
        try:
            result = await route.handler(core, ctx)
        except ApiError as exc:
            merged = dict(headers)
            merged.update(exc.headers)
            return exc.status, exc.body(), merged
        if result is None:
            return 204, None, headers
        return 200, result, headers

    def _record(self, record: RequestRecord) -> None:
        self.core.requests.append(record)
        self.core.notifier.changed()


def _try_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    if not request.can_read_body:
        return None, []
    ctype = request.content_type
    if ctype == "multipart/form-data":
        payload: Any = None
        files: list[UploadedFile] = []
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            name = part.name or ""
            data = await part.read()  # type: ignore[union-attr]
            if name == "payload_json":
                payload = _parse_json(bytes(data))
            elif name.startswith("files[") and name.endswith("]"):
                index = int(name[6:-1])
                files.append(
                    UploadedFile(index, part.filename or f"file{index}", bytes(data), part.headers.get("Content-Type"))
                )  # type: ignore[union-attr]
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    if ctype != "application/json":
        raise ApiError(
            400,
            50035,
            "Invalid Form Body",
            errors={
                "_errors": [
                    {
                        "code": "CONTENT_TYPE_INVALID",
                        "message": f"Expected Content-Type application/json, got {ctype!r}.",
                    }
                ]
            },
        )
    return _parse_json(raw), []


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, 50109, "The request body contains invalid JSON.") from None
