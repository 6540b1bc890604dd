"""/repair refusals: every one is a private sentence, and none of them changes anything."""

from __future__ import annotations

from typing import Any

from bot.adapter.client import Rapport
from tests.double import perms
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash
from tests.repair._steps import (
    approve,
    bot_messages,
    close,
    member,
    own,
    press,
    review,
    share_view,
    start,
    start_ok,
    submit,
    summary_messages,
)


async def snapshot(bot: Rapport, world: World) -> tuple[Any, ...]:
    rows = await bot.db.fetchall("SELECT * FROM repairs ORDER BY id")
    views = await bot.db.fetchall("SELECT * FROM repair_views ORDER BY repair_id, user_id")
    return (
        [tuple(r) for r in rows],
        [tuple(v) for v in views],
        len(world.double.threads(world.general)),
        len(world.double.messages(world.general)),
    )


async def test_refusals_at_start_change_nothing(rapport: Rapport, world: World) -> None:
    helper = member(world, "helperbot", bot=True)
    before = await snapshot(rapport, world)
    cases = [
        ({"partner": world.alice}, "not yourself"),
        ({"partner": helper}, "not a bot"),
        ({"partner": world.bob, "mediator": world.bob}, "third person"),
        ({"partner": world.bob, "mediator": helper}, "not a bot"),
        ({"partner": world.bob, "followup": 0}, "from 1 to 60"),
        ({"partner": world.bob, "followup": 61}, "from 1 to 60"),
        ({"partner": world.bob, "topic": "x" * 500}, "keep it to 80"),
    ]
    for options, expected in cases:
        partner = options.pop("partner")
        record = await start(world, world.alice, partner, **options)
        assert record.ephemeral, options
        assert expected in record.content, (options, record.content)
        assert await snapshot(rapport, world) == before, options


async def test_missing_private_thread_permission_is_named(rapport: Rapport, world: World) -> None:
    d = world.double
    d.set_bot_permissions(world.guild, perms.DEFAULT_BOT & ~perms.CREATE_PRIVATE_THREADS)
    before = await snapshot(rapport, world)
    record = await start(world, world.alice, world.bob)
    assert record.ephemeral
    assert "Create Private Threads" in record.content and "#general" not in record.content
    assert f"<#{world.general.id}>" in record.content
    assert await snapshot(rapport, world) == before

    without_both = perms.CREATE_PRIVATE_THREADS | perms.SEND_MESSAGES_IN_THREADS
    d.set_bot_permissions(world.guild, perms.DEFAULT_BOT & ~without_both)
    record = await start(world, world.alice, world.bob)
    assert "Create Private Threads, Send Messages in Threads permissions" in record.content
    assert await snapshot(rapport, world) == before

    # With the permission back, the same request works (Manage Threads is not needed).
    d.set_bot_permissions(world.guild, perms.DEFAULT_BOT & ~perms.MANAGE_THREADS)
    started = await start_ok(world, world.alice, world.bob)
    assert started.thread.type == 12
    assert set(started.thread.member_ids) == {d.bot_user.id, world.alice.id, world.bob.id}


async def test_one_open_repair_per_pair_and_no_repair_inside_a_thread(rapport: Rapport, world: World) -> None:
    started = await start_ok(world, world.alice, world.bob)
    before = await snapshot(rapport, world)
    for starter, partner in ((world.alice, world.bob), (world.bob, world.alice)):
        record = await start(world, starter, partner)
        assert record.ephemeral and "already have a repair open" in record.content
        assert f"<#{started.thread.id}>" in record.content
    inside = await start(world, world.alice, world.owner, channel=started.thread)
    assert inside.ephemeral and "regular text channel" in inside.content
    assert await snapshot(rapport, world) == before
    # Another pair is fine.
    await start_ok(world, world.alice, world.owner)


async def test_a_partner_who_cannot_see_the_channel_is_refused(rapport: Rapport, world: World) -> None:
    d = world.double
    hidden = d.create_channel(world.guild, "leads", overwrites=[
        {"id": world.guild.id, "type": 0, "deny": perms.VIEW_CHANNEL},
        {"id": world.alice.id, "type": 1, "allow": perms.VIEW_CHANNEL},
        {"id": d.bot_user.id, "type": 1, "allow": perms.VIEW_CHANNEL},
    ])
    record = await start(world, world.alice, world.bob, channel=hidden)
    assert record.ephemeral and "can't see" in record.content
    assert d.threads(hidden) == []
    assert await rapport.db.fetchval("SELECT count(*) FROM repairs") == 0


async def test_bad_form_input_and_mentions(rapport: Rapport, world: World) -> None:
    d = world.double
    started = await start_ok(world, world.alice, world.bob, topic=f"<@{world.owner.id}> @everyone")
    assert world.owner.id not in started.control.mention_ids and not started.control.mention_everyone
    # A view of only spaces is refused and not stored.
    opened = await press(d, world.alice, started.control, f"repair:{started.repair_id}:view")
    refused = await submit(d, world.alice, opened, {"repair-happened": "   ", "repair-affected": "a",
                                                    "repair-need": "b"})
    assert refused.ephemeral and "Please write something" in refused.content
    assert await rapport.db.fetchval("SELECT count(*) FROM repair_views") == 0

    ping = f"@everyone @here <@{world.owner.id}> <@&{world.manager_role.id}>"
    await share_view(d, world.alice, started, f"alice {ping}")
    await share_view(d, world.bob, started, f"bob {ping}")
    views = await d.wait_for_message(lambda m: m.channel_id == started.thread.id and "side by side" in embed_text(m))
    assert set(views.mention_ids) == {world.alice.id, world.bob.id}
    assert views.mention_role_ids == [] and not views.mention_everyone
    assert "@\u200beveryone" in embed_text(views)
    await own(d, world.alice, started, f"owned {ping}", "Check in weekly")
    posted = bot_messages(d, started.thread)[-1]
    assert posted.mention_ids == [] and not posted.mention_everyone and posted.mention_role_ids == []

    # A huge close note is refused; nothing is drafted.
    huge = await close(d, world.alice, started.thread, note="n" * 1500)
    assert huge.ephemeral and "keep it to 1,000" in huge.content
    assert await rapport.db.fetchval("SELECT summary_text FROM repairs") is None

    await close(d, world.alice, started.thread, note=ping)
    await approve(d, world.alice, started)
    await approve(d, world.bob, started)
    summary = (await d.wait_until(lambda: summary_messages(d, started.thread)))[0]
    assert summary.mention_ids == [] and not summary.mention_everyone and summary.mention_role_ids == []


async def test_a_draft_goes_stale_when_something_is_added(rapport: Rapport, world: World) -> None:
    d = world.double
    started = await start_ok(world, world.alice, world.bob)
    await share_view(d, world.alice, started, "a")
    await share_view(d, world.bob, started, "b")
    await close(d, world.bob, started.thread)
    draft = await review(d, world.alice, started)
    approve_id = next(c for c in draft.message.custom_ids() if ":approve:" in c)
    await own(d, world.bob, started, "my part", "Say it sooner")
    stale = await press(d, world.alice, draft.message, approve_id)
    assert stale.ephemeral and "out of date" in stale.content
    await close(d, world.bob, started.thread)
    fresh = await review(d, world.alice, started)
    assert "Say it sooner" in embed_text(fresh)


async def test_close_is_for_the_people_in_a_repair(rapport: Rapport, world: World) -> None:
    started = await start_ok(world, world.alice, world.bob)
    record = await close(world.double, world.owner, started.thread)
    assert record.ephemeral and "only the two people" in record.content.lower()
    nobody = await slash(world.double, world.owner, world.general, "repair close")
    await nobody.wait_followup(1)
    assert nobody.ephemeral and "no repair in progress" in nobody.content
    assert await rapport.db.fetchval("SELECT state FROM repairs") == "open"


async def test_managers_can_view_setting(rapport: Rapport, world: World) -> None:
    d = world.double
    lead = member(world, "lead", world.manager_role)
    d.set_role_permissions(world.manager_role, perms.MANAGE_THREADS)  # so Discord shows them private threads
    await slash(d, world.owner, world.general, "settings manager-role", role=world.manager_role)
    started = await start_ok(world, world.alice, world.bob)
    status_id = f"repair:{started.repair_id}:status"

    refused = await press(d, lead, started.control, status_id)
    assert refused.ephemeral and "private to the people in it" in refused.content
    not_admin = await slash(d, world.alice, world.general, "repair settings managers-can-view", allowed="on")
    assert not_admin.ephemeral and "Manage Server" in not_admin.content
    assert await rapport.db.fetchval("SELECT count(*) FROM repair_settings") == 0

    turned_on = await slash(d, world.owner, world.general, "repair settings managers-can-view", allowed="on")
    assert turned_on.ephemeral and "may now check" in turned_on.content
    allowed = await press(d, lead, started.control, status_id)
    assert allowed.ephemeral and "Where we are" in embed_text(allowed)
    share = await press(d, lead, started.control, f"repair:{started.repair_id}:view")
    assert share.ephemeral and "Only the two people" in share.content
    # New repairs say so in their intro.
    other = await start_ok(world, world.alice, world.owner)
    assert "managers check where a repair stands" in embed_text(other.control)

    await slash(d, world.owner, world.general, "repair settings managers-can-view", allowed="off")
    again = await press(d, lead, started.control, status_id)
    assert "private to the people in it" in again.content
