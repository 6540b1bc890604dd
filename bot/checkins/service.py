"""The check-in lifecycle: create and manage schedules, post runs, collect answers, remind, close with a digest.

The database is the source of truth. Every run is a row keyed by (check-in, scheduled instant), written before
the prompt is posted; timers in the job service only mirror rows and are rebuilt by :meth:`CheckinService.start`.
Everything that talks to Discord goes through a :class:`Poster`, so this module holds no Discord objects.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.availability import next_reachable
from bot.checkins import options as opts
from bot.checkins.digest import Digest, build_digest, export_csv
from bot.checkins.models import MAX_ANSWER_CHARS, Answer, CheckIn, HistoryEntry, ReminderStatus, Run, RunCounts
from bot.checkins.repository import CheckinRepo
from bot.checkins.templates import check_question_count, choose_questions
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.errors import BadInput, ObjectNotFound, UserFacingError
from bot.markup import timestamp
from bot.scheduling.clock import Clock
from bot.scheduling.jobs import JobService
from bot.scheduling.recurrence import next_occurrence, occurrences_between
from bot.scheduling.shards import EVERY_SHARD, ShardScope
from bot.timezones import get_zone

log = logging.getLogger(__name__)

LATE_GRACE = timedelta(minutes=2)  # a run posted later than this after its instant is marked late
CATCH_UP_HORIZON = timedelta(days=62)  # downtime longer than this is only looked at for its last part
MAX_MISSED_ROWS = 50
#: Transient failures are retried after 30 s, 1 min, 2 min, … at most 15 min apart, while the post still makes
#: sense: a prompt until its run closes, a digest until DIGEST_WINDOW after the close.
RETRY_FIRST = timedelta(seconds=30)
RETRY_MAX = timedelta(minutes=15)
#: A digest not shared within this long after its run closed is not sent any more (start-up included).
DIGEST_WINDOW = timedelta(hours=24)
REGULAR_RUNS = 5


class PostingBlocked(Exception):
    """Rapport cannot post in the check-in's channel; ``reason`` is shown to managers."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PostingRetry(Exception):
    """A transient failure (Discord 5xx, a timeout, the network): the same post may be tried again later."""


class RunClosed(UserFacingError):
    """A button or form for a run that is no longer open."""

    title = "This check-in is closed"

    def __init__(self, run: Run) -> None:
        if run.status == "cancelled":
            message = "This check-in was deleted, so it no longer takes answers."
        else:
            closed = run.closed_at if run.closed_at is not None and run.closed_at < run.closes_at else run.closes_at
            message = f"This check-in closed at {timestamp(closed, 'f')}. Thanks for stopping by."
        super().__init__(message)
        self.run = run


class Poster(Protocol):
    """What the service needs from Discord; implemented with discord.py in ``cogs/checkins/_poster.py``."""

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        """Why Rapport could not run a check-in in this channel, or None when it can."""
        ...

    async def find_prompt(self, run: Run) -> int | None:
        """The id of a prompt already posted for ``run`` (after a crash between posting and recording)."""
        ...

    async def post_prompt(self, run: Run, checkin: CheckIn) -> int:
        """Post the prompt with ``run.nonce``; return its message id. Raises :class:`PostingBlocked`."""
        ...

    async def open_thread(self, run: Run, checkin: CheckIn, message_id: int) -> int | None:
        """Open (or find) the discussion thread on the prompt; None if that was not possible."""
        ...

    async def post_digest(self, run: Run, digest: Digest) -> bool:
        ...

    async def remind(self, run: Run, checkin: CheckIn, user_id: int) -> ReminderStatus:
        """A private reminder with an Answer button: ``dm``, ``channel`` (DMs closed) or ``failed``."""
        ...

    async def tell_creator(self, checkin: CheckIn, reason: str, *, paused: bool = True) -> None:
        """Tell the creator once; ``paused`` when the check-in was paused, else about one run's digest."""
        ...

    async def role_members(self, guild_id: int, role_id: int) -> set[int] | None:
        """The (human) members of a role, or None when the role is gone."""
        ...

    def display_names(self, guild_id: int, user_ids: Iterable[int], *, markdown: bool = True) -> dict[int, str]:
        """Members' names as text, never mentions; markdown-escaped unless ``markdown`` is False."""
        ...


@dataclass(frozen=True, slots=True)
class CheckinOptions:
    """Raw option values of ``/checkin create`` and ``/checkin edit``; None means "not given"."""

    name: str | None = None
    channel_id: int | None = None
    schedule: str | None = None
    timezone: str | None = None
    template: str | None = None
    questions: str | None = None
    participants_role_id: int | None = None
    clear_participants: bool = False
    window: str | None = None
    remind_before: str | None = None
    mood: bool | None = None
    anonymous_mood: bool | None = None


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
        jobs: JobService,
        poster: Poster,
        default_timezone: str,
        scope: ShardScope = EVERY_SHARD,
    ) -> None:
        self.db = db
        #: The servers whose timers this process arms (the servers of its shards).
        self.scope = scope
        self.repo = CheckinRepo(db)
        self.prefs = prefs
        self.clock = clock
        self.jobs = jobs
        self.poster = poster
        self.default_timezone = default_timezone
        self.open_threads: dict[int, int] = {}  # thread id -> open run id, for thread replies
        self._tries: dict[str, int] = {}  # job id -> transient failures so far, for the backoff

    # -- start-up ----------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Rebuild every timer of this process's servers from the tables: runs being posted, open runs,
        reminders, next runs."""
        now = self.clock.now()
        scope = self.scope
        for run in await self.repo.runs_with_status("posting", scope=scope):
            self.jobs.schedule(f"checkin-post:{run.id}", now, self._post, run.id, True)
        for run in await self.repo.runs_with_status("open", scope=scope):
            if run.thread_id is not None:
                self.open_threads[run.thread_id] = run.id
            elif run.message_id is not None:
                self.jobs.schedule(f"checkin-post:{run.id}", now, self._post, run.id, True)
            self._schedule_run_jobs(run, now)
        for reminder in await self.repo.pending_reminders(scope):
            self.jobs.schedule(
                f"checkin-remind:{reminder.run_id}:{reminder.user_id}",
                max(reminder.due_at, now),
                self._remind,
                reminder.run_id,
                reminder.user_id,
            )
        for run in await self.repo.undigested_runs(scope):
            self.jobs.schedule(f"checkin-digest:{run.id}", now, self._post_digest, run.id)
        for checkin in await self.repo.active(scope):
            at = checkin.next_run_at
            if at is None:
                at = next_occurrence(checkin.recurrence, checkin.zone, now)
                await self.repo.update(checkin.id, now, next_run_at=at)
            self.jobs.schedule(f"checkin-run:{checkin.id}", at, self._fire, checkin.id, at)

    def _schedule_run_jobs(self, run: Run, now: datetime) -> None:
        self.jobs.schedule(f"checkin-close:{run.id}", max(run.closes_at, now), self._close, run.id)
        if run.remind_at is not None and not run.reminders_planned and run.remind_at < run.closes_at:
            self.jobs.schedule(f"checkin-remind:{run.id}:plan", max(run.remind_at, now), self._plan_reminders, run.id)

    # -- looking things up -------------------------------------------------------------------------------
    async def get(self, guild_id: int, key: str | int) -> CheckIn:
        """A check-in of this server by id (or exact name); another server's id is simply not found."""
        text = str(key).strip().lstrip("#")
        found: CheckIn | None = None
        if text.isascii() and text.isdigit() and len(text) <= 18:  # '²'.isdigit(); ids fit SQLite's integer
            found = await self.repo.get_live(guild_id, int(text))
        if found is None and text:
            found = await self.repo.by_name(guild_id, text)
        if found is None:
            raise ObjectNotFound("I couldn't find that check-in in this server. `/checkin list` shows them all.")
        return found

    async def list_checkins(self, guild_id: int) -> list[CheckIn]:
        return await self.repo.list_guild(guild_id)

    async def search(self, guild_id: int, text: str) -> list[tuple[int, str, int]]:
        return await self.repo.search(guild_id, text)

    async def recent_runs(self, checkin: CheckIn, limit: int = 5) -> list[RunCounts]:
        return await self.repo.recent_runs(checkin.id, limit)

    async def upcoming(self, checkin: CheckIn, count: int = 3) -> list[Upcoming]:
        """The next runs, marking one that was skipped with ``/checkin skip``."""
        if checkin.next_run_at is None or not checkin.active:
            return []
        result: list[Upcoming] = []
        at = checkin.next_run_at
        for _ in range(count):
            existing = await self.repo.run_at(checkin.id, at)
            result.append(Upcoming(at, existing is not None and existing.status == "skipped"))
            at = next_occurrence(checkin.recurrence, checkin.zone, at)
        return result

    async def zone_for(self, guild_id: int) -> str:
        settings = await self.prefs.guild(guild_id)
        return settings.timezone or self.default_timezone

    # -- managing check-ins --------------------------------------------------------------------------------
    async def create(self, guild_id: int, created_by: int, values: CheckinOptions) -> tuple[CheckIn, list[datetime]]:
        now = self.clock.now()
        if values.name is None or values.channel_id is None or values.schedule is None:
            raise BadInput("A check-in needs a name, a channel and a schedule.")
        name = opts.clean_name(values.name)
        if await self.repo.by_name(guild_id, name) is not None:
            raise BadInput(f"There's already a check-in called **{name}** here. Pick another name.")
        if await self.repo.count_guild(guild_id) >= opts.MAX_CHECKINS_PER_SERVER:
            raise BadInput(f"A server can have up to {opts.MAX_CHECKINS_PER_SERVER} check-ins; delete one first.")
        zone = get_zone(values.timezone) if values.timezone else get_zone(await self.zone_for(guild_id))
        rec = opts.read_schedule(values.schedule, zone, now)
        window = opts.read_window(values.window)
        remind = opts.read_remind_before(values.remind_before, window)
        anonymous = bool(values.anonymous_mood)
        if anonymous and values.mood is False:
            raise BadInput("Anonymous mood needs the mood choice on: set `mood` to true, or leave it out.")
        mood = bool(values.mood) or anonymous
        template, questions = choose_questions(values.template, values.questions, mood)
        upcoming = opts.check_spacing(rec, zone, window, now)
        problem = await self.poster.channel_problem(guild_id, values.channel_id)
        if problem is not None:
            raise BadInput(f"{problem} A server admin can fix that, then try again.")
        checkin = await self.repo.create(
            guild_id=guild_id,
            channel_id=values.channel_id,
            name=name,
            schedule=rec.to_text(),
            timezone=zone.key,
            template=template,
            questions=questions,
            participants_role_id=None if values.clear_participants else values.participants_role_id,
            window=window,
            remind_before=remind,
            mood=mood,
            anonymous_mood=anonymous,
            created_by=created_by,
            now=now,
            next_run_at=upcoming[0],
        )
        self._schedule_fire(checkin)
        log.info("check-in %s created in guild %s", checkin.id, guild_id)
        return checkin, upcoming[:3]

    async def edit(self, checkin: CheckIn, values: CheckinOptions) -> tuple[CheckIn, list[str]]:
        """Apply the given options; returns the check-in and what changed (for the reply)."""
        now = self.clock.now()
        changes: dict[str, object] = {}
        said: list[str] = []
        if values.name is not None:
            name = opts.clean_name(values.name)
            other = await self.repo.by_name(checkin.guild_id, name)
            if other is not None and other.id != checkin.id:
                raise BadInput(f"There's already a check-in called **{name}** here. Pick another name.")
            changes["name"] = name
            said.append("name")
        if values.channel_id is not None and values.channel_id != checkin.channel_id:
            problem = await self.poster.channel_problem(checkin.guild_id, values.channel_id)
            if problem is not None:
                raise BadInput(f"{problem} A server admin can fix that, then try again.")
            changes["channel_id"] = values.channel_id
            said.append("channel")
        zone = get_zone(values.timezone) if values.timezone else checkin.zone
        if values.timezone:
            changes["timezone"] = zone.key
            said.append("time zone")
        rec = checkin.recurrence
        if values.schedule is not None:
            rec = opts.read_schedule(values.schedule, zone, now)
            changes["schedule"] = rec.to_text()
            said.append("schedule")
        window = checkin.window
        if values.window is not None:
            window = opts.read_window(values.window)
            changes["window"] = window
            said.append("answer window")
        remind = checkin.remind_before
        if values.remind_before is not None:
            remind = opts.read_remind_before(values.remind_before, window)
            changes["remind_before"] = remind
            said.append("reminder")
        else:
            opts.check_remind_fits(remind, window)
        anonymous = checkin.anonymous_mood if values.anonymous_mood is None else values.anonymous_mood
        mood = checkin.mood if values.mood is None else values.mood
        if values.anonymous_mood and values.mood is None:
            mood = True
        if anonymous and not mood:
            if values.mood is False:
                anonymous = False  # turning mood off turns its anonymity off with it
            else:
                raise BadInput("Anonymous mood needs the mood choice on.")
        if mood != checkin.mood:
            changes["mood"] = mood
            said.append("mood")
        if anonymous != checkin.anonymous_mood:
            changes["anonymous_mood"] = anonymous
            said.append("anonymous mood")
        if values.template is not None or values.questions is not None:
            template, questions = choose_questions(values.template, values.questions, mood)
            changes["template"] = template
            changes["questions"] = questions
            said.append("questions")
        else:
            check_question_count(checkin.questions, mood)
        if values.clear_participants:
            changes["participants_role_id"] = None
            said.append("participants")
        elif values.participants_role_id is not None:
            changes["participants_role_id"] = values.participants_role_id
            said.append("participants")
        if not changes:
            raise BadInput("Tell me what to change: give at least one option besides the check-in.")
        upcoming = opts.check_spacing(rec, zone, window, now)
        if checkin.active and {"schedule", "timezone"} & set(changes):
            changes["next_run_at"] = upcoming[0]
        updated = await self.repo.update(checkin.id, now, **changes)
        if updated.active:
            self._schedule_fire(updated)
        return updated, said

    async def pause(self, checkin: CheckIn) -> CheckIn:
        if checkin.paused:
            raise BadInput(f"**{checkin.name}** is already paused.")
        now = self.clock.now()
        updated = await self.repo.update(checkin.id, now, paused_at=now, pause_reason=None, next_run_at=None)
        self.jobs.cancel(f"checkin-run:{checkin.id}")
        return updated

    async def resume(self, checkin: CheckIn) -> CheckIn:
        if not checkin.paused:
            raise BadInput(f"**{checkin.name}** isn't paused.")
        problem = await self.poster.channel_problem(checkin.guild_id, checkin.channel_id)
        if problem is not None:
            raise BadInput(f"I still can't run it: {problem} Fix that (or `/checkin edit` the channel), then resume.")
        now = self.clock.now()
        at = next_occurrence(checkin.recurrence, checkin.zone, now)
        updated = await self.repo.update(
            checkin.id, now, paused_at=None, pause_reason=None, creator_told_at=None, next_run_at=at
        )
        self._schedule_fire(updated)
        return updated

    async def skip_next(self, checkin: CheckIn) -> datetime:
        if not checkin.active or checkin.next_run_at is None:
            raise BadInput(f"**{checkin.name}** is paused, so there's no next run to skip.")
        now = self.clock.now()
        at = checkin.next_run_at
        async with self.db.transaction() as conn:
            inserted = await self.repo.insert_run(
                conn, checkin, scheduled_at=at, kind="scheduled", status="skipped", late=False,
                closes_at=at + checkin.window, remind_at=None, now=now,
            )
        if inserted is None:
            raise BadInput(f"The run of {timestamp(at, 'f')} is already skipped.")
        return at

    async def delete(self, checkin: CheckIn) -> None:
        now = self.clock.now()
        open_runs = [r for r in await self.repo.runs_with_status("posting", "open") if r.checkin_id == checkin.id]
        await self.repo.soft_delete(checkin.id, now)
        self.jobs.cancel(f"checkin-run:{checkin.id}")
        for run in open_runs:
            self._forget_run(run)
        log.info("check-in %s deleted", checkin.id)

    def _forget_run(self, run: Run) -> None:
        self.jobs.cancel(f"checkin-post:{run.id}")
        self.jobs.cancel(f"checkin-close:{run.id}")
        self.jobs.cancel_prefix(f"checkin-remind:{run.id}:")
        if run.thread_id is not None:
            self.open_threads.pop(run.thread_id, None)

    async def run_now(self, checkin: CheckIn) -> Run:
        """Post an extra run now (``/checkin run``)."""
        if checkin.deleted_at is not None:
            raise ObjectNotFound("That check-in was deleted.")
        now = self.clock.now().replace(microsecond=0)
        closes_at = now + checkin.window
        run_id: int | None = None
        async with self.db.transaction() as conn:
            for offset in range(3):  # keyed by instant: step past a run recorded in this very second
                run_id = await self.repo.insert_run(
                    conn, checkin, scheduled_at=now + timedelta(seconds=offset), kind="extra", status="posting",
                    late=False, closes_at=closes_at, remind_at=self._remind_at(checkin, closes_at, now), now=now,
                )
                if run_id is not None:
                    break
        if run_id is None:
            raise BadInput("A run of this check-in was just posted; give it a moment.")
        await self._post(run_id, False)
        run = await self.repo.get_run(run_id)
        assert run is not None
        if run.status == "failed":
            raise BadInput(f"I couldn't post it: {run.failure} The check-in is paused until that's fixed.")
        return run

    # -- the schedule ------------------------------------------------------------------------------------
    def _schedule_fire(self, checkin: CheckIn) -> None:
        if checkin.next_run_at is None or not checkin.active:
            self.jobs.cancel(f"checkin-run:{checkin.id}")
            return
        at = checkin.next_run_at
        self.jobs.schedule(f"checkin-run:{checkin.id}", at, self._fire, checkin.id, at)

    @staticmethod
    def _remind_at(checkin: CheckIn, closes_at: datetime, now: datetime) -> datetime | None:
        if checkin.remind_before is None:
            return None
        at = closes_at - checkin.remind_before
        return at if at > now else None

    async def _fire(self, checkin_id: int, scheduled_at: datetime) -> None:
        """A check-in is due (or overdue after downtime): record the run, move the schedule on, post."""
        checkin = await self.repo.get(checkin_id)
        if checkin is None or not checkin.active or checkin.next_run_at != scheduled_at:
            return  # paused, deleted, edited or already handled: a stale timer
        now = self.clock.now()
        rec, zone = checkin.recurrence, checkin.zone
        start = scheduled_at
        if now - start > CATCH_UP_HORIZON:
            start = now - CATCH_UP_HORIZON
        due = [scheduled_at] if start == scheduled_at else []
        due += occurrences_between(rec, zone, start, now)
        latest = due[-1] if due else None
        post = latest is not None and now < latest + checkin.window
        missed = due[:-1] if post else due
        # Never the instant just handled, even if this timer fired a moment early.
        following = next_occurrence(rec, zone, max(now, scheduled_at, latest or scheduled_at))
        run_id: int | None = None
        async with self.db.transaction() as conn:
            for at in missed[-MAX_MISSED_ROWS:]:
                await self.repo.insert_run(
                    conn, checkin, scheduled_at=at, kind="scheduled", status="missed", late=False,
                    closes_at=at + checkin.window, remind_at=None, now=now,
                )
            if post and latest is not None:
                closes_at = latest + checkin.window
                run_id = await self.repo.insert_run(
                    conn, checkin, scheduled_at=latest, kind="scheduled", status="posting",
                    late=now - latest > LATE_GRACE, closes_at=closes_at,
                    remind_at=self._remind_at(checkin, closes_at, now), now=now,
                )
            await self.repo.set_next_run(conn, checkin.id, following)
        if missed:
            log.info("check-in %s: %d run(s) missed while offline", checkin.id, len(missed))
        self.jobs.schedule(f"checkin-run:{checkin.id}", following, self._fire, checkin.id, following)
        if run_id is not None:
            await self._post(run_id, False)

    async def _post(self, run_id: int, reconcile: bool) -> None:
        """Post a recorded run's prompt and open its thread. ``reconcile``: look for an earlier post first."""
        run = await self.repo.get_run(run_id)
        if run is None or run.status not in ("posting", "open"):
            return
        checkin = await self.repo.get(run.checkin_id)
        if checkin is None or checkin.deleted_at is not None:
            return
        now = self.clock.now()
        if run.status == "posting":
            if now >= run.closes_at:
                await self.repo.fail_run(run.id, "it closed before it could be posted", now, status="missed")
                return
            problem = await self.poster.channel_problem(checkin.guild_id, run.channel_id)
            if problem is not None:
                await self._blocked(checkin, run, problem)
                return
            try:
                message_id = await self.poster.find_prompt(run) if reconcile else None
                if message_id is None:
                    message_id = await self.poster.post_prompt(run, checkin)
            except PostingBlocked as blocked:
                await self._blocked(checkin, run, blocked.reason)
                return
            except PostingRetry:
                # Posted or not, the nonce and the reconcile on the next try keep it to one prompt.
                if not self._retry(f"checkin-post:{run.id}", run.closes_at, self._post, run.id, True):
                    await self.repo.fail_run(
                        run.id, "Discord kept failing until it closed", self.clock.now(), status="missed"
                    )
                return
            self._tries.pop(f"checkin-post:{run.id}", None)
            await self.repo.mark_posted(run.id, message_id, self.clock.now())
            run = dataclasses.replace(run, status="open", message_id=message_id)
        if run.thread_id is None and run.message_id is not None:
            try:
                thread_id = await self.poster.open_thread(run, checkin, run.message_id)
            except PostingBlocked as blocked:
                await self._pause_for(checkin, blocked.reason)
                thread_id = None
            except PostingRetry:
                thread_id = None  # answers still come by form; the thread is tried again
                self._retry(f"checkin-post:{run.id}", run.closes_at, self._post, run.id, True)
            if thread_id is not None:
                await self.repo.set_thread(run.id, thread_id)
                self.open_threads[thread_id] = run.id
        self._schedule_run_jobs(run, self.clock.now())

    def _retry(self, job_id: str, until: datetime, func: Any, *args: Any) -> bool:
        """Schedule another try with bounded exponential backoff; False once ``until`` would be passed."""
        tries = self._tries.get(job_id, 0) + 1
        at = self.clock.now() + min(RETRY_FIRST * 2 ** (tries - 1), RETRY_MAX)
        if at >= until:
            self._tries.pop(job_id, None)
            return False
        self._tries[job_id] = tries
        log.warning("transient failure for %s (try %d); trying again at %s", job_id, tries, at.isoformat())
        self.jobs.schedule(job_id, at, func, *args)
        return True

    async def _blocked(self, checkin: CheckIn, run: Run, reason: str) -> None:
        log.warning("check-in %s cannot post: %s", checkin.id, reason)
        await self.repo.fail_run(run.id, reason, self.clock.now())
        await self._pause_for(checkin, reason)

    async def _pause_for(self, checkin: CheckIn, reason: str) -> None:
        """Pause after a failure (no retry loop) and tell the creator once."""
        now = self.clock.now()
        await self.repo.pause_automatically(checkin.id, reason, now)
        self.jobs.cancel(f"checkin-run:{checkin.id}")
        if await self.repo.claim_creator_notice(checkin.id, now):
            try:
                await self.poster.tell_creator(checkin, reason)
            except Exception:
                log.exception("could not tell the creator of check-in %s that it was paused", checkin.id)

    # -- answers -------------------------------------------------------------------------------------------
    async def open_run(self, run_id: int) -> Run:
        """The run a button refers to, if it still takes answers; otherwise :class:`RunClosed`."""
        return self.still_open(await self.repo.get_run(run_id))

    def still_open(self, run: Run | None) -> Run:
        """:meth:`open_run` for a run already read (no second query on the hot answer path)."""
        if run is None or run.status in ("posting", "missed", "skipped", "failed"):
            raise ObjectNotFound("I couldn't find that check-in run.")
        if not run.is_open_at(self.clock.now()):
            raise RunClosed(run)
        return run

    async def answer_of(self, run_id: int, user_id: int) -> Answer | None:
        return await self.repo.get_answer(run_id, user_id)

    async def submit_answer(self, run_id: int, user_id: int, answers: list[str], mood: int | None) -> Answer:
        """Store a member's answer (committed before returning, so "saved" is true when shown)."""
        return await self.save_answer(await self.open_run(run_id), user_id, answers, mood)

    async def save_answer(self, run: Run, user_id: int, answers: list[str], mood: int | None) -> Answer:
        """:meth:`submit_answer` for a run already looked up with :meth:`open_run`."""
        cleaned = [text.strip() for text in answers][: len(run.questions)]
        cleaned += [""] * (len(run.questions) - len(cleaned))
        if any(len(text) > MAX_ANSWER_CHARS for text in cleaned):
            raise BadInput(f"Each answer can be up to {MAX_ANSWER_CHARS} characters.")
        if mood is not None and not (run.mood and 1 <= mood <= 5):
            mood = None
        if not any(cleaned) and mood is None:
            raise BadInput("Write at least one answer, or use **Skip this time** if today isn't a good day.")
        saved = await self.repo.save_answer(
            run.id, user_id, answers=cleaned, mood=mood, source="modal", now=self.clock.now()
        )
        if saved is None:
            raise RunClosed(await self.repo.get_run(run.id) or run)
        self.jobs.cancel(f"checkin-remind:{run.id}:{user_id}")
        return saved

    async def skip(self, run_id: int, user_id: int) -> Answer:
        run = await self.open_run(run_id)
        saved = await self.repo.skip(run.id, user_id, self.clock.now())
        if saved is None:
            raise RunClosed(await self.repo.get_run(run.id) or run)
        self.jobs.cancel(f"checkin-remind:{run.id}:{user_id}")
        return saved

    async def thread_reply(self, thread_id: int, user_id: int, text: str) -> bool:
        """A member's message in an open run's thread counts as their answer unless they used the form."""
        run_id = self.open_threads.get(thread_id)
        if run_id is None:
            return False
        run = await self.repo.get_run(run_id)
        now = self.clock.now()
        if run is None or not run.is_open_at(now):
            return False
        stored = await self.repo.add_thread_reply(run.id, user_id, text[:MAX_ANSWER_CHARS], now)
        if stored:
            self.jobs.cancel(f"checkin-remind:{run.id}:{user_id}")
        return stored

    async def latest_open_run(
        self,
        guild_id: int,
        checkin: CheckIn | None,
        channel_id: int | None,
        *,
        visible: Callable[[Run], Awaitable[bool]] | None = None,
    ) -> Run:
        """The open run ``/checkin answer`` means: of that check-in, else in this channel, else in the server
        (among the runs ``visible`` allows: a member is never offered a run they cannot see)."""
        now = self.clock.now()
        if checkin is not None:
            run = await self.repo.latest_open_run(checkin.id)
            if run is None or not run.is_open_at(now):
                upcoming = await self.upcoming(checkin, 1)
                when = f" The next one is {timestamp(upcoming[0].at, 'f')}." if upcoming else ""
                raise ObjectNotFound(f"**{checkin.name}** has no open run right now.{when}")
            return run
        runs = [r for r in await self.repo.open_runs_in_guild(guild_id) if r.is_open_at(now)]
        if visible is not None:
            runs = [r for r in runs if await visible(r)]
        here = [r for r in runs if r.channel_id == channel_id or r.thread_id == channel_id]
        if here or runs:
            return (here or runs)[0]
        raise ObjectNotFound("There's no open check-in in this server right now.")

    # -- reminders -----------------------------------------------------------------------------------------
    async def participants(self, checkin: CheckIn, run: Run) -> set[int]:
        """The role's members, or without a role (or if it is gone) whoever answered recent runs."""
        if checkin.participants_role_id is not None:
            members = await self.poster.role_members(checkin.guild_id, checkin.participants_role_id)
            if members is not None:
                return members
        return await self.repo.regulars(checkin.id, run.scheduled_at, REGULAR_RUNS)

    async def _plan_reminders(self, run_id: int) -> None:
        run = await self.repo.get_run(run_id)
        now = self.clock.now()
        if run is None or not run.is_open_at(now) or run.reminders_planned:
            return
        checkin = await self.repo.get(run.checkin_id)
        if checkin is None or checkin.deleted_at is not None:
            return
        heard = {a.user_id for a in await self.repo.answers_for_run(run.id)}
        targets = sorted(await self.participants(checkin, run) - heard)
        members = await self.prefs.members(targets)
        server_zone = await self.zone_for(checkin.guild_id)
        planned: list[tuple[int, datetime, ReminderStatus]] = []
        for user_id in targets:
            member = members[user_id]
            if member.is_away(now):
                planned.append((user_id, now, "not_needed"))
                continue
            zone = get_zone(member.timezone or server_zone)
            due = next_reachable(now, dataclasses.replace(member, away_until=None), zone)
            planned.append((user_id, due, "pending" if due < run.closes_at else "dropped"))
        async with self.db.transaction() as conn:
            if not await self.repo.set_reminders_planned(conn, run.id):
                return
            await self.repo.add_reminders(conn, run.id, planned)
        for user_id, due, status in planned:
            if status == "pending":
                self.jobs.schedule(f"checkin-remind:{run.id}:{user_id}", due, self._remind, run.id, user_id)

    async def _remind(self, run_id: int, user_id: int) -> None:
        run = await self.repo.get_run(run_id)
        now = self.clock.now()
        if run is None:
            return
        if not run.is_open_at(now):
            await self.repo.finish_reminder(run_id, user_id, "dropped", now)
            return
        if await self.repo.get_answer(run_id, user_id) is not None or (await self.prefs.member(user_id)).is_away(now):
            await self.repo.finish_reminder(run_id, user_id, "not_needed", now)
            return
        checkin = await self.repo.get(run.checkin_id)
        if checkin is None or checkin.deleted_at is not None:
            return
        if not await self.repo.claim_reminder(run_id, user_id, now):
            return  # already sent (or being sent)
        status: ReminderStatus = "failed"
        try:
            status = await self.poster.remind(run, checkin, user_id)
        finally:
            await self.repo.finish_reminder(run_id, user_id, status, self.clock.now())

    # -- closing -------------------------------------------------------------------------------------------
    async def _close(self, run_id: int) -> None:
        run = await self.repo.get_run(run_id)
        now = self.clock.now()
        if run is None or run.status != "open":
            return
        if now < run.closes_at:
            self.jobs.schedule(f"checkin-close:{run.id}", run.closes_at, self._close, run.id)
            return
        if not await self.repo.claim_close(run.id, now):
            return
        self._forget_run(run)
        await self._post_digest(run.id)

    async def _post_digest(self, run_id: int) -> None:
        run = await self.repo.get_run(run_id)
        if run is None or run.status != "closed" or run.digest_posted_at is not None:
            return
        checkin = await self.repo.get(run.checkin_id)
        if checkin is None:
            return
        job_id = f"checkin-digest:{run.id}"
        until = run.closes_at + DIGEST_WINDOW
        if self.clock.now() >= until:
            # Too old to be news (e.g. found at start-up after a long outage): not sent, and visibly so.
            self._tries.pop(job_id, None)
            await self._digest_failed(checkin, run, "it was more than a day late, so I didn't send it.")
            return
        digest, noted = await self.digest_for(checkin, run)
        try:
            posted = await self.poster.post_digest(run, digest)
        except PostingRetry:
            if not self._retry(job_id, until, self._post_digest, run.id):
                await self._digest_failed(checkin, run, "Discord kept failing for a day.")
            return
        self._tries.pop(job_id, None)
        if posted:
            await self.repo.mark_digest_posted(run.id, self.clock.now(), noted)
        else:
            await self._digest_failed(checkin, run, "its thread and channel are gone, or I may not post there.")

    async def _digest_failed(self, checkin: CheckIn, run: Run, reason: str) -> None:
        """Never marked posted when it was not: recorded as not shared, and the creator told once."""
        log.warning("the digest of run %s was not shared: %s", run.id, reason)
        if await self.repo.mark_digest_failed(run.id, reason):
            try:
                await self.poster.tell_creator(
                    checkin, f"the digest of the run of {timestamp(run.scheduled_at, 'f')} could not be shared: "
                    f"{reason}", paused=False,
                )
            except Exception:
                log.exception("could not tell the creator of check-in %s about run %s", checkin.id, run.id)

    async def digest_for(self, checkin: CheckIn, run: Run) -> tuple[Digest, list[int]]:
        now = self.clock.now()
        answers = await self.repo.answers_for_run(run.id)
        participants = await self.participants(checkin, run)
        heard = {a.user_id for a in answers}
        members = await self.prefs.members(sorted(participants | heard))
        away = {uid for uid, member in members.items() if member.is_away(now)}
        names = self.poster.display_names(checkin.guild_id, participants | heard)
        settings = await self.prefs.guild(checkin.guild_id)
        missed = await self.repo.unnoted_missed(checkin.id, run.scheduled_at)
        digest = build_digest(
            run,
            answers,
            participants=participants,
            away=away,
            names=names,
            missing_mode=settings.checkin_missing,
            missed=[m.scheduled_at for m in missed],
        )
        return digest, [m.id for m in missed]

    # -- history and export ------------------------------------------------------------------------------
    async def history(self, checkin: CheckIn, user_id: int | None) -> list[HistoryEntry]:
        return await self.repo.history(checkin.id, user_id)

    async def export(self, checkin: CheckIn) -> str:
        entries = await self.repo.export_rows(checkin.id)
        names = self.poster.display_names(checkin.guild_id, {e.answer.user_id for e in entries}, markdown=False)
        return export_csv(entries, names)

