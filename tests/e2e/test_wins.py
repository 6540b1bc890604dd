"""/win and /wins through the double: a celebration that pings only the celebrated member, and the lists."""

from __future__ import annotations

from datetime import timedelta

from bot.adapter.client import Rapport
from tests.digest import _seed as seed
from tests.digest._e2e import eventually
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash


async def test_win_mentions_only_the_celebrated_member(rapport: Rapport, world: World) -> None:
    text = f"Thanks @everyone and <@{world.owner.id}> for the **launch** <@&{world.manager_role.id}>"
    record = await slash(world.double, world.alice, world.general, "win", text=text, member=world.bob)
    assert not record.ephemeral
    message = record.message
    assert message is not None and message.content == f"🎉 <@{world.bob.id}>"
    # Exactly one member may be pinged, and it is the one celebrated.
    sent = message.allowed_mentions
    assert sent is not None and sent["parse"] == [] and not sent.get("roles")
    assert [int(user) for user in sent["users"]] == [world.bob.id]
    assert message.mention_ids == [world.bob.id]
    assert not message.mention_everyone and message.mention_role_ids == []
    shown = embed_text(record)
    assert "A win for bob" in shown and "Shared by alice" in shown
    assert "@\u200beveryone" in shown and f"<@\u200b{world.owner.id}>" in shown and "**launch**" in shown
    row = await rapport.db.fetchone("SELECT * FROM wins")
    assert row is not None
    assert (row["guild_id"], row["channel_id"], row["author_id"], row["member_id"]) == (
        world.guild.id, world.general.id, world.alice.id, world.bob.id,
    )
    # The message id is saved just after the celebration is sent.
    stored = await eventually(lambda: rapport.db.fetchval("SELECT message_id FROM wins"))
    assert stored == message.id
    assert row["text"] == text


async def test_a_team_win_pings_nobody(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.bob, world.general, "win", text="We hit the deadline @here")
    message = record.message
    assert message is not None and message.content == ""
    assert message.mention_ids == [] and not message.mention_everyone
    assert message.allowed_mentions is not None and message.allowed_mentions.get("parse") == []
    assert "A win for the team" in embed_text(record)
    assert await rapport.db.fetchval("SELECT member_id FROM wins") is None


async def test_bots_are_not_celebrated(rapport: Rapport, world: World) -> None:
    helper = world.double.create_user("helperbot", bot=True)
    world.double.add_member(world.guild, helper)
    record = await slash(world.double, world.alice, world.general, "win", text="Beep", member=helper)
    assert record.ephemeral and "for people" in (record.content or "")
    assert await rapport.db.fetchval("SELECT count(*) FROM wins") == 0


async def test_wins_week_and_month(rapport: Rapport, world: World) -> None:
    now = rapport.clock.now()
    await slash(world.double, world.alice, world.general, "win", text="Shipped onboarding", member=world.bob)
    await seed.add_win(rapport.db, world.guild.id, now - timedelta(days=20), member_id=world.alice.id,
                       author_id=world.bob.id, text="Closed the big deal", channel_id=world.general.id)
    await seed.add_commitment(rapport.db, world.guild.id, 3, owner_id=world.bob.id, status="done",
                              opened_at=now - timedelta(days=4), closed_at=now - timedelta(days=1),
                              text="Write the release notes")
    await seed.add_commitment(rapport.db, world.guild.id, 4, owner_id=world.alice.id, status="done",
                              opened_at=now - timedelta(days=25), closed_at=now - timedelta(days=15),
                              text="Plan the offsite")

    week = await slash(world.double, world.owner, world.general, "wins")
    assert week.ephemeral
    shown = embed_text(week)
    assert "Wins in the last 7 days" in shown
    assert "Shipped onboarding" in shown and f"<@{world.bob.id}>" in shown
    assert "#3" in shown and "Write the release notes" in shown
    assert "Closed the big deal" not in shown and "Plan the offsite" not in shown
    assert week.message is not None and week.message.mention_ids == []

    month = await slash(world.double, world.owner, world.general, "wins", period="month")
    shown = embed_text(month)
    assert "Wins in the last 30 days" in shown
    for expected in ("Shipped onboarding", "Closed the big deal", "Write the release notes", "Plan the offsite"):
        assert expected in shown


async def test_wins_when_there_are_none(rapport: Rapport, world: World) -> None:
    record = await slash(world.double, world.alice, world.general, "wins", period="month")
    assert record.ephemeral and "Celebrate something with `/win`" in embed_text(record)
