"""The check-in feature as the cogs see it: its parts wired together, its kinds of due work registered on the
dispatcher, and the read side (look-ups, upcoming runs, history, export).

The database is the source of truth: a run is a row keyed by (check-in, scheduled instant), written before
its prompt is posted. What happens later is due work over three tables, one source each, re-armed at start-up
with one query per source (:meth:`CheckinService.start`):

* :mod:`bot.checkins.schedule`: check-ins due to run (``checkins.next_run_at``);
* :mod:`bot.checkins.lifecycle`: runs with a step due (``checkin_runs.due_at``): posting
  (:mod:`~bot.checkins.posting`), planning reminders, closing and the digest (:mod:`~bot.checkins.closing`);
* :mod:`bot.checkins.reminders`: planned reminders due (``checkin_reminders.due_at``).

Everything that talks to Discord goes through a :class:`~bot.checkins.poster.Poster`: no Discord objects here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.checkins.answers import Answers, RunClosed
from bot.checkins.closing import DIGEST_WINDOW, Closing
from bot.checkins.context import REMINDERS, RUN_STEPS, SCHEDULE, CheckinContext
from bot.checkins.digest import export_csv
from bot.checkins.lifecycle import RunSteps
from bot.checkins.management import CheckinManager, CheckinOptions
from bot.checkins.models import MAX_ANSWER_CHARS, Answer, CheckIn, HistoryEntry, Run, RunCounts
from bot.checkins.poster import Poster
from bot.checkins.posting import PromptPosting
from bot.checkins.reminders import Reminders
from bot.checkins.repository import CheckinStore
from bot.checkins.schedule import RunSchedule
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.errors import ObjectNotFound
from bot.scheduling.clock import Clock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.owners import gone
from bot.scheduling.recurrence import next_occurrence

log = logging.getLogger(__name__)

__all__ = ["DIGEST_WINDOW", "MAX_ANSWER_CHARS", "CheckinOptions", "CheckinService", "RunClosed", "Upcoming"]
SOURCES = (SCHEDULE, RUN_STEPS, REMINDERS)


@dataclass(frozen=True, slots=True)
class Upcoming:
    at: datetime
    skipped: bool


class CheckinService:
    def __init__(
        self,
        *,
        db: Database,
        prefs: PreferencesRepo,
        clock: Clock,
        dispatcher: Dispatcher,
        poster: Poster,
        default_timezone: str,
    ) -> None:
        self.store = CheckinStore.over(db)
        self.ctx = CheckinContext(db, self.store, prefs, clock, poster, dispatcher, default_timezone)
        self.prefs, self.clock, self.poster, self.dispatcher = prefs, clock, poster, dispatcher
        self.open_threads = self.ctx.open_threads
        self.manage = CheckinManager(self.ctx)
        self.answers = Answers(self.ctx)
        self.posting = PromptPosting(self.ctx)
        self.reminders = Reminders(self.ctx)
        self.closing = Closing(self.ctx)
        self.steps = RunSteps(self.ctx, self.posting, self.reminders, self.closing)
        self.schedule = RunSchedule(self.ctx, self.steps)

    # -- start-up ----------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Register the kinds of due work and arm each with one query; note the open runs' threads, and take over
        the claims of a process of this machine that died holding them."""
        now = self.clock.now()
        for checkin in await self.store.checkins.unscheduled():
            at = next_occurrence(checkin.recurrence, checkin.zone, now)
            await self.store.checkins.update(checkin.id, now, next_run_at=at)
        for run in await self.store.runs.runs_with_status("open"):
            if run.thread_id is not None:
                self.open_threads[run.thread_id] = run.id
        for repo in (self.store.checkins, self.store.runs, self.store.reminders):
            for holder in await repo.claim_holders():
                if gone(holder):  # a process of this machine killed mid-action: no need to wait for its leases
                    await repo.drop_claims_of(holder)
        for source in (self.schedule, self.steps, self.reminders):
            self.dispatcher.add(source)
        await self.arm()

    async def arm(self) -> dict[str, datetime | None]:
        """Point each source's timer at its next due row (one query each)."""
        return {name: await self.dispatcher.arm(name) for name in SOURCES}

    def stop(self) -> None:
        """Cancel this feature's timers (the rows stay due; a start-up arms them again)."""
        for name in SOURCES:
            self.dispatcher.jobs.cancel(self.dispatcher.job_id(name))

    # -- looking things up -------------------------------------------------------------------------------
    async def get(self, guild_id: int, key: str | int) -> CheckIn:
        """A check-in of this server by id (or exact name); another server's id is simply not found."""
        text = str(key).strip().lstrip("#")
        found: CheckIn | None = None
        if text.isascii() and text.isdigit() and len(text) <= 18:  # '²'.isdigit(); ids fit SQLite's integer
            found = await self.store.checkins.get_live(guild_id, int(text))
        if found is None and text:
            found = await self.store.checkins.by_name(guild_id, text)
        if found is None:
            raise ObjectNotFound("I couldn't find that check-in in this server. `/checkin list` shows them all.")
        return found

    async def run_with_checkin(self, run_id: int) -> tuple[Run, CheckIn] | None:
        """A run by its global id (from a button's custom id) with its check-in, to check where it was posted."""
        run = await self.store.runs.get_run(run_id)
        checkin = await self.store.checkins.get(run.checkin_id) if run is not None else None
        return None if run is None or checkin is None else (run, checkin)

    async def run_and_guild(self, run_id: int) -> tuple[Run, int] | None:
        """A run with its check-in's server in one read: the answer path's scope check needs nothing more."""
        return await self.store.runs.get_run_and_guild(run_id)

    async def list_checkins(self, guild_id: int) -> list[CheckIn]:
        return await self.store.checkins.list_guild(guild_id)

    async def search(self, guild_id: int, text: str) -> list[tuple[int, str, int]]:
        return await self.store.checkins.search(guild_id, text)

    async def recent_runs(self, checkin: CheckIn, limit: int = 5) -> list[RunCounts]:
        return await self.store.runs.recent_runs(checkin.id, limit)

    async def upcoming(self, checkin: CheckIn, count: int = 3) -> list[Upcoming]:
        """The next runs, marking one that was skipped with ``/checkin skip``."""
        if checkin.next_run_at is None or not checkin.active:
            return []
        result: list[Upcoming] = []
        at = checkin.next_run_at
        for _ in range(count):
            existing = await self.store.runs.run_at(checkin.id, at)
            result.append(Upcoming(at, existing is not None and existing.status == "skipped"))
            at = next_occurrence(checkin.recurrence, checkin.zone, at)
        return result

    async def zone_for(self, guild_id: int) -> str:
        return await self.ctx.zone_for(guild_id)

    async def history(self, checkin: CheckIn, user_id: int | None) -> list[HistoryEntry]:
        return await self.store.answers.history(checkin.id, user_id)

    async def export(self, checkin: CheckIn) -> str:
        entries = await self.store.answers.export_rows(checkin.id)
        names = self.poster.display_names(checkin.guild_id, {e.answer.user_id for e in entries}, markdown=False)
        return export_csv(entries, names)

    # -- managing (see bot.checkins.management) ---------------------------------------------------------
    async def create(self, guild_id: int, created_by: int, values: CheckinOptions) -> tuple[CheckIn, list[datetime]]:
        return await self.manage.create(guild_id, created_by, values)

    async def edit(self, checkin: CheckIn, values: CheckinOptions) -> tuple[CheckIn, list[str]]:
        return await self.manage.edit(checkin, values)

    async def pause(self, checkin: CheckIn) -> CheckIn:
        return await self.manage.pause(checkin)

    async def resume(self, checkin: CheckIn) -> CheckIn:
        return await self.manage.resume(checkin)

    async def skip_next(self, checkin: CheckIn) -> datetime:
        return await self.manage.skip_next(checkin)

    async def delete(self, checkin: CheckIn) -> None:
        await self.manage.delete(checkin)

    async def run_now(self, checkin: CheckIn) -> Run:
        return await self.schedule.run_now(checkin)

    # -- answers (see bot.checkins.answers) -------------------------------------------------------------
    async def open_run(self, run_id: int) -> Run:
        return await self.answers.open_run(run_id)

    def still_open(self, run: Run | None) -> Run:
        return self.answers.still_open(run)

    async def answer_of(self, run_id: int, user_id: int) -> Answer | None:
        return await self.answers.answer_of(run_id, user_id)

    async def submit_answer(self, run_id: int, user_id: int, answers: list[str], mood: int | None) -> Answer:
        """Store a member's answer (committed before returning, so "saved" is true when shown)."""
        return await self.answers.save(await self.answers.open_run(run_id), user_id, answers, mood)

    async def save_answer(self, run: Run, user_id: int, answers: list[str], mood: int | None) -> Answer:
        return await self.answers.save(run, user_id, answers, mood)

    async def skip(self, run_id: int, user_id: int) -> Answer:
        return await self.answers.skip(run_id, user_id)

    async def thread_reply(self, thread_id: int, user_id: int, text: str) -> bool:
        return await self.answers.thread_reply(thread_id, user_id, text)

    async def latest_open_run(
        self,
        guild_id: int,
        checkin: CheckIn | None,
        channel_id: int | None,
        *,
        visible: Callable[[Run], Awaitable[bool]] | None = None,
    ) -> Run:
        return await self.answers.latest_open_run(guild_id, checkin, channel_id, visible=visible)
