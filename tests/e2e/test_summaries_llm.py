"""/summarize with the language-model engine, against the local OpenAI-compatible fake."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapter.client import Rapport
from bot.config import Secret, Settings
from bot.scheduling.clock import FakeClock
from bot.summary.service import FALLBACK_NOTES, SummaryService
from tests.double import DiscordDouble, Message
from tests.e2e.conftest import BotRunner
from tests.e2e.helpers import embed_text
from tests.e2e.test_summaries import CONVERSATION, World, answer, only_summary, run, talk
from tests.fakes.openai_server import FakeOpenAI, RecordedRequest, Reply
from tests.support.databases import TestDatabases

API_KEY = "sk-e2e-test-key-0123456789"


class LlmRunner(BotRunner):
    """The usual runner, with the language-model settings pointing at the fake."""

    def __init__(self, double: DiscordDouble, db_path: str | Path, clock: FakeClock, base_url: str) -> None:
        super().__init__(double, db_path, clock)
        self.base_url = base_url

    def settings(self) -> Settings:
        return dataclasses.replace(
            super().settings(),
            summary_llm_base_url=self.base_url,
            summary_llm_model="fake-model",
            summary_llm_api_key=Secret(API_KEY),
            summary_llm_timeout=1.0,
        )


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    server = FakeOpenAI()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(double: DiscordDouble, databases: TestDatabases, clock: FakeClock, llm: FakeOpenAI,
              world: World) -> AsyncIterator[Rapport]:
    runner = LlmRunner(double, databases.target("rapport", migrated=True), clock, llm.base_url)
    started = await runner.start()
    yield started
    await runner.stop()


def good_answer(request: RecordedRequest) -> dict[str, Any]:
    numbers = request.message_numbers()
    return {
        "key_points": [{"text": "The team agreed to ship the new onboarding on Thursday", "source": numbers[0]}],
        "decisions": [{"text": "The onboarding ships on Thursday", "source": numbers[2]}],
        "action_items": [{"owner": "bob", "what": "update the release notes", "due": "by Wednesday",
                          "text": "bob will update the release notes by Wednesday", "source": numbers[1]}],
        "open_questions": [{"text": "Is a feature flag needed for the old flow?", "source": numbers[3]}],
    }


async def draft_for(world: World) -> Message:
    return await answer(await run(world, world.alice))


async def test_the_language_models_summary_is_used(bot: Rapport, world: World, llm: FakeOpenAI) -> None:
    sent = talk(world, [*CONVERSATION, ("owner", f"Thanks <@{world.alice.id}>, see you in <#{world.general.id}>.")])
    llm.answer(good_answer)
    draft = await draft_for(world)
    stored = await only_summary(bot)
    assert stored.engine == "llm" and stored.note is None
    text = embed_text(draft)
    assert "The team agreed to ship the new onboarding on Thursday." in text
    assert "Written by a language model" in draft.content
    (item,) = stored.summary.action_items
    assert item.owner_id == world.bob.id and item.source_message_id == sent[1].id
    (request,) = llm.requests
    assert "Thanks alice, see you in #general." in request.conversation, "mentions are sent as names"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.body["model"] == "fake-model"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply.content("Here's the summary you asked for: it went well."), "malformed"),
        (Reply.slow(3.0), "timeout"),
        (Reply.status(500), "http"),
        (Reply.content('{"key_points": [{"text": "x", "source": 1}]}'), "schema"),
    ],
)
async def test_any_failure_falls_back_to_the_offline_summary_with_a_note(
    bot: Rapport, world: World, llm: FakeOpenAI, reply: Reply, reason: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    talk(world, CONVERSATION)
    llm.always(reply)
    draft = await draft_for(world)
    stored = await only_summary(bot)
    assert stored.engine == "offline"
    assert stored.note == FALLBACK_NOTES[reason]
    assert FALLBACK_NOTES[reason] in draft.content
    assert stored.summary.message_count == len(CONVERSATION)
    assert stored.summary.participants, "the offline summary is complete"
    assert API_KEY not in caplog.text


async def test_opted_out_members_messages_never_reach_the_model(bot: Rapport, world: World, llm: FakeOpenAI) -> None:
    opt_out = await world.double.slash(world.bob, world.general, "me summaries", include="off")
    await opt_out.wait_response(timeout=10)
    talk(world, [*CONVERSATION, ("bob", "My secret plan is the purple elephant.")])
    llm.answer(good_answer)
    await draft_for(world)
    (request,) = llm.requests
    assert "purple elephant" not in request.text
    assert "release notes" not in request.text  # bob's line in the conversation
    assert "bob" not in request.conversation
    assert len(request.message_numbers()) == len(CONVERSATION) - 1
    stored = await only_summary(bot)
    assert stored.summary.excluded_count == 2
    assert stored.engine == "llm"
    # The model named bob as an owner, but he is not among the people it was shown: nobody will be asked.
    assert [item.owner_id for item in stored.summary.action_items] == [None]


async def test_the_service_is_built_from_the_settings(bot: Rapport) -> None:
    service = bot.service(SummaryService)
    assert service.llm is not None
    assert service.llm.config.timeout == 1.0
    assert "sk-" not in repr(service.llm.config)
