"""Transient Discord failures are retried with bounded backoff while they make sense; permanent ones are visible.

Real SQLite, a fake clock and the recording poster (whose failures stand for a 5xx or a timeout that discord.py
gave up on). Nothing is marked posted that was not, and the creator is told once.
"""

from __future__ import annotations

from datetime import timedelta

from bot.checkins.service import DIGEST_WINDOW, CheckinService
from bot.db.database import Database
from bot.scheduling.clock import FakeClock
from tests.checkins._poster import RecordingPoster
from tests.checkins.test_service import create, make, poster, service  # noqa: F401 - fixtures

HOUR = timedelta(hours=1)


async def digest_state(db: Database) -> list[tuple[str, object, object]]:
    rows = await db.fetchall("SELECT status, digest_posted_at, failure FROM checkin_runs ORDER BY id")
    return [(r["status"], r["digest_posted_at"], r["failure"]) for r in rows]


async def test_a_prompt_that_fails_transiently_is_retried_and_posted_once(
    service: CheckinService, poster: RecordingPoster, db: Database  # noqa: F811
) -> None:
    poster.transient_posts = 3
    await create(service)
    await service.dispatcher.jobs.advance(HOUR)
    assert poster.prompts == []
    assert await db.fetchval("SELECT status FROM checkin_runs") == "posting"
    # 30 s, 1 min, 2 min later: the fourth try posts it, with its thread, close and digest jobs armed.
    await service.dispatcher.jobs.advance(timedelta(minutes=4))
    assert len(poster.prompts) == 1 and len(poster.threads) == 1
    assert await db.fetchval("SELECT status FROM checkin_runs") == "open"
    await service.dispatcher.jobs.advance(timedelta(hours=9))
    assert len(poster.digests) == 1
    assert (await digest_state(db))[0][1] is not None


async def test_a_thread_that_fails_transiently_still_closes_and_is_retried(
    service: CheckinService, poster: RecordingPoster, db: Database  # noqa: F811
) -> None:
    poster.transient_threads = 1
    await create(service)
    await service.dispatcher.jobs.advance(HOUR)
    assert len(poster.prompts) == 1 and poster.threads == []
    await service.dispatcher.jobs.advance(timedelta(minutes=1))
    assert len(poster.threads) == 1 and len(poster.prompts) == 1
    await service.dispatcher.jobs.advance(timedelta(hours=9))
    assert len(poster.digests) == 1


async def test_a_prompt_failing_until_the_run_closes_is_missed_not_stuck(
    service: CheckinService, poster: RecordingPoster, db: Database  # noqa: F811
) -> None:
    poster.transient_posts = 10_000
    await create(service)
    await service.dispatcher.jobs.advance(timedelta(hours=10))
    assert poster.prompts == []
    status, _, failure = (await digest_state(db))[0]
    assert status == "missed" and "kept failing" in str(failure)
    # Bounded: 30 s doubling to 15 min over an 8 h window is a few dozen tries, not a tight loop.
    assert poster.transient_posts > 10_000 - 40


async def test_a_digest_that_fails_transiently_is_retried_then_posted(
    service: CheckinService, poster: RecordingPoster, db: Database  # noqa: F811
) -> None:
    await create(service)
    await service.dispatcher.jobs.advance(HOUR)
    poster.transient_digests = 2
    await service.dispatcher.jobs.advance(timedelta(hours=8))
    assert poster.digests == [] and (await digest_state(db))[0] == ("closed", None, None)
    await service.dispatcher.jobs.advance(timedelta(minutes=2))
    assert len(poster.digests) == 1 and (await digest_state(db))[0][1] is not None
    assert poster.told == []


async def test_a_digest_that_cannot_be_posted_is_not_marked_posted_and_the_creator_is_told_once(
    db: Database, clock: FakeClock, service: CheckinService, poster: RecordingPoster  # noqa: F811
) -> None:
    await create(service)
    await service.dispatcher.jobs.advance(HOUR)
    poster.digest_refused = True
    await service.dispatcher.jobs.advance(timedelta(hours=8))
    status, posted_at, failure = (await digest_state(db))[0]
    assert status == "closed" and posted_at is None and "not shared" in str(failure)
    assert len(poster.told) == 1 and "could not be shared" in poster.told[0][1]
    # A restart does not try it again, nor tell anyone again.
    later = make(db, clock, poster)
    await later.start()
    await later.dispatcher.jobs.run_due()
    assert len(poster.told) == 1


async def test_digests_found_at_start_up_are_sent_only_inside_the_window(
    db: Database, clock: FakeClock, service: CheckinService, poster: RecordingPoster  # noqa: F811
) -> None:
    await create(service)
    await service.dispatcher.jobs.advance(HOUR)
    poster.transient_digests = 10_000
    await service.dispatcher.jobs.advance(timedelta(hours=8))  # closed; the digest waits for Discord
    # Rapport is down for longer than the window; at start-up the old digest is not sent.
    poster.transient_digests = 0
    clock.set(clock.now() + DIGEST_WINDOW + HOUR)
    later = make(db, clock, poster)
    await later.start()
    await later.dispatcher.jobs.run_due()
    first = (await digest_state(db))[0]
    assert first[1] is None and "more than a day late" in str(first[2])
    first_id = await db.fetchval("SELECT min(id) FROM checkin_runs")
    assert first_id not in [run_id for run_id, _ in poster.digests]
