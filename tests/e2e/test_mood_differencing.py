"""The differencing attack on anonymous mood: a manager previews the digest before and after each answer.

The rule (docs/privacy.md): mood figures are made of whole runs only, each closed by the figure's end and with
at least three mood answers, and a preview shows the figures as of the start of today. So no two figures the
bot shows differ by one member's answer.
"""

from __future__ import annotations

from datetime import timedelta

from bot.adapter.client import Rapport
from bot.db.codec import to_epoch
from tests.digest import _seed as seed
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash


async def preview(world: World) -> str:
    record = await slash(world.double, world.owner, world.general, "digest preview")
    message = await record.wait_followup()
    return embed_text(message)


async def answer(bot: Rapport, run_id: int, user_id: int, mood: int) -> None:
    at = to_epoch(bot.clock.now())
    await bot.db.execute(
        "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, updated_at) "
        "VALUES (?, ?, 'answered', 'modal', '[]', ?, ?, ?)",
        (run_id, user_id, mood, at, at),
    )


async def close(bot: Rapport, run_id: int) -> None:
    await bot.db.execute(
        "UPDATE checkin_runs SET status = 'closed', closes_at = ? WHERE id = ?", (to_epoch(bot.clock.now()), run_id)
    )


async def test_answers_one_by_one_with_previews_in_between_reveal_nothing(
    rapport: Rapport, world: World
) -> None:
    clock = rapport.clock
    now = clock.now()
    checkin = await seed.add_checkin(
        rapport.db, world.guild.id, channel_id=world.general.id, anonymous=True, at=now - timedelta(days=3)
    )
    past = await seed.add_run(rapport.db, checkin, now - timedelta(days=1), anonymous=True,
                              channel_id=world.general.id)
    await seed.add_answers(rapport.db, past, [4, 4, 4], at=now - timedelta(days=1), first_user=100)
    baseline = await preview(world)
    assert "from 3 answers" in baseline

    run = await seed.add_run(rapport.db, checkin, now - timedelta(minutes=30), status="open", anonymous=True,
                             channel_id=world.general.id)
    seen = [baseline]
    for index, mood in enumerate([1, 5, 1, 5]):
        await answer(rapport, run, 200 + index, mood)
        seen.append(await preview(world))
    await close(rapport, run)
    seen.append(await preview(world))
    assert set(seen) == {baseline}  # while open, and once closed the same day: not a digit moves

    clock.advance(timedelta(days=1))
    whole = await preview(world)
    assert "from 7 answers" in whole  # the closed run counts, all four answers at once

    # A run with a single answer closes: it never shows, so it cannot be told apart from the figures around it.
    lone = await seed.add_run(rapport.db, checkin, clock.now() - timedelta(minutes=30), status="open",
                              anonymous=True, channel_id=world.general.id)
    await answer(rapport, lone, 300, 1)
    await close(rapport, lone)
    clock.advance(timedelta(days=1))
    after = await preview(world)
    assert "from 7 answers" in after
