"""Persistent buttons and forms carry row ids in their custom ids, so a payload can be replayed anywhere.
Replayed from another server, or from the DM of a member who has left, every one is refused and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
import pytest

from bot.adapter.client import Rapport
from bot.adapter.feedback_buttons import feedback_view
from cogs.checkins._views import answer_view
from tests.digest import _seed as seed
from tests.double.models import Message
from tests.e2e._refs import seed_ref
from tests.e2e.conftest import World

MODAL_SUBMIT = 5


async def open_run(bot: Rapport, world: World) -> int:
    now = bot.clock.now()
    checkin_id = await seed.add_checkin(bot.db, world.guild.id, channel_id=world.general.id, at=now)
    return await seed.add_run(
        bot.db, checkin_id, now - timedelta(minutes=5), status="open", channel_id=world.general.id
    )


async def changes(bot: Rapport) -> tuple[int, int, int]:
    return (
        await bot.db.fetchval("SELECT count(*) FROM checkin_answers"),
        await bot.db.fetchval("SELECT count(*) FROM feedback_votes"),
        await bot.db.fetchval("SELECT count(*) FROM feedback_notes"),
    )


async def all_buttons(bot: Rapport, world: World) -> tuple[discord.ui.View, list[str]]:
    """Every kind of persistent button, naming rows of the first server."""
    run_id = await open_run(bot, world)
    await seed_ref(bot, world, "summary", 42)
    await seed_ref(bot, world, "repair", 5)
    view = answer_view(run_id, skip=True)
    for item in [*feedback_view("summary", 42).children, *feedback_view("checkin", run_id).children]:
        view.add_item(item)
    more = feedback_view("repair", 5)
    ids = [str(getattr(i, "custom_id", "")) for i in [*view.children, *more.children]]
    for item in more.children:
        if len(view.children) < 25:
            view.add_item(item)
    return view, ids


async def send_in(bot: Rapport, channel_id: int, view: discord.ui.View, world: World) -> Message:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.abc.Messageable)
    sent = await channel.send("replayed", view=view)
    return world.double.message(sent.id)


async def press(world: World, user: Any, message: Message, custom_id: str) -> Any:
    record = await world.double.click(user, message, custom_id)
    await record.wait_response(timeout=10)
    return record


async def test_every_button_works_in_its_own_server(rapport: Rapport, world: World) -> None:
    """The control: the same buttons, pressed where they belong, do act (so the refusals below mean something)."""
    view, ids = await all_buttons(rapport, world)
    message = await send_in(rapport, world.general.id, view, world)
    answer = await press(world, world.alice, message, ids[0])
    assert answer.modal is not None
    up = await press(world, world.alice, message, "fb:summary:42:up")
    assert "captured it" in (up.content or "")
    assert (await changes(rapport))[1] == 1


@pytest.mark.parametrize("where", ["another server", "DM of a member who left"])
async def test_replayed_buttons_are_refused_and_change_nothing(rapport: Rapport, world: World, where: str) -> None:
    view, ids = await all_buttons(rapport, world)
    if where == "another server":
        presser = world.stranger
        message = await send_in(rapport, world.other_channel.id, view, world)
    else:
        presser = world.alice
        user = await rapport.fetch_user(world.alice.id)
        sent = await user.send("replayed", view=view)
        message = world.double.message(sent.id)
        world.double.remove_member(world.guild, world.alice)
    before = await changes(rapport)
    for custom_id in ids:
        if message.find_component(custom_id) is None:
            continue
        record = await press(world, presser, message, custom_id)
        assert record.modal is None, custom_id
        assert record.ephemeral and "couldn't find" in (record.content or ""), (custom_id, record.content)
    assert await changes(rapport) == before


async def test_a_form_opened_before_leaving_is_refused_when_submitted(rapport: Rapport, world: World) -> None:
    run_id = await open_run(rapport, world)
    user = await rapport.fetch_user(world.alice.id)
    sent = await user.send("Reminder", view=answer_view(run_id))
    message = world.double.message(sent.id)
    opened = await press(world, world.alice, message, f"checkin:{run_id}:answer")
    assert opened.modal is not None
    world.double.remove_member(world.guild, world.alice)
    submitted = await world.double.submit_modal(world.alice, opened, {"mood": ["4"]})
    await submitted.wait_response(timeout=10)
    assert "couldn't find" in (submitted.content or "")
    assert await rapport.db.fetchval("SELECT count(*) FROM checkin_answers") == 0


async def test_a_crafted_form_from_another_server_is_refused(rapport: Rapport, world: World) -> None:
    run_id = await open_run(rapport, world)
    data = {
        "custom_id": f"checkin:{run_id}:form",
        "components": [{"type": 18, "id": 1, "component": {"type": 3, "id": 2, "custom_id": "mood", "values": ["5"]}}],
    }
    # What a modified client could send: the form's custom id, submitted from a channel of another server.
    record = world.double._new_interaction(MODAL_SUBMIT, world.stranger, world.other_channel, data, "crafted")
    await record.wait_response(timeout=10)
    assert "couldn't find" in (record.content or "")
    assert await rapport.db.fetchval("SELECT count(*) FROM checkin_answers") == 0
