"""2,000 long messages: the summary is read, split within Discord's limits and attached in full."""

from __future__ import annotations

import time
from datetime import timedelta

from bot.summary.service import SummaryService
from tests.conftest import START
from tests.e2e.conftest import BotRunner
from tests.e2e.test_summaries import World

TOPICS = ["billing", "search", "onboarding", "the mobile app", "exports", "the API", "notifications", "reports"]
FILLER = (
    "We went through the numbers from last week again and the picture is mostly the same as before, with a "
    "few customers asking for the same thing in slightly different words, which is why this keeps coming up. "
)


def long_message(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    opener = [
        f"I'll send the updated plan for {topic} (part {i}) by Friday.",
        f"We decided to keep the current design of {topic} for release {i}.",
        f"Has anyone checked whether {topic} still works for customer {i}?",
        f"The latest numbers for {topic} look better than in round {i}.",
    ][i % 4]
    text = f"{opener} " + FILLER * 8
    return text[:1900]


def real_limits(message: object) -> None:
    embeds = message.embeds  # type: ignore[attr-defined]
    assert 1 <= len(embeds) <= 10
    total = 0
    for embed in embeds:
        assert len(embed.get("title", "")) <= 256
        assert len(embed.get("description", "")) <= 4096
        fields = embed.get("fields", [])
        assert len(fields) <= 25
        for field in fields:
            assert len(field["name"]) <= 256 and len(field["value"]) <= 1024
        total += len(embed.get("title", "")) + len(embed.get("description", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
        total += len((embed.get("footer") or {}).get("text", ""))
    assert total <= 6000
    assert len(message.content) <= 2000  # type: ignore[attr-defined]


async def test_two_thousand_long_messages_publish_within_limits_with_the_file(runner: BotRunner, world: World) -> None:
    double = world.double
    people = [world.alice, world.bob, world.owner]
    first = START - timedelta(hours=30)
    # History is built before the bot connects, so it isn't also streamed to it as 2,100 gateway events.
    sent = [
        double.send_message_now(people[i % 3], world.general, long_message(i), at=first + i * timedelta(seconds=50))
        for i in range(2_100)
    ]
    bot = await runner.start()

    started = time.monotonic()
    record = await double.slash(world.alice, world.general, "summarize", last=2_000, publish=True)
    await record.wait_response(timeout=10)
    reply = await record.wait_followup(1, timeout=120)
    elapsed = time.monotonic() - started
    assert reply.ephemeral and "Published" in reply.content, reply.content

    (row,) = await bot.db.fetchall("SELECT id FROM summaries")
    stored = await bot.service(SummaryService).repo.get(row["id"])
    assert stored is not None and stored.status == "published"
    assert stored.summary.message_count == 2_000
    assert stored.first_message_id == sent[100].id and stored.last_message_id == sent[-1].id

    posts = [m for m in double.messages(world.general) if m.author_id == double.bot_user.id]
    assert len(posts) == 4, "several messages, but no flood: the rest is in the file"
    assert "everything is in the attached file" in posts[-1].content
    for post in posts:
        real_limits(post)
        assert post.allowed_mentions == {"parse": []}
    assert posts[0].id == stored.published_message_id
    files = [a for post in posts for a in post.attachments]
    assert len(files) == 1 and files[0].filename.endswith(".md")
    text = files[0].data.decode("utf-8")
    assert text == stored.markdown
    items = stored.summary.action_items
    assert len(items) > 25, "enough to overflow one message"
    for item in items:
        assert item.jump_url in text
    assert elapsed < 60, f"took {elapsed:.1f}s"
