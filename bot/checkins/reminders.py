"""Reminders: planned once per run at its ``remind_at`` for each participant not heard from, each due when the
member can be reached (quiet hours respected, away members skipped), then sent privately (a gentle mention in
the thread when DMs are closed and the server names who hasn't answered).

The planned reminders are a kind of due work (:data:`~bot.checkins.context.REMINDERS`): rows with ``due_at``,
claimed with a lease. A reminder is marked ``sending`` (with the time of its first try) before it is sent with its
deterministic nonce, and recorded once sent. A process stopped in between leaves it ``sending`` and still due:
the next holder of its claim sends it again within :data:`~bot.delivery.RESEND_WINDOW` (Discord drops the
second one if the first arrived), and later records it ``unknown`` instead of risking a second reminder.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from datetime import datetime

from bot.availability import next_reachable
from bot.checkins.context import REMINDERS, CheckinContext
from bot.checkins.models import CheckIn, Reminder, ReminderStatus, Run
from bot.delivery import may_resend
from bot.scheduling.shards import ShardScope
from bot.timezones import get_zone

log = logging.getLogger(__name__)

#: Without a participants role, the expected members are whoever answered any of this many recent runs.
REGULAR_RUNS = 5


async def participants(ctx: CheckinContext, checkin: CheckIn, run: Run) -> set[int]:
    """The role's members, or without a role (or if it is gone) whoever answered recent runs."""
    if checkin.participants_role_id is not None:
        members = await ctx.poster.role_members(checkin.guild_id, checkin.participants_role_id)
        if members is not None:
            return members
    return await ctx.store.answers.regulars(checkin.id, run.scheduled_at, REGULAR_RUNS)


def plan_due(run: Run) -> bool:
    """Whether a run's reminders are still to be planned (and would come before its close)."""
    return run.remind_at is not None and not run.reminders_planned and run.remind_at < run.closes_at


class Reminders:
    name = REMINDERS

    def __init__(self, ctx: CheckinContext) -> None:
        self.ctx = ctx
        self._owner = ""

    async def plan(self, run: Run, checkin: CheckIn) -> Run:
        """Plan one reminder per participant not heard from; the run, marked planned."""
        ctx = self.ctx
        now = ctx.clock.now()
        heard = {a.user_id for a in await ctx.store.answers.answers_for_run(run.id)}
        targets = sorted(await participants(ctx, checkin, run) - heard)
        members = await ctx.prefs.members(targets)
        server_zone = await ctx.zone_for(checkin.guild_id)
        planned: list[tuple[int, datetime, ReminderStatus]] = []
        for user_id in targets:
            member = members[user_id]
            if member.is_away(now):
                planned.append((user_id, now, "not_needed"))
                continue
            zone = get_zone(member.timezone or server_zone)
            due = next_reachable(now, dataclasses.replace(member, away_until=None), zone)
            planned.append((user_id, due, "pending" if due < run.closes_at else "dropped"))
        async with ctx.db.transaction() as conn:
            if await ctx.store.runs.set_reminders_planned(conn, run.id):
                await ctx.store.reminders.add_reminders(conn, run.id, planned)
        pending = [due for _, due, status in planned if status == "pending"]
        ctx.wake(REMINDERS, min(pending, default=None))
        return dataclasses.replace(run, reminders_planned=True)

    # -- the due work ----------------------------------------------------------------------------------
    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.ctx.store.reminders.next_due(scope)

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[Reminder]:
        self._owner = owner
        return await self.ctx.store.reminders.claim_due(now, owner, until, limit, scope)

    async def run(self, item: Reminder, now: datetime) -> None:
        """Send one due reminder, unless the run closed, the member answered or went away meanwhile; finish one
        cut short (``sending``): again within the resend window, else recorded ``unknown``."""
        ctx, repo = self.ctx, self.ctx.store.reminders
        run_id, user_id = item.run_id, item.user_id
        now = ctx.clock.now()
        resend = item.status == "sending"

        async def not_sent(status: ReminderStatus) -> None:
            # A try cut short may have arrived: whatever would stop a first send leaves it "unknown".
            await repo.finish(run_id, user_id, "unknown" if resend else status, now, sent_at=item.sent_at)

        if resend and (item.sent_at is None or not may_resend(item.sent_at, now)):
            log.warning("a reminder for run %s was cut short too long ago; not sending it again", run_id)
            await not_sent("unknown")
            return
        # A resend within the window is what the first try was: the same message with the same nonce, whatever
        # changed since (had it arrived, Discord drops it; had it not, it is the reminder the member was due).
        run = await ctx.store.runs.get_run(run_id)
        if run is None or not run.is_open_at(now):
            await not_sent("dropped")
            return
        answered = await ctx.store.answers.get_answer(run_id, user_id) is not None
        if answered or (await ctx.prefs.member(user_id)).is_away(now):
            await not_sent("not_needed")
            return
        checkin = await ctx.store.checkins.get(run.checkin_id)
        if checkin is None or checkin.deleted_at is not None:
            await not_sent("dropped")
            return
        if not resend and not await repo.start_sending(run_id, user_id, self._owner, now):
            return  # our claim was taken over meanwhile: the new holder sends it
        status: ReminderStatus = "failed"
        try:
            status = await ctx.poster.remind(run, checkin, user_id)
        finally:
            await repo.finish(run_id, user_id, status, ctx.clock.now())
