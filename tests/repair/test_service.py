"""The repair rules over real SQLite and the real job service; posting is recorded instead of sent.

Discord itself is exercised by the end-to-end tests; here the rules (privacy, consent, once-only) are checked
quickly and exactly, including races between two people pressing at the same moment.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from bot.db.database import Database
from bot.errors import BadInput, NotAllowed, ObjectNotFound, UserFacingError
from bot.repair.models import Repair
from bot.repair.repository import RepairRepo
from bot.repair.service import (
    FOLLOWUP_JOB,
    FOLLOWUPS,
    RETRY_AFTER,
    RepairService,
    check_followup_days,
    check_people,
    clean_field,
)
from bot.scheduling.clock import FakeClock
from bot.scheduling.jobs import JobService

GUILD, OTHER_GUILD = 10, 11
CHANNEL, THREAD = 20, 21
ALICE, BOB, CAROL, STRANGER = 1, 2, 3, 4


@dataclass
class Poster:
    clock: FakeClock
    fail: bool = False
    gone: bool = False
    posted: list[tuple[int, object]] = field(default_factory=list)

    async def post_followup(self, repair: Repair) -> int | None:
        if self.fail:
            raise RuntimeError("Discord is down")
        if self.gone:
            return None
        self.posted.append((repair.id, self.clock.now()))
        return 900 + len(self.posted)


@dataclass
class Proposer:
    fail: bool = False
    calls: list[dict[str, object]] = field(default_factory=list)

    async def __call__(self, **kwargs: object) -> tuple[int, int] | None:
        if self.fail:
            raise RuntimeError("commitments broke")
        self.calls.append(kwargs)
        return 500 + len(self.calls), len(self.calls)


@dataclass
class Setup:
    service: RepairService
    poster: Poster
    proposer: Proposer
    jobs: JobService
    clock: FakeClock


@pytest.fixture
def setup(db: Database, clock: FakeClock) -> Setup:
    jobs = JobService(clock, realtime=False)
    poster, proposer = Poster(clock), Proposer()
    return Setup(RepairService(RepairRepo(db), clock, jobs, poster, proposer), poster, proposer, jobs, clock)


async def begin(service: RepairService, a: int = ALICE, b: int = BOB, *, guild: int = GUILD,
                mediator: int | None = None, days: int = 7, thread: int = THREAD) -> Repair:
    repair = await service.begin(guild_id=guild, channel_id=CHANNEL, starter_id=a, partner_id=b, partner_is_bot=False,
                                 mediator_id=mediator, mediator_is_bot=False, topic=None, followup_days=days)
    return await service.attach_thread(repair, thread, 1)


async def both_views(service: RepairService, repair: Repair) -> Repair:
    await service.share_view(repair.id, ALICE, "a happened", "a affected", "a need")
    await service.share_view(repair.id, BOB, "b happened", "b affected", "b need")
    return await service.get(repair.id)


async def closed(service: RepairService, repair: Repair) -> Repair:
    repair, _ = await service.request_close(repair, ALICE, None)
    await service.approve(repair.id, ALICE, repair.summary_version)
    result = await service.approve(repair.id, BOB, repair.summary_version)
    assert result.act
    return await service.summary_posted(result.repair, 77)


# -- pure checks --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("days", [0, -1, 61, 365])
def test_followup_days_out_of_range(days: int) -> None:
    with pytest.raises(BadInput, match="from 1 to 60"):
        check_followup_days(days)


@pytest.mark.parametrize("days", [1, 7, 60])
def test_followup_days_in_range(days: int) -> None:
    assert check_followup_days(days) == days


def test_people_checks() -> None:
    with pytest.raises(BadInput, match="not yourself"):
        check_people(ALICE, ALICE, partner_is_bot=False)
    with pytest.raises(BadInput, match="not a bot"):
        check_people(ALICE, BOB, partner_is_bot=True)
    with pytest.raises(BadInput, match="third person"):
        check_people(ALICE, BOB, partner_is_bot=False, mediator_id=ALICE)
    with pytest.raises(BadInput, match="not a bot"):
        check_people(ALICE, BOB, partner_is_bot=False, mediator_id=CAROL, mediator_is_bot=True)
    check_people(ALICE, BOB, partner_is_bot=False, mediator_id=CAROL)


def test_clean_field() -> None:
    assert clean_field("  hi \n", what="x", limit=5) == "hi"
    assert clean_field("   ", what="x", limit=5, required=False) is None
    with pytest.raises(BadInput, match="Please write something"):
        clean_field(" \n ", what="x", limit=5)
    with pytest.raises(BadInput, match="keep it to 5"):
        clean_field("toolong", what="x", limit=5)


# -- starting -----------------------------------------------------------------------------------------------
async def test_one_open_repair_per_pair_in_either_order(setup: Setup) -> None:
    service = setup.service
    first = await begin(service)
    for a, b in ((ALICE, BOB), (BOB, ALICE)):
        with pytest.raises(UserFacingError, match=f"<#{THREAD}>"):
            await begin(service, a, b, thread=99)
    await begin(service, ALICE, CAROL, thread=22)
    await begin(service, ALICE, BOB, guild=OTHER_GUILD, thread=23)
    assert await service.open_count(GUILD) == 2
    # Once closed, the same pair may start again.
    await closed(service, await both_views(service, first))
    await begin(service, BOB, ALICE, thread=24)


async def test_an_abandoned_start_frees_the_pair(setup: Setup) -> None:
    service = setup.service
    repair = await service.begin(guild_id=GUILD, channel_id=CHANNEL, starter_id=ALICE, partner_id=BOB,
                                 partner_is_bot=False, mediator_id=None, mediator_is_bot=False,
                                 topic="  a   topic ", followup_days=7)
    assert repair.topic == "a topic"
    with pytest.raises(ObjectNotFound):
        await service.get(repair.id)  # not usable until its thread exists
    assert await service.open_count(GUILD) == 0
    await service.abandon(repair)
    await begin(service)


# -- step 1 -------------------------------------------------------------------------------------------------
async def test_views_stay_hidden_until_both_shared(setup: Setup) -> None:
    service = setup.service
    repair = await begin(service)
    await service.check_can_share(repair, ALICE)
    first = await service.share_view(repair.id, ALICE, "h", "a", "n")
    assert not first.reveal
    repair = await service.get(repair.id)
    assert await service.views(repair) == []
    assert (await service.record(repair)).views == ()
    with pytest.raises(UserFacingError, match="already shared"):
        await service.check_can_share(repair, ALICE)
    with pytest.raises(UserFacingError, match="already shared"):
        await service.share_view(repair.id, ALICE, "again", "a", "n")
    with pytest.raises(NotAllowed):
        await service.share_view(repair.id, CAROL, "h", "a", "n")
    second = await service.share_view(repair.id, BOB, "h2", "a2", "n2")
    assert second.reveal
    repair = await service.get(repair.id)
    assert {v.user_id for v in await service.views(repair)} == {ALICE, BOB}
    assert not await service.reveal_if_ready(repair)


async def test_simultaneous_shares_reveal_exactly_once(setup: Setup) -> None:
    service = setup.service
    repair = await begin(service)
    results = await asyncio.gather(
        service.share_view(repair.id, ALICE, "h", "a", "n"), service.share_view(repair.id, BOB, "h", "a", "n")
    )
    assert sorted(r.reveal for r in results) == [False, True]


async def test_a_failed_reveal_can_be_retried(setup: Setup) -> None:
    service = setup.service
    repair = await both_views(service, await begin(service))
    await service.views_post_failed(repair)
    repair = await service.get(repair.id)
    assert await service.views(repair) == []
    assert await service.reveal_if_ready(repair)
    assert not await service.reveal_if_ready(repair)


# -- step 2 -------------------------------------------------------------------------------------------------
async def test_reflections_and_answers(setup: Setup) -> None:
    service = setup.service
    repair = await begin(service, mediator=CAROL)
    with pytest.raises(UserFacingError, match="both of you have shared"):
        await service.reflect(repair.id, ALICE, "you felt x")
    repair = await both_views(service, repair)
    with pytest.raises(NotAllowed):
        await service.reflect(repair.id, CAROL, "mediators don't reflect")
    reflection = await service.reflect(repair.id, ALICE, "you felt x")
    assert (reflection.author_id, reflection.subject_id) == (ALICE, BOB)
    for wrong in (ALICE, CAROL, STRANGER):
        with pytest.raises(NotAllowed):
            await service.answer(reflection.id, wrong, "right")
    with pytest.raises(BadInput):
        await service.answer(reflection.id, BOB, "not_quite", "   ")
    _, answered = await service.answer(reflection.id, BOB, "not_quite", "I meant y")
    assert (answered.answer, answered.clarification) == ("not_quite", "I meant y")
    with pytest.raises(UserFacingError, match="already answered"):
        await service.answer(reflection.id, BOB, "right")
    with pytest.raises(ObjectNotFound):
        await service.answer(9999, BOB, "right")


# -- step 3 -------------------------------------------------------------------------------------------------
async def test_owning_a_part_proposes_a_commitment(setup: Setup) -> None:
    service = setup.service
    repair = await both_views(service, await begin(service))
    ownership = await service.own_part(repair.id, ALICE, "I snapped", "  Ask   before   deciding ", "https://x/y")
    assert ownership.will_do == "Ask before deciding"
    assert (ownership.commitment_id, ownership.commitment_number) == (501, 1)
    assert setup.proposer.calls == [{"guild_id": GUILD, "owner_id": ALICE, "text": "Ask before deciding",
                                     "source_url": "https://x/y", "source_channel_id": THREAD}]
    with pytest.raises(UserFacingError, match="already wrote"):
        await service.own_part(repair.id, ALICE, "again", "again", None)
    with pytest.raises(BadInput, match="300"):
        await service.own_part(repair.id, BOB, "x", "y" * 301, None)
    setup.proposer.fail = True
    unproposed = await service.own_part(repair.id, BOB, "x", "y", None)
    assert unproposed.commitment_id is None
    owned = {o.user_id: o for o in (await service.record(repair)).ownership}
    assert owned[ALICE].commitment_number == 1 and owned[BOB].commitment_number is None


# -- closing and consent ------------------------------------------------------------------------------------
async def test_close_needs_both_approvals_of_the_current_draft(setup: Setup) -> None:
    service = setup.service
    repair = await both_views(service, await begin(service, mediator=CAROL))
    with pytest.raises(NotAllowed):
        await service.request_close(repair, STRANGER, None)
    repair, lines = await service.request_close(repair, CAROL, "Fridays")
    assert repair.state == "closing" and "Agreed together: Fridays" in lines
    version = repair.summary_version
    with pytest.raises(NotAllowed):
        await service.approve(repair.id, CAROL, version)
    one = await service.approve(repair.id, ALICE, version)
    assert not one.act and one.consents == {ALICE} and one.repair.state == "closing"
    # Something added after the draft makes it stale.
    await service.own_part(repair.id, BOB, "x", "y", None)
    with pytest.raises(UserFacingError, match="out of date"):
        await service.approve(repair.id, BOB, version)
    repair = await service.get(repair.id)
    assert repair.state == "open" and repair.summary_text is None
    repair, _ = await service.request_close(repair, ALICE, None)
    assert repair.summary_version > version
    first = await service.approve(repair.id, ALICE, repair.summary_version)
    assert not first.act  # the earlier approval was for an older draft
    both = await service.approve(repair.id, BOB, repair.summary_version)
    assert both.act and both.repair.state == "closed"
    assert both.repair.followup_at == setup.clock.now() + timedelta(days=7)
    # Nothing is armed until the summary is actually posted.
    assert FOLLOWUP_JOB not in setup.jobs.pending()
    with pytest.raises(UserFacingError, match="approved this summary"):
        await service.approve(repair.id, ALICE, repair.summary_version)
    with pytest.raises(UserFacingError, match="closed"):
        await service.reflect(repair.id, ALICE, "late")


async def test_simultaneous_approvals_post_once(setup: Setup) -> None:
    service = setup.service
    repair = await both_views(service, await begin(service))
    repair, _ = await service.request_close(repair, ALICE, None)
    results = await asyncio.gather(
        service.approve(repair.id, ALICE, repair.summary_version),
        service.approve(repair.id, BOB, repair.summary_version),
    )
    assert sorted(r.act for r in results) == [False, True]


async def test_a_failed_summary_post_can_be_approved_again(setup: Setup) -> None:
    service = setup.service
    repair = await both_views(service, await begin(service))
    repair, _ = await service.request_close(repair, ALICE, None)
    await service.approve(repair.id, ALICE, repair.summary_version)
    result = await service.approve(repair.id, BOB, repair.summary_version)
    await service.summary_post_failed(result.repair)
    again = await service.approve(repair.id, BOB, repair.summary_version)
    assert again.act


async def test_sharing_needs_both_and_happens_once(setup: Setup) -> None:
    service = setup.service
    repair = await both_views(service, await begin(service, mediator=CAROL))
    with pytest.raises(UserFacingError, match="no approved summary"):
        await service.consent_share(repair.id, ALICE)
    repair = await closed(service, repair)
    with pytest.raises(NotAllowed):
        await service.consent_share(repair.id, CAROL)
    first = await service.consent_share(repair.id, ALICE)
    assert not first.act and first.consents == {ALICE}
    second = await service.consent_share(repair.id, BOB)
    assert second.act and second.repair.shared_at is not None
    with pytest.raises(UserFacingError, match="already shared"):
        await service.consent_share(repair.id, ALICE)
    await service.share_failed(second.repair)
    assert (await service.consent_share(repair.id, ALICE)).act


# -- follow-up ----------------------------------------------------------------------------------------------
async def test_follow_up_is_posted_once_on_time_and_rebuilt_after_restart(setup: Setup, db: Database) -> None:
    service = setup.service
    repair = await closed(service, await both_views(service, await begin(service, days=3)))
    due = setup.clock.now() + timedelta(days=3)
    assert setup.jobs.get(FOLLOWUP_JOB) == due
    with pytest.raises(UserFacingError, match="hasn't been asked"):
        await service.answer_followup(repair.id, ALICE, "better", None)

    # A new process over the same database rebuilds the timer from the row.
    jobs = JobService(setup.clock, realtime=False)
    poster = Poster(setup.clock)
    restarted = RepairService(RepairRepo(db), setup.clock, jobs, poster)
    assert await restarted.dispatcher.arm(FOLLOWUPS) == due
    await jobs.advance(timedelta(days=3) - timedelta(seconds=1))
    assert poster.posted == []
    await jobs.advance(timedelta(seconds=1))
    assert poster.posted == [(repair.id, due)]
    # The old timer firing too (or another restart) never posts a second time.
    await setup.jobs.advance(timedelta(days=3))
    await restarted.dispatcher.dispatch(FOLLOWUPS)
    assert setup.poster.posted == [] and len(poster.posted) == 1
    assert await restarted.dispatcher.arm(FOLLOWUPS) is None

    _, _, both = await restarted.answer_followup(repair.id, ALICE, "better", "  calmer  ")
    assert not both
    with pytest.raises(UserFacingError, match="already answered"):
        await restarted.answer_followup(repair.id, ALICE, "worse", None)
    with pytest.raises(NotAllowed):
        await restarted.answer_followup(repair.id, STRANGER, "worse", None)
    _, reply, both = await restarted.answer_followup(repair.id, BOB, "same", None)
    assert both and reply.note is None
    now = setup.clock.now()
    assert await restarted.followups_done(GUILD, now - timedelta(seconds=1), now + timedelta(seconds=1)) == 1
    assert await restarted.followups_done(GUILD, now + timedelta(seconds=1), now + timedelta(days=9)) == 0
    assert await restarted.followups_done(OTHER_GUILD, now - timedelta(days=9), now + timedelta(days=9)) == 0


async def test_a_failed_follow_up_is_retried_later(setup: Setup) -> None:
    service = setup.service
    repair = await closed(service, await both_views(service, await begin(service, days=1)))
    setup.poster.fail = True
    await setup.jobs.advance(timedelta(days=1))
    assert setup.poster.posted == []
    assert setup.jobs.get(FOLLOWUP_JOB) == setup.clock.now() + RETRY_AFTER
    setup.poster.fail = False
    await setup.jobs.advance(RETRY_AFTER)
    assert [p[0] for p in setup.poster.posted] == [repair.id]


async def test_counts_and_listing(setup: Setup) -> None:
    service = setup.service
    first = await begin(service, mediator=CAROL)
    await begin(service, ALICE, STRANGER, thread=22)
    assert await service.open_count(GUILD) == 2
    assert await service.open_count(OTHER_GUILD) == 0
    listed = await service.list_for(GUILD, CAROL)
    assert [r.id for r, _ in listed] == [first.id]
    assert len(await service.list_for(GUILD, ALICE)) == 2
    assert await service.list_for(OTHER_GUILD, ALICE) == []
    assert await service.by_thread(22) is not None


async def test_managers_only_when_the_server_allows(setup: Setup) -> None:
    service = setup.service
    repair = await begin(service, mediator=CAROL)
    assert await service.role_of(repair, ALICE, is_manager=False) == "person"
    assert await service.role_of(repair, CAROL, is_manager=False) == "mediator"
    assert await service.role_of(repair, STRANGER, is_manager=True) is None
    await service.set_managers_can_view(GUILD, True)
    assert await service.role_of(repair, STRANGER, is_manager=True) == "manager"
    assert await service.role_of(repair, STRANGER, is_manager=False) is None
    assert not await service.managers_can_view(OTHER_GUILD)
    await service.set_managers_can_view(GUILD, False)
    assert await service.role_of(repair, STRANGER, is_manager=True) is None
