"""/me through the double."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.adapter.client import Rapport
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash


async def test_member_sets_own_timezone(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.alice, world.general, "me timezone", timezone="America/New_York")
    assert record.ephemeral
    assert (await rapport.prefs.member(world.alice.id)).timezone == "America/New_York"
    shown = await slash(world.double, world.alice, world.general, "me show")
    assert "America/New_York" in embed_text(shown)


async def test_bad_timezone_changes_nothing(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.alice, world.general, "me timezone", timezone="@everyone")
    assert record.ephemeral
    assert "@everyone" not in record.content
    assert (await rapport.prefs.member(world.alice.id)).timezone is None


async def test_quiet_hours_wrap_midnight_and_off(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.alice, world.general, "me quiet-hours", start="22:00", end="7am")
    member = await rapport.prefs.member(world.alice.id)
    assert (member.quiet_start, member.quiet_end) == (time(22, 0), time(7, 0))
    await slash(world.double, world.alice, world.general, "me quiet-hours", start="off")
    member = await rapport.prefs.member(world.alice.id)
    assert member.quiet_start is None and member.quiet_end is None


async def test_malformed_quiet_hours_are_refused(rapport: Rapport, world: World) -> None:
    for start, end in [("25:00", "07:00"), ("22:00", "22:00"), ("late", "early")]:
        record = await slash(world.double, world.alice, world.general, "me quiet-hours", start=start, end=end)
        assert record.ephemeral, (start, end)
        assert record.content, (start, end)
    missing_end = await slash(world.double, world.alice, world.general, "me quiet-hours", start="22:00")
    assert "end" in missing_end.content
    member = await rapport.prefs.member(world.alice.id)
    assert member.quiet_start is None


async def test_away_in_member_timezone_and_off(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.alice, world.general, "me timezone", timezone="Asia/Tokyo")
    record = await slash(world.double, world.alice, world.general, "me away", until="2026-12-24")
    member = await rapport.prefs.member(world.alice.id)
    # Back at the start of 24 December in Tokyo, which is 15:00 UTC on the 23rd.
    assert member.away_until == datetime(2026, 12, 23, 15, 0, tzinfo=UTC)
    assert f"<t:{int(member.away_until.timestamp())}:F>" in record.content
    await slash(world.double, world.alice, world.general, "me away", until="off")
    assert (await rapport.prefs.member(world.alice.id)).away_until is None


async def test_away_date_in_the_past_is_refused(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.alice, world.general, "me away", until="2026-01-01")
    assert record.ephemeral
    assert "past" in record.content.lower()
    assert (await rapport.prefs.member(world.alice.id)).away_until is None


async def test_summaries_opt_out(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.bob, world.general, "me summaries", include="off")
    assert (await rapport.prefs.member(world.bob.id)).summaries_opt_out is True
    await slash(world.double, world.bob, world.general, "me summaries", include="on")
    assert (await rapport.prefs.member(world.bob.id)).summaries_opt_out is False
