"""/summarize, Summarize from here, the draft's buttons and /summary through the Discord double."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import discord
import pytest

from bot.adapter.client import Rapport
from bot.commitments.service import CommitmentService
from bot.summary.repository import StoredSummary
from bot.summary.service import SummaryService
from tests.conftest import START
from tests.double import Channel, DiscordDouble, Guild, InteractionRecord, Message, User, perms
from tests.e2e.conftest import BotRunner
from tests.e2e.helpers import embed_text

HOUR = timedelta(hours=1)


class World(Protocol):
    """The ``world`` fixture, with the double's types (the fixture's dataclass types its fields as object)."""

    double: DiscordDouble
    guild: Guild
    owner: User
    alice: User
    bob: User
    general: Channel
    other_guild: Guild
    other_channel: Channel
    stranger: User

CONVERSATION = [
    ("alice", "Shall we ship the new onboarding on Thursday?"),
    ("bob", "Yes, Thursday works for me. I'll update the release notes by Wednesday."),
    ("alice", "Great, we decided to ship it on Thursday."),
    ("owner", "Do we need a feature flag for the old onboarding flow?"),
    ("alice", "I'll write the announcement for the team by Friday."),
]


def talk(world: World, lines: list[tuple[str, str]], *, channel: Any = None, start: datetime | None = None,
         step: timedelta = timedelta(minutes=1)) -> list[Message]:
    """Post ``lines`` (speaker name, text) back-dated from ``start``, one ``step`` apart."""
    people = {"alice": world.alice, "bob": world.bob, "owner": world.owner}
    first = start or START - HOUR
    return [
        world.double.send_message_now(people[who], channel or world.general, text, at=first + i * step)
        for i, (who, text) in enumerate(lines)
    ]


def numbered(count: int, who: str = "alice") -> list[tuple[str, str]]:
    return [(who, f"Update number {i}: the build for item {i} is green and ready.") for i in range(count)]


def link(message: Message) -> str:
    return f"https://discord.com/channels/{message.guild_id}/{message.channel_id}/{message.id}"


async def run(world: World, user: Any, channel: Any = None, **options: Any) -> InteractionRecord:
    record = await world.double.slash(user, channel or world.general, "summarize", **options)
    await record.wait_response(timeout=10)
    return record


async def answer(record: InteractionRecord) -> Message:
    """The message the member finally sees: the followup after thinking, or the direct reply."""
    if record.response_type == 5:
        return await record.wait_followup(1, timeout=20)
    assert record.message is not None
    return record.message


async def summaries(bot: Rapport) -> list[StoredSummary]:
    service = bot.service(SummaryService)
    rows = await bot.db.fetchall("SELECT id FROM summaries ORDER BY id")
    found = [await service.repo.get(row["id"]) for row in rows]
    return [s for s in found if s is not None]


async def only_summary(bot: Rapport) -> StoredSummary:
    (stored,) = await summaries(bot)
    return stored


async def published(world: World, draft: Message) -> Message:
    """Wait until the draft says it was published (the Publish button's work is done)."""
    return await world.double.wait_for_message(lambda m: m.id == draft.id and "Published" in m.content, timeout=15)


def channel_posts(world: World, channel: Any = None) -> list[Message]:
    """What the bot posted in the channel for everyone to see."""
    return [m for m in world.double.messages(channel or world.general) if m.author_id == world.double.bot_user.id]


# -- the range forms -----------------------------------------------------------------------------------------


async def test_last_reads_the_newest_messages_into_a_private_draft(rapport: Rapport, world: World) -> None:
    sent = talk(world, numbered(30))
    record = await run(world, world.alice, last=10)
    assert record.response_type == 5 and record.ephemeral
    draft = await answer(record)
    assert draft.ephemeral
    assert "Draft" in draft.content
    stored = await only_summary(rapport)
    assert draft.custom_ids() == [f"summary:{stored.id}:publish", f"summary:{stored.id}:discard"]

    assert stored.status == "draft" and stored.creator_id == world.alice.id
    assert stored.summary.message_count == 10
    assert stored.first_message_id == sent[20].id and stored.last_message_id == sent[29].id
    assert stored.range_start == START - HOUR + timedelta(minutes=20)
    assert channel_posts(world) == [], "a draft is never posted"


async def test_default_reads_the_last_200(rapport: Rapport, world: World) -> None:
    sent = talk(world, numbered(205), step=timedelta(seconds=10))
    await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    assert stored.summary.message_count == 200
    assert stored.first_message_id == sent[5].id


async def test_since_a_duration(rapport: Rapport, world: World) -> None:
    talk(world, numbered(5), start=START - 5 * HOUR)
    recent = talk(world, CONVERSATION, start=START - HOUR)
    await answer(await run(world, world.alice, since="2h"))
    stored = await only_summary(rapport)
    assert stored.summary.message_count == len(CONVERSATION)
    assert stored.first_message_id == recent[0].id


async def test_since_a_time_in_the_callers_zone(rapport: Rapport, world: World) -> None:
    await rapport.prefs.update_member(world.alice.id, START, timezone="America/New_York")
    # "yesterday 5pm" in New York is 22:00 UTC on Sunday 29 November.
    before = talk(world, [("bob", "An old afternoon message.")], start=datetime(2026, 11, 29, 21, 0, tzinfo=UTC))
    after = talk(world, CONVERSATION, start=datetime(2026, 11, 29, 23, 0, tzinfo=UTC))
    await answer(await run(world, world.alice, since="yesterday 5pm"))
    stored = await only_summary(rapport)
    assert stored.first_message_id == after[0].id != before[0].id
    assert stored.summary.message_count == len(CONVERSATION)


async def test_since_and_until_message_links(rapport: Rapport, world: World) -> None:
    sent = talk(world, numbered(10))
    await answer(await run(world, world.alice, since=link(sent[3])))
    first = await only_summary(rapport)
    assert (first.first_message_id, first.last_message_id) == (sent[3].id, sent[9].id)
    assert first.summary.message_count == 7

    await answer(await run(world, world.alice, since=link(sent[2]), until=link(sent[5])))
    await answer(await run(world, world.alice, until=link(sent[4])))
    _, between, up_to = await summaries(rapport)
    assert (between.first_message_id, between.last_message_id, between.summary.message_count) == (
        sent[2].id, sent[5].id, 4)
    assert (up_to.first_message_id, up_to.last_message_id, up_to.summary.message_count) == (sent[0].id, sent[4].id, 5)


async def test_in_a_thread_with_no_options_the_whole_thread(rapport: Rapport, world: World) -> None:
    parent = rapport.get_channel(world.general.id)
    assert isinstance(parent, discord.TextChannel)
    created = await parent.create_thread(name="launch plan", type=discord.ChannelType.public_thread)
    thread = world.double.channel(created.id)
    talk(world, numbered(3), start=START - 3 * HOUR)  # in the parent channel: not part of the thread
    in_thread = talk(world, numbered(230, who="bob"), channel=thread, start=START - 2 * HOUR,
                     step=timedelta(seconds=20))
    await answer(await run(world, world.alice, thread))
    stored = await only_summary(rapport)
    assert stored.channel_id == thread.id and stored.channel_name == "launch plan"
    assert stored.summary.message_count == 230, "more than the default 200: the whole thread"
    assert stored.first_message_id == in_thread[0].id


async def test_summarize_from_here(rapport: Rapport, world: World) -> None:
    sent = talk(world, numbered(10))
    record = await world.double.context_menu(world.bob, world.general, "Summarize from here", target=sent[4])
    await record.wait_response(timeout=10)
    draft = await answer(record)
    assert draft.ephemeral and "Draft" in draft.content
    stored = await only_summary(rapport)
    assert stored.creator_id == world.bob.id
    assert (stored.first_message_id, stored.last_message_id) == (sent[4].id, sent[9].id)


# -- draft, publish, track, discard ------------------------------------------------------------------------------


async def test_publish_posts_without_pings_and_stores_it(rapport: Rapport, world: World) -> None:
    sent = talk(world, [*CONVERSATION, ("owner", f"<@{world.bob.id}> can you review the launch checklist by Monday?")])
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    # Mentions reach the engine as names, so the request has an owner and no raw mention is shown.
    review = next(i for i in stored.summary.action_items if "checklist" in i.text)
    assert review.owner_id == world.bob.id
    assert f"<@{world.bob.id}>" not in stored.markdown
    click = await world.double.click(world.alice, draft, f"summary:{stored.id}:publish")
    await click.wait_response(timeout=10)
    await published(world, draft)

    (post,) = channel_posts(world)
    assert post.allowed_mentions == {"parse": []}
    assert post.mention_ids == [] and not post.mention_everyone
    text = embed_text(post)
    assert "Summary #1 of #general" in text
    assert "Participants" in text
    sources = {m.id: link(m) for m in sent}
    assert any(url in text for url in sources.values()), "bullets link to their source messages"
    assert not post.ephemeral

    stored = await only_summary(rapport)
    assert stored.status == "published" and stored.number == 1
    assert stored.published_message_id == post.id
    assert stored.published_url == link(post)
    assert "# Summary #1 of #general" in stored.markdown
    # The draft now says where it went and offers no second Publish.
    edited = world.double.message(draft.id)
    assert "Published" in edited.content and link(post) in edited.content
    assert f"summary:{stored.id}:publish" not in edited.custom_ids()
    # Every bullet of the published embeds links to a message of the conversation.
    for embed in post.embeds:
        for field in embed.get("fields", []):
            for line in field["value"].splitlines():
                assert "https://discord.com/channels/" in line, line


async def test_publish_option_posts_directly_and_still_stores(rapport: Rapport, world: World) -> None:
    talk(world, CONVERSATION)
    reply = await answer(await run(world, world.alice, publish=True))
    assert reply.ephemeral and "Published" in reply.content
    (post,) = channel_posts(world)
    stored = await only_summary(rapport)
    assert stored.status == "published" and stored.published_message_id == post.id
    assert f"summary:{stored.id}:track" in reply.custom_ids()


async def test_published_summary_carries_feedback_buttons(rapport: Rapport, world: World) -> None:
    from bot.feedback.service import FeedbackService

    talk(world, CONVERSATION)
    await answer(await run(world, world.alice, publish=True))
    (post,) = channel_posts(world)
    stored = await only_summary(rapport)
    assert [c for c in post.custom_ids() if c.startswith("fb:")] == [
        f"fb:summary:{stored.id}:up", f"fb:summary:{stored.id}:missing"]
    opened = await world.double.click(world.bob, post, f"fb:summary:{stored.id}:missing")
    await opened.wait_response(timeout=10)
    submitted = await world.double.submit_modal(world.bob, opened, {"note": "We also moved the retro to Thursday."})
    thanks = await submitted.wait_followup()
    assert thanks.ephemeral and "posted as a reply" in thanks.content
    notes = await rapport.service(FeedbackService).notes("summary", stored.id)
    assert [n.note for n in notes] == ["We also moved the retro to Thursday."]


async def test_when_the_bot_cannot_post_the_summary_stays_a_draft(rapport: Rapport, world: World) -> None:
    muted = world.double.create_channel(
        world.guild, "announcements",
        overwrites=[{"id": world.double.bot_user, "type": 1, "allow": 0, "deny": perms.SEND_MESSAGES}],
    )
    talk(world, CONVERSATION, channel=muted)
    reply = await answer(await run(world, world.owner, muted, publish=True))
    assert reply.ephemeral and "couldn't post" in reply.content and "Draft" in reply.content
    assert "Send Messages" in reply.content
    stored = await only_summary(rapport)
    assert stored.status == "draft" and stored.number is None
    assert f"summary:{stored.id}:publish" in reply.custom_ids()
    assert channel_posts(world, muted) == []


async def test_a_long_summary_needs_attach_files_and_says_so(rapport: Rapport, world: World) -> None:
    no_files = world.double.create_channel(
        world.guild, "no-files",
        overwrites=[{"id": world.double.bot_user, "type": 1, "allow": 0, "deny": perms.ATTACH_FILES}],
    )
    talk(world, [("bob", f"I'll send the plan for project {i} by Friday.") for i in range(120)], channel=no_files)
    reply = await answer(await run(world, world.owner, no_files, publish=True))
    assert "Attach Files" in reply.content and "Draft" in reply.content
    assert (await only_summary(rapport)).status == "draft"
    assert channel_posts(world, no_files) == []


async def test_track_action_items_then_the_owner_confirms(rapport: Rapport, world: World) -> None:
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    owners = {item.owner_id for item in stored.summary.action_items}
    assert world.bob.id in owners

    publish = await world.double.click(world.alice, draft, f"summary:{stored.id}:publish")
    await publish.wait_response(timeout=10)
    await published(world, draft)
    track = await world.double.click(world.alice, world.double.message(draft.id), f"summary:{stored.id}:track")
    await track.wait_response(timeout=10)
    report = await track.wait_followup(1, timeout=10)
    assert report.ephemeral and "Asked" in report.content and "bob" in report.content

    ask = await world.double.wait_for_message(
        lambda m: m.channel_id == world.double.dm_channel(world.bob).id and bool(m.custom_ids())
    )
    accept = next(cid for cid in ask.custom_ids() if cid.endswith(":accept"))
    confirm = await world.double.click(world.bob, ask, accept)
    await confirm.wait_response(timeout=10)

    commitments = rapport.service(CommitmentService)
    commitment = await commitments.get(int(accept.split(":")[1]))
    stored = await only_summary(rapport)
    assert commitment.owner_id == world.bob.id and commitment.creator_id == world.alice.id
    assert commitment.status == "open"
    assert commitment.source_kind == "summary"
    assert commitment.source_url == stored.published_url
    assert commitment.source_channel_id == world.general.id

    again = await world.double.click(world.alice, world.double.message(draft.id), f"summary:{stored.id}:track")
    await again.wait_response(timeout=10)
    assert "already" in (await again.wait_followup(1, timeout=10)).content


def asks(world: World, user: Any) -> list[Message]:
    """The DMs asking ``user`` to take a commitment on."""
    dm = world.double.dm_channel(user)
    return [m for m in world.double.messages(dm) if any(cid.endswith(":accept") for cid in m.custom_ids())]


async def summary_commitments(bot: Rapport) -> list[tuple[int, int]]:
    rows = await bot.db.fetchall("SELECT id, owner_id FROM commitments WHERE source_kind = 'summary' ORDER BY id")
    return [(row["id"], row["owner_id"]) for row in rows]


async def test_a_double_click_on_track_asks_each_owner_once(rapport: Rapport, world: World) -> None:
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    owned = [item for item in stored.summary.action_items if item.owner_id is not None]
    assert len(owned) >= 2

    first = await world.double.click(world.alice, draft, f"summary:{stored.id}:track")
    second = await world.double.click(world.alice, draft, f"summary:{stored.id}:track")
    reports = []
    for click in (first, second):
        await click.wait_response(timeout=10)
        reports.append((await click.wait_followup(1, timeout=10)).content)

    made = await summary_commitments(rapport)
    assert sorted(owner for _, owner in made) == sorted(item.owner_id for item in owned)
    items = await rapport.service(SummaryService).repo.action_items(stored.id)
    assert sorted(i.commitment_id for i in items if i.commitment_id is not None) == [cid for cid, _ in made]
    await world.double.wait_for_message(lambda m: bool(asks(world, world.bob)))
    assert len(asks(world, world.bob)) == 1
    assert len(asks(world, world.alice)) == sum(1 for item in owned if item.owner_id == world.alice.id)
    # Between them the two clicks asked for every item once; the later one says what was already sent.
    assert any("Asked" in text for text in reports)
    assert any("already" in text for text in reports)


@pytest.mark.parametrize("dies_at", ["propose", "ask"])
async def test_a_crash_half_way_through_track_then_a_retry_makes_no_duplicates(
    runner: BotRunner, world: World, dies_at: str
) -> None:
    bot = await runner.start()
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(bot)
    owned = [item for item in stored.summary.action_items if item.owner_id is not None]
    assert len(owned) >= 2

    # The process dies on the second item, either before its commitment is made or after it is made but
    # before its owner is asked; the first item is made and asked.
    commitments = bot.service(CommitmentService)
    calls = 0
    if dies_at == "propose":
        real_propose = commitments.propose

        async def dies_on_the_second(**kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise asyncio.CancelledError  # the task dies here, as when the process is killed
            return await real_propose(**kwargs)

        commitments.propose = dies_on_the_second  # type: ignore[method-assign]
    else:
        real_ask = commitments.notifier.ask_owner

        async def ask_dies_on_the_second(commitment: Any) -> str:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise asyncio.CancelledError
            return await real_ask(commitment)

        commitments.notifier.ask_owner = ask_dies_on_the_second  # type: ignore[method-assign]
    crashed = await world.double.click(world.alice, draft, f"summary:{stored.id}:track")
    await crashed.wait_response(timeout=10)
    for _ in range(200):
        if calls >= 2:
            break
        await asyncio.sleep(0.01)
    assert calls == 2
    assert len(await summary_commitments(bot)) == (1 if dies_at == "propose" else 2)
    first_owner = owned[0].owner_id

    bot = await runner.restart()
    # A claim whose owner was never asked is only taken over once it is clearly abandoned.
    runner.clock.advance(timedelta(minutes=3))
    retry = await world.double.click(world.alice, world.double.message(draft.id), f"summary:{stored.id}:track")
    await retry.wait_response(timeout=10)
    report = (await retry.wait_followup(1, timeout=10)).content
    assert "1 item was already sent" in report and "Asked" in report

    made = await summary_commitments(bot)
    assert sorted(owner for _, owner in made) == sorted(item.owner_id for item in owned)
    items = await bot.service(SummaryService).repo.action_items(stored.id)
    assert all(i.commitment_id is not None for i in items if i.item.owner_id is not None)
    for user in (world.alice, world.bob):
        expected = sum(1 for item in owned if item.owner_id == user.id)
        await world.double.wait_for_message(lambda m, u=user, n=expected: len(asks(world, u)) >= n)
        assert len(asks(world, user)) == expected, (user, first_owner)


async def test_discard_keeps_nothing_and_posts_nothing(rapport: Rapport, world: World) -> None:
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    click = await world.double.click(world.alice, draft, f"summary:{stored.id}:discard")
    await click.wait_response(timeout=10)
    edited = world.double.message(draft.id)
    assert "Discarded" in edited.content and edited.embeds == [] and edited.custom_ids() == []
    gone = await only_summary(rapport)
    assert gone.status == "discarded" and gone.markdown == ""
    assert channel_posts(world) == []


async def test_draft_buttons_survive_a_restart(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(bot)
    bot = await runner.restart()
    click = await world.double.click(world.alice, world.double.message(draft.id), f"summary:{stored.id}:publish")
    await click.wait_response(timeout=10)
    await published(world, draft)
    assert len(channel_posts(world)) == 1
    assert (await only_summary(bot)).status == "published"


# -- who is left out, who may ask ---------------------------------------------------------------------------------


async def test_opted_out_members_are_left_out_and_counted(rapport: Rapport, world: World) -> None:
    opt_out = await world.double.slash(world.bob, world.general, "me summaries", include="off")
    await opt_out.wait_response(timeout=10)
    talk(world, [*CONVERSATION, ("bob", "My secret plan is the purple elephant.")])
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    bob_lines = sum(1 for who, _ in CONVERSATION if who == "bob") + 1
    assert stored.summary.excluded_count == bob_lines
    assert stored.summary.message_count == len(CONVERSATION) + 1 - bob_lines
    assert world.bob.id not in {p.author_id for p in stored.summary.participants}
    shown = draft.content + embed_text(draft) + stored.markdown
    assert "purple elephant" not in shown and "release notes" not in shown
    assert f"{bob_lines} messages left out" in embed_text(draft)


async def test_bots_and_the_bots_own_posts_are_left_out(rapport: Rapport, world: World) -> None:
    talk(world, CONVERSATION)
    await answer(await run(world, world.alice, publish=True))
    await answer(await run(world, world.alice))
    _, second = await summaries(rapport)
    assert second.skipped_count == 1, "the first summary's post is a bot message"
    assert second.summary.message_count == len(CONVERSATION)


async def test_a_member_who_cannot_read_the_history_is_refused(rapport: Rapport, world: World) -> None:
    locked = world.double.create_channel(
        world.guild, "leads",
        overwrites=[{"id": world.alice, "type": 1, "allow": 0, "deny": perms.READ_MESSAGE_HISTORY}],
    )
    talk(world, CONVERSATION, channel=locked)
    record = await run(world, world.alice, locked)
    reply = await answer(record)
    assert reply.ephemeral and "history" in reply.content
    menu = await world.double.context_menu(
        world.alice, locked, "Summarize from here", target=world.double.messages(locked)[0]
    )
    await menu.wait_response(timeout=10)
    assert (await answer(menu)).ephemeral
    assert await summaries(rapport) == []
    assert channel_posts(world, locked) == []


async def test_published_summaries_of_hidden_channels_stay_hidden(rapport: Rapport, world: World) -> None:
    hidden = world.double.create_channel(
        world.guild, "leads", overwrites=[{"id": world.alice, "type": 1, "allow": 0, "deny": perms.VIEW_CHANNEL}]
    )
    talk(world, [("owner", "Budget review: we decided to cut the travel line."), ("bob", "I'll tell finance.")],
         channel=hidden)
    talk(world, CONVERSATION, start=START - 2 * HOUR)
    await answer(await run(world, world.owner, hidden, publish=True))
    await answer(await run(world, world.owner, publish=True))

    listed = await world.double.slash(world.owner, world.general, "summary list")
    await listed.wait_response(timeout=10)
    text = embed_text(listed)
    assert text.index("**#2**") < text.index("**#1**"), "newest first"

    alices = await world.double.slash(world.alice, world.general, "summary list")
    await alices.wait_response(timeout=10)
    assert "**#2**" in embed_text(alices) and "**#1**" not in embed_text(alices)
    shown = await world.double.slash(world.alice, world.general, "summary show", id="1")
    await shown.wait_response(timeout=10)
    assert shown.ephemeral and "no published summary #1" in (shown.content or "")

    mine = await world.double.slash(world.alice, world.general, "summary show", id="#2")
    await mine.wait_response(timeout=10)
    assert "Summary #2 of #general" in embed_text(mine)

    choices = await world.double.autocomplete(world.alice, world.general, "summary show", focused="id", id="")
    await choices.wait_response(timeout=10)
    assert [c["value"] for c in choices.choices or []] == ["2"]


# -- bad input changes nothing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"last": 5}, "between 10 and 2,000"),
        ({"last": 2001}, "between 10 and 2,000"),
        ({"since": "the dawn of time"}, "couldn't read"),
        ({"since": "tomorrow 9am"}, "past"),
        ({"until": "yesterday"}, "message link"),
        ({"since": "https://discord.com/channels/123456789012345678/123456789012345679/123456789012345680"},
         "another server"),
        ({"since": "https://discord.com/channels/12/34"}, "message link"),
    ],
)
async def test_bad_options_get_a_private_error_and_change_nothing(
    rapport: Rapport, world: World, options: dict[str, Any], says: str
) -> None:
    talk(world, CONVERSATION)
    reply = await answer(await run(world, world.alice, **options))
    assert reply.ephemeral and says in reply.content, reply.content
    assert await summaries(rapport) == []
    assert channel_posts(world) == []


async def test_links_to_other_servers_and_channels_are_refused_clearly(rapport: Rapport, world: World) -> None:
    here = talk(world, CONVERSATION)
    elsewhere = world.double.send_message_now(world.stranger, world.other_channel, "hello from elsewhere",
                                              at=START - HOUR)
    other_here = world.double.create_channel(world.guild, "random")
    there = talk(world, [("bob", "hi")], channel=other_here)

    reply = await answer(await run(world, world.alice, since=link(elsewhere)))
    assert "another server" in reply.content
    reply = await answer(await run(world, world.alice, since=link(there[0])))
    assert "another channel" in reply.content and f"<#{other_here.id}>" in reply.content
    unknown = f"https://discord.com/channels/{world.guild.id}/{here[0].id}/{here[0].id}"
    reply = await answer(await run(world, world.alice, since=unknown))
    assert "can't find the channel" in reply.content
    deleted = f"https://discord.com/channels/{world.guild.id}/{world.general.id}/{here[0].id + 1}"
    reply = await answer(await run(world, world.alice, since=deleted))
    assert "can't find the message" in reply.content
    reply = await answer(await run(world, world.alice, since=link(here[3]), until=link(here[1])))
    assert "before" in reply.content
    assert await summaries(rapport) == []


async def test_nothing_to_summarize(rapport: Rapport, world: World) -> None:
    reply = await answer(await run(world, world.alice, since="10m"))
    assert reply.ephemeral and "nothing to summarize" in reply.content
    assert await summaries(rapport) == []
