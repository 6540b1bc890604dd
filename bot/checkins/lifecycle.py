"""A run's life after it is recorded, step by step: post the prompt, open the thread, plan the reminders,
close at the end of the window, share the digest.

The runs are one kind of due work (:data:`~bot.checkins.context.RUN_STEPS`): ``checkin_runs.due_at`` holds
the instant of the next step, and one claim (a lease) covers whichever step is due, so two processes never act
on the same run and the steps of one run never overlap. A step does what is due by now, then points ``due_at``
at the next one (NULL when nothing is left) and clears the claim.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.checkins.closing import Closing
from bot.checkins.context import RUN_STEPS, CheckinContext
from bot.checkins.models import CheckIn, Run
from bot.checkins.poster import Later
from bot.checkins.posting import PromptPosting
from bot.checkins.reminders import Reminders, plan_due
from bot.scheduling.shards import ShardScope

log = logging.getLogger(__name__)


def open_run_due(run: Run) -> datetime:
    """The next step of an open run: planning its reminders, else its close."""
    if plan_due(run):
        assert run.remind_at is not None
        return run.remind_at
    return run.closes_at


class RunSteps:
    name = RUN_STEPS

    def __init__(self, ctx: CheckinContext, posting: PromptPosting, reminders: Reminders, closing: Closing) -> None:
        self.ctx = ctx
        self.posting = posting
        self.reminders = reminders
        self.closing = closing

    # -- the due work ----------------------------------------------------------------------------------
    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.ctx.store.runs.next_due(scope)

    async def claim(self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope) -> Sequence[Run]:
        return await self.ctx.store.runs.claim_due(now, owner, until, limit, scope)

    async def run(self, item: Run, now: datetime) -> None:
        # Claimed here after an earlier try (a retry, or a process that died mid-post): look for its post first.
        await self.advance(item, reconcile=True)

    # -- the steps -------------------------------------------------------------------------------------
    async def advance(self, run: Run, *, reconcile: bool) -> None:
        """Do the steps of a run we claimed that are due by now; then move it on to its next step."""
        try:
            checkin = await self.ctx.store.checkins.get(run.checkin_id)
            due, attempts = (None, 0) if checkin is None else await self._steps(run, checkin, reconcile)
            await self.ctx.store.runs.move_on(run.id, self.ctx.owner, due, attempts)
        except BaseException:
            # The claim stays and runs out; the run's timer must fire then to take it up again.
            self.ctx.wake(RUN_STEPS, self.ctx.lease_from(self.ctx.clock.now()))
            raise
        self.ctx.wake(RUN_STEPS, due)

    async def _steps(self, run: Run, checkin: CheckIn, reconcile: bool) -> tuple[datetime | None, int]:
        now = self.ctx.clock.now()
        if run.status == "posting":
            if checkin.deleted_at is not None:
                return None, 0
            posted = await self.posting.post(run, checkin, reconcile=reconcile)
            if isinstance(posted, Later):
                return posted.at, run.attempts + 1
            if posted is None:
                return None, 0
            run = posted
        if run.status == "open":
            if checkin.deleted_at is not None:
                return None, 0
            retry: Later | None = None
            if run.thread_id is None and run.message_id is not None and now < run.closes_at:
                opened = await self.posting.open_thread(run, checkin)
                if isinstance(opened, Later):
                    retry = opened
                else:
                    run = opened
            now = self.ctx.clock.now()
            if plan_due(run) and run.remind_at is not None and run.remind_at <= now < run.closes_at:
                run = await self.reminders.plan(run, checkin)
            if now < run.closes_at:
                due = open_run_due(run)
                if retry is not None and retry.at < due:
                    return retry.at, run.attempts + 1
                return due, run.attempts if retry is None else run.attempts + 1
            closed = await self.closing.close(run)
            if closed is None:
                return None, 0
            run = closed
        if run.status == "closed" and run.digest_posted_at is None and run.failure is None:
            later = await self.closing.share_digest(run, checkin)
            if later is not None:
                return later.at, run.attempts + 1
        return None, 0
