"""Check-ins due to run: each run is recorded at its scheduled instant (as computed by
:mod:`bot.scheduling.recurrence`, so DST behaves as promised), then posted at once.

Check-ins are a kind of due work (:data:`~bot.checkins.context.SCHEDULE`) over ``checkins.next_run_at``. After
downtime, the latest instant is posted late (and marked late) if its window is still open; the instants before
it are recorded as missed, for the next digest to mention.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.checkins.context import SCHEDULE, CheckinContext
from bot.checkins.lifecycle import RunSteps
from bot.checkins.models import CheckIn, Run
from bot.checkins.wording import CannotPost
from bot.errors import BadInput, ObjectNotFound
from bot.scheduling.recurrence import next_occurrence, occurrences_between
from bot.scheduling.shards import ShardScope

log = logging.getLogger(__name__)

LATE_GRACE = timedelta(minutes=2)  # a run posted later than this after its instant is marked late
CATCH_UP_HORIZON = timedelta(days=62)  # downtime longer than this is only looked at for its last part
MAX_MISSED_ROWS = 50


def remind_at(checkin: CheckIn, closes_at: datetime, now: datetime) -> datetime | None:
    if checkin.remind_before is None:
        return None
    at = closes_at - checkin.remind_before
    return at if at > now else None


class RunSchedule:
    name = SCHEDULE

    def __init__(self, ctx: CheckinContext, steps: RunSteps) -> None:
        self.ctx = ctx
        self.steps = steps

    # -- the due work ----------------------------------------------------------------------------------
    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.ctx.store.checkins.next_due(scope)

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[CheckIn]:
        return await self.ctx.store.checkins.claim_due(now, owner, until, limit, scope)

    async def run(self, item: CheckIn, now: datetime) -> None:
        """A check-in is due (or overdue after downtime): record the run, move the schedule on, post."""
        ctx = self.ctx
        scheduled_at = item.next_run_at
        if scheduled_at is None or not item.active:
            await ctx.store.checkins.release(item.id, ctx.owner)
            return
        now = ctx.clock.now()
        rec, zone = item.recurrence, item.zone
        start = scheduled_at
        if now - start > CATCH_UP_HORIZON:
            start = now - CATCH_UP_HORIZON
        due = [scheduled_at] if start == scheduled_at else []
        due += occurrences_between(rec, zone, start, now)
        latest = due[-1] if due else None
        post = latest is not None and now < latest + item.window
        missed = due[:-1] if post else due
        # Never the instant just handled, even if this fired a moment early.
        following = next_occurrence(rec, zone, max(now, scheduled_at, latest or scheduled_at))
        run: Run | None = None
        try:
            async with ctx.db.transaction() as conn:
                for at in missed[-MAX_MISSED_ROWS:]:
                    await ctx.store.runs.insert_run(
                        conn, item, scheduled_at=at, kind="scheduled", status="missed", late=False,
                        closes_at=at + item.window, remind_at=None, now=now,
                    )
                if post and latest is not None:
                    closes_at = latest + item.window
                    run = await ctx.store.runs.insert_run(
                        conn, item, scheduled_at=latest, kind="scheduled", status="posting",
                        late=now - latest > LATE_GRACE, closes_at=closes_at,
                        remind_at=remind_at(item, closes_at, now), now=now, claimed_by=ctx.owner,
                        claimed_until=ctx.lease_from(now),
                    )
                if not await ctx.store.checkins.move_on(conn, item.id, ctx.owner, scheduled_at, following):
                    raise _Stale
        except _Stale:
            # Paused, deleted, edited or taken over under our claim: nothing was recorded.
            await ctx.store.checkins.release(item.id, ctx.owner)
            return
        if missed:
            log.info("check-in %s: %d run(s) missed while offline", item.id, len(missed))
        if run is not None:
            await self.post_now(run)

    async def post_now(self, run: Run) -> None:
        """Post a run just recorded (and claimed by us). Should this fail unexpectedly, its claim runs out and
        the run's steps take it from there, looking for the post first."""
        try:
            await self.steps.advance(run, reconcile=False)
        except Exception:
            log.exception("run %s: posting failed; it is tried again when its claim ends", run.id)

    async def run_now(self, checkin: CheckIn) -> Run:
        """Post an extra run now (``/checkin run``)."""
        ctx = self.ctx
        if checkin.deleted_at is not None:
            raise ObjectNotFound("That check-in was deleted.")
        now = ctx.clock.now().replace(microsecond=0)
        closes_at = now + checkin.window
        run: Run | None = None
        async with ctx.db.transaction() as conn:
            for offset in range(3):  # keyed by instant: step past a run recorded in this very second
                run = await ctx.store.runs.insert_run(
                    conn, checkin, scheduled_at=now + timedelta(seconds=offset), kind="extra", status="posting",
                    late=False, closes_at=closes_at, remind_at=remind_at(checkin, closes_at, now), now=now,
                    claimed_by=ctx.owner, claimed_until=ctx.lease_from(now),
                )
                if run is not None:
                    break
        if run is None:
            raise BadInput("A run of this check-in was just posted; give it a moment.")
        await self.steps.advance(run, reconcile=False)
        posted = await ctx.store.runs.get_run(run.id)
        assert posted is not None
        if posted.status == "failed":
            raise CannotPost("I couldn't post it: {reason} The check-in is paused until that's fixed.",
                           reason=posted.failure)
        return posted


class _Stale(Exception):
    """The check-in changed under our claim (paused, deleted, edited, taken over): nothing is recorded."""
