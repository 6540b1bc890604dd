"""/checkin management through the double: every schedule form, refusals and bad inputs that change nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.adapter.client import Rapport
from bot.checkins.context import SCHEDULE
from tests.checkins._e2e import counts, create, run_command
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash


@pytest.mark.parametrize(
    ("schedule", "stored", "first"),
    [
        ("daily 09:30", "daily 09:30", datetime(2026, 12, 1, 9, 30, tzinfo=UTC)),
        ("weekdays 09:30", "weekdays 09:30", datetime(2026, 12, 1, 9, 30, tzinfo=UTC)),
        ("weekends 10:00", "weekends 10:00", datetime(2026, 12, 5, 10, 0, tzinfo=UTC)),
        ("mon,wed,fri 17:00", "mon,wed,fri 17:00", datetime(2026, 11, 30, 17, 0, tzinfo=UTC)),
        ("every 2 weeks on fri 16:00", "every 2 weeks on fri 16:00 from 2026-11-30",
         datetime(2026, 12, 4, 16, 0, tzinfo=UTC)),
        ("monthly on 1 at 10:00", "monthly on 1 at 10:00", datetime(2026, 12, 1, 10, 0, tzinfo=UTC)),
        ("cron 0 9 * * 1-5", "cron 0 9 * * 1-5", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
    ],
)
async def test_create_with_each_schedule_form(rapport: Rapport, world: World, schedule: str, stored: str,
                                              first: datetime) -> None:
    record = await create(world.double, world.owner, world.general, schedule=schedule)
    assert record.ephemeral
    assert "Created **Stand-up**" in record.content
    assert f"<t:{int(first.timestamp())}:F>" in record.content  # the next three runs, as Discord timestamps
    assert record.content.count("<t:") == 6
    row = await rapport.db.fetchone("SELECT schedule, timezone, next_run_at FROM checkins")
    assert row is not None
    assert (row["schedule"], row["timezone"], row["next_run_at"]) == (stored, "UTC", int(first.timestamp()))
    assert rapport.jobs.get(rapport.dispatcher.job_id(SCHEDULE)) == first  # the schedule's one timer


async def test_create_in_the_servers_zone_and_list_show(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.owner, world.general, "settings timezone", timezone="America/New_York")
    await create(world.double, world.owner, world.general, schedule="weekdays 9am", template="retro", mood=True,
                 anonymous_mood=True, participants=world.manager_role, window="4h", remind_before="30m")
    row = await rapport.db.fetchone("SELECT * FROM checkins")
    assert row["timezone"] == "America/New_York" and row["template"] == "retro"
    assert row["next_run_at"] == int(datetime(2026, 12, 1, 14, 0, tzinfo=UTC).timestamp())
    assert (row["window_seconds"], row["remind_before_seconds"], row["mood"], row["anonymous_mood"]) == (
        4 * 3600, 1800, 1, 1)
    listed = await slash(world.double, world.alice, world.general, "checkin list")
    text = embed_text(listed)
    assert listed.ephemeral and "Stand-up" in text and "Weekdays at 09:00 (America/New_York)" in text
    assert "Tue 01 Dec 09:00 America/New_York" in text  # alice has no zone: the server's is hers
    await slash(world.double, world.alice, world.general, "me timezone", timezone="Europe/London")
    listed = await slash(world.double, world.alice, world.general, "checkin list")
    assert "Tue 01 Dec 14:00 Europe/London" in embed_text(listed)
    shown = await slash(world.double, world.bob, world.general, "checkin show", id="1")
    text = embed_text(shown)
    assert "What went well?" in text and "on, anonymous" in text and "30m before the close" in text
    assert f"<@&{world.manager_role.id}>" in text
    assert shown.message.allowed_mentions is None or shown.message.allowed_mentions.get("parse", []) == []


async def test_members_without_permission_are_refused_and_nothing_changes(rapport: Rapport, world: World) -> None:
    refused = await create(world.double, world.alice, world.general)
    assert refused.ephemeral and "Manage Server or the server's manager role" in refused.content
    assert (await counts(rapport.db))["checkins"] == 0
    await create(world.double, world.owner, world.general)
    for command in ("pause", "resume", "skip", "delete", "run", "export"):
        record = await slash(world.double, world.bob, world.general, f"checkin {command}", id="1")
        assert record.ephemeral and "manager role" in record.content, command
    record = await run_command(world.double, world.bob, world.general, "checkin edit", {"id": "1", "name": "Mine"})
    assert "manager role" in record.content
    row = await rapport.db.fetchone("SELECT name, paused_at, deleted_at FROM checkins")
    assert (row["name"], row["paused_at"], row["deleted_at"]) == ("Stand-up", None, None)
    assert (await counts(rapport.db))["checkin_runs"] == 0


async def test_manager_role_may_manage(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.owner, world.general, "settings manager-role", role=world.manager_role)
    world.double.set_member_roles(world.guild, world.alice, [world.manager_role])
    record = await create(world.double, world.alice, world.general, name="Alice's pulse", template="pulse")
    assert "Created" in record.content
    row = await rapport.db.fetchone("SELECT created_by, template FROM checkins")
    assert (row["created_by"], row["template"]) == (world.alice.id, "pulse")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"schedule": "every now and then"}, "daily 09:30"),
        ({"window": "2m"}, "between 5m and 7d"),
        ({"window": "9d"}, "between 5m and 7d"),
        ({"questions": "a? | b? | c? | d? | e? | f?"}, "up to 5"),
        ({"questions": "x" * 101}, "100 characters"),
        ({"timezone": "Moon/Base"}, "not a time zone I know"),
        ({"remind_before": "9h"}, "shorter `remind_before`"),
        ({"questions": "a|b|c|d|e", "mood": True}, "up to 4 questions"),
    ],
)
async def test_bad_inputs_get_ephemeral_errors_and_change_nothing(
    rapport: Rapport, world: World, options: dict[str, object], expected: str
) -> None:
    record = await create(world.double, world.owner, world.general, **options)
    assert record.ephemeral
    assert expected in record.content
    assert await counts(rapport.db) == {"checkins": 0, "checkin_runs": 0, "checkin_answers": 0,
                                        "checkin_reminders": 0}
    assert not any(job.startswith("checkin") for job in rapport.jobs.pending())


async def test_unknown_id_and_another_servers_id_are_not_found(rapport: Rapport, world: World) -> None:
    stranger_channel = world.other_channel
    made = await create(world.double, world.stranger, stranger_channel, name="Their check-in")
    assert "Created" in made.content
    for key in ("1", "999", "Their check-in"):
        record = await slash(world.double, world.owner, world.general, "checkin show", id=key)
        assert record.ephemeral and "couldn't find that check-in in this server" in record.content
        record = await slash(world.double, world.owner, world.general, "checkin pause", id=key)
        assert "couldn't find" in record.content
    assert await rapport.db.fetchval("SELECT paused_at FROM checkins") is None


async def test_autocomplete_offers_this_servers_checkins_by_name(rapport: Rapport, world: World) -> None:
    await create(world.double, world.owner, world.general, name="Daily stand-up")
    await create(world.double, world.owner, world.general, name="Friday wins", template="wins",
                 schedule="fri 16:00")
    await create(world.double, world.stranger, world.other_channel, name="Stand-up elsewhere")
    record = await world.double.autocomplete(world.alice, world.general, "checkin show", focused="id", id="STAND")
    await record.wait_response()
    assert [(c["name"], c["value"]) for c in record.choices] == [("Daily stand-up (id 1)", "1")]
    record = await world.double.autocomplete(world.alice, world.general, "checkin show", focused="id", id="")
    await record.wait_response()
    assert [c["value"] for c in record.choices] == ["1", "2"]


async def test_edit_pause_resume_skip_delete(rapport: Rapport, world: World) -> None:
    double = world.double
    await create(double, world.owner, world.general)
    edited = await slash(double, world.owner, world.general, "checkin edit", id="1", schedule="weekdays 10:00",
                         questions="How was today? | Anything to share?")
    assert "schedule, questions" in edited.content
    row = await rapport.db.fetchone("SELECT schedule, questions, template FROM checkins")
    assert (row["schedule"], row["template"]) == ("weekdays 10:00", "custom")
    bad = await slash(double, world.owner, world.general, "checkin edit", id="1", window="10d")
    assert "between 5m and 7d" in bad.content
    paused = await slash(double, world.owner, world.general, "checkin pause", id="1")
    assert "Paused" in paused.content
    listed = await slash(double, world.alice, world.general, "checkin list")
    assert "Paused by a manager" in embed_text(listed)
    resumed = await slash(double, world.owner, world.general, "checkin resume", id="1")
    assert "Resumed" in resumed.content
    skipped = await slash(double, world.owner, world.general, "checkin skip", id="1")
    assert "will be skipped" in skipped.content
    shown = await slash(double, world.owner, world.general, "checkin show", id="1")
    assert "(skipped)" in embed_text(shown)
    asked = await slash(double, world.owner, world.general, "checkin delete", id="1")
    assert asked.ephemeral and "Delete **Stand-up**?" in asked.content
    confirm = next(c["custom_id"] for c in asked.components[0]["components"] if c["label"] == "Delete")
    click = await double.click(world.owner, asked.message, confirm)
    await click.wait_response()
    await asked.wait_edit()
    assert "Deleted" in asked.content
    assert await rapport.db.fetchval("SELECT count(*) FROM checkins WHERE deleted_at IS NULL") == 0
    gone = await slash(double, world.owner, world.general, "checkin show", id="1")
    assert "couldn't find" in gone.content
