"""/commit through the double: adding, proposing, dates, lists, showing and changing commitments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapter.client import Rapport
from bot.commitments.service import CommitmentService
from tests.double import DoubleUsageError
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash

NOT_ALLOWED = "Only the owner or a manager can change this."


def service(bot: Rapport) -> CommitmentService:
    return bot.service(CommitmentService)


async def rows(bot: Rapport) -> list[tuple[Any, ...]]:
    """The commitments table, for "nothing changed" checks."""
    found = await bot.db.fetchall("SELECT * FROM commitments ORDER BY id")
    return [tuple(r) for r in found]


def epoch(dt: datetime) -> int:
    return int(dt.timestamp())


def no_pings(message: Any) -> None:
    """Sent with allowed_mentions that ping nobody, and Discord saw no mentions."""
    assert message.allowed_mentions is not None
    assert message.allowed_mentions.get("parse", []) == []
    assert not message.allowed_mentions.get("users") and not message.allowed_mentions.get("roles")
    assert message.mention_ids == [] and message.mention_role_ids == [] and not message.mention_everyone


async def reply_text(rec: Any) -> str:
    """The visible answer of a command: the response, or the first followup after a defer."""
    if rec.response_type == 5:
        return (await rec.wait_followup(1)).content
    return rec.content


def member(world: World, name: str, *roles: Any) -> Any:
    user = world.double.create_user(name)
    world.double.add_member(world.guild, user, roles=roles)
    return user


# -- adding -----------------------------------------------------------------------------------------------
async def test_add_for_yourself(rapport: Rapport, world: World) -> None:
    rec = await slash(world.double, world.alice, world.general, "commit add", what="Write the release notes",
                      due="tomorrow 5pm")
    assert rec.ephemeral
    due = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert "**#1**" in rec.content and "Write the release notes" in rec.content
    assert f"<t:{epoch(due)}:F>" in rec.content
    no_pings(rec.message)
    c = await service(rapport).by_number(world.guild.id, 1)
    assert (c.owner_id, c.creator_id, c.status, c.due_at, c.text) == (
        world.alice.id, world.alice.id, "open", due, "Write the release notes")
    assert c.source_kind == "manual" and c.source_channel_id == world.general.id
    assert c.source_url == f"https://discord.com/channels/{world.guild.id}/{world.general.id}"
    assert c.next_nudge_at == due - timedelta(hours=24)
    second = await slash(world.double, world.alice, world.general, "commit add", what="No date")
    assert "**#2**" in second.content and "no due date" in second.content
    assert (await service(rapport).by_number(world.guild.id, 2)).due_at is None


async def test_add_for_someone_else_who_accepts(rapport: Rapport, world: World) -> None:
    rec = await slash(world.double, world.alice, world.general, "commit add", what="Review the budget",
                      due="fri", owner=world.bob)
    text = await reply_text(rec)
    assert "Proposed **#1** to <@" in text and "asked them privately" in text
    c = await service(rapport).by_number(world.guild.id, 1)
    assert (c.status, c.owner_id, c.creator_id, c.next_nudge_at) == ("proposed", world.bob.id, world.alice.id, None)
    # Not tracked yet: not in the owner's open list.
    listed = await slash(world.double, world.bob, world.general, "commit list")
    assert "nothing here" in listed.content
    dm = world.double.dm_messages(world.bob)[-1]
    assert "Review the budget" in dm.content and "Team" in dm.content
    assert dm.custom_ids() == [f"commit:{c.id}:accept", f"commit:{c.id}:decline"]
    no_pings(dm)
    # Only the owner may answer.
    with pytest.raises(DoubleUsageError):
        await world.double.click(world.alice, dm, f"commit:{c.id}:accept")  # it is bob's DM: alice can't see it
    click = await world.double.click(world.bob, dm, f"commit:{c.id}:accept")
    await click.wait_response()
    assert "You took on **#1**" in dm.content and dm.components == []
    c = await service(rapport).by_number(world.guild.id, 1)
    assert c.status == "open" and c.opened_at is not None
    assert c.due_at == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
    assert c.next_nudge_at == c.due_at - timedelta(hours=24)
    listed = await slash(world.double, world.bob, world.general, "commit list")
    assert "Review the budget" in embed_text(listed)


async def test_add_for_someone_else_who_declines(rapport: Rapport, world: World) -> None:
    rec = await slash(world.double, world.alice, world.general, "commit add", what="Host the retro", owner=world.bob)
    await reply_text(rec)
    c = await service(rapport).by_number(world.guild.id, 1)
    dm = world.double.dm_messages(world.bob)[-1]
    click = await world.double.click(world.bob, dm, f"commit:{c.id}:decline")
    await click.wait_response()
    assert "You declined **#1**" in dm.content and dm.components == []
    c = await service(rapport).by_number(world.guild.id, 1)
    assert c.status == "declined" and c.closed_at is not None and c.next_nudge_at is None
    # The button is gone; pressing a stale copy (e.g. from /commit show) says so and changes nothing.
    before = await rows(rapport)
    shown = await slash(world.double, world.bob, world.general, "commit show", id="1")
    assert "declined" in embed_text(shown) and shown.message.components == []
    assert await rows(rapport) == before


async def test_proposal_when_dms_are_closed_mentions_the_owner_once_in_the_channel(
    rapport: Rapport, world: World
) -> None:
    world.double.set_dms_open(world.bob, False)
    rec = await slash(world.double, world.alice, world.general, "commit add", what="Fix the @everyone bug",
                      owner=world.bob)
    text = await reply_text(rec)
    assert "DMs are closed" in text
    posts = world.double.messages(world.general)
    assert len(posts) == 1
    post = posts[0]
    assert post.content.startswith(f"<@{world.bob.id}> ")
    assert [int(u) for u in post.allowed_mentions["users"]] == [world.bob.id]
    assert post.allowed_mentions.get("parse") == [] and not post.allowed_mentions.get("roles")
    assert post.mention_ids == [world.bob.id] and not post.mention_everyone
    c = await service(rapport).by_number(world.guild.id, 1)
    # Someone else pressing Accept in the channel is refused; the owner can.
    click = await world.double.click(world.alice, post, f"commit:{c.id}:accept")
    await click.wait_response()
    assert click.ephemeral and "Only the person it is proposed to" in click.content
    assert (await service(rapport).get(c.id)).status == "proposed"
    click = await world.double.click(world.bob, post, f"commit:{c.id}:accept")
    await click.wait_response()
    assert (await service(rapport).get(c.id)).status == "open"
    assert (await rapport.prefs.member(world.bob.id)).dm_unreachable_until is not None


async def test_proposal_can_be_accepted_from_show(rapport: Rapport, world: World) -> None:
    rec = await slash(world.double, world.alice, world.general, "commit add", what="Send invoices", owner=world.bob)
    await reply_text(rec)
    shown = await slash(world.double, world.bob, world.general, "commit show", id="#1")
    c = await service(rapport).by_number(world.guild.id, 1)
    assert shown.message.custom_ids() == [f"commit:{c.id}:accept", f"commit:{c.id}:decline"]
    other_view = await slash(world.double, world.alice, world.general, "commit show", id="#1")
    assert other_view.message.components == []
    click = await world.double.click(world.bob, shown.message, f"commit:{c.id}:accept")
    await click.wait_response()
    assert (await service(rapport).get(c.id)).status == "open"


# -- dates ------------------------------------------------------------------------------------------------
# The clock starts on Monday 2026-11-30 14:00 UTC: 09:00 in New York, 23:00 in Tokyo.
DATE_FORMS = {
    "America/New_York": {
        "tomorrow 5pm": datetime(2026, 12, 1, 22, 0, tzinfo=UTC),
        "fri": datetime(2026, 12, 4, 22, 0, tzinfo=UTC),
        "in 3 days": datetime(2026, 12, 3, 14, 0, tzinfo=UTC),
        "2026-12-01 17:00": datetime(2026, 12, 1, 22, 0, tzinfo=UTC),
        "dec 2": datetime(2026, 12, 2, 22, 0, tzinfo=UTC),
        "2026-12-02": datetime(2026, 12, 2, 22, 0, tzinfo=UTC),
        "in 2 hours": datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
        "5pm": datetime(2026, 11, 30, 22, 0, tzinfo=UTC),
    },
    "Asia/Tokyo": {
        "tomorrow 5pm": datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        "fri": datetime(2026, 12, 4, 8, 0, tzinfo=UTC),
        "in 3 days": datetime(2026, 12, 3, 14, 0, tzinfo=UTC),
        "2026-12-01 17:00": datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        "dec 2": datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
        "2026-12-02": datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
        "in 2 hours": datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
        "5pm": datetime(2026, 12, 1, 8, 0, tzinfo=UTC),  # 17:00 today has passed in Tokyo
    },
}
BAD_DATES = {
    "yesterday": "past",
    "2026-11-30 08:00": "past",
    "someday soon": "couldn't read",
    "12/01": "month as a word",
    "2035-01-01": "too far",
    "25:00": "hours go up to 23",
}


@pytest.mark.parametrize("zone", sorted(DATE_FORMS))
async def test_every_date_form_in_the_owner_time_zone(rapport: Rapport, world: World, zone: str) -> None:
    await slash(world.double, world.alice, world.general, "me timezone", timezone=zone)
    for number, (typed, expected) in enumerate(DATE_FORMS[zone].items(), start=1):
        rec = await slash(world.double, world.alice, world.general, "commit add", what=f"task {typed}", due=typed)
        assert f"<t:{epoch(expected)}:F>" in rec.content, (typed, rec.content)
        assert zone in rec.content
        assert (await service(rapport).by_number(world.guild.id, number)).due_at == expected, typed


@pytest.mark.parametrize("zone", sorted(DATE_FORMS))
async def test_bad_dates_get_a_short_ephemeral_error_with_examples(rapport: Rapport, world: World, zone: str) -> None:
    await slash(world.double, world.alice, world.general, "me timezone", timezone=zone)
    for typed, reason in BAD_DATES.items():
        rec = await slash(world.double, world.alice, world.general, "commit add", what="x", due=typed)
        assert rec.ephemeral and reason in rec.content, (typed, rec.content)
        assert len(rec.content) < 300
        if reason in ("past", "couldn't read"):
            assert "tomorrow 5pm" in rec.content
    assert await rows(rapport) == []
    assert await rapport.db.fetchval("SELECT count(*) FROM commitment_events") == 0


async def test_due_for_someone_else_is_read_in_their_time_zone(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.alice, world.general, "me timezone", timezone="America/New_York")
    await slash(world.double, world.bob, world.general, "me timezone", timezone="Asia/Tokyo")
    rec = await slash(world.double, world.alice, world.general, "commit add", what="Ship it", due="tomorrow 5pm",
                      owner=world.bob)
    text = await reply_text(rec)
    assert "Asia/Tokyo" in text
    c = await service(rapport).by_number(world.guild.id, 1)
    assert c.due_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


# -- bad input of every kind ------------------------------------------------------------------------------
async def test_bad_input_is_refused_briefly_and_changes_nothing(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.alice, world.general, "commit add", what="Keep me", due="fri")
    before = await rows(rapport)
    events_before = await rapport.db.fetchval("SELECT count(*) FROM commitment_events")
    helper_bot = world.double.create_user("helperbot", bot=True)
    world.double.add_member(world.guild, helper_bot)
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("commit add", {"what": "   "}, "Please say what"),
        ("commit add", {"what": "x", "owner": helper_bot}, "Bots can't keep commitments"),
        ("commit show", {"id": "abc"}, "look like `#12`"),
        ("commit show", {"id": "#99"}, "couldn't find commitment #99"),
        ("commit done", {"id": "0"}, "couldn't find"),
        ("commit snooze", {"id": "1", "until": "yesterday"}, "past"),
        ("commit snooze", {"id": "1", "until": "next year maybe"}, "couldn't read"),
        ("commit snooze", {"id": "1", "until": "in 400 days"}, "too far"),
        ("commit renegotiate", {"id": "1", "due": "2026-11-01"}, "past"),
        ("commit renegotiate", {"id": "1", "due": "soonish"}, "couldn't read"),
        ("commit list", {"status": "done", "when": "overdue"}, "Only open commitments can be overdue"),
    ]
    for name, options, expected in cases:
        rec = await slash(world.double, world.alice, world.general, name, **options)
        assert rec.ephemeral and expected in rec.content, (name, options, rec.content)
        assert len(rec.content) < 300, rec.content
    assert await rows(rapport) == before
    assert await rapport.db.fetchval("SELECT count(*) FROM commitment_events") == events_before
    # Limits Discord itself enforces from the command definition (the double refuses like the client would).
    with pytest.raises(DoubleUsageError, match="1-300 characters"):
        await world.double.slash(world.alice, world.general, "commit add", what="x" * 301)
    with pytest.raises(DoubleUsageError, match="1-300 characters"):
        await world.double.slash(world.alice, world.general, "commit done", id="1", note="n" * 301)
    assert await rows(rapport) == before


async def test_settings_nudges_bad_input_changes_nothing(rapport: Rapport, world: World) -> None:
    for typed, expected in (("banana", "couldn't read"), ("1m", "between 15m and 7d"), ("30d", "between")):
        rec = await slash(world.double, world.owner, world.general, "settings nudges", before=typed)
        assert rec.ephemeral and expected in rec.content, rec.content
    assert await rapport.db.fetchval("SELECT count(*) FROM commitment_policy") == 0
    with pytest.raises(DoubleUsageError):
        await world.double.slash(world.owner, world.general, "settings nudges", overdue=7)
    manager = member(world, "mira")
    with pytest.raises(DoubleUsageError, match="MANAGE_GUILD"):
        await world.double.slash(manager, world.general, "settings nudges", escalation="on")


async def test_settings_nudges_show_and_change(rapport: Rapport, world: World) -> None:
    shown = await slash(world.double, world.owner, world.general, "settings nudges")
    assert "a reminder 1d before the due time" in shown.content and "escalation off" in shown.content
    changed = await slash(world.double, world.owner, world.general, "settings nudges", before="2h", overdue=2,
                          escalation="on")
    assert "Saved" in changed.content and "2h before" in changed.content and "up to 2" in changed.content
    policy = await service(rapport).policy(world.guild.id)
    assert (policy.remind_before, policy.overdue_limit, policy.escalate) == (timedelta(hours=2), 2, True)
    off = await slash(world.double, world.owner, world.general, "settings nudges", before="off")
    assert "no reminder before" in off.content
    policy = await service(rapport).policy(world.guild.id)
    assert (policy.remind_before, policy.overdue_limit, policy.escalate) == (None, 2, True)
    assert (await service(rapport).policy(world.other_guild.id)).escalate is False


# -- other servers ----------------------------------------------------------------------------------------
async def test_ids_of_another_server_are_not_found(rapport: Rapport, world: World) -> None:
    svc = service(rapport)
    for i in range(3):
        await svc.add(guild_id=world.other_guild.id, owner_id=world.stranger.id, text=f"elsewhere {i}", due=None)
    await svc.add(guild_id=world.guild.id, owner_id=world.alice.id, text="here", due=None)
    before = await rows(rapport)
    for name, options in (("commit show", {"id": "3"}), ("commit done", {"id": "2"}), ("commit drop", {"id": "#3"}),
                          ("commit snooze", {"id": "2", "until": "tomorrow"}),
                          ("commit renegotiate", {"id": "3", "due": "fri"})):
        rec = await slash(world.double, world.owner, world.general, name, **options)
        assert rec.ephemeral and "couldn't find commitment" in rec.content and "in this server" in rec.content
    assert await rows(rapport) == before
    shown = await slash(world.double, world.alice, world.general, "commit show", id="1")
    assert "here" in embed_text(shown) and "elsewhere" not in embed_text(shown)


# -- lists ------------------------------------------------------------------------------------------------
async def test_list_filters_sorting_and_pages(rapport: Rapport, world: World) -> None:
    svc = service(rapport)
    now = rapport.clock.now()
    # 12 open ones for alice, due in 1..12 days (added in reverse), plus one without a date.
    for days in range(12, 0, -1):
        await svc.add(guild_id=world.guild.id, owner_id=world.alice.id, text=f"task in {days} days",
                      due=now + timedelta(days=days))
    undated = await svc.add(guild_id=world.guild.id, owner_id=world.alice.id, text="undated", due=None)
    done = await svc.add(guild_id=world.guild.id, owner_id=world.alice.id, text="finished", due=None)
    await svc.done(done, actor_id=world.alice.id, actor_is_manager=False)
    dropped = await svc.add(guild_id=world.guild.id, owner_id=world.alice.id, text="abandoned", due=None)
    await svc.drop(dropped, actor_id=world.alice.id, actor_is_manager=False)
    await svc.add(guild_id=world.guild.id, owner_id=world.bob.id, text="bob's thing", due=now + timedelta(days=2))

    rec = await slash(world.double, world.alice, world.general, "commit list")
    assert rec.ephemeral
    page1 = embed_text(rec)
    assert "Page 1 of 2" in page1
    lines = [line for line in rec.embeds[0]["description"].splitlines()]
    assert len(lines) == 10
    assert "task in 1 days" in lines[0] and "task in 10 days" in lines[9]
    assert "bob's thing" not in page1 and "finished" not in page1
    no_pings(rec.message)
    next_id = rec.message.components[0]["components"][1]["custom_id"]
    click = await world.double.click(world.alice, rec.message, next_id)
    await click.wait_response()
    page2 = rec.message.embeds[0]["description"].splitlines()
    assert len(page2) == 3 and "task in 12 days" in page2[1] and "undated" in page2[2]
    assert f"**#{undated.number}**" in page2[2]

    done_list = await slash(world.double, world.alice, world.general, "commit list", status="done")
    assert "finished" in embed_text(done_list) and "task in" not in embed_text(done_list)
    dropped_list = await slash(world.double, world.alice, world.general, "commit list", status="dropped")
    assert "abandoned" in embed_text(dropped_list) and "finished" not in embed_text(dropped_list)
    everything = await slash(world.double, world.alice, world.general, "commit list", status="all")
    assert "Page 1 of 2" in embed_text(everything)

    week = await slash(world.double, world.alice, world.general, "commit list", when="this-week")
    # Monday to Sunday in alice's zone (UTC): due in 1..6 days.
    week_lines = week.embeds[0]["description"].splitlines()
    assert len(week_lines) == 6 and "task in 6 days" in week_lines[-1]

    bobs = await slash(world.double, world.alice, world.general, "commit list", member=world.bob)
    assert "bob's thing" in embed_text(bobs) and "bob's commitments" in embed_text(bobs)

    rapport.clock.set(now + timedelta(days=3, hours=1))  # three are now past their due time
    overdue = await slash(world.double, world.alice, world.general, "commit list", when="overdue")
    overdue_lines = overdue.embeds[0]["description"].splitlines()
    assert [line.split("**")[1] for line in overdue_lines] == ["#12", "#11", "#10"]
    nothing = await slash(world.double, world.bob, world.general, "commit list", status="dropped")
    assert "nothing here" in nothing.content


async def test_autocomplete_offers_own_open_commitments_with_a_snippet(rapport: Rapport, world: World) -> None:
    svc = service(rapport)
    await svc.add(guild_id=world.guild.id, owner_id=world.alice.id, text="Write the release notes", due=None)
    await svc.add(guild_id=world.guild.id, owner_id=world.alice.id, text="Book the room", due=None)
    await svc.add(guild_id=world.guild.id, owner_id=world.bob.id, text="Write bob's report", due=None)
    await svc.add(guild_id=world.other_guild.id, owner_id=world.alice.id, text="Write elsewhere", due=None)
    rec = await world.double.autocomplete(world.alice, world.general, "commit done", focused="id", id="write")
    await rec.wait_response()
    assert rec.choices == [{"name": "#1 · Write the release notes", "value": "1"}]
    rec = await world.double.autocomplete(world.alice, world.general, "commit show", focused="id", id="")
    await rec.wait_response()
    assert [c["value"] for c in rec.choices] == ["1", "2"]


# -- changes and who may make them ------------------------------------------------------------------------
async def test_changes_by_owner_creator_manager_and_stranger(rapport: Rapport, world: World) -> None:
    await rapport.prefs.update_guild(world.guild.id, rapport.clock.now(), manager_role_id=world.manager_role.id)
    mira = member(world, "mira", world.manager_role)
    carol = member(world, "carol")
    svc = service(rapport)
    now = rapport.clock.now()
    proposed = await svc.propose(guild_id=world.guild.id, owner_id=world.bob.id, creator_id=world.alice.id,
                                 text="Prepare the demo", due=now + timedelta(days=3), source_kind="manual",
                                 source_url=None, source_channel_id=world.general.id)
    await svc.accept(proposed.id, world.bob.id)
    before = await rows(rapport)

    # A member who is neither owner, creator nor manager: refused every time, nothing changes.
    for name, options in (("commit done", {}), ("commit snooze", {"until": "tomorrow"}),
                          ("commit renegotiate", {"due": "fri"}), ("commit drop", {})):
        rec = await slash(world.double, carol, world.general, name, id="1", **options)
        assert rec.ephemeral and rec.content == NOT_ALLOWED, (name, rec.content)
    assert await rows(rapport) == before

    # The creator may snooze.
    rec = await slash(world.double, world.alice, world.general, "commit snooze", id="1", until="wed 9am")
    assert "no reminders until" in rec.content
    c = await svc.by_number(world.guild.id, 1)
    assert c.snooze_until == datetime(2026, 12, 2, 9, 0, tzinfo=UTC) and c.due_at == now + timedelta(days=3)

    # A manager (by role) may renegotiate; the old date stays in the history.
    rec = await slash(world.double, mira, world.general, "commit renegotiate", id="1", due="2026-12-10",
                      note="Waiting on design")
    assert "new due date" in rec.content
    c = await svc.by_number(world.guild.id, 1)
    assert c.due_at == datetime(2026, 12, 10, 17, 0, tzinfo=UTC) and c.round == 1
    shown = await slash(world.double, carol, world.general, "commit show", id="1")
    history = embed_text(shown)
    assert f"<t:{epoch(now + timedelta(days=3))}:f> to <t:{epoch(c.due_at)}:f>" in history
    assert "Waiting on design" in history and "renegotiated" in history

    # The owner marks it done with a note.
    rec = await slash(world.double, world.bob, world.general, "commit done", id="1", note="Demo went well")
    assert "done" in rec.content
    c = await svc.by_number(world.guild.id, 1)
    assert c.status == "done" and c.next_nudge_at is None
    again = await slash(world.double, world.bob, world.general, "commit done", id="1")
    assert again.ephemeral and "already done" in again.content

    # Manage Server (the server owner) counts as a manager too; dropping keeps a reason.
    other = await svc.add(guild_id=world.guild.id, owner_id=world.bob.id, text="Tidy the wiki", due=None)
    rec = await slash(world.double, world.owner, world.general, "commit drop", id=str(other.number),
                      reason="No longer needed")
    assert "dropped" in rec.content
    assert (await svc.get(other.id)).status == "dropped"
    events = await svc.repo.events(other.id)
    assert (events[-1].kind, events[-1].actor_id, events[-1].note) == ("dropped", world.owner.id, "No longer needed")


async def test_text_with_everyone_and_role_mentions_pings_nobody(rapport: Rapport, world: World) -> None:
    sneaky = f"@everyone @here <@&{world.manager_role.id}> <@{world.bob.id}> look"
    rec = await slash(world.double, world.alice, world.general, "commit add", what=sneaky, due="tomorrow")
    no_pings(rec.message)
    assert "@\u200beveryone" in rec.content
    listed = await slash(world.double, world.alice, world.general, "commit list")
    no_pings(listed.message)
    shown = await slash(world.double, world.alice, world.general, "commit show", id="1")
    no_pings(shown.message)
    rec = await slash(world.double, world.alice, world.general, "commit done", id="1")
    no_pings(rec.message)
    # The celebration follows the reply.
    celebration = await world.double.wait_for_message(
        lambda m: m.channel_id == world.general.id and "followed through" in m.content
    )
    no_pings(celebration)
    # Proposals: the DM pings nobody either.
    rec = await slash(world.double, world.alice, world.general, "commit add", what=sneaky, owner=world.bob)
    await reply_text(rec)
    for followup in rec.followups:
        no_pings(followup)
    no_pings(world.double.dm_messages(world.bob)[-1])
