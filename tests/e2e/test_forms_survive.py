"""Forms survive time and restarts: every form is routed by its custom id, and one that can no longer be taken
echoes what the member wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord

from bot.adapter.client import Rapport
from bot.adapter.feedback_buttons import feedback_view
from bot.adapter.forms import ECHO_INTRO
from bot.commitments.service import CommitmentService
from bot.repair.service import RepairService
from tests.checkins._e2e import advance, create
from tests.e2e._refs import seed_ref
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import slash
from tests.repair._steps import bot_messages, press, reply_of, share_view, start_ok, submit

LATER = timedelta(minutes=35)


def later(runner: BotRunner, world: World, delta: timedelta = LATER) -> None:
    """Time passes for the bot and for Discord alike (the member is still writing)."""
    runner.clock.advance(delta)
    world.double.advance_clock(delta.total_seconds())


def live_modals(bot: Rapport) -> int:
    return len(bot._connection._view_store._modals)


async def open_view_form(world: World, user: Any, started: Any) -> Any:
    opened = await press(world.double, user, started.control, f"repair:{started.repair_id}:view")
    assert opened.modal is not None, (opened.content, opened.errors)
    return opened


VIEW = {"repair-happened": "HAPPENED the plan changed twice", "repair-affected": "AFFECTED I felt left out",
        "repair-need": "NEED to be asked first"}


async def test_a_view_written_for_35_minutes_is_saved(rapport: Rapport, runner: BotRunner, world: World) -> None:
    started = await start_ok(world, world.alice, world.bob)
    opened = await open_view_form(world, world.alice, started)
    assert opened.modal is not None and opened.modal["custom_id"] == f"form:repair-view:{started.repair_id}"
    assert live_modals(rapport) == 0  # nothing kept in memory, so nothing can time out

    later(runner, world)
    record = await submit(world.double, world.alice, opened, VIEW)
    assert record.ephemeral and "saved privately" in (await reply_of(record))
    views = await rapport.service(RepairService).repo.views(started.repair_id)
    assert [(v.user_id, v.happened) for v in views] == [(world.alice.id, VIEW["repair-happened"])]


async def test_every_form_is_submitted_after_a_restart(runner: BotRunner, world: World) -> None:
    d = world.double
    bot = await runner.start()
    started = await start_ok(world, world.alice, world.bob)
    await share_view(d, world.bob, started, "BOB happened")
    opened_view = await open_view_form(world, world.alice, started)
    message = await d.send_message(world.bob, world.general, "We ship after the freeze")
    opened_ask = await d.context_menu(world.alice, world.general, "Ask for clarification", target=message)
    await opened_ask.wait_response()

    bot = await runner.restart()
    assert live_modals(bot) == 0
    record = await submit(d, world.alice, opened_view, VIEW)
    assert "posted your views side by side" in (await reply_of(record))
    both = bot_messages(d, started.thread)[-1]
    assert "HAPPENED the plan changed twice" in str(both.embeds)

    asked = await d.submit_modal(world.alice, opened_ask, {"clarify-question": "Which freeze do you mean?"})
    await asked.wait_response()
    assert "I asked" in (await reply_of(asked))
    (request,) = [m for m in d.messages(d.threads(world.general)[-1]) if "Which freeze" in m.content]
    assert request.author_id == d.bot_user.id


async def test_a_form_for_a_closed_repair_echoes_the_text(rapport: Rapport, world: World) -> None:
    started = await start_ok(world, world.alice, world.bob)
    opened = await open_view_form(world, world.alice, started)
    service = rapport.service(RepairService)
    await service.end(await service.get(started.repair_id), world.bob.id)

    record = await submit(world.double, world.alice, opened, VIEW)
    text = await reply_of(record)
    assert record.ephemeral
    assert ECHO_INTRO in text and "```" in text
    for value in VIEW.values():
        assert value in text
    assert "What happened, from my side:" in text  # labelled, field by field
    assert await service.repo.views(started.repair_id) == []


async def test_a_long_echo_comes_as_a_file(rapport: Rapport, world: World) -> None:
    started = await start_ok(world, world.alice, world.bob)
    opened = await open_view_form(world, world.alice, started)
    service = rapport.service(RepairService)
    await service.end(await service.get(started.repair_id), world.bob.id)
    long = {key: f"{key} " + "word " * 150 for key in VIEW}  # about 770 characters each (the limit is 800)

    record = await submit(world.double, world.alice, opened, long)
    assert record.message is not None and record.ephemeral
    assert len(record.content or "") <= 2000 and "attached file" in (record.content or "")
    (attachment,) = record.message.attachments
    kept = attachment.data.decode("utf-8")
    for value in long.values():
        assert value in kept


async def test_renegotiate_after_a_restart_and_after_the_commitment_closed(runner: BotRunner, world: World) -> None:
    d = world.double
    bot = await runner.start()
    added = await slash(d, world.alice, world.general, "commit add", what="Draft the proposal", due="in 3 days")
    assert "#1" in (added.content or ""), added.content
    commitment = await bot.service(CommitmentService).by_number(world.guild.id, 1)
    await bot.jobs.advance(timedelta(days=3))
    dm = d.dm_messages(world.alice)[-1]
    first = await press(d, world.alice, dm, f"commit:{commitment.id}:reneg")
    second = await press(d, world.alice, dm, f"commit:{commitment.id}:reneg")
    assert first.modal is not None and first.modal["custom_id"] == f"form:commit-reneg:{commitment.id}"

    bot = await runner.restart()
    moved = await submit(d, world.alice, first, {"commit-due": "2026-12-20 12:00", "commit-note": "Legal first"})
    assert moved.ephemeral and "new due date" in (moved.content or "")
    assert (await bot.service(CommitmentService).get(commitment.id)).due_at == datetime(2026, 12, 20, 12, tzinfo=UTC)

    await slash(d, world.alice, world.general, "commit done", id="1")
    late = await submit(d, world.alice, second, {"commit-due": "2026-12-24", "commit-note": "NOTE-KEPT after all"})
    assert late.ephemeral and ECHO_INTRO in (late.content or "") and "NOTE-KEPT after all" in (late.content or "")


async def test_a_question_about_a_deleted_message_is_echoed(rapport: Rapport, world: World) -> None:
    d = world.double
    message = await d.send_message(world.bob, world.general, "Ship it after the freeze")
    opened = await d.context_menu(world.alice, world.general, "Ask for clarification", target=message)
    await opened.wait_response()
    await d.delete_message_as(world.bob, message)

    record = await d.submit_modal(world.alice, opened, {"clarify-question": "QUESTION which freeze?"})
    await record.wait_response()
    text = await reply_of(record)
    assert "can't find that message" in text and "QUESTION which freeze?" in text
    assert await rapport.db.fetchval("SELECT count(*) FROM clarifications") == 0


async def test_a_feedback_note_is_taken_after_a_restart(runner: BotRunner, world: World) -> None:
    d = world.double
    bot = await runner.start()
    await seed_ref(bot, world, "checkin", 42)
    channel = bot.get_channel(world.general.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("**Summary #42**", view=feedback_view("checkin", 42))
    opened = await press(d, world.bob, d.message(sent.id), "fb:checkin:42:missing")
    assert opened.modal is not None and opened.modal["custom_id"] == "form:feedback-note:42:checkin"

    bot = await runner.restart()
    submitted = await d.submit_modal(world.bob, opened, {"note": "We also moved the retro"})
    await submitted.wait_response()
    assert "posted as a reply" in (await submitted.wait_followup()).content
    assert await bot.db.fetchval("SELECT note FROM feedback_notes") == "We also moved the retro"


async def test_a_form_being_handled_at_shutdown_finishes_before_http_closes(
    rapport: Rapport, runner: BotRunner, world: World
) -> None:
    d = world.double
    started = await start_ok(world, world.alice, world.bob)
    await share_view(d, world.alice, started, "A view")
    await share_view(d, world.bob, started, "B view")
    opened = await press(d, world.alice, started.control, f"repair:{started.repair_id}:reflect")

    # The reflection's post is held back by a 429 while shutdown begins.
    d.rate_limit(f"POST /channels/{started.thread.id}/messages", retry_after=0.5)
    record = await d.submit_modal(world.alice, opened, {"repair-heard": "HEARD you wanted notice"})
    await d.wait_request(lambda r: r.method == "POST" and r.status == 429)
    await runner.stop()
    assert "Posted." in (await record.wait_followup(1)).content
    assert any("HEARD you wanted notice" in str(m.embeds) for m in bot_messages(d, started.thread))


async def test_reflect_not_quite_and_own_forms_are_taken_after_a_restart(runner: BotRunner, world: World) -> None:
    d = world.double
    await runner.start()
    started = await start_ok(world, world.alice, world.bob)
    await share_view(d, world.alice, started, "A view")
    await share_view(d, world.bob, started, "B view")
    reflect = await press(d, world.alice, started.control, f"repair:{started.repair_id}:reflect")
    own = await press(d, world.bob, started.control, f"repair:{started.repair_id}:own")

    bot = await runner.restart()
    posted = await submit(d, world.alice, reflect, {"repair-heard": "HEARD you needed notice"})
    assert "Posted." in (await reply_of(posted))
    reflection = bot_messages(d, started.thread)[-1]
    not_quite = await press(d, world.bob, reflection, reflection.custom_ids()[1])
    assert not_quite.modal is not None and not_quite.modal["custom_id"].startswith("form:repair-notquite:")
    owned = await submit(d, world.bob, own, {"repair-owned": "OWNED the short notice", "repair-will-do": "Warn early"})
    assert "Thank you for owning your part" in (await reply_of(owned))

    bot = await runner.restart()
    await submit(d, world.bob, not_quite, {"repair-meant": "MEANT a day's notice"})
    await d.wait_for_message(lambda m: m.channel_id == started.thread.id and "MEANT a day's notice" in m.content)
    assert await bot.db.fetchval("SELECT clarification FROM repair_reflections") == "MEANT a day's notice"
    assert await bot.db.fetchval("SELECT owned FROM repair_ownership") == "OWNED the short notice"


async def test_a_check_in_answer_sent_after_the_close_is_echoed(rapport: Rapport, world: World) -> None:
    d = world.double
    await create(d, world.owner, world.general, template="wins")
    await advance(rapport, timedelta(hours=1))
    opened = await slash(d, world.alice, world.general, "checkin answer")
    assert opened.modal is not None and opened.modal["custom_id"] == "checkin:1:form"
    await advance(rapport, timedelta(hours=8))  # the run closes while alice is still writing

    late = await d.submit_modal(world.alice, opened, {"q0": "ANSWER closed the biggest deal"})
    await late.wait_response()
    assert late.ephemeral and "closed" in (late.content or "")
    assert ECHO_INTRO in (late.content or "") and "ANSWER closed the biggest deal" in (late.content or "")
    assert await rapport.db.fetchval("SELECT count(*) FROM checkin_answers WHERE user_id = ?", (world.alice.id,)) == 0
