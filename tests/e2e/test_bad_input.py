"""Input that used to end in the generic apology now gets a clear answer, through the double."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapter.client import Rapport
from bot.clarify.models import MAX_QUESTION, Clarification
from cogs.clarify._render import closed_content, request_content
from tests.e2e.conftest import World
from tests.e2e.helpers import slash
from tests.e2e.test_summaries import CONVERSATION, answer, run, talk

SUPERSCRIPT_TWO = "²"  # str.isdigit() says yes, int() says no


async def test_superscript_digits_are_not_found_not_a_crash(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.owner, world.general, "checkin show", id=SUPERSCRIPT_TWO)
    assert record.ephemeral and "couldn't find that check-in" in (record.content or "")
    record = await slash(world.double, world.owner, world.general, "checkin show", id="9" * 30)
    assert record.ephemeral and "couldn't find that check-in" in (record.content or "")
    record = await slash(world.double, world.alice, world.general, "summary show", id=SUPERSCRIPT_TWO)
    assert record.ephemeral and "Summary ids look like" in (record.content or "")


async def test_summarize_since_a_huge_duration_reads_from_the_start(rapport: Rapport, world: World) -> None:
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.alice, since="200000w"))
    assert "went wrong" not in draft.content and "Draft" in draft.content


def clarification(question: str) -> Clarification:
    now = datetime(2026, 3, 2, tzinfo=UTC)
    big = 10**18
    return Clarification(
        id=1, guild_id=big, channel_id=big + 1, message_id=big + 2, author_id=big + 3, asker_id=big + 4,
        question=question, thread_id=None, request_message_id=None, state="open", closed_by="button",
        created_at=now, closed_at=None, remind_at=None, reminded_at=None,
    )


def test_a_clarification_of_many_short_lines_fits_one_message() -> None:
    for question in ("a\n" * (MAX_QUESTION // 2), "ab\n\n" * (MAX_QUESTION // 4), "x" * MAX_QUESTION):
        for in_thread in (True, False):
            c = clarification(question[:MAX_QUESTION])
            assert len(request_content(c, in_thread_of_message=in_thread)) <= 2000
            assert len(closed_content(c, in_thread_of_message=in_thread)) <= 2000
            assert request_content(c, in_thread_of_message=in_thread).endswith("Thank you!")
