"""/settings through the double: happy paths and refusals that change nothing."""

from __future__ import annotations

from bot.adapter.client import Rapport
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash


async def test_owner_sets_timezone_and_it_is_stored(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.owner, world.general, "settings timezone", timezone="europe/paris")
    assert record.ephemeral
    assert "Europe/Paris" in record.content
    stored = await rapport.prefs.guild(world.guild.id)
    assert stored.timezone == "Europe/Paris"


async def test_member_without_manage_server_is_refused_and_nothing_changes(rapport: Rapport, world: World) -> None:
    # Discord hides /settings from members without Manage Server, but an admin can override that.
    world.double.allow_command(world.guild, "settings", world.alice)
    record = await slash(world.double, world.alice, world.general, "settings timezone", timezone="Asia/Tokyo")
    assert record.ephemeral
    assert "Manage Server" in record.content
    assert (await rapport.prefs.guild(world.guild.id)).timezone is None


async def test_unknown_timezone_gets_an_example_and_changes_nothing(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.owner, world.general, "settings timezone", timezone="Mars/Olympus")
    assert record.ephemeral
    assert "not a time zone I know" in record.content
    assert "Europe/London" in record.content
    assert (await rapport.prefs.guild(world.guild.id)).timezone is None


async def test_timezone_autocomplete_is_case_insensitive_and_capped(rapport: Rapport, world: World) -> None:
    record = await world.double.autocomplete(world.owner, world.general, "settings timezone", focused="timezone",
                                             timezone="YORK")
    await record.wait_response()
    assert [c["value"] for c in record.choices] == ["America/New_York"]
    record = await world.double.autocomplete(world.owner, world.general, "settings timezone", focused="timezone",
                                             timezone="a")
    await record.wait_response()
    assert len(record.choices) == 25


async def test_settings_hidden_from_members_by_default(rapport: Rapport, world: World) -> None:
    from tests.double import DoubleUsageError

    try:
        await world.double.slash(world.alice, world.general, "settings timezone", timezone="Asia/Tokyo")
    except DoubleUsageError as error:
        assert "MANAGE_GUILD" in str(error)
    else:
        raise AssertionError("/settings should need Manage Server by default")


async def test_manager_role_is_stored_and_shown(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.owner, world.general, "settings manager-role", role=world.manager_role)
    assert record.ephemeral
    assert (await rapport.prefs.guild(world.guild.id)).manager_role_id == world.manager_role.id
    shown = await slash(world.double, world.owner, world.general, "settings show")
    assert f"<@&{world.manager_role.id}>" in embed_text(shown)
    # The reply must not ping the role it names.
    assert shown.message.allowed_mentions is not None
    assert shown.message.allowed_mentions.get("parse", []) == []


async def test_manager_role_refused_for_member(rapport: Rapport, world: World) -> None:
    world.double.allow_command(world.guild, "settings", world.alice)
    record = await slash(world.double, world.alice, world.general, "settings manager-role", role=world.manager_role)
    assert "Manage Server" in record.content
    assert (await rapport.prefs.guild(world.guild.id)).manager_role_id is None


async def test_settings_show_defaults(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.owner, world.general, "settings show")
    text = embed_text(record)
    assert "UTC (default)" in text
    assert "Manager role: not set" in text
    assert "Feedback channel: not set" in text


async def test_checkin_missing_and_celebrate(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.owner, world.general, "settings checkin-missing", mode="names")
    await slash(world.double, world.owner, world.general, "settings celebrate", enabled="off")
    stored = await rapport.prefs.guild(world.guild.id)
    assert stored.checkin_missing == "names"
    assert stored.celebrate is False
    world.double.allow_command(world.guild, "settings", world.bob)
    refused = await slash(world.double, world.bob, world.general, "settings celebrate", enabled="on")
    assert "Manage Server" in refused.content
    assert (await rapport.prefs.guild(world.guild.id)).celebrate is False
