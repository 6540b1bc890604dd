"""A small OpenAI-compatible chat-completions server on 127.0.0.1, scriptable per test.

    server = FakeOpenAI()
    base_url = await server.start()          # e.g. http://127.0.0.1:40123/v1
    server.answer({"key_points": [...], ...}) # every request gets this JSON as the model's answer
    server.script(Reply.status(500), Reply.answer({...}))  # one reply per request, in order, then the default
    ...
    server.requests                           # what the bot sent: method, path, headers, body

Replies it can give: a JSON answer (a dict, or a function of the request returning one), raw text as the
model's content (malformed JSON), a raw HTTP body that isn't a chat completion, an HTTP error status, and a
delay before any of them (to go past the bot's timeout). Requests are checked the way a real endpoint would:
POST, JSON, a model, a list of messages, ``response_format`` when given must be ``json_object``.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

AnswerFunc = Callable[["RecordedRequest"], dict[str, Any]]


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def text(self) -> str:
        """Everything the model was shown, system prompt included."""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))

    @property
    def conversation(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []) if m.get("role") == "user")

    def message_numbers(self) -> list[int]:
        """The ``[n]`` numbers of the conversation lines in this request."""
        return [int(n) for n in re.findall(r"^\[(\d+)\] ", self.conversation, re.M)]


@dataclass
class Reply:
    kind: str  # "answer", "content", "body", "status"
    value: Any = None
    delay: float = 0.0

    @classmethod
    def answer(cls, answer: dict[str, Any] | AnswerFunc, *, delay: float = 0.0) -> Reply:
        return cls("answer", answer, delay)

    @classmethod
    def content(cls, text: str, *, delay: float = 0.0) -> Reply:
        """The model's message content is exactly ``text`` (use it for malformed JSON)."""
        return cls("content", text, delay)

    @classmethod
    def body(cls, raw: bytes, *, delay: float = 0.0) -> Reply:
        return cls("body", raw, delay)

    @classmethod
    def redirect(cls, location: str) -> Reply:
        """A 307 to ``location`` (which a client must not follow with the key and the conversation)."""
        return cls("redirect", location, 0.0)

    @classmethod
    def status(cls, code: int, *, delay: float = 0.0) -> Reply:
        return cls("status", code, delay)

    @classmethod
    def slow(cls, seconds: float, then: Reply | None = None) -> Reply:
        base = then or cls.answer(empty_answer())
        return cls(base.kind, base.value, seconds)


def empty_answer() -> dict[str, Any]:
    return {"key_points": [], "decisions": [], "action_items": [], "open_questions": []}


def completion(content: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


@dataclass
class FakeOpenAI:
    default: Reply = field(default_factory=lambda: Reply.answer(empty_answer()))
    requests: list[RecordedRequest] = field(default_factory=list)
    _queue: list[Reply] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    base_url: str = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/v1/chat/completions", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = int(self._runner.addresses[0][1])
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- scripting -----------------------------------------------------------------------------------------
    def answer(self, answer: dict[str, Any] | AnswerFunc) -> None:
        """From now on, every request gets this answer (unless a scripted reply comes first)."""
        self.default = Reply.answer(answer)

    def always(self, reply: Reply) -> None:
        self.default = reply

    def script(self, *replies: Reply) -> None:
        """The next requests get these replies, in order; after them the default again."""
        self._queue.extend(replies)

    # -- serving -------------------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.method != "POST":
            return web.json_response({"error": {"message": "method not allowed"}}, status=405)
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.json_response({"error": {"message": "body is not JSON"}}, status=400)
        recorded = RecordedRequest(request.method, request.path, dict(request.headers), body)
        self.requests.append(recorded)
        problem = _invalid(body)
        if problem:
            return web.json_response({"error": {"message": problem, "type": "invalid_request_error"}}, status=400)
        reply = self._queue.pop(0) if self._queue else self.default
        if reply.delay:
            await asyncio.sleep(reply.delay)
        model = str(body["model"])
        if reply.kind == "status":
            return web.json_response({"error": {"message": "scripted failure"}}, status=int(reply.value))
        if reply.kind == "redirect":
            return web.Response(status=307, headers={"Location": str(reply.value)})
        if reply.kind == "body":
            return web.Response(body=reply.value, content_type="application/json")
        if reply.kind == "content":
            return web.json_response(completion(str(reply.value), model))
        answer = reply.value(recorded) if callable(reply.value) else reply.value
        return web.json_response(completion(json.dumps(answer), model))


def _invalid(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "model is required"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages must be a non-empty list"
    for message in messages:
        if not isinstance(message, dict) or message.get("role") not in ("system", "user", "assistant"):
            return "each message needs a role of system, user or assistant"
        if not isinstance(message.get("content"), str):
            return "each message needs string content"
    response_format = body.get("response_format")
    if response_format is not None and response_format != {"type": "json_object"}:
        return "response_format must be {'type': 'json_object'}"
    return None
