"""/repair through the double: the whole conversation with a mediator, from start to follow-up."""

from __future__ import annotations

from datetime import timedelta

from bot.adapter.client import Rapport
from bot.commitments.service import CommitmentService
from bot.repair.service import FOLLOWUP_JOB, RepairService
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash
from tests.repair._steps import (
    approve,
    bot_messages,
    close,
    member,
    own,
    press,
    reflect,
    reply_of,
    review,
    seen_by,
    share_view,
    start_ok,
    submit,
    summary_messages,
    text_of,
)

OUTSIDER = "private to the people in it"


async def test_full_repair_with_a_mediator(rapport: Rapport, world: World) -> None:
    d = world.double
    carol = member(world, "carol")
    started = await start_ok(world, world.alice, world.bob, topic="the launch date", mediator=carol, followup=7)
    rid = started.repair_id
    thread = started.thread

    # A private thread (type 12) in #general with exactly the three of them (and the bot).
    assert thread.type == 12 and thread.parent_id == world.general.id
    assert set(thread.member_ids) == {d.bot_user.id, world.alice.id, world.bob.id, carol.id}
    assert "the launch date" in thread.name
    assert started.record.ephemeral and f"<#{thread.id}>" in (await reply_of(started.record))
    assert set(started.control.mention_ids) == {world.alice.id, world.bob.id, carol.id}
    assert started.control.custom_ids() == [f"repair:{rid}:view", f"repair:{rid}:reflect", f"repair:{rid}:own",
                                            f"repair:{rid}:status"]
    # Nothing about it appears in the channel itself.
    assert not [m for m in d.messages(world.general) if "launch" in text_of(m)]

    # Step 1: alice's view stays hidden until bob has shared his.
    shared = await share_view(d, world.alice, started, "ALICE-HAPPENED the date moved", "ALICE-AFFECTED stressed",
                              "ALICE-NEED a heads-up")
    assert shared.ephemeral and "saved privately" in shared.reply
    for reader in (world.bob, carol, world.owner):
        assert "ALICE-" not in seen_by(d, thread, reader)
    assert "ALICE-" not in "\n".join(text_of(m) for m in d.messages(thread, include_ephemeral=True))
    status = await press(d, world.bob, started.control, f"repair:{rid}:status")
    assert status.ephemeral and "1 of 2 views shared" in embed_text(status) and "ALICE-" not in embed_text(status)
    again = await press(d, world.alice, started.control, f"repair:{rid}:view")
    assert again.ephemeral and "already shared" in again.content
    mediator_share = await press(d, carol, started.control, f"repair:{rid}:view")
    assert mediator_share.ephemeral and "Only the two people" in mediator_share.content
    too_early = await press(d, world.alice, started.control, f"repair:{rid}:reflect")
    assert too_early.ephemeral and "both of you have shared" in too_early.content

    shared = await share_view(d, world.bob, started, "BOB-HAPPENED I had no choice", "BOB-AFFECTED blamed",
                              "BOB-NEED trust")
    assert "posted your views side by side" in shared.reply
    views = bot_messages(d, thread)[-1]
    both = embed_text(views)
    for part in ("ALICE-HAPPENED", "ALICE-AFFECTED", "ALICE-NEED", "BOB-HAPPENED", "BOB-AFFECTED", "BOB-NEED"):
        assert part in both
    assert "side by side" in both
    assert set(views.mention_ids) == {world.alice.id, world.bob.id}

    # Step 2: alice reflects; only bob answers, and "That's right" closes it.
    reflection = await reflect(d, world.alice, started, "You felt cornered by the deadline")
    assert "You felt cornered" in embed_text(reflection)
    assert reflection.mention_ids == [world.bob.id]
    right_id, _not_quite = reflection.custom_ids()
    for presser in (world.alice, carol):
        refused = await press(d, presser, reflection, right_id)
        assert refused.ephemeral and "Only <@" in refused.content
    outsider = await press(d, world.owner, reflection, right_id)
    assert outsider.ephemeral and OUTSIDER in outsider.content
    answered = await press(d, world.bob, reflection, right_id)
    assert answered.response_type == 7 and reflection.components == []
    assert "That's right" in reflection.content

    # bob reflects; alice says "Not quite" and her clarification is posted in the thread.
    bobs = await reflect(d, world.bob, started, "You wanted to be asked first")
    opened = await press(d, world.alice, bobs, bobs.custom_ids()[1])
    await submit(d, world.alice, opened, {"repair-meant": "ALICE-MEANT told, not asked"})
    clarification = await d.wait_for_message(lambda m: m.channel_id == thread.id and "ALICE-MEANT" in m.content)
    assert "ALICE-MEANT" in clarification.content and "Not quite" in clarification.content
    assert clarification.message_reference is not None
    assert int(clarification.message_reference["message_id"]) == bobs.id
    assert bobs.components == []

    # Step 3: each person's "what I'll do" becomes a proposed commitment for them.
    said = await own(d, world.alice, started, "I reacted in public", "Raise date worries with Bob privately first")
    assert "#1" in said
    await own(d, world.bob, started, "I didn't explain the move", "Post date changes with the reason")
    commitments = rapport.service(CommitmentService)
    first = await commitments.by_number(world.guild.id, 1)
    second = await commitments.by_number(world.guild.id, 2)
    assert (first.owner_id, first.status, first.source_kind, first.source_channel_id) == (
        world.alice.id, "proposed", "repair", thread.id)
    assert first.text == "Raise date worries with Bob privately first"
    assert (second.owner_id, second.source_kind) == (world.bob.id, "repair")
    assert any("Raise date worries" in m.content for m in d.dm_messages(world.alice))
    ownership_posts = [m for m in bot_messages(d, thread) if "Owning my part" in embed_text(m)]
    assert len(ownership_posts) == 2

    # Close (by the mediator): a draft both can review privately; one approval is not enough.
    closing = await close(d, carol, thread, note="We'll talk dates over on Fridays")
    assert closing.ephemeral and "review" in (await reply_of(closing))
    outsider_review = await review(d, world.owner, started)
    assert outsider_review.ephemeral and OUTSIDER in outsider_review.content
    mediator_review = await review(d, carol, started)
    assert mediator_review.ephemeral and "Draft summary" in embed_text(mediator_review)
    assert not [c for c in mediator_review.message.custom_ids() if ":approve:" in c]
    draft = await review(d, world.alice, started)
    draft_text = embed_text(draft)
    for part in ("ALICE-HAPPENED", "BOB-NEED", "You felt cornered", "That's right", "ALICE-MEANT",
                 "I reacted in public", "Post date changes with the reason", "commitment #1", "commitment #2",
                 "We'll talk dates over on Fridays", "mediating"):
        assert part in draft_text, part
    approve_id = next(c for c in draft.message.custom_ids() if ":approve:" in c)
    first_ok = await press(d, world.alice, draft.message, approve_id)
    assert "Waiting for" in first_ok.message.content
    assert summary_messages(d, thread) == []

    await approve(d, world.bob, started)
    posted = await d.wait_until(lambda: summary_messages(d, thread))
    assert len(posted) == 1
    assert "ALICE-HAPPENED" in embed_text(posted[0]) and "both approved" in posted[0].content
    assert posted[0].mention_ids == [] and not posted[0].mention_everyone
    share_id = posted[-1].custom_ids()[0]
    assert [c for c in posted[-1].custom_ids() if c.startswith("fb:")] == [
        f"fb:repair:{started.repair_id}:up", f"fb:repair:{started.repair_id}:missing"]
    assert share_id == f"repair:{rid}:share"
    assert summary_messages(d, world.general) == []

    # Sharing to the channel is a second, separate consent by both.
    outsider_share = await press(d, world.owner, posted[-1], share_id)
    assert OUTSIDER in outsider_share.content
    mediator_share_press = await press(d, carol, posted[-1], share_id)
    assert "Only the two people" in mediator_share_press.content
    half = await press(d, world.alice, posted[-1], share_id)
    assert half.ephemeral and "only once" in half.content
    assert summary_messages(d, world.general) == []
    await press(d, world.bob, posted[-1], share_id)
    shared = await d.wait_until(lambda: summary_messages(d, world.general))
    assert len(shared) == 1 and "consent of both" in shared[0].content
    assert shared[0].mention_ids == [] and not shared[0].mention_everyone
    await d.wait_until(lambda: posted[-1].components == [])

    # The follow-up: nothing after 6 days, "How are things now?" on day 7, pinging only the two.
    await rapport.jobs.advance(timedelta(days=6, hours=23))
    assert not [m for m in bot_messages(d, thread) if "How are things now?" in m.content]
    await rapport.jobs.advance(timedelta(hours=1))
    followups = [m for m in bot_messages(d, thread) if "How are things now?" in m.content]
    assert len(followups) == 1
    followup = followups[0]
    assert set(followup.mention_ids) == {world.alice.id, world.bob.id}
    assert followup.custom_ids() == [f"repair:{rid}:better", f"repair:{rid}:same", f"repair:{rid}:worse"]
    outsider_answer = await press(d, world.owner, followup, f"repair:{rid}:better")
    assert OUTSIDER in outsider_answer.content
    opened = await press(d, world.alice, followup, f"repair:{rid}:better")
    said_better = await submit(d, world.alice, opened, {"repair-followup-note": "Fridays help"})
    assert "Better" in said_better.content and "Fridays help" in said_better.content
    twice = await press(d, world.alice, followup, f"repair:{rid}:worse")
    assert "already answered" in twice.content
    opened = await press(d, world.bob, followup, f"repair:{rid}:same")
    await submit(d, world.bob, opened, {})
    await d.wait_until(lambda: followup.components == [])

    service = rapport.service(RepairService)
    now = rapport.clock.now()
    assert await service.followups_done(world.guild.id, now - timedelta(hours=1), now + timedelta(hours=1)) == 1
    assert await service.followups_done(world.guild.id, now + timedelta(hours=1), now + timedelta(days=1)) == 0
    assert await service.open_count(world.guild.id) == 0
    listing = await slash(d, world.alice, world.general, "repair list")
    assert listing.ephemeral and "closed and followed up" in embed_text(listing)
    assert "ALICE-" not in embed_text(listing)
    mediated = await slash(d, carol, world.general, "repair list")
    assert "you mediate" in embed_text(mediated)


async def test_follow_up_survives_restarts_and_posts_once(runner: BotRunner, world: World) -> None:
    d = world.double
    bot = await runner.start()
    started = await start_ok(world, world.alice, world.bob, followup=3)
    rid = started.repair_id
    await share_view(d, world.alice, started, "A-VIEW")

    # Buttons work after a restart: bob shares, which reveals both views.
    bot = await runner.restart()
    await share_view(d, world.bob, started, "B-VIEW")
    await d.wait_for_message(lambda m: m.channel_id == started.thread.id and "A-VIEW" in embed_text(m))
    await close(d, world.bob, started.thread)
    await approve(d, world.alice, started)
    bot = await runner.restart()
    await approve(d, world.bob, started)
    await d.wait_until(lambda: bot.jobs.get(FOLLOWUP_JOB))
    assert len(summary_messages(d, started.thread)) == 1
    assert bot.jobs.get(FOLLOWUP_JOB) == bot.clock.now() + timedelta(days=3)

    # Restart before it is due: the timer is rebuilt from the row.
    bot = await runner.restart()
    assert FOLLOWUP_JOB in bot.jobs.pending()
    await bot.jobs.advance(timedelta(days=3))
    asked = [m for m in bot_messages(d, started.thread) if "How are things now?" in m.content]
    assert len(asked) == 1

    # Restart after it was posted: never a second one.
    bot = await runner.restart()
    assert FOLLOWUP_JOB not in bot.jobs.pending()
    await bot.jobs.advance(timedelta(days=30))
    assert len([m for m in bot_messages(d, started.thread) if "How are things now?" in m.content]) == 1
    opened = await press(d, world.bob, asked[0], f"repair:{rid}:worse")
    answer = await submit(d, world.bob, opened, {"repair-followup-note": "Still tense"})
    assert "Worse" in answer.content


async def test_a_follow_up_that_was_due_during_downtime_is_posted_at_start(runner: BotRunner, world: World) -> None:
    d = world.double
    await runner.start()
    started = await start_ok(world, world.alice, world.bob, followup=1)
    await share_view(d, world.alice, started, "x")
    await share_view(d, world.bob, started, "y")
    await close(d, world.alice, started.thread)
    await approve(d, world.alice, started)
    await approve(d, world.bob, started)
    await d.wait_until(lambda: summary_messages(d, started.thread))
    await runner.stop()
    runner.clock.advance(timedelta(days=2))
    bot = await runner.start()
    await bot.jobs.run_due()
    asked = [m for m in bot_messages(d, started.thread) if "How are things now?" in m.content]
    assert len(asked) == 1
