"""A storm of Discord 500/502/503s and dropped connections while check-ins post, remind by DM and share
their digests: everything is sent, and exactly once.

Some failures come before Discord did anything; others after it created the message (the answer is lost:
a 502 or a cut connection, which is what a timeout looks like). discord.py retries 5xx itself (with real
sleeps of 1 and 3 s); what it gives up on comes back to the bot's own retries, driven here by the fake clock.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.adapter.client import Rapport
from tests.checkins._e2e import advance, create, custom_ids, prompts
from tests.double import DiscordDouble
from tests.e2e.conftest import BotRunner, World

MESSAGES = "POST /channels/{channel_id}/messages"
THREADS = "POST /channels/{channel_id}/messages/{message_id}/threads"
DM_OPEN = "POST /users/@me/channels"
CHECKINS = ("Stand-up", "Retro", "Pulse")


def storm(double: DiscordDouble, route: str) -> None:
    """Failures before and after the work, in the order the requests will meet them."""
    double.fail_next(route, 500)  # discord.py tries again after 1 s
    double.fail_after(route, 502)  # done, but the answer lost: discord.py tries again (the nonce keeps it one)
    double.fail_next(route, 503)  # discord.py gives up at once: the bot's own retry
    double.fail_after(route, drop=True)  # done, then the connection cut (a timeout): the bot's retry
    double.drop_next(route)  # not done, connection cut


def dm_storm(double: DiscordDouble) -> None:
    """Reminders are sent at most once: a DM that fails for good is recorded, never sent twice."""
    double.fail_next(DM_OPEN, 500)
    double.fail_next(DM_OPEN, 503)
    double.fail_next(MESSAGES, 500)
    double.fail_next(MESSAGES, 502, count=2)
    double.drop_next(MESSAGES)


async def settle(bot: Rapport, minutes: int = 20) -> None:
    """Let the bot's bounded retries (30 s, 1 min, 2 min, ...) run."""
    for _ in range(minutes * 2):
        await advance(bot, timedelta(seconds=30))


async def test_check_ins_reminders_and_digests_survive_a_5xx_storm_exactly_once(
    runner: BotRunner, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    double = world.double
    carol = double.create_user("carol")
    double.add_member(world.guild, carol)
    team = double.create_role(world.guild, "Team")
    members = (world.alice, world.bob, carol)
    for user in members:
        double.set_member_roles(world.guild, user, [team])
    bot = await runner.start()
    for name in CHECKINS:
        await create(double, world.owner, world.general, name=name, participants=team)

    storm(double, MESSAGES)
    storm(double, THREADS)
    await advance(bot, timedelta(hours=1))  # 15:00: three prompts and threads, through the storm
    await settle(bot)
    posted = prompts(double, world.general)
    assert sorted(custom_ids(p)[0] for p in posted) == ["checkin:1:answer", "checkin:2:answer", "checkin:3:answer"]
    threads = double.threads(world.general)
    assert len(threads) == 3, threads

    dm_storm(double)
    await advance(bot, timedelta(hours=6) - timedelta(minutes=20))  # 21:00: a reminder to each, by DM
    await settle(bot)
    reminders = dict(
        ((r["run_id"], r["user_id"]), r["status"])
        for r in await bot.db.fetchall("SELECT run_id, user_id, status FROM checkin_reminders")
    )
    assert len(reminders) == 9 and set(reminders.values()) <= {"dm", "failed"}, reminders
    failed = [key for key, status in reminders.items() if status == "failed"]
    assert len(failed) == 2  # the 503 and the cut connection: recorded, the member counted as not reached
    for user in members:
        reminded = [c for m in double.dm_messages(user) for c in custom_ids(m) if c.endswith(":answer")]
        assert len(reminded) == len(set(reminded)), (user, reminded)  # never twice
        assert {
            f"checkin:{run}:answer" for (run, uid), status in reminders.items() if uid == user.id and status == "dm"
        } == set(reminded)

    storm(double, MESSAGES)
    await advance(bot, timedelta(hours=2) - timedelta(minutes=20))  # 23:00: the digests, through the storm
    await settle(bot)
    for thread in threads:
        digests = [m for m in double.messages(thread) if m.author_id == double.bot_user.id and m.embeds]
        assert len(digests) == 1, (thread, [m.content for m in digests])
    rows = await bot.db.fetchall("SELECT status, digest_posted_at, failure FROM checkin_runs ORDER BY id")
    assert [(r["status"], r["digest_posted_at"] is not None, r["failure"]) for r in rows] == [
        ("closed", True, None)
    ] * 3
    # Nothing was lost to the storm and nothing went out twice: prompts, threads and DMs counted above.
    assert len(prompts(double, world.general)) == 3
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []  # no job crashed
