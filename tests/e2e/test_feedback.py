"""Feedback through the double: the buttons any feature attaches with feedback_view, and /feedback."""

from __future__ import annotations

import discord

from bot.adapter.client import Rapport
from bot.adapter.feedback_buttons import add_feedback_buttons, feedback_view
from tests.digest._e2e import eventually, slash_options
from tests.double import Channel, Message
from tests.e2e._refs import seed_ref
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash


async def post_with_buttons(bot: Rapport, world: World, kind: str = "summary", ref: int = 42) -> Message:
    """What a feature does when it publishes: send with ``view=feedback_view(kind, id)``."""
    await seed_ref(bot, world, kind, ref)
    channel = bot.get_channel(world.general.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("**Summary #3** of #general", view=feedback_view(kind, ref))
    return world.double.message(sent.id)


async def test_buttons_are_attached_with_the_documented_custom_ids(rapport: Rapport, world: World) -> None:
    message = await post_with_buttons(rapport, world)
    assert message.custom_ids() == ["fb:summary:42:up", "fb:summary:42:missing"]
    labels = [c["label"] for row in message.components for c in row["components"]]
    assert labels == ["This captured it", "Something's missing"]
    view = discord.ui.View()
    view.add_item(discord.ui.Button(label="Other", custom_id="other:1"))
    assert [getattr(item, "custom_id", None) for item in add_feedback_buttons(view, "checkin", 9).children] == [
        "other:1", "fb:checkin:9:up", "fb:checkin:9:missing",
    ]


async def test_this_captured_it_is_stored(rapport: Rapport, world: World) -> None:
    message = await post_with_buttons(rapport, world)
    record = await world.double.click(world.alice, message, "fb:summary:42:up")
    await record.wait_response()
    assert record.ephemeral and "captured it" in (record.content or "")
    again = await world.double.click(world.alice, message, "fb:summary:42:up")
    await again.wait_response()
    assert "already said" in (again.content or "")
    rows = await rapport.db.fetchall("SELECT * FROM feedback_votes")
    assert [(r["kind"], r["ref_id"], r["user_id"], r["vote"], r["message_id"]) for r in rows] == [
        ("summary", 42, world.alice.id, "up", message.id)
    ]


async def test_somethings_missing_opens_a_form_and_posts_a_reply(rapport: Rapport, world: World) -> None:
    message = await post_with_buttons(rapport, world, kind="checkin", ref=7)
    record = await world.double.click(world.bob, message, "fb:checkin:7:missing")
    await record.wait_response()
    assert record.modal is not None and record.modal["title"] == "Something's missing"
    note = f"We also agreed to move the retro. cc @everyone <@{world.owner.id}>"
    submitted = await world.double.submit_modal(world.bob, record, {"note": note})
    await submitted.wait_response()
    thanks = await submitted.wait_followup()
    assert thanks.ephemeral and "posted as a reply" in thanks.content

    reply = await world.double.wait_for_message(
        lambda m: m.message_reference is not None and m.message_reference.get("message_id") == str(message.id)
    )
    assert reply.channel_id == world.general.id and not reply.ephemeral
    assert "Something's missing" in reply.content and "move the retro" in reply.content
    assert f"<@{world.bob.id}>" in reply.content
    assert reply.mention_ids == [] and not reply.mention_everyone  # nobody pinged, not even the replied-to bot
    rows = await rapport.db.fetchall("SELECT * FROM feedback_notes")
    assert [(r["kind"], r["ref_id"], r["user_id"], r["note"], r["message_id"]) for r in rows] == [
        ("checkin", 7, world.bob.id, note, message.id)
    ]
    assert await eventually(lambda: rapport.db.fetchval("SELECT reply_message_id FROM feedback_notes")) == reply.id
    assert await rapport.db.fetchval("SELECT vote FROM feedback_votes WHERE user_id = ?", (world.bob.id,)) == "missing"


async def test_buttons_keep_working_after_a_restart(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    message = await post_with_buttons(bot, world, kind="repair", ref=5)
    bot = await runner.restart()
    record = await world.double.click(world.bob, message, "fb:repair:5:up")
    await record.wait_response()
    assert "repair summary captured it" in (record.content or "")
    assert await bot.db.fetchval("SELECT count(*) FROM feedback_votes WHERE kind = 'repair'") == 1


async def test_feedback_without_a_channel_is_a_clear_private_message(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.alice, world.general, "feedback", text="More async updates please")
    await record.wait_followup(1, timeout=10)  # /feedback defers before posting
    assert record.ephemeral
    assert "no feedback channel" in (record.content or "") and "/settings feedback-channel" in (record.content or "")
    assert await rapport.db.fetchval("SELECT count(*) FROM server_feedback") == 0


async def setup_channel(world: World) -> Channel:
    channel = world.double.create_channel(world.guild, "feedback")
    record = await slash_options(world.double, world.owner, world.general, "settings feedback-channel",
                                 {"channel": channel})
    assert record.ephemeral and "feedback" in (record.content or "")
    return channel


async def test_anonymous_feedback_stores_no_author_at_all(rapport: Rapport, world: World) -> None:
    channel = await setup_channel(world)
    assert (await rapport.prefs.guild(world.guild.id)).feedback_channel_id == channel.id
    record = await slash(world.double, world.alice, world.general, "feedback",
                         text="Stand-ups run long. @everyone", anonymous=True)
    await record.wait_followup(1, timeout=10)  # /feedback defers before posting
    assert record.ephemeral
    assert "anonymously" in (record.content or "") and "stored no record of who sent it" in (record.content or "")
    posted = world.double.messages(channel)
    assert len(posted) == 1
    shown = embed_text(posted[0])
    assert "Stand-ups run long" in shown and "Sent anonymously" in shown
    assert str(world.alice.id) not in shown + posted[0].content and "alice" not in shown
    assert posted[0].mention_ids == [] and not posted[0].mention_everyone

    rows = await rapport.db.fetchall("SELECT * FROM server_feedback")
    assert len(rows) == 1
    assert rows[0]["anonymous"] == 1 and rows[0]["author_id"] is None and rows[0]["message_id"] == posted[0].id
    # Nowhere in the database: no table, no column holds the sender's id.
    for table in await rapport.db.tables():
        for row in await rapport.db.fetchall(f'SELECT * FROM "{table}"'):
            assert all(str(world.alice.id) not in str(value) for value in tuple(row)), table


async def test_named_feedback_shows_and_stores_the_author(rapport: Rapport, world: World) -> None:
    channel = await setup_channel(world)
    record = await slash(world.double, world.bob, world.general, "feedback", text="Loved the retro format")
    await record.wait_followup(1, timeout=10)  # /feedback defers before posting
    assert record.ephemeral and "with your name" in (record.content or "")
    posted = world.double.messages(channel)
    assert f"From: <@{world.bob.id}>" in embed_text(posted[-1])
    assert posted[-1].mention_ids == []
    row = await rapport.db.fetchone("SELECT anonymous, author_id, text FROM server_feedback")
    assert row is not None and tuple(row) == (0, world.bob.id, "Loved the retro format")


async def test_feedback_channel_the_bot_cannot_post_in(rapport: Rapport, world: World) -> None:
    channel = await setup_channel(world)
    world.double.set_overwrites(channel, [
        {"id": world.guild.bot_role_id, "type": 0, "allow": 0, "deny": 1 << 14}  # Embed Links
    ])
    record = await slash(world.double, world.alice, world.general, "feedback", text="Hello", anonymous=True)
    await record.wait_followup(1, timeout=10)  # /feedback defers before posting
    assert record.ephemeral and "Embed Links" in (record.content or "") and "nothing was sent" in (record.content or "")
    assert await rapport.db.fetchval("SELECT count(*) FROM server_feedback") == 0


async def test_two_members_filling_the_form_at_once(rapport: Rapport, world: World) -> None:
    message = await post_with_buttons(rapport, world, kind="summary", ref=8)
    opened = {}
    for user in (world.alice, world.bob):
        record = await world.double.click(user, message, "fb:summary:8:missing")
        opened[user.name] = await record.wait_response()
    for user in (world.bob, world.alice):
        submitted = await world.double.submit_modal(user, opened[user.name], {"note": f"Missing from {user.name}"})
        await submitted.wait_followup()
    rows = await rapport.db.fetchall("SELECT user_id, note FROM feedback_notes ORDER BY id")
    assert [tuple(r) for r in rows] == [(world.bob.id, "Missing from bob"), (world.alice.id, "Missing from alice")]
