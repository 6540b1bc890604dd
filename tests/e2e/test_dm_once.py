"""Messages to one member go out exactly once: a proposal's question is a row before it is a DM (asked after a
crash), and every DM that matters carries a deterministic nonce, so a send repeated by a new call (ours after a
restart) is dropped by Discord instead of sent twice. (discord.py's own retries after a 502 reuse the random nonce
it draws per call; the deterministic one also covers a second call.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.adapter.client import Rapport
from bot.checkins.service import CheckinService
from bot.commitments.service import CommitmentService
from bot.delivery import RESEND_WINDOW
from bot.scheduling.dispatch import DEFAULT_LEASE
from tests.checkins._e2e import advance, answer_by_form, create, custom_ids, prompts
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import slash

DAY = timedelta(days=1)
MESSAGES = "POST /channels/*/messages"


def service(bot: Rapport) -> CommitmentService:
    return bot.service(CommitmentService)


def questions(world: World, user: Any) -> list[Any]:
    """The proposal DMs a member got (each carries the Accept button)."""
    return [m for m in world.double.dm_messages(user) if any(c.endswith(":accept") for c in custom_ids(m))]


async def ask_row(bot: Rapport) -> tuple[Any, ...]:
    row = await bot.db.fetchone("SELECT status, ask_due_at, ask_delivery, claimed_by FROM commitments")
    assert row is not None
    return row["status"], row["ask_due_at"], row["ask_delivery"], row["claimed_by"]


async def propose(world: World) -> Any:
    rec = await slash(world.double, world.alice, world.general, "commit add", what="Review the budget",
                      owner=world.bob)
    await rec.wait_followup(1)  # the command's end: its reply (or the apology after a simulated kill)
    return rec


async def restart_after_the_nonce_window(runner: BotRunner, world: World) -> Rapport:
    """Stop; start again once Discord (the double) has forgotten the nonces; let the stopped claims run out."""
    await runner.stop()
    runner.clock.advance(RESEND_WINDOW + timedelta(minutes=1))
    world.double.advance_clock((RESEND_WINDOW + timedelta(minutes=5)).total_seconds())
    bot = await runner.start()
    await advance(bot, DEFAULT_LEASE)
    return bot


def cut_short(bot: Rapport, method: str) -> None:
    """As if the process were killed at ``method`` of the question: nothing after it happens."""

    async def killed(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"simulated kill at {method}")

    setattr(service(bot).repo, method, killed)


async def test_a_proposal_cut_short_before_its_dm_is_asked_once_after_a_restart(
    runner: BotRunner, world: World
) -> None:
    bot = await runner.start()
    cut_short(bot, "begin_ask")
    await propose(world)
    assert questions(world, world.bob) == []
    status, due, delivery, holder = await ask_row(bot)
    assert (status, delivery) == ("proposed", None) and due is not None and holder is not None

    bot = await runner.restart()
    await bot.jobs.run_due()
    assert questions(world, world.bob) == []  # the stopped process's claim holds until it runs out
    await advance(bot, DEFAULT_LEASE)
    [question] = questions(world, world.bob)
    assert "Review the budget" in question.content
    assert await ask_row(bot) == ("proposed", None, "dm", None)
    await advance(bot, DAY)
    bot = await runner.restart()
    await advance(bot, DAY)
    assert len(questions(world, world.bob)) == 1
    accepted = await world.double.click(world.bob, question, custom_ids(question)[0])
    await accepted.wait_response()
    assert (await ask_row(bot))[0] == "open"


async def test_a_proposal_cut_short_after_its_dm_is_not_sent_twice(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    cut_short(bot, "finish_ask")  # sent, but the process died before recording it
    await propose(world)
    assert len(questions(world, world.bob)) == 1
    bot = await runner.restart()
    await advance(bot, DEFAULT_LEASE)
    # Sent again with the same nonce: Discord (the double) drops the repeat.
    assert len(questions(world, world.bob)) == 1
    assert await ask_row(bot) == ("proposed", None, "dm", None)


async def test_a_question_cut_short_longer_ago_than_the_nonce_window_is_not_resent(
    runner: BotRunner, world: World
) -> None:
    bot = await runner.start()
    cut_short(bot, "finish_ask")
    await propose(world)
    bot = await restart_after_the_nonce_window(runner, world)
    assert len(questions(world, world.bob)) == 1
    assert await ask_row(bot) == ("proposed", None, "unknown", None)


async def test_a_track_click_after_the_question_went_out_does_not_ask_again(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    await propose(world)
    [commitment_id] = [r[0] for r in await bot.db.fetchall("SELECT id FROM commitments")]
    assert await service(bot).ask_again(commitment_id) is True
    assert len(questions(world, world.bob)) == 1


@pytest.mark.parametrize("drop", [False, True])
async def test_a_nudge_whose_answer_was_lost_is_one_dm(runner: BotRunner, world: World, drop: bool) -> None:
    bot = await runner.start()
    start = bot.clock.now()
    c = await service(bot).add(guild_id=world.guild.id, owner_id=world.alice.id, text="Water the plants",
                               due=start + 2 * DAY, source_channel_id=world.general.id)
    # The DM is created, but discord.py sees a 502 (or a cut connection) and sends it again.
    world.double.fail_after(MESSAGES, 502, drop=drop)
    await advance(bot, DAY)
    dms = world.double.dm_messages(world.alice)
    assert len(dms) == 1 and "Water the plants" in dms[0].content
    assert dms[0].nonce == f"cn{c.id}.0.before"


async def team_check_in(runner: BotRunner, world: World) -> Rapport:
    """alice and bob in the Team role, a check-in for it posted (its reminders are due at 21:00)."""
    team = world.double.create_role(world.guild, "Team")
    for user in (world.alice, world.bob):
        world.double.set_member_roles(world.guild, user, [team])
    bot = await runner.start()
    await create(world.double, world.owner, world.general, participants=team)
    await advance(bot, timedelta(hours=1))
    return bot


async def test_a_check_in_reminder_whose_answer_was_lost_is_one_dm(runner: BotRunner, world: World) -> None:
    bot = await team_check_in(runner, world)
    [prompt] = prompts(world.double, world.general)
    await answer_by_form(world.double, world.alice, prompt, {"q0": "Shipped it"})
    world.double.fail_after(MESSAGES, 502)
    await advance(bot, timedelta(hours=6))  # 21:00: a reminder to bob, who has not answered
    reminded = [m for m in world.double.dm_messages(world.bob) if "checkin:1:answer" in custom_ids(m)]
    assert len(reminded) == 1 and reminded[0].nonce == f"cr1.{world.bob.id}"
    status = await bot.db.fetchval("SELECT status FROM checkin_reminders WHERE user_id = ?", (world.bob.id,))
    assert status == "dm"


def killed_at(owner: object, *methods: str) -> None:
    """As if the process were killed at the first of ``owner``'s ``methods`` it reaches: each raises, so nothing
    after it is written (list every write that could follow, error handling included)."""
    for method in methods:

        async def killed(*args: object, _method: str = method, **kwargs: object) -> None:
            raise RuntimeError(f"simulated kill at {_method}")

        setattr(owner, method, killed)


#: What the nudge worker writes after a nudge is recorded: its delivery, and on an error the retry and the claim.
AFTER_A_NUDGE = ("finish_nudge", "set_next_nudge", "release_claim")


async def nudge_rows(bot: Rapport) -> list[tuple[str, str]]:
    rows = await bot.db.fetchall("SELECT step, delivery FROM commitment_nudges ORDER BY recorded_at, step")
    return [(r["step"], r["delivery"]) for r in rows]


@pytest.mark.parametrize("sent", [False, True])
async def test_a_nudge_cut_short_is_sent_once_after_a_restart(runner: BotRunner, world: World, sent: bool) -> None:
    bot = await runner.start()
    start = bot.clock.now()
    await service(bot).add(guild_id=world.guild.id, owner_id=world.alice.id, text="Water the plants",
                           due=start + 2 * DAY, source_channel_id=world.general.id)
    if not sent:
        killed_at(service(bot).nudges.notifier, "nudge")  # stopped before the DM went out
    killed_at(service(bot).repo, *AFTER_A_NUDGE)  # ... and before it was recorded as delivered
    await advance(bot, DAY)
    assert len(world.double.dm_messages(world.alice)) == (1 if sent else 0)
    assert await nudge_rows(bot) == [("before", "pending")]

    bot = await runner.restart()
    await advance(bot, DEFAULT_LEASE)  # the stopped process's claim runs out
    dms = world.double.dm_messages(world.alice)
    assert len(dms) == 1 and "Water the plants" in dms[0].content  # sent then (or dropped by Discord: same nonce)
    assert await nudge_rows(bot) == [("before", "dm")]
    await advance(bot, DAY / 2)
    assert len(world.double.dm_messages(world.alice)) == 1


async def test_a_nudge_cut_short_longer_ago_than_the_nonce_window_is_not_resent(
    runner: BotRunner, world: World
) -> None:
    bot = await runner.start()
    start = bot.clock.now()
    await service(bot).add(guild_id=world.guild.id, owner_id=world.alice.id, text="Water the plants",
                           due=start + 2 * DAY, source_channel_id=world.general.id)
    killed_at(service(bot).repo, *AFTER_A_NUDGE)
    await advance(bot, DAY)
    assert len(world.double.dm_messages(world.alice)) == 1
    bot = await restart_after_the_nonce_window(runner, world)
    assert len(world.double.dm_messages(world.alice)) == 1
    assert await nudge_rows(bot) == [("before", "unknown")]
    # The next step is planned as usual: the overdue nudge a day after the due time.
    await advance(bot, 2 * DAY)
    assert len(world.double.dm_messages(world.alice)) == 2
    assert await nudge_rows(bot) == [("before", "unknown"), ("overdue-1", "dm")]


async def remind_bob(runner: BotRunner, world: World, *, sent: bool) -> Rapport:
    """A check-in whose reminder to bob is cut short (after its DM went out, or before)."""
    bot = await team_check_in(runner, world)
    ctx = bot.service(CheckinService).ctx
    if not sent:
        killed_at(ctx.poster, "remind")
    killed_at(ctx.store.reminders, "finish")
    await advance(bot, timedelta(hours=6))  # 21:00: the reminder to bob
    return bot


def reminders_to(world: World, user: Any) -> list[Any]:
    return [m for m in world.double.dm_messages(user) if "checkin:1:answer" in custom_ids(m)]


async def reminder_status(bot: Rapport, user: Any) -> str:
    return str(await bot.db.fetchval("SELECT status FROM checkin_reminders WHERE user_id = ?", (user.id,)))


@pytest.mark.parametrize("sent", [False, True])
async def test_a_check_in_reminder_cut_short_is_sent_once_after_a_restart(
    runner: BotRunner, world: World, sent: bool
) -> None:
    bot = await remind_bob(runner, world, sent=sent)
    assert len(reminders_to(world, world.bob)) == (1 if sent else 0)
    assert await reminder_status(bot, world.bob) == "sending"
    bot = await runner.restart()
    await advance(bot, DEFAULT_LEASE)
    [reminder] = reminders_to(world, world.bob)
    assert reminder.nonce == f"cr1.{world.bob.id}"
    assert await reminder_status(bot, world.bob) == "dm"
    await advance(bot, timedelta(hours=1))
    assert len(reminders_to(world, world.bob)) == 1


async def test_a_check_in_reminder_cut_short_long_ago_is_not_resent(runner: BotRunner, world: World) -> None:
    bot = await remind_bob(runner, world, sent=True)
    bot = await restart_after_the_nonce_window(runner, world)
    assert len(reminders_to(world, world.bob)) == 1
    assert await reminder_status(bot, world.bob) == "unknown"
