"""Restarts, crashes, downtime and DST with the real bot and the double: nothing is lost or posted twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.checkins.context import RUN_STEPS
from bot.checkins.service import CheckinService
from bot.scheduling.clock import FakeClock
from bot.scheduling.dispatch import DEFAULT_LEASE
from tests.checkins._e2e import advance, answer_by_form, create, eventually, prompts
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text

RUN_AT = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


async def test_restart_mid_run_keeps_answers_buttons_and_close(runner: BotRunner, world: World) -> None:
    double = world.double
    bot = await runner.start()
    await create(double, world.owner, world.general, template="wins")
    await advance(bot, timedelta(hours=1))
    [prompt] = prompts(double, world.general)
    await answer_by_form(double, world.alice, prompt, {"q0": "Before the restart"})
    opened = await double.click(world.bob, prompt, "checkin:1:answer")  # bob's form is open during the restart
    await opened.wait_response()

    bot = await runner.restart()
    # The run's next step (its reminders at 21:00, then its close) is armed again from the database.
    assert bot.jobs.get(bot.dispatcher.job_id(RUN_STEPS)) == RUN_AT + timedelta(hours=6)
    submitted = await double.submit_modal(world.bob, opened, {"q0": "Typed across a restart"})
    await submitted.wait_response()
    assert submitted.content.startswith("Saved.")
    carol = double.create_user("carol")
    double.add_member(world.guild, carol)
    await answer_by_form(double, carol, prompt, {"q0": "After the restart"})  # the old button still works
    [thread] = double.threads(world.general)
    dave = double.create_user("dave")
    double.add_member(world.guild, dave)
    await double.send_message(dave, thread, "Thread reply after the restart")

    async def dave_answered() -> object:
        return await bot.db.fetchval("SELECT source FROM checkin_answers WHERE user_id = ?", (dave.id,))

    assert await eventually(dave_answered) == "thread"
    await advance(bot, timedelta(hours=8))
    text = embed_text(double.messages(thread)[-1])
    assert "**4 of 4** answered" in text
    for answer in ("Before the restart", "Typed across a restart", "After the restart", "Thread reply"):
        assert answer in text
    assert len(prompts(double, world.general)) == 1


@pytest.mark.parametrize("history_finds_it", [True, False])
async def test_crash_between_post_and_record_posts_no_duplicate(
    runner: BotRunner, world: World, history_finds_it: bool
) -> None:
    double = world.double
    bot = await runner.start()
    await create(double, world.owner, world.general)
    service = bot.service(CheckinService)

    async def crash(*args: object) -> None:
        raise RuntimeError("simulated crash after the prompt was sent")

    service.store.runs.mark_posted = crash  # type: ignore[method-assign]
    await advance(bot, timedelta(hours=1))
    assert len(prompts(double, world.general)) == 1
    assert await bot.db.fetchval("SELECT status FROM checkin_runs") == "posting"

    bot = await runner.restart()
    if not history_finds_it:
        async def blind(run: object) -> None:
            return None

        bot.service(CheckinService).poster.find_prompt = blind  # type: ignore[method-assign]
    await bot.jobs.run_due()
    assert len(prompts(double, world.general)) == 1  # the dead process's claim holds until it runs out
    await advance(bot, DEFAULT_LEASE)
    [prompt] = prompts(double, world.general)  # Discord's nonce check, or the history, found the first post
    row = await bot.db.fetchone("SELECT status, message_id, thread_id FROM checkin_runs")
    assert (row["status"], row["message_id"], row["thread_id"]) == ("open", prompt.id, prompt.id)
    assert len(double.threads(world.general)) == 1
    await advance(bot, timedelta(hours=8))
    assert "answered" in embed_text(double.messages(double.threads(world.general)[0])[-1])


async def test_downtime_posts_late_once_or_records_missed_for_the_next_digest(
    runner: BotRunner, world: World, clock: FakeClock
) -> None:
    double = world.double
    bot = await runner.start()
    await create(double, world.owner, world.general, template="wins")
    await runner.stop()
    # Down from Monday 14:00 to Thursday 17:00: three runs missed outright, Thursday's window still open.
    clock.set(datetime(2026, 12, 3, 17, 0, tzinfo=UTC))
    bot = await runner.start()
    await bot.jobs.run_due()
    [late] = prompts(double, world.general)
    assert "(posted late)" in embed_text(late)
    assert "Posted late: I was offline at <t:" in embed_text(late)
    statuses = [r[0] for r in await bot.db.fetchall("SELECT status FROM checkin_runs ORDER BY scheduled_at")]
    assert statuses == ["missed", "missed", "missed", "open"]
    await advance(bot, timedelta(hours=6))  # Thursday 23:00: the late run closes
    text = embed_text(double.messages(double.threads(world.general)[0])[-1])
    assert "Missed while offline" in text and text.count("<t:") >= 5
    await runner.stop()
    # Down again across Friday's whole window: recorded missed, mentioned in Saturday's digest.
    clock.set(datetime(2026, 12, 5, 14, 0, tzinfo=UTC))
    bot = await runner.start()
    await bot.jobs.run_due()
    assert len(prompts(double, world.general)) == 1
    await advance(bot, timedelta(hours=9))
    assert len(prompts(double, world.general)) == 2
    text = embed_text(double.messages(double.threads(world.general)[1])[-1])
    friday = int(datetime(2026, 12, 4, 15, 0, tzinfo=UTC).timestamp())
    assert f"missed the check-in of <t:{friday}:f>." in text
    assert "<t:1764514800" not in text  # Monday's missed run was already mentioned


async def test_dst_spring_forward_end_to_end_new_york(runner: BotRunner, world: World, clock: FakeClock) -> None:
    double = world.double
    clock.set(datetime(2027, 3, 12, 12, 0, tzinfo=UTC))
    bot = await runner.start()
    made = await create(double, world.owner, world.general, schedule="daily 02:30", timezone="America/New_York",
                        window="1h", remind_before="off")
    zone = ZoneInfo("America/New_York")
    expected = [
        datetime(2027, 3, 13, 2, 30, tzinfo=zone),
        datetime(2027, 3, 14, 3, 0, tzinfo=zone),  # 02:30 does not exist that day: when the gap ends
        datetime(2027, 3, 15, 2, 30, tzinfo=zone),
    ]
    assert all(f"<t:{int(at.timestamp())}:F>" in made.content for at in expected)
    await advance(bot, timedelta(days=3))
    posted = prompts(double, world.general)
    assert len(posted) == 3
    rows = await bot.db.fetchall("SELECT scheduled_at, posted_at, late FROM checkin_runs ORDER BY scheduled_at")
    assert [r["scheduled_at"] for r in rows] == [int(at.timestamp()) for at in expected]
    assert all(r["posted_at"] == r["scheduled_at"] and r["late"] == 0 for r in rows)
    assert [t.name.split(" · ")[1] for t in double.threads(world.general)] == ["Sat 13 Mar", "Sun 14 Mar",
                                                                              "Mon 15 Mar"]
