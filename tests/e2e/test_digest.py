"""/digest through the double: configure (and refusals that change nothing), preview with the chart, the
scheduled post (once, not again after a restart, DST-exact), and off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.adapter.client import Rapport
from bot.digest.chart import CHART_FILENAME, CHART_HEIGHT, CHART_WIDTH
from bot.digest.posting import SCHEDULE_JOB
from tests.digest import _seed as seed
from tests.digest._e2e import slash_options
from tests.digest._png import png_size
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash


async def configure(world: World, user: Any, **options: Any) -> Any:
    values = {"channel": world.general, "day": "monday", "time": "09:00", **options}
    return await slash_options(world.double, user, world.general, "digest configure", values)


def digests(world: World) -> list[Any]:
    bot_id = world.double.bot_user.id
    return [
        m for m in world.double.messages(world.general)
        if m.author_id == bot_id and m.embeds and str(m.embeds[0].get("title", "")).startswith("Progress together")
    ]


async def seed_activity(bot: Rapport, guild_id: int) -> None:
    """Two weeks of a mood check-in (4 answers a day), kept commitments and a win."""
    now = bot.clock.now()
    checkin = await seed.add_checkin(bot.db, guild_id, at=now - timedelta(days=30))
    for days_ago in range(1, 15):
        at = now - timedelta(days=days_ago)
        run = await seed.add_run(bot.db, checkin, at)
        await seed.add_answers(bot.db, run, [3, 4, 4, 5], at=at)
    for number in range(1, 6):
        await seed.add_commitment(bot.db, guild_id, number, status="done", opened_at=now - timedelta(days=9),
                                  closed_at=now - timedelta(days=2))
    await seed.add_win(bot.db, guild_id, now - timedelta(days=1))


async def test_members_without_the_right_role_are_refused(rapport: Rapport, world: World) -> None:
    record = await configure(world, world.alice)
    assert record.ephemeral and "Manage Server or the server's manager role" in (record.content or "")
    off = await slash(world.double, world.alice, world.general, "digest off")
    assert "manager role" in (off.content or "")
    assert await rapport.db.fetchval("SELECT count(*) FROM digest_schedules") == 0


async def test_bad_day_time_or_timezone_change_nothing(rapport: Rapport, world: World) -> None:
    for options, expected in (
        ({"day": "someday"}, "isn't a day of the week"),
        ({"day": "weekdays"}, "isn't a day of the week"),
        ({"time": "25:00"}, "hours go up to 23"),
        ({"time": "teatime"}, "as a time of day"),
        ({"timezone": "Mars/Olympus"}, "not a time zone I know"),
    ):
        record = await configure(world, world.owner, **options)
        assert record.ephemeral and expected in (record.content or ""), (options, record.content)
    assert await rapport.db.fetchval("SELECT count(*) FROM digest_schedules") == 0
    assert SCHEDULE_JOB not in rapport.jobs.pending()


async def test_a_channel_the_bot_cannot_post_in_is_refused(rapport: Rapport, world: World) -> None:
    quiet = world.double.create_channel(world.guild, "quiet", overwrites=[
        {"id": world.guild.bot_role_id, "type": 0, "allow": 0, "deny": 1 << 15}  # Attach Files
    ])
    record = await configure(world, world.owner, channel=quiet)
    assert record.ephemeral and "Attach Files" in (record.content or "") and "Nothing was changed" in record.content
    assert await rapport.db.fetchval("SELECT count(*) FROM digest_schedules") == 0


async def test_the_manager_role_may_configure(rapport: Rapport, world: World) -> None:
    await slash_options(world.double, world.owner, world.general, "settings manager-role",
                        {"role": world.manager_role})
    world.double.set_member_roles(world.guild, world.alice, [world.manager_role])
    record = await configure(world, world.alice, day="fri", time="4pm", timezone="europe/london")
    assert record.ephemeral, record.content
    assert "Fridays at 16:00 (Europe/London)" in (record.content or "")
    assert f"<t:{int(datetime(2026, 12, 4, 16, tzinfo=UTC).timestamp())}:F>" in (record.content or "")
    row = await rapport.db.fetchone("SELECT * FROM digest_schedules")
    assert row is not None and (row["channel_id"], row["schedule"], row["timezone"], row["created_by"]) == (
        world.general.id, "fri 16:00", "Europe/London", world.alice.id,
    )


async def test_preview_is_private_and_carries_the_chart(rapport: Rapport, world: World) -> None:
    await seed_activity(rapport, world.guild.id)
    record = await slash(world.double, world.owner, world.general, "digest preview")
    message = await record.wait_followup()
    assert record.ephemeral and message.ephemeral and message.visible_to == world.owner.id
    assert "Preview, only for you" in message.content and "No weekly digest is set up yet" in message.content
    text = embed_text(message)
    assert "5 commitments kept this week" in text and "1 win shared" in text
    assert "Average **4.0** / 5 from 28 answers (4.0 the week before)" in text
    assert message.embeds[0]["image"]["url"] == f"attachment://{CHART_FILENAME}"
    [chart] = message.attachments
    assert chart.filename == CHART_FILENAME
    assert png_size(chart.data) == (CHART_WIDTH, CHART_HEIGHT)
    assert digests(world) == []  # nothing was posted for everyone


async def test_scheduled_post_once_and_not_again_after_a_restart(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    await seed_activity(bot, world.guild.id)
    record = await configure(world, world.owner)  # Mondays 09:00 UTC; now is Monday 14:00
    assert record.ephemeral
    first = datetime(2026, 12, 7, 9, tzinfo=UTC)
    await bot.jobs.advance(first - bot.clock.now() - timedelta(seconds=1))
    assert digests(world) == []
    await bot.jobs.advance(timedelta(seconds=1))
    [posted] = digests(world)
    assert not posted.ephemeral and posted.mention_ids == [] and not posted.mention_everyone
    assert png_size(posted.attachments[0].data) == (CHART_WIDTH, CHART_HEIGHT)
    # The week before 7 December was quiet; the seeded activity shows as "the week before".
    shown = embed_text(posted)
    assert "A quiet week" in shown and "(5 done · 1 shared the week before)" in shown
    row = await bot.db.fetchone("SELECT * FROM digest_posts")
    assert row is not None and (row["status"], row["message_id"], row["scheduled_at"]) == (
        "posted", posted.id, int(first.timestamp())
    )

    bot = await runner.restart()
    await bot.jobs.advance(timedelta(hours=2))
    assert len(digests(world)) == 1
    await bot.jobs.advance(timedelta(days=7))
    assert len(digests(world)) == 2
    assert await bot.db.fetchval("SELECT count(*) FROM digest_posts WHERE status = 'posted'") == 2


async def test_dst_exact_in_new_york(runner: BotRunner, world: World) -> None:
    """Sundays at 02:30 in New York: on 14 March 2027 that time does not exist, so it runs at 03:00 EDT."""
    runner.clock.set(datetime(2027, 3, 8, 12, tzinfo=UTC))
    bot = await runner.start()
    record = await configure(world, world.owner, day="sunday", time="02:30", timezone="America/New_York")
    gap_end = datetime(2027, 3, 14, 7, 0, tzinfo=UTC)  # 03:00 EDT
    assert f"<t:{int(gap_end.timestamp())}:F>" in (record.content or "")
    await bot.jobs.advance(gap_end - bot.clock.now() - timedelta(seconds=1))
    assert digests(world) == []
    await bot.jobs.advance(timedelta(seconds=1))
    assert len(digests(world)) == 1
    await bot.jobs.advance(timedelta(days=7))
    assert len(digests(world)) == 2
    times = [r[0] for r in await bot.db.fetchall("SELECT scheduled_at FROM digest_posts ORDER BY scheduled_at")]
    assert times == [int(gap_end.timestamp()), int(datetime(2027, 3, 21, 6, 30, tzinfo=UTC).timestamp())]


async def test_off_stops_the_digest(rapport: Rapport, world: World) -> None:
    nothing = await slash(world.double, world.owner, world.general, "digest off")
    assert nothing.ephemeral and "no weekly digest to turn off" in (nothing.content or "")
    await configure(world, world.owner)
    record = await slash(world.double, world.owner, world.general, "digest off")
    assert record.ephemeral and "is off" in (record.content or "")
    assert await rapport.db.fetchval("SELECT count(*) FROM digest_schedules") == 0
    await rapport.jobs.advance(timedelta(days=15))
    assert digests(world) == []


async def test_preview_of_a_quiet_server_has_no_chart(rapport: Rapport, world: World) -> None:
    await configure(world, world.owner, day="wed", time="10:30", timezone="Asia/Tokyo")
    record = await slash(world.double, world.owner, world.general, "digest preview")
    message = await record.wait_followup()
    assert message.ephemeral and message.attachments == []
    assert "A quiet week" in embed_text(message) and "days in Asia/Tokyo" in embed_text(message)
    assert "Wednesdays at 10:30 (Asia/Tokyo)" in message.content
