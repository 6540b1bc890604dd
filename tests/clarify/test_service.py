"""Clarification rules over real SQLite and the real job service; reminders are recorded instead of sent."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.clarify.models import Clarification
from bot.clarify.repository import ClarifyRepo
from bot.clarify.service import REMIND_JOB, REMINDERS, ClarifyService, check_target, clean_question
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.delivery import RESEND_WINDOW
from bot.errors import BadInput, NotAllowed, ObjectNotFound, UserFacingError
from bot.scheduling.clock import FakeClock
from bot.scheduling.dispatch import DEFAULT_LEASE
from bot.scheduling.jobs import JobService

GUILD, OTHER_GUILD, CHANNEL = 10, 11, 20
AUTHOR, ASKER, OTHER = 1, 2, 3


@dataclass
class Poster:
    clock: FakeClock
    deliver: bool = True
    reminded: list[tuple[int, datetime]] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)

    async def remind(self, clarification: Clarification) -> bool:
        self.reminded.append((clarification.id, self.clock.now()))
        return self.deliver

    async def show_closed(self, clarification: Clarification) -> None:
        self.closed.append(clarification.id)


@dataclass
class Setup:
    service: ClarifyService
    poster: Poster
    jobs: JobService
    clock: FakeClock
    prefs: PreferencesRepo


@pytest.fixture
def setup(db: Database, clock: FakeClock) -> Setup:
    jobs = JobService(clock, realtime=False)
    poster = Poster(clock)
    prefs = PreferencesRepo(db)
    return Setup(ClarifyService(ClarifyRepo(db), prefs, clock, jobs, poster), poster, jobs, clock, prefs)


async def asked(setup: Setup, message_id: int = 100, *, asker: int = ASKER, question: str | None = "Which one?",
                thread_id: int | None = None, request_id: int = 1000) -> Clarification:
    opened = await setup.service.open_request(
        guild_id=GUILD, channel_id=CHANNEL, message_id=message_id, author_id=AUTHOR, author_is_bot=False,
        asker_id=asker, question=question,
    )
    return await setup.service.posted(opened, thread_id or message_id, request_id)


def test_refusals_and_question_cleaning() -> None:
    with pytest.raises(NotAllowed, match="your own message"):
        check_target(AUTHOR, AUTHOR, author_is_bot=False)
    with pytest.raises(NotAllowed, match="from a bot"):
        check_target(ASKER, AUTHOR, author_is_bot=True)
    check_target(ASKER, AUTHOR, author_is_bot=False)
    assert clean_question("  ") is None and clean_question(None) is None
    assert clean_question(" why? ") == "why?"
    with pytest.raises(BadInput, match="1,000"):
        clean_question("q" * 1001)


async def test_one_open_request_per_asker_and_message(setup: Setup, db: Database) -> None:
    first = await asked(setup)
    with pytest.raises(UserFacingError, match="already asked"):
        await setup.service.check_can_ask(message_id=100, asker_id=ASKER, author_id=AUTHOR, author_is_bot=False)
    with pytest.raises(UserFacingError, match="already asked"):
        await asked(setup)
    await asked(setup, asker=OTHER, request_id=1001)  # someone else may ask too
    with pytest.raises(NotAllowed):
        await asked(setup, asker=AUTHOR)
    await setup.service.clarified(first.id, AUTHOR)
    await asked(setup, request_id=1002)  # once answered, a new question is fine
    assert await db.fetchval("SELECT count(*) FROM clarifications") == 3


async def test_abandoned_request_leaves_nothing(setup: Setup, db: Database) -> None:
    opened = await setup.service.open_request(
        guild_id=GUILD, channel_id=CHANNEL, message_id=5, author_id=AUTHOR, author_is_bot=False, asker_id=ASKER,
        question=None,
    )
    await setup.service.abandon(opened)
    assert await db.fetchval("SELECT count(*) FROM clarifications") == 0
    assert setup.jobs.pending() == {}


async def test_clarified_button_rules(setup: Setup) -> None:
    found = await asked(setup)
    for wrong in (ASKER, OTHER):
        with pytest.raises(NotAllowed, match="Only <@1>"):
            await setup.service.clarified(found.id, wrong)
    done = await setup.service.clarified(found.id, AUTHOR)
    assert (done.state, done.closed_by) == ("clarified", "button")
    assert REMIND_JOB not in setup.jobs.pending()
    with pytest.raises(UserFacingError, match="already marked"):
        await setup.service.clarified(found.id, AUTHOR)
    with pytest.raises(ObjectNotFound):
        await setup.service.clarified(999, AUTHOR)


async def test_reply_closes_only_the_authors_later_messages(setup: Setup) -> None:
    service = setup.service
    found = await asked(setup, thread_id=700, request_id=1000)
    assert await service.author_replied(700, AUTHOR, 999) == []  # older than the request
    assert await service.author_replied(700, ASKER, 1001) == []  # not the author
    assert await service.author_replied(701, AUTHOR, 1001) == []  # another thread
    closed = await service.author_replied(700, AUTHOR, 1001)
    assert [c.id for c in closed] == [found.id] and closed[0].closed_by == "reply"
    assert setup.poster.closed == [found.id]
    assert await service.author_replied(700, AUTHOR, 1002) == []
    assert setup.jobs.pending() == {}


async def test_button_and_reply_at_once_close_once(setup: Setup) -> None:
    found = await asked(setup, thread_id=700)
    results = await asyncio.gather(
        setup.service.clarified(found.id, AUTHOR),
        setup.service.author_replied(700, AUTHOR, 5000),
        return_exceptions=True,
    )
    closes = [r for r in results if isinstance(r, Clarification)] + [
        c for r in results if isinstance(r, list) for c in r
    ]
    assert len(closes) == 1


async def test_one_reminder_after_a_day(setup: Setup) -> None:
    found = await asked(setup)
    assert found.remind_at == setup.clock.now() + timedelta(hours=24)
    await setup.jobs.advance(timedelta(hours=23, minutes=59))
    assert setup.poster.reminded == []
    await setup.jobs.advance(timedelta(minutes=1))
    assert [r[0] for r in setup.poster.reminded] == [found.id]
    await setup.jobs.advance(timedelta(days=7))
    assert len(setup.poster.reminded) == 1
    assert await setup.service.dispatcher.arm(REMINDERS) is None


async def test_reminder_respects_quiet_hours_away_and_zone(setup: Setup) -> None:
    now = setup.clock.now()  # Monday 14:00 UTC
    await setup.prefs.update_member(AUTHOR, now, timezone="America/New_York", quiet_start=time(8), quiet_end=time(12))
    found = await asked(setup)
    # Tuesday 14:00 UTC is 09:00 in New York, inside quiet hours until 12:00 there (17:00 UTC).
    assert found.remind_at == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    # Going away after it was planned postpones it when it comes due (back at 09:00 there: quiet until 12:00).
    await setup.prefs.update_member(AUTHOR, now, away_until=datetime(2026, 12, 3, 14, 0, tzinfo=UTC))
    await setup.jobs.advance(timedelta(hours=27))
    assert setup.poster.reminded == []
    await setup.jobs.advance(timedelta(days=2))
    assert setup.poster.reminded == [(found.id, datetime(2026, 12, 3, 17, 0, tzinfo=UTC))]


async def test_reminders_are_rebuilt_and_never_doubled(setup: Setup, db: Database) -> None:
    found = await asked(setup)
    jobs = JobService(setup.clock, realtime=False)
    poster = Poster(setup.clock, deliver=False)
    restarted = ClarifyService(ClarifyRepo(db), PreferencesRepo(db), setup.clock, jobs, poster)
    assert await restarted.dispatcher.arm(REMINDERS) == found.remind_at
    await jobs.advance(timedelta(hours=24))
    assert [r[0] for r in poster.reminded] == [found.id]
    await setup.jobs.advance(timedelta(hours=24))  # the old process's timer finds it done
    assert setup.poster.reminded == []
    # An undelivered reminder is not retried: one gentle reminder at most.
    await jobs.advance(timedelta(days=3))
    assert len(poster.reminded) == 1


async def test_lists_and_counts(setup: Setup) -> None:
    first = await asked(setup, 100)
    await asked(setup, 101, request_id=1001)
    asked_by, received = await setup.service.open_for_user(GUILD, ASKER)
    assert len(asked_by) == 2 and received == []
    asked_by, received = await setup.service.open_for_user(GUILD, AUTHOR)
    assert asked_by == [] and len(received) == 2
    assert await setup.service.open_for_user(OTHER_GUILD, AUTHOR) == ([], [])
    await setup.service.clarified(first.id, AUTHOR)
    now = setup.clock.now()
    assert await setup.service.answered_count(GUILD, now, now + timedelta(seconds=1)) == 1
    assert await setup.service.answered_count(GUILD, now + timedelta(seconds=1), now + timedelta(days=1)) == 0
    assert await setup.service.answered_count(OTHER_GUILD, now, now + timedelta(seconds=1)) == 0
    assert len((await setup.service.open_for_user(GUILD, AUTHOR))[1]) == 1


async def test_two_processes_on_one_database_send_each_reminder_once(setup: Setup, db: Database) -> None:
    for index in range(12):
        await asked(setup, message_id=200 + index, request_id=2000 + index)
    second_db = await Database.open(db.target)
    try:
        poster = Poster(setup.clock)
        other = ClarifyService(ClarifyRepo(second_db), PreferencesRepo(second_db), setup.clock,
                               JobService(setup.clock, realtime=False), poster)
        setup.clock.advance(timedelta(hours=24))
        await asyncio.gather(setup.service.dispatcher.dispatch(REMINDERS), other.dispatcher.dispatch(REMINDERS))
        reminded = [r[0] for r in setup.poster.reminded + poster.reminded]
        assert sorted(reminded) == sorted(set(reminded)) and len(reminded) == 12
        assert await db.fetchval("SELECT count(*) FROM clarifications WHERE claimed_by IS NOT NULL") == 0
    finally:
        await second_db.close()


def stopped_after_sending(repo: ClarifyRepo) -> None:
    """As if the process stopped once the reminder went out: nothing more is written."""

    async def killed(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated kill")

    repo.finish_reminder = killed  # type: ignore[method-assign]
    repo.release_claim = killed  # type: ignore[method-assign]


async def delivery_of(db: Database, clarification_id: int) -> tuple[object, object]:
    row = await db.fetchone("SELECT reminded_at, remind_delivery FROM clarifications WHERE id = ?",
                            (clarification_id,))
    assert row is not None
    return row["reminded_at"] is not None, row["remind_delivery"]


@pytest.mark.parametrize("late", [False, True])
async def test_a_reminder_cut_short_is_sent_again_only_within_the_nonce_window(
    setup: Setup, db: Database, late: bool
) -> None:
    found = await asked(setup)
    stopped_after_sending(setup.service.repo)
    await setup.jobs.advance(timedelta(hours=24))
    assert [r[0] for r in setup.poster.reminded] == [found.id]
    assert await delivery_of(db, found.id) == (True, None)  # tried, not recorded: cut short
    setup.clock.advance(RESEND_WINDOW + timedelta(minutes=1) if late else timedelta(seconds=30))
    jobs = JobService(setup.clock, realtime=False)
    poster = Poster(setup.clock)
    restarted = ClarifyService(ClarifyRepo(db), PreferencesRepo(db), setup.clock, jobs, poster)
    await restarted.dispatcher.arm(REMINDERS)
    await jobs.advance(DEFAULT_LEASE)  # the stopped process's claim runs out
    # Within the window: the same message again (its nonce lets Discord drop it if the first arrived).
    assert [r[0] for r in poster.reminded] == ([] if late else [found.id])
    assert await delivery_of(db, found.id) == (True, "unknown" if late else "dm")
    await jobs.advance(timedelta(days=3))
    assert len(poster.reminded) == (0 if late else 1)
