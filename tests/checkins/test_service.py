"""The run lifecycle on real SQLite with a fake clock: posting, answers, reminders, closing, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.checkins.context import RUN_STEPS, SCHEDULE
from bot.checkins.models import MAX_ANSWER_CHARS
from bot.checkins.service import CheckinOptions, CheckinService, RunClosed
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.errors import BadInput, ObjectNotFound
from bot.scheduling.clock import FakeClock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from tests.checkins._poster import RecordingPoster

GUILD = 10
CHANNEL = 20
OWNER = 1
ROLE = 30


def make(db: Database, clock: FakeClock, poster: RecordingPoster, owner: str = "test") -> CheckinService:
    """A service as one process has it (a fresh one stands for a restart). Call ``start()`` before use."""
    dispatcher = Dispatcher(JobService(clock, realtime=False), clock, owner=owner)
    return CheckinService(
        db=db, prefs=PreferencesRepo(db), clock=clock, dispatcher=dispatcher, poster=poster, default_timezone="UTC",
    )


def armed(service: CheckinService, source: str) -> object:
    """When the timer of one kind of the service's due work fires next (None: nothing is due)."""
    return service.dispatcher.jobs.get(service.dispatcher.job_id(source))


@pytest.fixture
def poster() -> RecordingPoster:
    return RecordingPoster(roles={ROLE: {1, 2, 3}})


@pytest.fixture
async def service(db: Database, clock: FakeClock, poster: RecordingPoster) -> CheckinService:
    made = make(db, clock, poster)
    await made.start()
    return made


async def create(service: CheckinService, schedule: str = "daily 15:00", **values: object) -> object:
    checkin, _ = await service.create(
        GUILD, OWNER, CheckinOptions(name=str(values.pop("name", "Stand-up")), channel_id=CHANNEL,
                                     schedule=schedule, **values)  # type: ignore[arg-type]
    )
    return checkin


async def test_create_stores_schedule_and_next_three_runs(service: CheckinService, clock: FakeClock) -> None:
    checkin, upcoming = await service.create(
        GUILD, OWNER, CheckinOptions(name="Stand-up", channel_id=CHANNEL, schedule="weekdays 9:30am",
                                     timezone="europe/london")
    )
    assert checkin.schedule == "weekdays 09:30" and checkin.timezone == "Europe/London"
    assert upcoming == [datetime(2026, 12, d, 9, 30, tzinfo=UTC) for d in (1, 2, 3)]
    assert checkin.next_run_at == upcoming[0]
    assert armed(service, SCHEDULE) == upcoming[0]  # one timer for every check-in, at the earliest
    assert checkin.window == timedelta(hours=8) and checkin.remind_before == timedelta(hours=2)


async def test_bad_inputs_change_nothing(service: CheckinService, db: Database) -> None:
    cases = [
        CheckinOptions(name="A", channel_id=CHANNEL, schedule="sometimes"),
        CheckinOptions(name="A", channel_id=CHANNEL, schedule="daily 9:00", window="10d"),
        CheckinOptions(name="A", channel_id=CHANNEL, schedule="daily 9:00", questions="1|2|3|4|5|6"),
        CheckinOptions(name="A", channel_id=CHANNEL, schedule="daily 9:00", timezone="Mars/Base"),
        CheckinOptions(name="A", channel_id=CHANNEL, schedule="daily 9:00", mood=False, anonymous_mood=True),
    ]
    for values in cases:
        with pytest.raises(BadInput):
            await service.create(GUILD, OWNER, values)
    assert await db.fetchval("SELECT count(*) FROM checkins") == 0
    await create(service)
    with pytest.raises(BadInput, match="already a check-in"):
        await create(service, name="stand-UP")
    assert await db.fetchval("SELECT count(*) FROM checkins") == 1


async def test_channel_problem_refuses_create(service: CheckinService, poster: RecordingPoster, db: Database) -> None:
    poster.problem = "I can't send messages in #general."
    with pytest.raises(BadInput, match="can't send messages"):
        await create(service)
    assert await db.fetchval("SELECT count(*) FROM checkins") == 0


async def test_other_servers_ids_are_not_found(service: CheckinService) -> None:
    checkin = await create(service)
    assert (await service.get(GUILD, str(checkin.id))).id == checkin.id  # type: ignore[attr-defined]
    assert (await service.get(GUILD, "stand-up")).id == checkin.id  # type: ignore[attr-defined]
    with pytest.raises(ObjectNotFound):
        await service.get(GUILD + 1, str(checkin.id))  # type: ignore[attr-defined]
    with pytest.raises(ObjectNotFound):
        await service.get(GUILD, "999")


async def test_run_posts_at_the_instant_once_and_moves_on(
    service: CheckinService, poster: RecordingPoster, clock: FakeClock, db: Database
) -> None:
    checkin = await create(service)
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    assert len(poster.prompts) == 1
    run = await service.store.runs.run_at(checkin.id, datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    assert run is not None and run.status == "open" and run.thread_id is not None and not run.late
    assert poster.prompts[0][1] == run.nonce
    assert run.remind_at is not None and armed(service, RUN_STEPS) == run.remind_at  # then its close
    assert armed(service, SCHEDULE) == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    # The same instant handled again (a stale copy of the check-in) does nothing.
    await service.schedule.run(checkin, clock.now())  # type: ignore[arg-type]
    assert await service.dispatcher.dispatch(SCHEDULE) == 0
    assert len(poster.prompts) == 1
    assert await db.fetchval("SELECT count(*) FROM checkin_runs") == 1


async def test_answer_edit_skip_and_closed_runs(
    service: CheckinService, poster: RecordingPoster, clock: FakeClock
) -> None:
    await create(service, mood=True)
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    run_id = poster.prompts[0][0]
    saved = await service.submit_answer(run_id, 1, ["done", "next", "none"], 4)
    assert saved.answers == ("done", "next", "none") and saved.mood == 4
    edited = await service.submit_answer(run_id, 1, ["done!", "", ""], None)
    assert edited.answers == ("done!", "", "") and edited.answered_at == saved.answered_at
    with pytest.raises(BadInput):
        await service.submit_answer(run_id, 2, ["", " ", ""], None)
    skipped = await service.skip(run_id, 2)
    assert skipped.status == "skipped"
    assert (await service.skip(run_id, 1)).status == "answered"  # skipping after answering keeps the answer
    await service.dispatcher.jobs.advance(timedelta(hours=8))
    with pytest.raises(RunClosed, match="closed at"):
        await service.submit_answer(run_id, 3, ["late"], None)
    assert len(poster.digests) == 1
    digest = poster.digests[0][1]
    assert digest.answered == 1 and "done!" in digest.description


async def test_thread_reply_counts_unless_answered_by_form(service: CheckinService, poster: RecordingPoster) -> None:
    await create(service)
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    run_id, thread_id = poster.prompts[0][0], poster.threads[0]
    assert await service.thread_reply(thread_id, 2, "all good here")
    assert await service.thread_reply(thread_id, 2, "one more thing")
    stored = await service.answer_of(run_id, 2)
    assert stored is not None and stored.source == "thread" and stored.answers == ("all good here\n\none more thing",)
    await service.submit_answer(run_id, 3, ["form"], None)
    assert not await service.thread_reply(thread_id, 3, "just chatting")
    assert (await service.answer_of(run_id, 3)).answers[0] == "form"  # type: ignore[union-attr]
    assert not await service.thread_reply(99999, 4, "not a run thread")


async def test_many_thread_replies_merge_into_one_capped_answer(
    service: CheckinService, poster: RecordingPoster
) -> None:
    await create(service)
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    run_id, thread_id = poster.prompts[0][0], poster.threads[0]
    for _ in range(30):
        assert await service.thread_reply(thread_id, 2, "." * 2000)
    stored = await service.answer_of(run_id, 2)
    assert stored is not None and len(stored.answers[0]) == MAX_ANSWER_CHARS


async def test_reminders_skip_answered_away_and_wait_for_quiet_hours(
    service: CheckinService, poster: RecordingPoster, clock: FakeClock
) -> None:
    await create(service, participants_role_id=ROLE)  # 15:00 UTC, closes 23:00, reminder at 21:00
    prefs = service.prefs
    now = clock.now()
    await prefs.update_member(2, now, away_until=now + timedelta(days=2))
    await prefs.update_member(3, now, quiet_start=time(20, 0), quiet_end=time(22, 0), timezone="UTC")
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    run_id = poster.prompts[0][0]
    await service.dispatcher.jobs.advance(timedelta(hours=6))  # 21:00
    assert poster.reminders == [(run_id, 1, "dm")]
    await service.dispatcher.jobs.advance(timedelta(hours=1))  # 22:00: quiet hours over
    assert poster.reminders[-1] == (run_id, 3, "dm")
    rows = {r.user_id: r.status for r in await service.store.reminders.reminders_for_run(run_id)}
    assert rows == {1: "dm", 2: "not_needed", 3: "dm"}
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    digest = poster.digests[0][1]
    assert digest.expected == 2 and digest.not_heard_from == (1, 3)  # away member 2 is not counted


async def test_quiet_hours_past_the_close_drop_the_reminder(
    service: CheckinService, poster: RecordingPoster, clock: FakeClock
) -> None:
    await create(service, participants_role_id=ROLE)
    await service.prefs.update_member(1, clock.now(), quiet_start=time(20, 0), quiet_end=time(8, 0), timezone="UTC")
    await service.dispatcher.jobs.advance(timedelta(days=1, hours=-4))
    assert {(u, s) for _, u, s in poster.reminders} == {(2, "dm"), (3, "dm")}
    rows = {r.user_id: r.status for r in await service.store.reminders.reminders_for_run(poster.prompts[0][0])}
    assert rows[1] == "dropped"


async def test_blocked_channel_pauses_and_tells_creator_once(
    service: CheckinService, poster: RecordingPoster, db: Database
) -> None:
    checkin = await create(service)
    poster.fail_post = "the channel was deleted."
    await service.dispatcher.jobs.advance(timedelta(hours=1, minutes=1))
    stored = await service.store.checkins.get(checkin.id)  # type: ignore[attr-defined]
    assert stored is not None and stored.paused and stored.pause_reason == "the channel was deleted."
    assert poster.told == [(OWNER, "the channel was deleted.")]
    assert stored.next_run_at is None and armed(service, SCHEDULE) is None
    # Nothing retries; an extra run attempt fails quietly without telling the creator again.
    with pytest.raises(BadInput, match="couldn't post"):
        await service.run_now(stored)
    assert len(poster.told) == 1
    assert await db.fetchval("SELECT count(*) FROM checkin_runs WHERE status = 'failed'") == 2
    poster.fail_post = None
    resumed = await service.resume(stored)
    assert resumed.active and resumed.next_run_at is not None and resumed.creator_told_at is None


async def test_downtime_posts_one_late_run_and_notes_missed_ones(
    db: Database, clock: FakeClock, poster: RecordingPoster
) -> None:
    service = make(db, clock, poster)
    await service.start()
    await create(service, schedule="daily 15:00")
    # Offline for three days; back at 17:00 on the fourth day, inside that day's window.
    clock.set(datetime(2026, 12, 3, 17, 0, tzinfo=UTC))
    later = make(db, clock, poster)
    await later.start()
    await later.dispatcher.jobs.run_due()
    assert len(poster.prompts) == 1
    runs = await db.fetchall("SELECT scheduled_at, status, late FROM checkin_runs ORDER BY scheduled_at")
    assert [(r["status"], r["late"]) for r in runs] == [("missed", 0), ("missed", 0), ("missed", 0), ("open", 1)]
    assert armed(later, SCHEDULE) == datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    await later.dispatcher.jobs.advance(timedelta(hours=6))
    digest = poster.digests[0][1]
    assert "3 earlier" not in digest.description
    assert "missed the check-in" in dict(digest.fields)["Missed while offline"]
    assert "Posted late" in digest.description
    # The note is made once.
    await later.dispatcher.jobs.advance(timedelta(days=1))
    assert "Missed while offline" not in dict(poster.digests[1][1].fields)


async def test_downtime_past_the_window_only_records_missed(
    db: Database, clock: FakeClock, poster: RecordingPoster
) -> None:
    service = make(db, clock, poster)
    await service.start()
    await create(service, schedule="daily 15:00")
    clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    later = make(db, clock, poster)
    await later.start()
    await later.dispatcher.jobs.run_due()
    assert poster.prompts == []
    assert await db.fetchval("SELECT status FROM checkin_runs") == "missed"


async def test_restart_mid_run_keeps_answers_and_still_closes(
    db: Database, clock: FakeClock, poster: RecordingPoster
) -> None:
    service = make(db, clock, poster)
    await service.start()
    await create(service, participants_role_id=ROLE)
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    run_id = poster.prompts[0][0]
    await service.submit_answer(run_id, 1, ["a", "b", "c"], None)
    later = make(db, clock, poster)
    await later.start()
    assert later.open_threads == {poster.threads[0]: run_id}
    await later.submit_answer(run_id, 2, ["x"], None)
    await later.dispatcher.jobs.advance(timedelta(hours=8))
    assert len(poster.prompts) == 1
    digest = poster.digests[0][1]
    assert digest.answered == 2 and digest.expected == 3
    assert {u for _, u, _ in poster.reminders} == {3}


async def test_crash_between_post_and_record_is_reconciled(
    db: Database, clock: FakeClock, poster: RecordingPoster
) -> None:
    service = make(db, clock, poster)
    await service.start()
    checkin = await create(service)
    # The run was recorded as "posting" and the message went out, but the id was never stored.
    clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    async with db.transaction() as conn:
        recorded = await service.store.runs.insert_run(
            conn, checkin, scheduled_at=clock.now(), kind="scheduled", status="posting", late=False,  # type: ignore[arg-type]
            closes_at=clock.now() + timedelta(hours=8), remind_at=None, now=clock.now(),
        )
    await service.store.checkins.update(checkin.id, clock.now(), next_run_at=datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    assert recorded is not None
    run_id = recorded.id
    poster.existing[run_id] = 4242
    later = make(db, clock, poster)
    await later.start()
    await later.dispatcher.jobs.run_due()
    assert poster.prompts == []
    run = await later.store.runs.get_run(run_id)
    assert run is not None and run.status == "open" and run.message_id == 4242


async def test_skip_next_run_and_pause(service: CheckinService, poster: RecordingPoster) -> None:
    checkin = await create(service)
    skipped_at = await service.skip_next(checkin)  # type: ignore[arg-type]
    upcoming = await service.upcoming(await service.store.checkins.get(checkin.id))  # type: ignore[arg-type, attr-defined]
    assert upcoming[0].at == skipped_at and upcoming[0].skipped and not upcoming[1].skipped
    with pytest.raises(BadInput, match="already skipped"):
        await service.skip_next(checkin)  # type: ignore[arg-type]
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    assert poster.prompts == []
    await service.dispatcher.jobs.advance(timedelta(days=1))
    assert len(poster.prompts) == 1
    paused = await service.pause(await service.store.checkins.get(checkin.id))  # type: ignore[arg-type, attr-defined]
    await service.dispatcher.jobs.advance(timedelta(days=2))
    assert len(poster.prompts) == 1 and paused.paused


async def test_edit_changes_schedule_and_validates(service: CheckinService, db: Database) -> None:
    checkin = await create(service)
    with pytest.raises(BadInput, match="shorter `remind_before`"):
        await service.edit(checkin, CheckinOptions(window="1h"))  # type: ignore[arg-type]
    updated, said = await service.edit(checkin, CheckinOptions(schedule="weekdays 10:00", window="3h"))  # type: ignore[arg-type]
    assert said == ["schedule", "answer window"]
    assert updated.schedule == "weekdays 10:00" and updated.next_run_at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert updated.remind_before == timedelta(hours=2) and updated.window == timedelta(hours=3)
    with pytest.raises(BadInput):
        await service.edit(updated, CheckinOptions(questions="a|b|c|d|e|f"))
    assert (await service.store.checkins.get(checkin.id)).questions == updated.questions  # type: ignore[union-attr, attr-defined]


async def test_delete_cancels_open_runs(service: CheckinService, poster: RecordingPoster, db: Database) -> None:
    checkin = await create(service)
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    await service.delete(checkin)  # type: ignore[arg-type]
    assert await db.fetchval("SELECT count(*) FROM checkins WHERE deleted_at IS NULL") == 0
    assert await db.fetchval("SELECT status FROM checkin_runs") == "cancelled"
    with pytest.raises(RunClosed, match="deleted"):
        await service.submit_answer(poster.prompts[0][0], 1, ["x"], None)
    assert armed(service, SCHEDULE) is None and armed(service, RUN_STEPS) is None


async def test_an_answer_never_lands_after_the_close(
    service: CheckinService, poster: RecordingPoster, clock: FakeClock, db: Database
) -> None:
    await create(service)
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    run = await service.open_run(poster.prompts[0][0])  # looked up while open...
    clock.advance(timedelta(hours=8))  # ...and the close comes before the write
    with pytest.raises(RunClosed):
        await service.save_answer(run, 1, ["too late"], None)
    with pytest.raises(RunClosed):
        await service.skip(run.id, 1)
    assert not await service.thread_reply(poster.threads[0], 1, "too late")
    assert await db.fetchval("SELECT count(*) FROM checkin_answers") == 0


async def test_a_digest_lost_in_a_crash_is_posted_after_restart(
    db: Database, clock: FakeClock, poster: RecordingPoster
) -> None:
    service = make(db, clock, poster)
    await service.start()
    await create(service)
    await service.dispatcher.jobs.advance(timedelta(hours=1))
    run_id = poster.prompts[0][0]
    clock.advance(timedelta(hours=8))
    assert await service.store.runs.claim_close(run_id, clock.now())  # closed, then the process died
    later = make(db, clock, poster)
    await later.start()
    await later.dispatcher.jobs.run_due()
    assert [r for r, _ in poster.digests] == [run_id]
    again = make(db, clock, poster)
    await again.start()
    await again.dispatcher.jobs.run_due()
    assert len(poster.digests) == 1


async def test_a_timer_firing_early_never_reschedules_the_same_instant(
    service: CheckinService, poster: RecordingPoster, clock: FakeClock
) -> None:
    checkin = await create(service)
    due = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    clock.set(due - timedelta(seconds=1))
    [claimed] = await service.schedule.claim(due, "test", due + timedelta(minutes=2), 10, service.dispatcher.scope)
    await service.schedule.run(claimed, clock.now())
    assert len(poster.prompts) == 1
    assert (await service.store.checkins.get(checkin.id)).next_run_at == due + timedelta(days=1)  # type: ignore[union-attr, attr-defined]
    assert await service.dispatcher.arm(SCHEDULE) == due + timedelta(days=1)
