"""Managing check-ins: create, edit, pause, resume, skip the next run, delete.

Options are read and validated by :mod:`bot.checkins.options` before anything is stored: bad input changes
nothing. A check-in's next instant is kept in ``next_run_at``; the schedule's timer is moved earlier when
that instant is (see :mod:`bot.checkins.schedule`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.checkins import options as opts
from bot.checkins.context import RUN_STEPS, SCHEDULE, CheckinContext
from bot.checkins.models import CheckIn
from bot.checkins.templates import check_question_count, choose_questions
from bot.checkins.wording import CannotPost
from bot.errors import BadInput
from bot.markup import timestamp
from bot.scheduling.recurrence import next_occurrence
from bot.timezones import get_zone

log = logging.getLogger(__name__)


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


class CheckinManager:
    def __init__(self, ctx: CheckinContext) -> None:
        self.ctx = ctx

    def _arm(self, checkin: CheckIn) -> None:
        if checkin.active:
            self.ctx.wake(SCHEDULE, checkin.next_run_at)

    async def create(self, guild_id: int, created_by: int, values: CheckinOptions) -> tuple[CheckIn, list[datetime]]:
        now = self.ctx.clock.now()
        if values.name is None or values.channel_id is None or values.schedule is None:
            raise BadInput("A check-in needs a name, a channel and a schedule.")
        name = opts.clean_name(values.name)
        if await self.ctx.store.checkins.by_name(guild_id, name) is not None:
            raise BadInput("There's already a check-in called **{name}** here. Pick another name.", name=name)
        if await self.ctx.store.checkins.count_guild(guild_id) >= opts.MAX_CHECKINS_PER_SERVER:
            raise BadInput("A server can have up to {limit} check-ins; delete one first.",
                           limit=opts.MAX_CHECKINS_PER_SERVER)
        zone = get_zone(values.timezone) if values.timezone else get_zone(await self.ctx.zone_for(guild_id))
        rec = opts.read_schedule(values.schedule, zone, now)
        window = opts.read_window(values.window)
        remind = opts.read_remind_before(values.remind_before, window)
        anonymous = bool(values.anonymous_mood)
        if anonymous and values.mood is False:
            raise BadInput("Anonymous mood needs the mood choice on: set `mood` to true, or leave it out.")
        mood = bool(values.mood) or anonymous
        template, questions = choose_questions(values.template, values.questions, mood)
        upcoming = opts.check_spacing(rec, zone, window, now)
        problem = await self.ctx.poster.channel_problem(guild_id, values.channel_id)
        if problem is not None:
            raise CannotPost("{problem} A server admin can fix that, then try again.", problem=problem)
        checkin = await self.ctx.store.checkins.create(
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
        self._arm(checkin)
        log.info("check-in %s created in guild %s", checkin.id, guild_id)
        return checkin, upcoming[:3]

    async def edit(self, checkin: CheckIn, values: CheckinOptions) -> tuple[CheckIn, list[str]]:
        """Apply the given options; returns the check-in and what changed (for the reply)."""
        now = self.ctx.clock.now()
        changes: dict[str, object] = {}
        said: list[str] = []
        if values.name is not None:
            name = opts.clean_name(values.name)
            other = await self.ctx.store.checkins.by_name(checkin.guild_id, name)
            if other is not None and other.id != checkin.id:
                raise BadInput("There's already a check-in called **{name}** here. Pick another name.", name=name)
            changes["name"] = name
            said.append("name")
        if values.channel_id is not None and values.channel_id != checkin.channel_id:
            problem = await self.ctx.poster.channel_problem(checkin.guild_id, values.channel_id)
            if problem is not None:
                raise CannotPost("{problem} A server admin can fix that, then try again.", problem=problem)
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
        updated = await self.ctx.store.checkins.update(checkin.id, now, **changes)
        if updated.active:
            self._arm(updated)
        return updated, said

    async def pause(self, checkin: CheckIn) -> CheckIn:
        if checkin.paused:
            raise BadInput("**{name}** is already paused.", name=checkin.name)
        now = self.ctx.clock.now()
        updated = await self.ctx.store.checkins.update(
            checkin.id, now, paused_at=now, pause_reason=None, next_run_at=None
        )
        await self.ctx.dispatcher.arm(SCHEDULE)  # so no timer is left for it
        return updated

    async def resume(self, checkin: CheckIn) -> CheckIn:
        if not checkin.paused:
            raise BadInput("**{name}** isn't paused.", name=checkin.name)
        problem = await self.ctx.poster.channel_problem(checkin.guild_id, checkin.channel_id)
        if problem is not None:
            raise CannotPost(
                "I still can't run it: {problem} Fix that (or `/checkin edit` the channel), then resume.",
                problem=problem,
            )
        now = self.ctx.clock.now()
        at = next_occurrence(checkin.recurrence, checkin.zone, now)
        updated = await self.ctx.store.checkins.update(
            checkin.id, now, paused_at=None, pause_reason=None, creator_told_at=None, next_run_at=at
        )
        self._arm(updated)
        return updated

    async def skip_next(self, checkin: CheckIn) -> datetime:
        if not checkin.active or checkin.next_run_at is None:
            raise BadInput("**{name}** is paused, so there's no next run to skip.", name=checkin.name)
        now = self.ctx.clock.now()
        at = checkin.next_run_at
        async with self.ctx.db.transaction() as conn:
            inserted = await self.ctx.store.runs.insert_run(
                conn, checkin, scheduled_at=at, kind="scheduled", status="skipped", late=False,
                closes_at=at + checkin.window, remind_at=None, now=now,
            )
        if inserted is None:
            raise BadInput("The run of {when} is already skipped.", when=timestamp(at, "f"))
        return at

    async def delete(self, checkin: CheckIn) -> None:
        now = self.ctx.clock.now()
        open_runs = await self.ctx.store.runs.runs_with_status("posting", "open", checkin_id=checkin.id)
        await self.ctx.store.checkins.soft_delete(checkin.id, now)
        for run in open_runs:
            if run.thread_id is not None:
                self.ctx.open_threads.pop(run.thread_id, None)
        for source in (SCHEDULE, RUN_STEPS):  # so no timer is left for it
            await self.ctx.dispatcher.arm(source)
        log.info("check-in %s deleted", checkin.id)
