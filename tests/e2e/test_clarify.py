"""Ask for clarification through the double: from the request to Clarified, by reply, the reminder, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.adapter.client import Rapport
from bot.clarify.service import REMIND_JOB, ClarifyService
from tests.double import perms
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash

MENU = "Ask for clarification"


async def ask(world: World, asker: Any, message: Any, channel: Any = None) -> Any:
    """Open the menu on ``message``; returns the record (a modal, or a private refusal)."""
    record = await world.double.context_menu(asker, channel or world.general, MENU, target=message)
    await record.wait_response(timeout=10)
    return record


async def ask_ok(world: World, asker: Any, message: Any, question: str | None = None, channel: Any = None) -> Any:
    opened = await ask(world, asker, message, channel)
    assert opened.modal is not None, (opened.content, opened.errors)
    values = {} if question is None else {"clarify-question": question}
    submitted = await world.double.submit_modal(asker, opened, values)
    await submitted.wait_response(timeout=10)
    assert submitted.response_type == 5, (submitted.content, submitted.errors)
    await submitted.wait_followup(1)
    return submitted


def requests_in(world: World, channel: Any) -> list[Any]:
    d = world.double
    return [m for m in d.messages(channel) if m.author_id == d.bot_user.id and "clarity" in m.content]


async def row(bot: Rapport, clarification_id: int = 1) -> Any:
    return await bot.db.fetchone("SELECT * FROM clarifications WHERE id = ?", (clarification_id,))


def reminders(world: World, user: Any) -> list[Any]:
    return [m for m in world.double.dm_messages(user) if "gentle nudge" in m.content]


async def test_request_then_clarified_button(rapport: Rapport, world: World) -> None:
    d = world.double
    message = await d.send_message(world.bob, world.general, "Ship it after the freeze")
    submitted = await ask_ok(world, world.alice, message, f"Which freeze? @everyone <@{world.owner.id}>")
    assert submitted.ephemeral

    # A thread from the message, with one request naming only bob and alice.
    thread = d.channel(message.id)
    assert thread.parent_id == world.general.id and message.thread is thread
    [request] = requests_in(world, thread)
    assert set(request.mention_ids) == {world.bob.id, world.alice.id}
    assert not request.mention_everyone and request.mention_role_ids == []
    assert "Which freeze?" in request.content and "@\u200beveryone" in request.content
    assert request.custom_ids() == ["clarify:1:done"]
    assert f"<#{thread.id}>" in (await submitted.wait_followup(1)).content

    # Only bob may press Clarified.
    for presser in (world.alice, world.owner):
        refused = await d.click(presser, request, "clarify:1:done")
        await refused.wait_response()
        assert refused.ephemeral and "Only <@" in (refused.content or "")
    assert (await row(rapport))["state"] == "open"
    done = await d.click(world.bob, request, "clarify:1:done")
    await done.wait_response()
    assert done.response_type == 7 and request.components == [] and "Clarified" in request.content
    stored = await row(rapport)
    assert (stored["state"], stored["closed_by"]) == ("clarified", "button")
    assert REMIND_JOB not in rapport.jobs.pending()
    service = rapport.service(ClarifyService)
    now = rapport.clock.now()
    assert await service.answered_count(world.guild.id, now - timedelta(minutes=1), now + timedelta(minutes=1)) == 1
    assert await service.answered_count(world.guild.id, now + timedelta(minutes=1), now + timedelta(days=1)) == 0
    # No reminder ever follows a clarified request.
    await rapport.jobs.advance(timedelta(days=3))
    assert reminders(world, world.bob) == []


async def test_reply_in_the_thread_closes_it(rapport: Rapport, world: World) -> None:
    d = world.double
    message = await d.send_message(world.bob, world.general, "Let's move the demo")
    await ask_ok(world, world.alice, message)
    thread = d.channel(message.id)
    [request] = requests_in(world, thread)
    # Someone else writing there does not close it; bob's reply does.
    await d.send_message(world.alice, thread, "Thanks for looking")
    await d.send_message(world.owner, thread, "Me too")
    assert (await row(rapport))["state"] == "open"
    await d.send_message(world.bob, thread, "To Thursday, after the release")
    await d.wait_until(lambda: request.components == [])
    stored = await row(rapport)
    assert (stored["state"], stored["closed_by"]) == ("clarified", "reply")
    assert "replied" in request.content
    await rapport.jobs.advance(timedelta(days=2))
    assert reminders(world, world.bob) == []


async def test_one_gentle_reminder_after_a_day(rapport: Rapport, world: World) -> None:
    d = world.double
    message = await d.send_message(world.bob, world.general, "Use the new endpoint")
    await ask_ok(world, world.alice, message, "Which one?")
    await rapport.jobs.advance(timedelta(hours=23, minutes=59))
    assert reminders(world, world.bob) == []
    await rapport.jobs.advance(timedelta(minutes=1))
    [dm] = reminders(world, world.bob)
    assert f"<#{world.general.id}>" in dm.content and str(message.id) in dm.content
    assert dm.mention_ids == [] and not dm.mention_everyone
    assert reminders(world, world.alice) == []
    await rapport.jobs.advance(timedelta(days=5))
    assert len(reminders(world, world.bob)) == 1
    # Still open: the Clarified button works after the reminder.
    request = requests_in(world, d.channel(message.id))[0]
    done = await d.click(world.bob, request, request.custom_ids()[0])
    await done.wait_response()
    assert (await row(rapport))["state"] == "clarified"


async def test_the_reminder_waits_for_quiet_hours_and_survives_a_restart(runner: BotRunner, world: World) -> None:
    d = world.double
    bot = await runner.start()
    # Asked on Monday 14:00 UTC; bob's quiet hours 13:00-18:00 hold the reminder until Tuesday 18:00.
    await bot.prefs.update_member(world.bob.id, bot.clock.now(), quiet_start=time(13), quiet_end=time(18))
    message = await d.send_message(world.bob, world.general, "Budget is approved")
    await ask_ok(world, world.alice, message, "For which quarter?")
    stored = await row(bot)
    assert stored["remind_at"] == int(datetime(2026, 12, 1, 18, 0, tzinfo=UTC).timestamp())
    bot = await runner.restart()
    await bot.jobs.advance(timedelta(hours=24))
    assert reminders(world, world.bob) == []
    await bot.jobs.advance(timedelta(hours=3, minutes=59))
    assert reminders(world, world.bob) == []
    await bot.jobs.advance(timedelta(minutes=1))
    assert len(reminders(world, world.bob)) == 1
    bot = await runner.restart()
    await bot.jobs.advance(timedelta(days=3))
    assert len(reminders(world, world.bob)) == 1
    # The button still works after restarts.
    request = requests_in(world, d.channel(message.id))[0]
    done = await d.click(world.bob, request, request.custom_ids()[0])
    await done.wait_response()
    assert done.response_type == 7 and (await row(bot))["state"] == "clarified"


async def test_quiet_hours_set_after_asking_still_count(rapport: Rapport, world: World) -> None:
    d = world.double
    message = await d.send_message(world.bob, world.general, "Moving standup")
    await ask_ok(world, world.alice, message)
    await slash(d, world.bob, world.general, "me quiet-hours", start="13:00", end="16:00")
    await rapport.jobs.advance(timedelta(hours=24))
    assert reminders(world, world.bob) == []
    await rapport.jobs.advance(timedelta(hours=2))
    assert len(reminders(world, world.bob)) == 1


async def test_existing_threads_are_used(rapport: Rapport, world: World) -> None:
    d = world.double
    message = await d.send_message(world.bob, world.general, "New on-call rota")
    await ask_ok(world, world.alice, message)
    thread = d.channel(message.id)
    # A second person asking about the same message gets the same thread.
    await ask_ok(world, world.owner, message, "From when?")
    assert len(d.threads(world.general)) == 1
    assert len(requests_in(world, thread)) == 2

    # /clarify list: bob received two, alice asked one, and nobody else sees them.
    received = await slash(d, world.bob, world.general, "clarify list")
    assert received.ephemeral and embed_text(received).count("asked about [your message]") == 2
    asked = await slash(d, world.alice, world.general, "clarify list")
    assert embed_text(asked).count("You asked") == 1 and "Asked of you" not in embed_text(asked)
    carol = d.create_user("carol")
    d.add_member(world.guild, carol)
    nobody = await slash(d, carol, world.general, "clarify list")
    assert "no open requests" in nobody.content

    # bob writing in the thread answers both (each was posted before his message).
    inner = await d.send_message(world.bob, thread, "Weekly, starting Monday")
    await d.wait_until(lambda: all(m.components == [] for m in requests_in(world, thread)))

    # A message that is itself in a thread: the request is a reply there.
    await ask_ok(world, world.alice, inner, "Which Monday?", channel=thread)
    assert len(d.threads(world.general)) == 1
    reply = requests_in(world, thread)[-1]
    assert reply.message_reference is not None and int(reply.message_reference["message_id"]) == inner.id
    assert set(reply.mention_ids) == {world.alice.id, world.bob.id}
    received = await slash(d, world.bob, world.general, "clarify list")
    assert embed_text(received).count("asked about [your message]") == 1
    await d.send_message(world.bob, thread, "Monday the 7th")
    await d.wait_until(lambda: reply.components == [])
    done = await slash(d, world.bob, world.general, "clarify list")
    assert "no open requests" in done.content


async def test_refusals(rapport: Rapport, world: World) -> None:
    d = world.double
    own = await d.send_message(world.alice, world.general, "My own words")
    refused = await ask(world, world.alice, own)
    assert refused.ephemeral and refused.modal is None and "your own message" in refused.content

    theirs = await d.send_message(world.bob, world.general, "Hand-off at 5")
    await ask_ok(world, world.alice, theirs)
    bot_message = requests_in(world, d.channel(theirs.id))[0]
    by_bot = await ask(world, world.owner, bot_message, channel=d.channel(theirs.id))
    assert by_bot.ephemeral and by_bot.modal is None and "from a bot" in by_bot.content
    duplicate = await ask(world, world.alice, theirs)
    assert duplicate.ephemeral and duplicate.modal is None and "already asked" in duplicate.content
    assert await rapport.db.fetchval("SELECT count(*) FROM clarifications") == 1


async def test_missing_thread_permission_is_named(rapport: Rapport, world: World) -> None:
    d = world.double
    d.set_bot_permissions(world.guild, perms.DEFAULT_BOT & ~perms.CREATE_PUBLIC_THREADS)
    message = await d.send_message(world.bob, world.general, "Deploy freeze")
    refused = await ask(world, world.alice, message)
    assert refused.ephemeral and "Create Public Threads" in refused.content
    assert d.threads(world.general) == []
    assert await rapport.db.fetchval("SELECT count(*) FROM clarifications") == 0
    # Manage Threads is not needed.
    d.set_bot_permissions(world.guild, perms.DEFAULT_BOT & ~perms.MANAGE_THREADS)
    await ask_ok(world, world.alice, message)
    assert len(requests_in(world, d.channel(message.id))) == 1
