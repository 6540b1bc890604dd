"""The commitment service over real SQLite and the real job service, with a notifier that records calls.

Discord itself is exercised by the end-to-end tests; here the rules are checked quickly and exactly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.commitments.models import Commitment
from bot.commitments.policy import NudgePolicy
from bot.commitments.service import DISPATCH_JOB, CommitmentService, parse_number
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.errors import BadInput, NotAllowed, ObjectNotFound, UserFacingError
from bot.scheduling.clock import FakeClock
from bot.scheduling.jobs import JobService

GUILD = 100
OWNER, CREATOR, STRANGER = 1, 2, 3
CHANNEL = 55
DAY = timedelta(days=1)


@dataclass
class Recorder:
    """A notifier that remembers what it was asked to send, with the clock time of each."""

    clock: FakeClock
    delivery: str = "dm"
    calls: list[tuple[str, int, str, datetime]] = field(default_factory=list)
    nonces: list[str] = field(default_factory=list)

    def _log(self, what: str, c: Commitment, detail: str = "") -> None:
        self.calls.append((what, c.number, detail, self.clock.now()))

    async def ask_owner(self, commitment: Commitment) -> str:
        self._log("ask", commitment)
        return self.delivery

    async def nudge(self, commitment: Commitment, kind: str, *, nonce: str) -> str:
        self._log("nudge", commitment, kind)
        self.nonces.append(nonce)
        return self.delivery

    async def escalate(self, commitment: Commitment, *, nonce: str) -> bool:
        self._log("escalate", commitment)
        self.nonces.append(nonce)
        return True

    async def celebrate(self, commitment: Commitment) -> bool:
        self._log("celebrate", commitment)
        return True

    async def ask_for_help(self, commitment: Commitment) -> bool:
        self._log("help", commitment)
        return True

    def nudges(self) -> list[tuple[str, datetime]]:
        return [(detail or what, at) for what, _, detail, at in self.calls if what in ("nudge", "escalate")]


@dataclass
class Setup:
    db: Database
    clock: FakeClock
    jobs: JobService
    prefs: PreferencesRepo
    notifier: Recorder
    service: CommitmentService

    def fresh_service(self) -> CommitmentService:
        """Another process on the same database (a restart): new jobs, new service."""
        self.jobs = JobService(self.clock, realtime=False)
        self.service = CommitmentService(self.db, self.prefs, self.clock, self.jobs, self.notifier)
        return self.service


@pytest.fixture
async def s(db: Database, clock: FakeClock) -> AsyncIterator[Setup]:
    jobs = JobService(clock, realtime=False)
    prefs = PreferencesRepo(db)
    notifier = Recorder(clock)
    yield Setup(db, clock, jobs, prefs, notifier, CommitmentService(db, prefs, clock, jobs, notifier))


async def add(s: Setup, due: datetime | None, text: str = "Send the draft", **kw: object) -> Commitment:
    return await s.service.add(guild_id=GUILD, owner_id=OWNER, text=text, due=due,
                               source_url="https://discord.com/channels/100/55", source_channel_id=CHANNEL,
                               **kw)  # type: ignore[arg-type]


async def test_add_plans_the_first_nudge_and_arms_one_dispatcher_job(s: Setup) -> None:
    now = s.clock.now()
    c = await add(s, now + 3 * DAY)
    assert c.status == "open" and c.number == 1 and c.next_nudge_at == now + 2 * DAY
    assert s.jobs.pending() == {DISPATCH_JOB: now + 2 * DAY}
    sooner = await add(s, now + 2 * DAY)
    assert s.jobs.pending() == {DISPATCH_JOB: now + DAY}
    assert sooner.next_nudge_at == now + DAY


async def test_reminder_then_overdue_backoff_each_step_once(s: Setup) -> None:
    now = s.clock.now()
    due = now + 3 * DAY
    c = await add(s, due)
    await s.jobs.advance(60 * DAY)
    assert s.notifier.nudges() == [
        ("before", due - DAY),
        ("overdue", due + DAY),
        ("overdue", due + 3 * DAY),
        ("overdue", due + 7 * DAY),
        ("overdue", due + 14 * DAY),
        ("overdue", due + 21 * DAY),
        ("overdue", due + 28 * DAY),
    ]
    records = await s.service.repo.nudges(c.id)
    assert [(r.step, r.delivery) for r in records] == [
        ("before", "dm"), *((f"overdue-{i}", "dm") for i in range(1, 7))
    ]
    assert s.jobs.pending() == {}
    final = await s.service.get(c.id)
    assert final.next_nudge_at is None and final.unanswered_dms == 7


async def test_done_stops_nudges_and_celebrates_only_when_allowed(s: Setup) -> None:
    now = s.clock.now()
    c = await add(s, now + 3 * DAY)
    await s.jobs.advance(2 * DAY + timedelta(hours=1))
    assert len(s.notifier.nudges()) == 1
    done, celebrate = await s.service.done(c, actor_id=OWNER, actor_is_manager=False, note="sent!")
    assert done.status == "done" and done.next_nudge_at is None and celebrate
    assert [call[0] for call in s.notifier.calls] == ["nudge"]  # the caller celebrates after its reply
    assert await s.service.celebrate(done)
    await s.jobs.advance(60 * DAY)
    assert len(s.notifier.nudges()) == 1
    assert [call[0] for call in s.notifier.calls] == ["nudge", "celebrate"]
    with pytest.raises(UserFacingError, match="already done"):
        await s.service.done(done, actor_id=OWNER, actor_is_manager=False)

    await s.prefs.update_guild(GUILD, s.clock.now(), celebrate=False)
    quiet = await add(s, None)
    _, celebrate = await s.service.done(quiet, actor_id=OWNER, actor_is_manager=False)
    assert not celebrate and [call[0] for call in s.notifier.calls].count("celebrate") == 1


async def test_renegotiate_keeps_history_and_restarts_the_policy(s: Setup) -> None:
    now = s.clock.now()
    due = now + 2 * DAY
    c = await add(s, due)
    await s.jobs.advance(3 * DAY + timedelta(hours=1))  # before + overdue-1
    assert [k for k, _ in s.notifier.nudges()] == ["before", "overdue"]
    c = await s.service.get(c.id)
    new_due = s.clock.now() + 4 * DAY
    moved = await s.service.renegotiate(c, actor_id=OWNER, actor_is_manager=False, due=new_due, note="blocked")
    assert moved.due_at == new_due and moved.round == 1 and moved.step_index == 0
    assert moved.next_nudge_at == new_due - DAY
    events = await s.service.repo.events(c.id)
    assert [(e.kind, e.old_due_at, e.new_due_at, e.note) for e in events][-1] == (
        "renegotiated", due, new_due, "blocked")
    s.notifier.calls.clear()
    await s.jobs.advance(6 * DAY)
    assert s.notifier.nudges() == [("before", new_due - DAY), ("overdue", new_due + DAY)]
    steps = [(r.round, r.step) for r in await s.service.repo.nudges(c.id)]
    assert steps == [(0, "before"), (0, "overdue-1"), (1, "before"), (1, "overdue-1")]


async def test_snooze_holds_nudges_then_reminds_once(s: Setup) -> None:
    now = s.clock.now()
    c = await add(s, now + 3 * DAY)
    until = now + 4 * DAY + timedelta(hours=5)
    c = await s.service.snooze(c, actor_id=OWNER, actor_is_manager=False, until=until)
    assert c.next_nudge_at == until and c.due_at == now + 3 * DAY
    await s.jobs.advance(5 * DAY)
    assert s.notifier.nudges() == [("snooze", until)]
    with pytest.raises(BadInput, match="future"):
        await s.service.snooze(c, actor_id=OWNER, actor_is_manager=False, until=s.clock.now())


async def test_drop_stops_nudges(s: Setup) -> None:
    now = s.clock.now()
    c = await add(s, now + 3 * DAY)
    dropped = await s.service.drop(c, actor_id=OWNER, actor_is_manager=False, reason="not needed")
    assert dropped.status == "dropped" and dropped.next_nudge_at is None
    await s.jobs.advance(40 * DAY)
    assert s.notifier.nudges() == []


async def test_quiet_hours_and_away_delay_but_do_not_drop(s: Setup) -> None:
    now = s.clock.now()  # Monday 14:00 UTC
    # The reminder falls at 23:00 UTC, inside quiet hours 22:00-07:30 in UTC.
    c = await add(s, now + DAY + timedelta(hours=9))
    await s.prefs.update_member(OWNER, now, quiet_start=time(22, 0), quiet_end=time(7, 30))
    await s.jobs.advance(DAY)
    assert s.notifier.nudges() == [("before", datetime(2026, 12, 1, 7, 30, tzinfo=UTC))]
    # Away until the 10th: overdue-1 (the 2nd, 23:00) and overdue-2 (the 4th) are held, then sent as one.
    await s.prefs.update_member(OWNER, s.clock.now(), quiet_start=None, quiet_end=None,
                                away_until=datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    await s.jobs.advance(12 * DAY)
    assert s.notifier.nudges()[1:] == [("overdue", datetime(2026, 12, 10, 9, 0, tzinfo=UTC))]
    records = await s.service.repo.nudges(c.id)
    assert [r.step for r in records] == ["before", "overdue-3"]  # -1 and -2 collapsed into the latest due


async def recorded_then_stopped(s: Setup, next_nudge_at: datetime | None = None) -> Commitment:
    """A commitment due in three days whose "before" nudge a process recorded two days in, then stopped before
    marking it delivered; ``next_nudge_at`` as that process left it (default: still due, as the dispatcher does)."""
    now = s.clock.now()
    c = await add(s, now + 3 * DAY)
    s.clock.set(now + 2 * DAY)
    c = await s.service.get(c.id)
    recorded = await s.service.repo.record_nudge(
        c, step="before", planned_at=now + 2 * DAY, now=s.clock.now(),
        changes={"step_index": 1, "last_nudge_at": s.clock.now(), "next_nudge_at": next_nudge_at or s.clock.now()},
    )
    assert recorded is not None
    return recorded


async def test_a_nudge_cut_short_long_ago_is_not_sent_again_after_a_restart(s: Setup) -> None:
    now = s.clock.now()
    # Recorded the old way (the next step's time stored at once); the restart comes days later.
    c = await recorded_then_stopped(s, next_nudge_at=now + 4 * DAY)
    service = s.fresh_service()
    assert await service.rearm() == now + 4 * DAY
    await s.jobs.advance(DAY)
    assert s.notifier.nudges() == []
    await s.jobs.advance(DAY)
    # It may have arrived: not sent again, recorded "unknown"; the next step goes out on time.
    assert s.notifier.nudges() == [("overdue", now + 4 * DAY)]
    records = {r.step: r.delivery for r in await s.service.repo.nudges(c.id)}
    assert records == {"before": "unknown", "overdue-1": "dm"}


async def test_a_nudge_cut_short_just_now_is_sent_again_once_with_its_nonce(s: Setup) -> None:
    now = s.clock.now()
    recorded = await recorded_then_stopped(s)
    c = recorded
    s.clock.set(now + 2 * DAY + timedelta(minutes=2))
    service = s.fresh_service()
    assert await service.rearm() == now + 2 * DAY
    await s.jobs.advance(timedelta(seconds=1))
    assert s.notifier.nudges() == [("before", now + 2 * DAY + timedelta(minutes=2))]
    assert s.notifier.nonces == [recorded.nudge_nonce("before")]
    records = await s.service.repo.nudges(c.id)
    assert [(r.step, r.delivery) for r in records] == [("before", "dm")]
    assert (await s.service.get(c.id)).next_nudge_at == now + 4 * DAY  # overdue-1, one day after the due time
    await s.jobs.advance(timedelta(hours=1))
    assert len(s.notifier.nudges()) == 1


async def test_two_dispatchers_at_once_send_each_nudge_once(s: Setup) -> None:
    now = s.clock.now()
    for i in range(30):
        await add(s, now + 2 * DAY, text=f"task {i}")
    other_jobs = JobService(s.clock, realtime=False)
    other = CommitmentService(s.db, s.prefs, s.clock, other_jobs, s.notifier)
    s.clock.set(now + DAY)
    await asyncio.gather(s.service.dispatch(), other.dispatch())
    numbers = [number for what, number, _, _ in s.notifier.calls if what == "nudge"]
    assert sorted(numbers) == list(range(1, 31))
    assert await s.db.fetchval("SELECT count(*) FROM commitment_nudges") == 30


async def test_escalation_after_two_unanswered_dms_only_when_on(s: Setup) -> None:
    now = s.clock.now()
    due = now + 3 * DAY
    await s.service.set_policy(GUILD, NudgePolicy(escalate=True))
    await add(s, due)
    await s.jobs.advance(due - now + 3 * DAY)
    assert s.notifier.nudges() == [
        ("before", due - DAY), ("overdue", due + DAY), ("escalate", due + 2 * DAY), ("overdue", due + 3 * DAY)
    ]


async def test_answering_resets_escalation(s: Setup) -> None:
    now = s.clock.now()
    due = now + 3 * DAY
    await s.service.set_policy(GUILD, NudgePolicy(escalate=True))
    c = await add(s, due)
    await s.jobs.advance(due - now + DAY + timedelta(hours=1))  # two unanswered DMs
    c = await s.service.get(c.id)
    assert c.unanswered_dms == 2 and c.next_nudge_at == due + 2 * DAY
    await s.service.ask_for_help(c, actor_id=OWNER)
    await s.jobs.advance(2 * DAY)
    assert [k for k, _ in s.notifier.nudges()] == ["before", "overdue", "overdue"]


async def test_policy_change_replans_open_commitments(s: Setup) -> None:
    now = s.clock.now()
    c = await add(s, now + 3 * DAY)
    assert c.next_nudge_at == now + 2 * DAY
    moved = await s.service.set_policy(GUILD, NudgePolicy(remind_before=timedelta(hours=2), overdue_limit=1))
    assert moved == 1
    c = await s.service.get(c.id)
    assert c.next_nudge_at == now + 3 * DAY - timedelta(hours=2)
    assert s.jobs.get(DISPATCH_JOB) == c.next_nudge_at
    await s.service.set_policy(GUILD, NudgePolicy(remind_before=None, overdue_limit=0))
    assert (await s.service.get(c.id)).next_nudge_at is None
    assert s.jobs.get(DISPATCH_JOB) is None


async def test_who_may_change_what(s: Setup) -> None:
    now = s.clock.now()
    c = await s.service.propose(guild_id=GUILD, owner_id=OWNER, creator_id=CREATOR, text="Review the PR",
                                due=now + DAY, source_kind="summary", source_url=None, source_channel_id=None)
    assert c.status == "proposed" and s.notifier.calls[-1][0] == "ask"
    with pytest.raises(NotAllowed):
        await s.service.accept(c.id, CREATOR)
    with pytest.raises(UserFacingError, match="waiting"):
        await s.service.done(c, actor_id=OWNER, actor_is_manager=False)
    c = await s.service.accept(c.id, OWNER)
    assert c.status == "open" and c.opened_at == now
    with pytest.raises(UserFacingError, match="already accepted"):
        await s.service.decline(c.id, OWNER)
    with pytest.raises(NotAllowed, match="Only the owner or a manager can change this"):
        await s.service.snooze(c, actor_id=STRANGER, actor_is_manager=False, until=now + DAY)
    c = await s.service.snooze(c, actor_id=CREATOR, actor_is_manager=False, until=now + DAY)
    c = await s.service.snooze(c, actor_id=STRANGER, actor_is_manager=True, until=now + 2 * DAY)
    with pytest.raises(NotAllowed):
        await s.service.ask_for_help(c, actor_id=CREATOR)
    with pytest.raises(UserFacingError, match="no channel"):
        await s.service.ask_for_help(c, actor_id=OWNER)
    declined = await s.service.propose(guild_id=GUILD, owner_id=OWNER, creator_id=CREATOR, text="x", due=None,
                                       source_kind="checkin", source_url=None, source_channel_id=None)
    declined = await s.service.decline(declined.id, OWNER)
    assert declined.status == "declined" and declined.next_nudge_at is None


async def test_bad_input_changes_nothing(s: Setup) -> None:
    now = s.clock.now()
    with pytest.raises(BadInput, match="300"):
        await add(s, None, text="x" * 301)
    with pytest.raises(BadInput):
        await add(s, None, text="   ")
    with pytest.raises(BadInput, match="past"):
        await add(s, now - timedelta(minutes=1))
    with pytest.raises(BadInput, match="too far"):
        await add(s, now + timedelta(days=3000))
    with pytest.raises(ValueError):
        await add(s, None, source_kind="rumour")
    assert await s.db.fetchval("SELECT count(*) FROM commitments") == 0
    assert await s.db.fetchval("SELECT count(*) FROM commitment_counters") == 0
    c = await add(s, now + DAY)
    with pytest.raises(BadInput, match="past"):
        await s.service.renegotiate(c, actor_id=OWNER, actor_is_manager=False, due=now)
    with pytest.raises(BadInput, match="300"):
        await s.service.done(c, actor_id=OWNER, actor_is_manager=False, note="n" * 301)
    assert (await s.service.get(c.id)) == c


async def test_lookup_by_number_is_per_server(s: Setup) -> None:
    c = await add(s, None)
    assert (await s.service.lookup(GUILD, "#1")).id == c.id
    assert (await s.service.lookup(GUILD, " 1 ")).id == c.id
    with pytest.raises(ObjectNotFound, match="#1"):
        await s.service.lookup(999, "1")
    for typed in ("one", "#", "1.5", "-1", ""):
        with pytest.raises(BadInput):
            parse_number(typed)


async def test_read_due_uses_the_owner_time_zone(s: Setup) -> None:
    await s.prefs.update_member(OWNER, s.clock.now(), timezone="America/New_York")
    due = await s.service.read_due("tomorrow", owner_id=OWNER, guild_id=GUILD)
    assert due == datetime(2026, 12, 1, 22, 0, tzinfo=UTC)  # 17:00 in New York
    due = await s.service.read_due("tomorrow", owner_id=CREATOR, guild_id=GUILD)
    assert due == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    with pytest.raises(BadInput):
        await s.service.read_due("yesterday", owner_id=OWNER, guild_id=GUILD)


async def test_stats_and_open_count(s: Setup) -> None:
    now = s.clock.now()
    a = await add(s, now + DAY)
    await add(s, now + DAY)
    s.clock.advance(2 * DAY)
    await s.service.done(a, actor_id=OWNER, actor_is_manager=False)
    stats = await s.service.stats(GUILD, now, now + 7 * DAY)
    assert (stats.opened, stats.done, stats.renegotiated, stats.overdue) == (2, 1, 0, 2)
    assert await s.service.open_count() == 1 and await s.service.open_count(GUILD) == 1

