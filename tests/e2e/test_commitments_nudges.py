"""Commitment nudges through the double: the policy over time, buttons, restarts, quiet hours, away time,
closed DMs, escalation and celebration. Time passes with ``bot.jobs.advance`` on the shared fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.adapter.client import Rapport
from bot.commitments.models import Commitment
from bot.commitments.service import CommitmentService
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import slash

DAY = timedelta(days=1)
NOT_ALLOWED = "Only the owner or a manager can change this."


def service(bot: Rapport) -> CommitmentService:
    return bot.service(CommitmentService)


def no_pings(message: Any) -> None:
    assert message.allowed_mentions is not None
    assert message.allowed_mentions.get("parse", []) == []
    assert not message.allowed_mentions.get("users") and not message.allowed_mentions.get("roles")
    assert message.mention_ids == [] and message.mention_role_ids == [] and not message.mention_everyone


def pings_only(message: Any, user: Any) -> None:
    assert message.allowed_mentions.get("parse", []) == []
    assert [int(u) for u in message.allowed_mentions.get("users", [])] == [user.id]
    assert not message.allowed_mentions.get("roles") and not message.allowed_mentions.get("replied_user")
    assert message.mention_ids == [user.id] and message.mention_role_ids == [] and not message.mention_everyone


def buttons(c: Commitment, *actions: str) -> list[str]:
    return [f"commit:{c.id}:{a}" for a in actions]


async def add(bot: Rapport, world: World, text: str, due: datetime | None, owner: Any = None) -> Commitment:
    return await service(bot).add(
        guild_id=world.guild.id,
        owner_id=(owner or world.alice).id,
        text=text,
        due=due,
        source_url=f"https://discord.com/channels/{world.guild.id}/{world.general.id}",
        source_channel_id=world.general.id,
    )


async def steps(bot: Rapport, c: Commitment) -> list[tuple[int, str, str, datetime]]:
    return [(n.round, n.step, n.delivery, n.recorded_at) for n in await service(bot).repo.nudges(c.id)]


async def test_reminder_before_due_then_overdue_backoff(rapport: Rapport, world: World) -> None:
    start = rapport.clock.now()
    due = start + 3 * DAY
    c = await add(rapport, world, "Write the release notes", due)
    await rapport.jobs.advance(2 * DAY - timedelta(minutes=1))
    assert world.double.dm_messages(world.alice) == []
    await rapport.jobs.advance(timedelta(minutes=1))
    dms = world.double.dm_messages(world.alice)
    assert len(dms) == 1
    assert "A friendly reminder" in dms[0].content and "Write the release notes" in dms[0].content
    assert f"<t:{int(due.timestamp())}:R>" in dms[0].content and "Team" in dms[0].content
    assert dms[0].custom_ids() == buttons(c, "done", "snooze", "reneg", "help")
    no_pings(dms[0])

    await rapport.jobs.advance(60 * DAY)
    dms = world.double.dm_messages(world.alice)
    assert len(dms) == 7
    assert all("Checking in on **#1**" in m.content for m in dms[1:])
    assert [(s, d, at - due) for _, s, d, at in await steps(rapport, c)] == [
        ("before", "dm", -DAY),
        ("overdue-1", "dm", DAY),
        ("overdue-2", "dm", 3 * DAY),
        ("overdue-3", "dm", 7 * DAY),
        ("overdue-4", "dm", 14 * DAY),
        ("overdue-5", "dm", 21 * DAY),
        ("overdue-6", "dm", 28 * DAY),
    ]
    # Never a message in the channel, never a list of anyone.
    assert world.double.messages(world.general) == []


async def test_nudge_buttons_work_after_a_restart(runner: BotRunner, rapport: Rapport, world: World) -> None:
    start = rapport.clock.now()
    first = await add(rapport, world, "Send the invoices", start + 2 * DAY)
    second = await add(rapport, world, "Book the venue", start + 2 * DAY)
    await rapport.jobs.advance(DAY)
    # The two nudges go out concurrently: tell their DMs apart by their buttons, not by arrival order.
    dms = world.double.dm_messages(world.alice)
    assert len(dms) == 2
    dm_first = next(m for m in dms if m.custom_ids() == buttons(first, "done", "snooze", "reneg", "help"))
    dm_second = next(m for m in dms if m.custom_ids() == buttons(second, "done", "snooze", "reneg", "help"))

    bot = await runner.restart()
    assert bot is not rapport
    # Nothing is sent again by the restart itself.
    await bot.jobs.advance(timedelta(0))
    assert len(world.double.dm_messages(world.alice)) == 2

    click = await world.double.click(world.alice, dm_first, f"commit:{first.id}:done")
    await click.wait_response()
    assert "is done. Thank you for following through!" in dm_first.content and dm_first.components == []
    assert "share the good news" in dm_first.content
    assert (await service(bot).get(first.id)).status == "done"
    # The celebration follows the reply (it reads the server's language first).
    await world.double.wait_until(lambda: world.double.messages(world.general))
    celebration = world.double.messages(world.general)[-1]
    assert celebration.content == f"🎉 <@{world.alice.id}> followed through: “Send the invoices”"
    no_pings(celebration)

    # Closed by a command; the old DM's button then says so and changes nothing.
    await slash(world.double, world.alice, world.general, "commit drop", id=str(second.number))
    before = await service(bot).get(second.id)
    click = await world.double.click(world.alice, dm_second, f"commit:{second.id}:snooze")
    await click.wait_response()
    assert click.ephemeral and click.content == "#2 is already dropped: nothing to change."
    assert await service(bot).get(second.id) == before

    # No more nudges for either.
    await bot.jobs.advance(40 * DAY)
    assert len(world.double.dm_messages(world.alice)) == 2


async def test_snooze_and_need_help_buttons(rapport: Rapport, world: World) -> None:
    start = rapport.clock.now()
    c = await add(rapport, world, "Update the roadmap", start + 2 * DAY)
    await rapport.jobs.advance(DAY)
    (dm,) = world.double.dm_messages(world.alice)

    click = await world.double.click(world.alice, dm, f"commit:{c.id}:snooze")
    await click.wait_response()
    assert click.ephemeral and "remind you again" in click.content
    assert (await service(rapport).get(c.id)).snooze_until == start + 2 * DAY
    await rapport.jobs.advance(DAY - timedelta(minutes=1))
    assert len(world.double.dm_messages(world.alice)) == 1
    await rapport.jobs.advance(timedelta(minutes=1))
    assert "Here's the reminder you asked for" in world.double.dm_messages(world.alice)[-1].content

    click = await world.double.click(world.alice, dm, f"commit:{c.id}:help")
    await click.wait_response()
    await click.wait_followup(1)  # acknowledged first; the answer follows the channel post
    assert click.ephemeral and f"<#{world.general.id}>" in click.content
    (post,) = world.double.messages(world.general)
    assert post.content == f"<@{world.alice.id}> could use a hand with: **#1** “Update the roadmap”"
    pings_only(post, world.alice)
    again = await world.double.click(world.alice, dm, f"commit:{c.id}:help")
    await again.wait_response()
    await again.wait_followup(1)
    assert "recently" in again.content and len(world.double.messages(world.general)) == 1


async def test_renegotiate_button_opens_a_form_and_restarts_the_policy(rapport: Rapport, world: World) -> None:
    start = rapport.clock.now()
    c = await add(rapport, world, "Draft the proposal", start + DAY + timedelta(hours=2))
    await rapport.jobs.advance(3 * DAY)  # reminder, then overdue-1
    dms = world.double.dm_messages(world.alice)
    assert len(dms) == 2
    opened = await world.double.click(world.alice, dms[-1], f"commit:{c.id}:reneg")
    await opened.wait_response()
    assert opened.modal is not None and opened.modal["title"] == "Renegotiate #1"

    # A date that can't be read: a short private error, nothing changes.
    before = await service(rapport).get(c.id)
    bad = await world.double.submit_modal(world.alice, opened, {"commit-due": "whenever", "commit-note": ""})
    await bad.wait_response()
    assert bad.ephemeral and "couldn't read" in bad.content
    assert await service(rapport).get(c.id) == before

    opened = await world.double.click(world.alice, dms[-1], f"commit:{c.id}:reneg")
    await opened.wait_response()
    submitted = await world.double.submit_modal(
        world.alice, opened, {"commit-due": "2026-12-10 12:00", "commit-note": "Needed input from legal"}
    )
    await submitted.wait_response()
    assert submitted.ephemeral and "new due date" in submitted.content
    new_due = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    moved = await service(rapport).get(c.id)
    assert moved.due_at == new_due and moved.round == 1 and moved.next_nudge_at == new_due - DAY
    events = await service(rapport).repo.events(c.id)
    assert (events[-1].kind, events[-1].old_due_at, events[-1].note) == (
        "renegotiated", start + DAY + timedelta(hours=2), "Needed input from legal")
    await rapport.jobs.advance(new_due + DAY - rapport.clock.now())
    assert [(r, s) for r, s, _, _ in await steps(rapport, c)] == [
        (0, "before"), (0, "overdue-1"), (1, "before"), (1, "overdue-1")
    ]


async def test_quiet_hours_delay_a_nudge_until_they_end(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.alice, world.general, "me quiet-hours", start="22:00", end="07:00")
    # Due Tuesday 23:00 UTC: the reminder falls on Monday 23:00, inside quiet hours.
    c = await add(rapport, world, "Call the supplier", datetime(2026, 12, 1, 23, 0, tzinfo=UTC))
    await rapport.jobs.advance(datetime(2026, 12, 1, 6, 59, tzinfo=UTC) - rapport.clock.now())
    assert world.double.dm_messages(world.alice) == []
    assert (await service(rapport).get(c.id)).next_nudge_at == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    await rapport.jobs.advance(timedelta(minutes=1))
    assert len(world.double.dm_messages(world.alice)) == 1
    assert [(s, at) for _, s, _, at in await steps(rapport, c)] == [
        ("before", datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    ]


async def test_away_holds_nudges_and_sends_one_when_back(rapport: Rapport, world: World) -> None:
    rec = await slash(world.double, world.alice, world.general, "me away", until="dec 10")
    assert "Away until" in rec.content
    c = await add(rapport, world, "Renew the domain", datetime(2026, 12, 1, 17, 0, tzinfo=UTC))
    back = datetime(2026, 12, 10, 0, 0, tzinfo=UTC)
    await rapport.jobs.advance(back - rapport.clock.now() - timedelta(minutes=1))
    assert world.double.dm_messages(world.alice) == []
    await rapport.jobs.advance(timedelta(minutes=1))
    dms = world.double.dm_messages(world.alice)
    assert len(dms) == 1 and "Checking in on **#1**" in dms[0].content
    # The reminder and overdue-1..3 fell while away: one nudge (the latest due), not a burst.
    assert [(s, at) for _, s, _, at in await steps(rapport, c)] == [("overdue-3", back)]
    await rapport.jobs.advance(datetime(2026, 12, 15, 17, 0, tzinfo=UTC) - rapport.clock.now())
    assert len(world.double.dm_messages(world.alice)) == 2


async def test_closed_dms_fall_back_to_one_channel_mention(rapport: Rapport, world: World) -> None:
    world.double.set_dms_open(world.alice, False)
    start = rapport.clock.now()
    c = await add(rapport, world, "Fix the <@&1> @everyone login bug", start + 2 * DAY)
    await rapport.jobs.advance(DAY)
    (post,) = world.double.messages(world.general)
    assert post.content.startswith(f"<@{world.alice.id}> a gentle reminder about **#1**")
    assert "@\u200beveryone" in post.content
    pings_only(post, world.alice)
    assert post.custom_ids() == buttons(c, "done", "snooze", "reneg", "help")
    member = await rapport.prefs.member(world.alice.id)
    assert member.dm_unreachable_until == start + DAY + timedelta(days=7)
    assert [d for _, _, d, _ in await steps(rapport, c)] == ["channel"]

    # Someone else can't act on it from the channel; the owner can.
    carol = world.double.create_user("carol")
    world.double.add_member(world.guild, carol)
    click = await world.double.click(carol, post, f"commit:{c.id}:done")
    await click.wait_response()
    assert click.ephemeral and click.content == NOT_ALLOWED
    # The next nudge goes straight to the channel without trying a DM, again one mention.
    requests_before = len(world.double.requests)
    await rapport.jobs.advance(2 * DAY)
    posts = world.double.messages(world.general)
    assert len(posts) == 2
    new_requests = world.double.requests[requests_before:]
    assert not any(r.path.endswith("/users/@me/channels") for r in new_requests)
    click = await world.double.click(world.alice, posts[-1], f"commit:{c.id}:done")
    await click.wait_response()
    assert (await service(rapport).get(c.id)).status == "done"


async def test_escalation_off_by_default(rapport: Rapport, world: World) -> None:
    start = rapport.clock.now()
    await add(rapport, world, "Prepare the slides", start + 3 * DAY)
    await rapport.jobs.advance(40 * DAY)
    assert len(world.double.dm_messages(world.alice)) == 7
    assert world.double.messages(world.general) == []


async def test_escalation_on_mentions_the_owner_once_after_two_unanswered_dms(
    rapport: Rapport, world: World
) -> None:
    await slash(world.double, world.owner, world.general, "settings nudges", escalation="on")
    start = rapport.clock.now()
    due = start + 3 * DAY
    c = await add(rapport, world, "Prepare the slides", due)
    await rapport.jobs.advance(due + 2 * DAY - timedelta(minutes=1) - start)
    assert len(world.double.dm_messages(world.alice)) == 2 and world.double.messages(world.general) == []
    await rapport.jobs.advance(timedelta(minutes=1))
    (post,) = world.double.messages(world.general)
    assert post.content.startswith(f"<@{world.alice.id}> a gentle nudge about **#1**")
    pings_only(post, world.alice)
    await rapport.jobs.advance(40 * DAY)
    assert len(world.double.messages(world.general)) == 1  # only once
    assert len(world.double.dm_messages(world.alice)) == 7
    assert [s for _, s, _, _ in await steps(rapport, c)][:4] == ["before", "overdue-1", "escalation", "overdue-2"]


async def test_escalation_waits_when_the_owner_answers(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.owner, world.general, "settings nudges", escalation="on")
    start = rapport.clock.now()
    due = start + 3 * DAY
    c = await add(rapport, world, "Prepare the slides", due)
    await rapport.jobs.advance(due + DAY - start)
    dms = world.double.dm_messages(world.alice)
    assert len(dms) == 2
    click = await world.double.click(world.alice, dms[-1], f"commit:{c.id}:snooze")
    await click.wait_response()
    # The answer resets the count: the snoozed reminder and overdue-2 are two new DMs, no mention yet...
    await rapport.jobs.advance(2 * DAY)
    assert len(world.double.dm_messages(world.alice)) == 4
    assert world.double.messages(world.general) == []
    # ...and only a day after the second of those goes unanswered, the one gentle mention.
    await rapport.jobs.advance(DAY)
    assert len(world.double.messages(world.general)) == 1


async def test_celebration_on_and_off(rapport: Rapport, world: World) -> None:
    first = await add(rapport, world, "Ship v1", None)
    rec = await slash(world.double, world.alice, world.general, "commit done", id=str(first.number))
    assert "share the good news" in rec.content
    post = await world.double.wait_for_message(lambda m: m.channel_id == world.general.id and "🎉" in m.content)
    assert world.double.messages(world.general) == [post]
    assert post.content == f"🎉 <@{world.alice.id}> followed through: “Ship v1”"
    no_pings(post)

    await slash(world.double, world.owner, world.general, "settings celebrate", enabled="off")
    second = await add(rapport, world, "Ship v2", None)
    rec = await slash(world.double, world.alice, world.general, "commit done", id=str(second.number))
    assert "done" in rec.content and "share" not in rec.content
    assert len(world.double.messages(world.general)) == 1
    assert (await service(rapport).get(second.id)).status == "done"


async def test_a_restart_rebuilds_the_dispatcher_and_never_sends_twice(
    runner: BotRunner, rapport: Rapport, world: World
) -> None:
    start = rapport.clock.now()
    c = await add(rapport, world, "Water the plants", start + 2 * DAY)
    bot = await runner.restart()
    assert {k: v for k, v in bot.jobs.pending().items() if k.startswith("dispatch:commitments")} == {
        "dispatch:commitments": start + DAY
    }
    # The bot was down when the reminder fell due: the next start sends it once.
    await runner.stop()
    runner.clock.set(start + DAY + timedelta(hours=3))
    bot = await runner.start()
    await bot.jobs.advance(timedelta(0))
    assert len(world.double.dm_messages(world.alice)) == 1
    bot = await runner.restart()
    await bot.jobs.advance(timedelta(0))
    assert len(world.double.dm_messages(world.alice)) == 1
    assert {k: v for k, v in bot.jobs.pending().items() if k.startswith("dispatch:commitments")} == {
        "dispatch:commitments": start + 3 * DAY
    }
    await bot.jobs.advance(2 * DAY)
    assert len(world.double.dm_messages(world.alice)) == 2
    assert [s for _, s, _, _ in await steps(bot, c)] == ["before", "overdue-1"]
