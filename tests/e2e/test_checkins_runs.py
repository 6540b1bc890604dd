"""A check-in run end to end: prompt, thread, answers by form and thread, skip, reminders, digest, failures."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.adapter.client import Rapport
from tests.checkins._e2e import advance, answer_by_form, create, custom_ids, eventually, prompts
from tests.double import perms
from tests.double.models import iter_components
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash

LONG_QUESTION = "What is one thing the team could do differently next sprint to make your work a little easier?"
RUN_AT = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def no_pings(message: object) -> bool:
    mentions = getattr(message, "allowed_mentions", None)
    return mentions is not None and mentions.get("parse", []) == [] and not mentions.get("roles")


async def test_run_posts_prompt_and_thread_then_answer_edit_thread_reply_and_digest(
    rapport: Rapport, world: World
) -> None:
    double = world.double
    await create(double, world.owner, world.general, questions=f"What did you ship? | {LONG_QUESTION} | Blockers?",
                 mood=True)
    await advance(rapport, timedelta(minutes=59))
    assert prompts(double, world.general) == []
    await advance(rapport, timedelta(minutes=1))
    [prompt] = prompts(double, world.general)
    text = embed_text(prompt)
    assert "What did you ship?" in text and LONG_QUESTION in text
    closes = int((RUN_AT + timedelta(hours=8)).timestamp())
    assert f"<t:{closes}:R>" in text
    assert custom_ids(prompt) == ["checkin:1:answer", "checkin:1:skip"]
    assert prompt.nonce == f"ci1t{int(RUN_AT.timestamp())}"
    assert no_pings(prompt)
    [thread] = double.threads(world.general)
    assert thread.id == prompt.id and thread.name.startswith("Stand-up · Mon 30 Nov")

    # Answer: the form has every question (long ones in the label's description) and the mood choice.
    opened = await double.click(world.alice, prompt, "checkin:1:answer")
    await opened.wait_response()
    labels = [c for c in opened.modal["components"] if c["type"] == 18]
    assert labels[0]["label"] == "What did you ship?"
    assert len(labels[1]["label"]) <= 45 and labels[1]["description"] == LONG_QUESTION
    assert labels[3]["component"]["custom_id"] == "mood"
    saved = await double.submit_modal(world.alice, opened, {"q0": "Login page", "q1": "Fewer meetings",
                                                            "q2": "Waiting on the API keys", "mood": ["4"]})
    await saved.wait_response()
    assert saved.ephemeral and saved.content.startswith("Saved.")
    stored = await rapport.db.fetchone("SELECT answers, mood, source FROM checkin_answers WHERE user_id = ?",
                                       (world.alice.id,))
    assert stored["answers"] == '["Login page", "Fewer meetings", "Waiting on the API keys"]' and stored["mood"] == 4

    # Edit from the "saved" message: the form comes back pre-filled.
    assert "checkin:1:answer" in custom_ids(saved.message)
    again = await double.click(world.alice, saved.message, "checkin:1:answer")
    await again.wait_response()
    values = {c["custom_id"]: c.get("value") for c in iter_components(again.modal["components"]) if "custom_id" in c}
    assert values["q0"] == "Login page" and values["q2"] == "Waiting on the API keys"
    mood_options = next(c for c in iter_components(again.modal["components"]) if c.get("custom_id") == "mood")
    assert [o["value"] for o in mood_options["options"] if o.get("default")] == ["4"]
    edited = await double.submit_modal(world.alice, again, {"q0": "Login page, shipped", "mood": ["4"]})
    await edited.wait_response()
    stored = await rapport.db.fetchone("SELECT answers FROM checkin_answers WHERE user_id = ?", (world.alice.id,))
    assert stored["answers"] == '["Login page, shipped", "Fewer meetings", "Waiting on the API keys"]'

    # A plain message in the thread counts as bob's answer.
    await double.send_message(world.bob, thread, "All good here, @everyone should try the new build")

    async def bob_answered() -> object:
        return await rapport.db.fetchone("SELECT source, answers FROM checkin_answers WHERE user_id = ?",
                                         (world.bob.id,))

    assert (await eventually(bob_answered))["source"] == "thread"

    # The close: the digest in the thread.
    await advance(rapport, timedelta(hours=8))
    digest = [m for m in double.messages(thread) if m.author_id == double.world.bot_user.id][-1]
    text = embed_text(digest)
    assert "**2 of 2** answered" in text
    assert "Login page, shipped" in text and "**alice** · mood 4/5" in text
    assert "(reply in the thread)" in text and "@\u200beveryone" in text
    assert "Blockers" in text and "Waiting on the API keys" in text
    assert no_pings(digest)
    assert [c for c in digest.custom_ids() if c.startswith("fb:")] == ["fb:checkin:1:up", "fb:checkin:1:missing"]
    # Buttons pressed after the close are answered kindly.
    late = await double.click(world.bob, prompt, "checkin:1:answer")
    await late.wait_response()
    assert late.ephemeral and f"closed at <t:{closes}:f>" in late.content
    skip_late = await double.click(world.bob, prompt, "checkin:1:skip")
    await skip_late.wait_response()
    assert "closed at" in skip_late.content


async def test_skip_and_answer_command_history_export(rapport: Rapport, world: World) -> None:
    double = world.double
    await create(double, world.owner, world.general, template="wins")
    await advance(rapport, timedelta(hours=1))
    [prompt] = prompts(double, world.general)
    skipped = await double.click(world.bob, prompt, "checkin:1:skip")
    await skipped.wait_response()
    assert skipped.ephemeral and "Skipped this time" in skipped.content
    status = await rapport.db.fetchval("SELECT status FROM checkin_answers WHERE user_id = ?", (world.bob.id,))
    assert status == "skipped"
    opened = await slash(double, world.alice, world.general, "checkin answer")
    assert opened.modal is not None and opened.modal["custom_id"] == "checkin:1:form"
    done = await double.submit_modal(world.alice, opened, {"q0": "=1+1 closed the biggest deal"})
    assert done.ephemeral or (await done.wait_response()).ephemeral
    await advance(rapport, timedelta(hours=8))
    [thread] = double.threads(world.general)
    digest = double.messages(thread)[-1]
    assert "**1 of 2** answered · 1 skipped this time" in embed_text(digest)
    history = await slash(double, world.bob, world.general, "checkin history", id="1")
    assert history.ephemeral and "closed the biggest deal" in embed_text(history)
    mine = await slash(double, world.bob, world.general, "checkin history", id="1", member=world.bob)
    assert "No answers yet." in embed_text(mine)
    export = await slash(double, world.owner, world.general, "checkin export", id="1")
    assert export.ephemeral
    [attachment] = export.message.attachments
    csv_text = attachment.data.decode()
    assert csv_text.splitlines()[0] == "run_time,member_id,member,question,answer,mood,answered_at"
    assert "'=1+1 closed the biggest deal" in csv_text and "alice" in csv_text


async def test_reminders_dm_fallback_quiet_hours_and_away(runner: BotRunner, world: World) -> None:
    double = world.double
    carol = double.create_user("carol", dms_open=False)
    double.add_member(world.guild, carol)
    team = double.create_role(world.guild, "Team")
    for user in (world.alice, world.bob, carol):
        double.set_member_roles(world.guild, user, [team])
    bot = await runner.start()
    now = bot.clock.now()
    await bot.prefs.update_guild(world.guild.id, now, checkin_missing="names")  # the fallback may name carol
    await bot.prefs.update_member(world.alice.id, now, quiet_start=time(20, 0), quiet_end=time(22, 0),
                                  timezone="UTC")
    await bot.prefs.update_member(world.bob.id, now, away_until=now + timedelta(days=3))
    await create(double, world.owner, world.general, participants=team)
    await advance(bot, timedelta(hours=1))  # 15:00: posted; the reminder is due at 21:00
    [thread] = double.threads(world.general)
    await advance(bot, timedelta(hours=6))  # 21:00
    assert double.dm_messages(world.alice) == []  # quiet hours until 22:00
    assert double.dm_messages(world.bob) == []  # away
    [nudge] = [m for m in double.messages(thread) if m.author_id == double.world.bot_user.id]
    assert nudge.content.startswith(f"<@{carol.id}> a gentle reminder")
    assert nudge.allowed_mentions["parse"] == [] and [int(u) for u in nudge.allowed_mentions["users"]] == [carol.id]
    carol_prefs = await bot.prefs.member(carol.id)
    assert carol_prefs.dm_unreachable_until == bot.clock.now() + timedelta(days=7)
    await advance(bot, timedelta(hours=1))  # 22:00: alice's quiet hours are over
    [dm] = double.dm_messages(world.alice)
    assert "Stand-up" in dm.content and "no pressure" in dm.content
    assert custom_ids(dm) == ["checkin:1:answer", "checkin:1:skip"]
    await answer_by_form(double, world.alice, dm, {"q0": "Did the thing"})
    rows = dict(await bot.db.fetchall("SELECT user_id, status FROM checkin_reminders"))
    assert rows == {world.alice.id: "dm", world.bob.id: "not_needed", carol.id: "channel"}
    await advance(bot, timedelta(hours=1))  # 23:00: close
    digest = double.messages(thread)[-1]
    text = embed_text(digest)
    assert "**1 of 2** answered" in text  # bob is away: neither reminded nor counted
    assert "Not heard from: carol" in text  # this server chose names
    # The next day carol is still unreachable by DM: one mention in the new thread, no DM attempt.
    before = len([r for r in double.requests if r.path.endswith("/users/@me/channels")])
    await advance(bot, timedelta(hours=22))
    new_thread = double.threads(world.general)[-1]
    assert [m.content.startswith(f"<@{carol.id}>") for m in double.messages(new_thread)] == [True]
    assert len([r for r in double.requests if r.path.endswith("/users/@me/channels")]) == before
    for message in double.messages(world.general) + double.messages(thread):
        if message.author_id == double.world.bot_user.id:
            assert message.allowed_mentions is None or message.allowed_mentions.get("parse", []) == []
            assert "@everyone" not in message.content


async def test_anonymous_mood_digest_hidden_below_three(runner: BotRunner, world: World) -> None:
    double = world.double
    carol = double.create_user("carol")
    double.add_member(world.guild, carol)
    bot = await runner.start()
    await create(double, world.owner, world.general, template="pulse", anonymous_mood=True)
    await advance(bot, timedelta(hours=1))
    [prompt] = prompts(double, world.general)
    await answer_by_form(double, world.alice, prompt, {"q0": "Fine", "mood": ["5"]})
    await answer_by_form(double, world.bob, prompt, {"q0": "Tired", "mood": ["2"]})
    await advance(bot, timedelta(hours=8))
    first = embed_text(double.messages(double.threads(world.general)[0])[-1])
    assert "Kept private" in first and "Average" not in first and "mood 5/5" not in first
    await advance(bot, timedelta(hours=16))
    prompt = prompts(double, world.general)[-1]
    for user, mood in ((world.alice, "5"), (world.bob, "2"), (carol, "2")):
        await answer_by_form(double, user, prompt, {"q0": "ok", "mood": [mood]})
    await advance(bot, timedelta(hours=8))
    second = embed_text(double.messages(double.threads(world.general)[1])[-1])
    assert "Average **3.0** / 5 from 3 people" in second
    assert "`5 Great` ████" in second and "`2 Low  ` ████████ 2" in second
    assert "mood 5/5" not in second and "mood 2/5" not in second


async def test_long_answers_are_attached_to_the_digest(rapport: Rapport, world: World) -> None:
    double = world.double
    await create(double, world.owner, world.general, template="wins")
    await advance(rapport, timedelta(hours=1))
    [prompt] = prompts(double, world.general)
    long_text = "A long story about the week. " * 130
    await answer_by_form(double, world.alice, prompt, {"q0": long_text.strip()})
    await answer_by_form(double, world.bob, prompt, {"q0": long_text.strip()})
    await advance(rapport, timedelta(hours=8))
    digest = double.messages(double.threads(world.general)[0])[-1]
    [attachment] = digest.attachments
    assert attachment.filename.endswith(".md")
    assert attachment.data.decode().count(long_text.strip()) == 2
    assert "attached file" in embed_text(digest)


async def test_lost_permission_pauses_tells_creator_once_and_never_retries(runner: BotRunner, world: World) -> None:
    double = world.double
    bot = await runner.start()
    await create(double, world.owner, world.general)
    await create(double, world.owner, world.general, name="Evening", schedule="daily 18:00")
    everything = perms.ALL & ~perms.ADMINISTRATOR
    double.set_bot_permissions(world.guild, everything & ~perms.CREATE_PUBLIC_THREADS)

    async def lost() -> bool:
        channel = bot.get_channel(world.general.id)
        return channel is not None and not channel.permissions_for(channel.guild.me).create_public_threads

    await eventually(lost)
    await advance(bot, timedelta(hours=5))
    assert prompts(double, world.general) == []
    rows = await bot.db.fetchall("SELECT name, paused_at, pause_reason FROM checkins ORDER BY id")
    assert all(r["paused_at"] is not None and "Create Public Threads" in r["pause_reason"] for r in rows)
    dms = double.dm_messages(world.owner)
    assert len(dms) == 2 and all("paused the check-in" in m.content for m in dms)  # once per check-in
    listed = await slash(double, world.alice, world.general, "checkin list")
    assert "Paused: I'm missing Create Public Threads in #general." in embed_text(listed)
    requests_before = len(double.requests)
    await advance(bot, timedelta(days=3))
    assert len(double.dm_messages(world.owner)) == 2
    assert len(double.requests) == requests_before
    refused = await slash(double, world.owner, world.general, "checkin resume", id="1")
    assert "still can't run it" in refused.content
    double.set_bot_permissions(world.guild, everything)

    async def regained() -> bool:
        channel = bot.get_channel(world.general.id)
        return channel is not None and channel.permissions_for(channel.guild.me).create_public_threads

    await eventually(regained)
    resumed = await slash(double, world.owner, world.general, "checkin resume", id="1")
    assert "Resumed" in resumed.content


async def test_deleted_channel_pauses_the_checkin(rapport: Rapport, world: World) -> None:
    double = world.double
    standups = double.create_channel(world.guild, "standups")

    async def cached() -> bool:
        return rapport.get_channel(standups.id) is not None

    await eventually(cached)
    await create(double, world.owner, world.general, channel=standups)
    double.delete_channel(standups)

    async def gone() -> bool:
        return rapport.get_channel(standups.id) is None

    await eventually(gone)
    await advance(rapport, timedelta(hours=1))
    row = await rapport.db.fetchone("SELECT paused_at, pause_reason FROM checkins")
    assert row["paused_at"] is not None and "deleted" in row["pause_reason"]
    assert await rapport.db.fetchval("SELECT status FROM checkin_runs") == "failed"
    [dm] = double.dm_messages(world.owner)
    assert "/checkin resume" in dm.content


@pytest.mark.parametrize("mode", ["count", "off"])
async def test_an_undeliverable_reminder_never_names_the_member_unless_names_is_chosen(
    runner: BotRunner, world: World, mode: str
) -> None:
    double = world.double
    carol = double.create_user("carol", dms_open=False)
    double.add_member(world.guild, carol)
    team = double.create_role(world.guild, "Team")
    double.set_member_roles(world.guild, carol, [team])
    bot = await runner.start()
    await bot.prefs.update_guild(world.guild.id, bot.clock.now(), checkin_missing=mode)
    await create(double, world.owner, world.general, participants=team)
    await advance(bot, timedelta(hours=7))  # posted at 15:00, the reminder due at 21:00
    [thread] = double.threads(world.general)
    for message in double.messages(thread) + double.messages(world.general):
        assert str(carol.id) not in message.content and "gentle reminder" not in message.content
    rows = dict(await bot.db.fetchall("SELECT user_id, status FROM checkin_reminders"))
    assert rows == {carol.id: "failed"}
