"""The optional language-model engine: any OpenAI-compatible chat-completions endpoint.

The model sees the conversation as numbered lines (``[12] Maya (Mon 30 Nov 14:02 UTC): …``) and answers with
one JSON object holding ``key_points``, ``decisions``, ``action_items`` and ``open_questions``. Every item cites
the number of the message it came from; the answer is checked strictly against that shape, and any item citing a
number that was not in its part of the conversation is dropped. Participants are counted here, never asked for.

Long conversations are cut into parts of about :data:`DEFAULT_CHUNK_CHARS` characters, summarised in parallel
and merged: duplicates removed, key points interleaved by the model's ranking and capped at seven.

Every failure (HTTP error, network error, the overall timeout, an answer that isn't JSON or doesn't fit the
shape) raises :class:`LlmError` with a short reason; the caller falls back to the offline engine. The API key
is only ever put in the ``Authorization`` header: it is never logged nor included in an error.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any, Literal

import aiohttp

from bot.summary.models import ActionItem, Bullet, ChatMessage, Participant, Summary
from bot.timeparse.deadlines import DEFAULT_TIME, parse_due
from bot.timezones import get_zone, resolve_local

log = logging.getLogger(__name__)

#: About 6,000 tokens of conversation per request (a token is roughly four characters of English).
DEFAULT_CHUNK_CHARS = 24_000
MAX_KEY_POINTS = 7
#: Upper bound on the other sections after merging, so a runaway answer cannot flood a summary.
MAX_ITEMS_PER_SECTION = 40
MAX_ITEM_CHARS = 400
#: A single message is cut to this many characters before it is sent.
MAX_MESSAGE_CHARS = 2_000

FailureReason = Literal["timeout", "http", "network", "malformed", "schema"]

SYSTEM_PROMPT = """\
You summarise a Discord conversation for the people who took part in it.
Each message is one line: [number] author (time): text. Reply with ONE JSON object and nothing else, with
exactly these four keys, each a list (use [] when there is nothing):

"key_points": at most 7 of the most important points, most important first:
    {"text": "<one sentence>", "source": <message number>}
"decisions": what the group decided: {"text": "<one sentence>", "source": <message number>}
"action_items": what someone will do:
    {"owner": "<the author name of the one person who will do it, or null for the whole group>",
     "what": "<the task, e.g. send the draft>",
     "due": "<the words that said when, e.g. by Friday, or null>",
     "text": "<one sentence about the person, e.g. Maya will send the draft by Friday.>",
     "source": <message number>}
"open_questions": questions nobody answered later in the conversation:
    {"text": "<the question>", "source": <message number>}

Write full sentences in the third person about people ("Maya will send the draft by Friday"), never chat lines.
"source" is the number in square brackets of the message the item comes from; use only numbers that appear
in the conversation. Do not invent anything that was not said."""

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S | re.I)
_PINGS = re.compile(r"@(everyone|here)|<@[!&]?\d+>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")
_GROUP_OWNERS = frozenset({"everyone", "everybody", "the group", "group", "the team", "team", "we", "us", "all"})


class LlmError(Exception):
    """The language model could not give a usable summary; ``reason`` says why, in one word."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason: FailureReason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class LlmConfig:
    base_url: str
    model: str
    api_key: Any = field(default=None, repr=False)  # bot.config.Secret | None; only .reveal() is used
    timeout: float = 20.0
    chunk_chars: int = DEFAULT_CHUNK_CHARS
    max_parallel: int = 3

    @property
    def endpoint(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"


# -- the conversation as the model sees it -----------------------------------------------------------------


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def format_line(number: int, message: ChatMessage) -> str:
    stamp = message.created_at.astimezone(UTC).strftime("%a %d %b %H:%M UTC")
    content = _flat(message.content)
    if len(content) > MAX_MESSAGE_CHARS:
        content = content[: MAX_MESSAGE_CHARS - 1] + "…"
    return f"[{number}] {_flat(message.author_name)} ({stamp}): {content}"


def chunk_lines(messages: Sequence[ChatMessage], budget: int) -> list[list[tuple[int, str]]]:
    """Number the messages 1…n and cut the numbered lines into parts of at most ``budget`` characters."""
    chunks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    size = 0
    for number, message in enumerate(messages, 1):
        line = format_line(number, message)
        if current and size + len(line) + 1 > budget:
            chunks.append(current)
            current, size = [], 0
        current.append((number, line))
        size += len(line) + 1
    if current:
        chunks.append(current)
    return chunks


def participants_of(messages: Sequence[ChatMessage]) -> tuple[Participant, ...]:
    """Who spoke and how often, most messages first (ties: who spoke first)."""
    counts: Counter[int] = Counter()
    names: dict[int, str] = {}
    first: dict[int, int] = {}
    for index, message in enumerate(messages):
        counts[message.author_id] += 1
        names[message.author_id] = message.author_name
        first.setdefault(message.author_id, index)
    ordered = sorted(counts, key=lambda author: (-counts[author], first[author]))
    return tuple(Participant(author, names[author], counts[author]) for author in ordered)


# -- checking the answer ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    text: str
    source: int
    owner: str | None = None
    what: str | None = None
    due: str | None = None


@dataclass(slots=True)
class ChunkAnswer:
    key_points: list[_Item]
    decisions: list[_Item]
    action_items: list[_Item]
    open_questions: list[_Item]


def _text(value: Any, where: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise LlmError("schema", f"{where} must be a string")
    cleaned = _PINGS.sub(lambda m: m.group(0).replace("@", "@\u200b"), _flat(value))
    if len(cleaned) > MAX_ITEM_CHARS:
        cleaned = cleaned[: MAX_ITEM_CHARS - 1].rstrip() + "…"
    return cleaned


def _source(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise LlmError("schema", f"{where}.source must be a message number")
    if isinstance(value, str):
        stripped = value.strip().strip("[]#")
        if not stripped.isdigit():
            raise LlmError("schema", f"{where}.source must be a message number")
        return int(stripped)
    return value


def parse_answer(content: str, known: set[int]) -> ChunkAnswer:
    """Read the model's JSON strictly; items citing message numbers outside ``known`` are dropped."""
    fenced = _FENCE.match(content)
    if fenced:
        content = fenced.group(1)
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, RecursionError):
        raise LlmError("malformed", "the answer is not JSON") from None
    if not isinstance(data, dict):
        raise LlmError("schema", "the answer is not a JSON object")
    sections: dict[str, list[_Item]] = {}
    for key in ("key_points", "decisions", "action_items", "open_questions"):
        raw_items = data.get(key)
        if not isinstance(raw_items, list):
            raise LlmError("schema", f"{key} is missing or not a list")
        items: list[_Item] = []
        for index, raw in enumerate(raw_items[: MAX_ITEMS_PER_SECTION * 2]):
            where = f"{key}[{index}]"
            if not isinstance(raw, dict) or "text" not in raw or "source" not in raw:
                raise LlmError("schema", f"{where} needs text and source")
            text = _text(raw["text"], f"{where}.text")
            source = _source(raw["source"], where)
            item = _Item(text=text or "", source=source)
            if key == "action_items":
                for needed in ("owner", "what", "due"):
                    if needed not in raw:
                        raise LlmError("schema", f"{where} needs {needed}")
                item.owner = _text(raw["owner"], f"{where}.owner", required=False)
                item.what = _text(raw["what"], f"{where}.what")
                item.due = _text(raw["due"], f"{where}.due", required=False)
            if source not in known:
                log.info("dropping a %s item citing message %s, which was not in the conversation", key, source)
                continue
            if item.text:
                items.append(item)
        sections[key] = items
    return ChunkAnswer(**sections)


# -- merging the parts -------------------------------------------------------------------------------------


def _key(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def _is_duplicate(words: frozenset[str], seen: list[frozenset[str]]) -> bool:
    for other in seen:
        if words == other:
            return True
        union = len(words | other)
        if union and len(words & other) / union >= 0.8:
            return True
    return False


def _dedupe(items: Sequence[_Item], limit: int) -> list[_Item]:
    kept: list[_Item] = []
    seen: list[frozenset[str]] = []
    for item in items:
        words = _key(item.text)
        if _is_duplicate(words, seen):
            continue
        seen.append(words)
        kept.append(item)
        if len(kept) >= limit:
            break
    return kept


def _interleave(lists: Sequence[Sequence[_Item]]) -> list[_Item]:
    """Rank 1 of every part, then rank 2 of every part, and so on."""
    out: list[_Item] = []
    depth = max((len(items) for items in lists), default=0)
    for rank in range(depth):
        out.extend(items[rank] for items in lists if rank < len(items))
    return out


def merge_answers(answers: Sequence[ChunkAnswer]) -> ChunkAnswer:
    key_points = sorted(_dedupe(_interleave([a.key_points for a in answers]), MAX_KEY_POINTS), key=lambda i: i.source)

    def joined(section: str) -> list[_Item]:
        items = [item for answer in answers for item in getattr(answer, section)]
        return sorted(_dedupe(items, MAX_ITEMS_PER_SECTION), key=lambda i: i.source)

    return ChunkAnswer(key_points, joined("decisions"), joined("action_items"), joined("open_questions"))


# -- turning the answer into a Summary ---------------------------------------------------------------------


def _resolve_owner(owner: str | None, messages: Sequence[ChatMessage]) -> tuple[int | None, str]:
    if owner is None or not owner.strip():
        return None, "Someone"
    wanted = owner.strip().lstrip("@").lower()
    if wanted in _GROUP_OWNERS:
        return None, "Everyone"
    names: dict[str, set[int]] = {}
    firsts: dict[str, set[int]] = {}
    shown: dict[int, str] = {}
    for message in messages:
        name = message.author_name.strip()
        shown[message.author_id] = name
        names.setdefault(name.lower(), set()).add(message.author_id)
        if name:
            firsts.setdefault(name.split()[0].lower(), set()).add(message.author_id)
    for table in (names, firsts):
        found = table.get(wanted)
        if found is not None and len(found) == 1:
            author = next(iter(found))
            return author, shown[author]
    return None, owner.strip()


def _resolve_due(phrase: str | None, source: ChatMessage) -> datetime | None:
    if not phrase:
        return None
    due = parse_due(phrase, source.created_at, source.tz)
    if due is not None:
        return due.when
    try:
        parsed = datetime.fromisoformat(phrase.strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    wall = parsed if parsed.time() != time(0) or "T" in phrase else datetime.combine(parsed.date(), DEFAULT_TIME)
    return resolve_local(wall, get_zone(source.tz)).astimezone(UTC)


def _finish(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def build_summary(answer: ChunkAnswer, messages: Sequence[ChatMessage], *, excluded_count: int) -> Summary:
    by_number = dict(enumerate(messages, 1))

    def bullet(item: _Item, *, finish: bool = True) -> Bullet:
        source = by_number[item.source]
        return Bullet(_finish(item.text) if finish else item.text, source.id, source.jump_url)

    actions = []
    for item in answer.action_items:
        source = by_number[item.source]
        owner_id, owner_name = _resolve_owner(item.owner, messages)
        actions.append(
            ActionItem(
                owner_id=owner_id,
                owner_name=owner_name,
                what=item.what or item.text,
                due=_resolve_due(item.due, source),
                due_text=item.due or None,
                text=_finish(item.text),
                source_message_id=source.id,
                jump_url=source.jump_url,
            )
        )
    return Summary(
        participants=participants_of(messages),
        key_points=tuple(bullet(i) for i in answer.key_points),
        decisions=tuple(bullet(i) for i in answer.decisions),
        action_items=tuple(actions),
        open_questions=tuple(bullet(i, finish=False) for i in answer.open_questions),
        excluded_count=excluded_count,
        message_count=len(messages),
    )


# -- talking to the endpoint -------------------------------------------------------------------------------


#: The most a chat completion may weigh; a longer answer is refused rather than read into memory.
MAX_RESPONSE_BYTES = 1_000_000


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> bytes:
    if response.content_length is not None and response.content_length > limit:
        raise LlmError("malformed", f"the response is larger than {limit:,} bytes")
    body = bytearray()
    async for piece in response.content.iter_chunked(64 * 1024):
        body += piece
        if len(body) > limit:
            raise LlmError("malformed", f"the response is larger than {limit:,} bytes")
    return bytes(body)


def _parse_completion(body: bytes, known: set[int]) -> ChunkAnswer:
    try:
        data = json.loads(body)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        raise LlmError("malformed", "the response is not a chat completion") from None
    if not isinstance(content, str):
        raise LlmError("malformed", "the completion has no text")
    return parse_answer(content, known)


class LlmSummarizer:
    """Summaries from an OpenAI-compatible endpoint, or :class:`LlmError`."""

    def __init__(self, config: LlmConfig) -> None:
        self.config = config

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.config.api_key is not None:
            headers["Authorization"] = f"Bearer {self.config.api_key.reveal()}"
        return headers

    def _payload(self, lines: Sequence[str], part: int, parts: int) -> dict[str, Any]:
        intro = "The conversation" if parts == 1 else f"Part {part} of {parts} of the conversation"
        return {
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"{intro}:\n" + "\n".join(lines)},
            ],
            "response_format": {"type": "json_object"},
            "temperature": 0.2,
        }

    async def _ask(self, session: aiohttp.ClientSession, payload: dict[str, Any], known: set[int]) -> ChunkAnswer:
        # Building the request body and parsing the answer are CPU work on up to MBs: off the event loop.
        data = await asyncio.to_thread(json.dumps, payload)
        try:
            async with session.post(
                self.config.endpoint, data=data, headers=self._headers(), allow_redirects=False
            ) as response:
                if 300 <= response.status < 400:
                    raise LlmError("http", f"HTTP {response.status}: redirects are not followed")
                if response.status != 200:
                    raise LlmError("http", f"HTTP {response.status}")
                body = await _read_capped(response, MAX_RESPONSE_BYTES)
        except TimeoutError:
            raise LlmError("timeout", f"no answer within {self.config.timeout:g}s") from None
        except aiohttp.ClientError as error:
            # Only the kind of error is kept: its request info carries the headers, key included.
            raise LlmError("network", type(error).__name__) from None
        return await asyncio.to_thread(_parse_completion, body, known)

    async def _ask_all(self, chunks: list[list[tuple[int, str]]]) -> list[ChunkAnswer]:
        limit = asyncio.Semaphore(max(1, self.config.max_parallel))

        async def one(index: int, chunk: list[tuple[int, str]], session: aiohttp.ClientSession) -> ChunkAnswer:
            async with limit:
                payload = self._payload([line for _, line in chunk], index + 1, len(chunks))
                return await self._ask(session, payload, {number for number, _ in chunk})

        timeout = aiohttp.ClientTimeout(total=self.config.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            tasks = [asyncio.create_task(one(i, chunk, session)) for i, chunk in enumerate(chunks)]
            try:
                return list(await asyncio.gather(*tasks))
            except BaseException:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise

    async def summarize(self, messages: Sequence[ChatMessage], *, excluded_count: int = 0) -> Summary:
        """Summarise ``messages`` within the configured time, or raise :class:`LlmError`."""
        if not messages:
            return Summary(excluded_count=excluded_count)
        chunks = chunk_lines(messages, max(1_000, self.config.chunk_chars))
        try:
            async with asyncio.timeout(self.config.timeout):
                answers = await self._ask_all(chunks)
        except TimeoutError:
            raise LlmError("timeout", f"no answer within {self.config.timeout:g}s") from None
        return build_summary(merge_answers(answers), messages, excluded_count=excluded_count)
