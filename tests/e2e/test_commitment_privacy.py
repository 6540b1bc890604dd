"""Commitments made in a repair stay between the people in it."""

from __future__ import annotations

from datetime import timedelta

from bot.adapter.client import Rapport
from bot.commitments.service import CommitmentService
from bot.digest.sources import DigestSources
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash


async def test_repair_commitment_is_hidden_from_everyone_but_its_owner(rapport: Rapport, world: World) -> None:
    service = rapport.service(CommitmentService)
    now = rapport.clock.now()
    private = await service.add(
        guild_id=world.guild.id, owner_id=world.alice.id, text="PRIVATE-REPAIR-PROMISE", due=now + timedelta(days=2),
        source_kind="repair", source_channel_id=world.general.id,
    )
    public = await service.add(
        guild_id=world.guild.id, owner_id=world.alice.id, text="Ship the newsletter", due=now + timedelta(days=3),
    )

    own_list = await slash(world.double, world.alice, world.general, "commit list")
    assert "PRIVATE-REPAIR-PROMISE" in embed_text(own_list)

    for viewer in (world.bob, world.owner):  # a member, and the server owner who is a manager
        listed = await slash(world.double, viewer, world.general, "commit list", member=world.alice)
        text = embed_text(listed) + listed.content
        assert "PRIVATE-REPAIR-PROMISE" not in text
        assert "Ship the newsletter" in text
        shown = await slash(world.double, viewer, world.general, "commit show", id=str(private.number))
        assert shown.ephemeral and "couldn't find" in shown.content
        assert "PRIVATE-REPAIR-PROMISE" not in shown.content + embed_text(shown)
        refused = await slash(world.double, viewer, world.general, "commit done", id=str(private.number))
        assert "couldn't find" in refused.content
    assert (await service.get(private.id)).status == "open"

    mine = await slash(world.double, world.alice, world.general, "commit show", id=str(private.number))
    assert "PRIVATE-REPAIR-PROMISE" in embed_text(mine)
    await slash(world.double, world.alice, world.general, "commit done", id=str(private.number))
    await slash(world.double, world.alice, world.general, "commit done", id=str(public.number))

    # /wins lists kept commitments, but never the text of a private one.
    kept = await DigestSources(rapport.db).kept_commitments(
        world.guild.id, now - timedelta(days=1), rapport.clock.now() + timedelta(days=1)
    )
    assert [k.text for k in kept] == ["Ship the newsletter"]
