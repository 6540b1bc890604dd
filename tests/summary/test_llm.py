"""The language-model engine against a local OpenAI-compatible server: answers, checks, chunks, failures."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.config import Secret
from bot.summary.llm import (
    MAX_RESPONSE_BYTES,
    LlmConfig,
    LlmError,
    LlmSummarizer,
    chunk_lines,
    parse_answer,
    participants_of,
)
from bot.summary.models import ChatMessage
from tests.fakes.openai_server import FakeOpenAI, RecordedRequest, Reply, empty_answer

T0 = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # a Monday
MAYA, SAM, LEE = 101, 102, 103
KEY = "sk-test-0123456789abcdef"


def chat(lines: list[tuple[int, str, str]], *, start: int = 1000, tz: str = "UTC") -> list[ChatMessage]:
    return [
        ChatMessage(
            id=start + i,
            author_id=author,
            author_name=name,
            created_at=T0 + timedelta(minutes=i),
            content=text,
            jump_url=f"https://discord.com/channels/1/2/{start + i}",
            tz=tz,
        )
        for i, (author, name, text) in enumerate(lines)
    ]


CONVERSATION = chat(
    [
        (MAYA, "Maya", "Shall we ship the new onboarding on Thursday?"),
        (SAM, "Sam", "Yes, Thursday works. I'll update the release notes by Wednesday."),
        (MAYA, "Maya", "Great, Thursday it is. Who will tell support?"),
        (LEE, "Lee", "Do we need a feature flag for the old flow?"),
        (MAYA, "Maya", "I'll send the draft to support by Friday."),
    ]
)

GOOD = {
    "key_points": [
        {"text": "The team will ship the new onboarding on Thursday", "source": 1},
        {"text": "Sam will update the release notes", "source": 2},
    ],
    "decisions": [{"text": "The new onboarding ships on Thursday", "source": 3}],
    "action_items": [
        {"owner": "Sam", "what": "update the release notes", "due": "by Wednesday",
         "text": "Sam will update the release notes by Wednesday", "source": 2},
        {"owner": "maya", "what": "send the draft to support", "due": "by Friday",
         "text": "Maya will send the draft to support by Friday", "source": 5},
        {"owner": None, "what": "tell support", "due": None, "text": "Someone will tell support", "source": 3},
    ],
    "open_questions": [{"text": "Do we need a feature flag for the old flow?", "source": 4}],
}


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAI]:
    fake = FakeOpenAI()
    await fake.start()
    yield fake
    await fake.stop()


def engine(server: FakeOpenAI, **overrides: Any) -> LlmSummarizer:
    options: dict[str, Any] = {"base_url": server.base_url, "model": "test-model", "api_key": Secret(KEY),
                               "timeout": 5.0}
    options.update(overrides)
    return LlmSummarizer(LlmConfig(**options))


async def test_a_good_answer_becomes_a_summary_linked_to_the_source_messages(server: FakeOpenAI) -> None:
    server.answer(GOOD)
    summary = await engine(server).summarize(CONVERSATION, excluded_count=2)

    assert [p.name for p in summary.participants] == ["Maya", "Sam", "Lee"]
    assert [p.message_count for p in summary.participants] == [3, 1, 1]
    assert summary.message_count == 5 and summary.excluded_count == 2
    assert [b.source_message_id for b in summary.key_points] == [1000, 1001]
    assert summary.key_points[0].text == "The team will ship the new onboarding on Thursday."
    assert summary.key_points[0].jump_url == "https://discord.com/channels/1/2/1000"
    assert [b.source_message_id for b in summary.decisions] == [1002]
    assert summary.open_questions[0].text == "Do we need a feature flag for the old flow?"

    # Sorted by the message they came from.
    sam_item, group_item, maya_item = summary.action_items
    assert sam_item.owner_id == SAM and sam_item.owner_name == "Sam"
    # "by Wednesday" said on Monday 30 Nov: Wednesday 2 Dec at 17:00 in the speaker's zone.
    assert sam_item.due == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    assert sam_item.due_text == "by Wednesday"
    assert maya_item.owner_id == MAYA and maya_item.owner_name == "Maya"
    assert maya_item.source_message_id == 1004
    assert group_item.owner_id is None and group_item.due is None


async def test_the_request_is_a_json_mode_chat_completion_with_the_key_only_in_the_header(
    server: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.answer(GOOD)
    await engine(server).summarize(CONVERSATION)

    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "test-model"
    assert request.body["response_format"] == {"type": "json_object"}
    assert request.message_numbers() == [1, 2, 3, 4, 5]
    assert "[5] Maya (Mon 30 Nov 13:04 UTC): I'll send the draft to support by Friday." in request.conversation
    assert KEY not in request.text
    assert KEY not in caplog.text


async def test_items_citing_messages_that_were_not_sent_are_dropped(server: FakeOpenAI) -> None:
    answer = json.loads(json.dumps(GOOD))
    answer["key_points"].append({"text": "Invented point", "source": 99})
    answer["decisions"] = [{"text": "Invented decision", "source": 0}]
    answer["action_items"][0]["source"] = 6
    server.answer(answer)
    summary = await engine(server).summarize(CONVERSATION)

    assert "Invented point." not in [b.text for b in summary.key_points]
    assert summary.decisions == ()
    assert [a.owner_name for a in summary.action_items] == ["Someone", "Maya"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Sure! Here is your summary: key points are...", "malformed"),
        ('{"key_points": [', "malformed"),
        ('["not", "an", "object"]', "schema"),
        ('{"key_points": [], "decisions": [], "action_items": []}', "schema"),
        ('{"key_points": "none", "decisions": [], "action_items": [], "open_questions": []}', "schema"),
        ('{"key_points": [{"text": "x"}], "decisions": [], "action_items": [], "open_questions": []}', "schema"),
        ('{"key_points": [{"text": 5, "source": 1}], "decisions": [], "action_items": [], "open_questions": []}',
         "schema"),
        ('{"key_points": [{"text": "x", "source": "one"}], "decisions": [], "action_items": [],'
         ' "open_questions": []}', "schema"),
        ('{"key_points": [], "decisions": [], "action_items": [{"text": "x", "source": 1}],'
         ' "open_questions": []}', "schema"),
    ],
)
async def test_answers_that_do_not_fit_the_shape_are_refused(server: FakeOpenAI, content: str, reason: str) -> None:
    server.always(Reply.content(content))
    with pytest.raises(LlmError) as caught:
        await engine(server).summarize(CONVERSATION)
    assert caught.value.reason == reason


async def test_a_fenced_json_answer_is_read(server: FakeOpenAI) -> None:
    server.always(Reply.content("```json\n" + json.dumps(GOOD) + "\n```"))
    summary = await engine(server).summarize(CONVERSATION)
    assert len(summary.action_items) == 3


async def test_a_body_that_is_not_a_chat_completion_is_malformed(server: FakeOpenAI) -> None:
    server.always(Reply.body(b'{"object": "error"}'))
    with pytest.raises(LlmError) as caught:
        await engine(server).summarize(CONVERSATION)
    assert caught.value.reason == "malformed"


async def test_an_http_error_is_reported_without_the_key(server: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server.always(Reply.status(500))
    with pytest.raises(LlmError) as caught:
        await engine(server).summarize(CONVERSATION)
    assert caught.value.reason == "http" and "500" in caught.value.detail
    assert KEY not in str(caught.value) and KEY not in caplog.text


async def test_a_slow_answer_hits_the_overall_timeout_on_time(server: FakeOpenAI) -> None:
    server.always(Reply.slow(5.0, Reply.answer(GOOD)))
    started = time.monotonic()
    with pytest.raises(LlmError) as caught:
        await engine(server, timeout=0.4).summarize(CONVERSATION)
    elapsed = time.monotonic() - started
    assert caught.value.reason == "timeout"
    assert 0.35 <= elapsed < 1.5


async def test_the_timeout_covers_every_part_together(server: FakeOpenAI) -> None:
    # Each part answers in 0.25 s, one at a time: three parts cannot fit in 0.5 s overall.
    server.always(Reply.slow(0.25, Reply.answer(empty_answer())))
    messages = chat([(MAYA, "Maya", "x" * 900) for _ in range(6)])
    started = time.monotonic()
    with pytest.raises(LlmError) as caught:
        await engine(server, timeout=0.5, chunk_chars=2_000, max_parallel=1).summarize(messages)
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 1.2


async def test_an_unreachable_endpoint_is_a_network_failure() -> None:
    closed = FakeOpenAI()
    url = await closed.start()
    await closed.stop()
    summarizer = LlmSummarizer(LlmConfig(base_url=url, model="m", timeout=2.0))
    with pytest.raises(LlmError) as caught:
        await summarizer.summarize(CONVERSATION)
    assert caught.value.reason == "network"


def _answer_per_part(request: RecordedRequest) -> dict[str, Any]:
    numbers = request.message_numbers()
    return {
        # Every part repeats one key point (a duplicate to merge away) and adds four of its own.
        "key_points": [{"text": "The launch moves to Thursday", "source": numbers[0]}]
        + [{"text": f"Point {n} about topic {n}", "source": n} for n in numbers[1:5]],
        "decisions": [{"text": "Ship on Thursday", "source": numbers[0]}],
        "action_items": [{"owner": "Sam", "what": f"task {numbers[-1]}", "due": None,
                          "text": f"Sam will do task {numbers[-1]}", "source": numbers[-1]}],
        "open_questions": [],
    }


async def test_long_conversations_are_chunked_then_merged(server: FakeOpenAI) -> None:
    server.answer(_answer_per_part)
    messages = chat([(SAM if i % 2 else MAYA, "Sam" if i % 2 else "Maya", f"message {i} " + "y" * 150)
                     for i in range(60)])
    summary = await engine(server, chunk_chars=2_000).summarize(messages)

    assert len(server.requests) >= 4
    seen = [n for request in server.requests for n in request.message_numbers()]
    assert seen == list(range(1, 61)), "every message is sent exactly once, in order"
    assert all(len(r.conversation) <= 2_000 + 60 for r in server.requests)
    assert len(summary.key_points) == 7
    assert [b.text for b in summary.key_points].count("The launch moves to Thursday.") == 1
    sources = [b.source_message_id for b in summary.key_points]
    assert sources == sorted(sources)
    assert len(summary.decisions) == 1
    assert len(summary.action_items) == len(server.requests)
    assert all(item.owner_id == SAM for item in summary.action_items)
    assert summary.message_count == 60


def test_chunks_keep_whole_lines_within_the_budget() -> None:
    messages = chat([(MAYA, "Maya", "z" * 300) for _ in range(20)])
    chunks = chunk_lines(messages, 1_000)
    assert [n for chunk in chunks for n, _ in chunk] == list(range(1, 21))
    assert all(sum(len(line) + 1 for _, line in chunk) <= 1_000 for chunk in chunks)


def test_participants_are_counted_locally() -> None:
    people = participants_of(CONVERSATION)
    assert [(p.author_id, p.message_count) for p in people] == [(MAYA, 3), (SAM, 1), (LEE, 1)]


def test_mentions_in_the_answer_are_made_inert() -> None:
    answer = parse_answer(
        json.dumps({"key_points": [{"text": "Ping @everyone and <@123>", "source": 1}], "decisions": [],
                    "action_items": [], "open_questions": []}),
        {1},
    )
    assert "@everyone" not in answer.key_points[0].text
    assert "<@123>" not in answer.key_points[0].text


async def test_an_empty_conversation_needs_no_request(server: FakeOpenAI) -> None:
    summary = await engine(server).summarize([], excluded_count=3)
    assert summary.is_empty and summary.excluded_count == 3
    assert server.requests == []
    await asyncio.sleep(0)


async def test_a_redirect_is_not_followed(server: FakeOpenAI) -> None:
    server.script(Reply.redirect(server.base_url + "/chat/completions"))
    server.answer(GOOD)
    with pytest.raises(LlmError) as caught:
        await engine(server).summarize(CONVERSATION)
    assert caught.value.reason == "http" and "redirect" in caught.value.detail
    assert len(server.requests) == 1  # the key and the conversation went nowhere else


async def test_an_oversized_body_is_refused(server: FakeOpenAI) -> None:
    server.always(Reply.body(b'{"pad": "' + b"x" * (MAX_RESPONSE_BYTES + 10) + b'"}'))
    with pytest.raises(LlmError) as caught:
        await engine(server).summarize(CONVERSATION)
    assert caught.value.reason == "malformed" and "larger than" in caught.value.detail
