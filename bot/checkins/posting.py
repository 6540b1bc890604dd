"""Posting a recorded run: its prompt (with the run's deterministic nonce) and its discussion thread.

A transient failure is tried again later with bounded backoff (see :func:`~bot.checkins.poster.retry_at`); a
channel Rapport can no longer post in pauses the check-in, and its creator is told once. Nothing retries in a
loop.
"""

from __future__ import annotations

import dataclasses
import logging

from bot.checkins.context import CheckinContext
from bot.checkins.models import CheckIn, Run
from bot.checkins.poster import Later, PostingBlocked, PostingRetry, retry_at
from bot.checkins.wording import CLOSED_BEFORE_POSTED, KEPT_FAILING_UNTIL_CLOSED

log = logging.getLogger(__name__)


class PromptPosting:
    def __init__(self, ctx: CheckinContext) -> None:
        self.ctx = ctx

    async def post(self, run: Run, checkin: CheckIn, *, reconcile: bool) -> Run | Later | None:
        """Post a run still ``posting``: the run now open, :class:`Later` to try again, or None (not posted:
        missed or failed). ``reconcile``: an earlier try may have posted it, so look for that post first."""
        ctx = self.ctx
        now = ctx.clock.now()
        if now >= run.closes_at:
            await ctx.store.runs.fail_run(run.id, CLOSED_BEFORE_POSTED, now, status="missed")
            return None
        problem = await ctx.poster.channel_problem(checkin.guild_id, run.channel_id)
        if problem is not None:
            await self.blocked(checkin, run, problem)
            return None
        try:
            message_id = await ctx.poster.find_prompt(run) if reconcile else None
            if message_id is None:
                message_id = await ctx.poster.post_prompt(run, checkin)
        except PostingBlocked as blocked:
            await self.blocked(checkin, run, blocked.reason)
            return None
        except PostingRetry:
            # Posted or not, the nonce and the reconcile on the next try keep it to one prompt.
            later = retry_at(ctx.clock.now(), run.attempts, run.closes_at)
            if later is None:
                await ctx.store.runs.fail_run(
                    run.id, KEPT_FAILING_UNTIL_CLOSED, ctx.clock.now(), status="missed"
                )
                return None
            log.warning("run %s: the prompt failed transiently (try %d); again at %s", run.id, run.attempts + 1,
                        later.at.isoformat())
            return later
        await ctx.store.runs.mark_posted(run.id, message_id, ctx.clock.now())
        return dataclasses.replace(run, status="open", message_id=message_id, attempts=0)

    async def open_thread(self, run: Run, checkin: CheckIn) -> Run | Later:
        """Open the thread on a posted prompt: the run (with its thread when there is one), or :class:`Later`."""
        ctx = self.ctx
        assert run.message_id is not None
        try:
            thread_id = await ctx.poster.open_thread(run, checkin, run.message_id)
        except PostingBlocked as blocked:
            await self.pause_for(checkin, blocked.reason)
            return run
        except PostingRetry:
            # Answers still come by form meanwhile; the thread is tried again.
            later = retry_at(ctx.clock.now(), run.attempts, run.closes_at)
            if later is not None:
                log.warning("run %s: the thread failed transiently (try %d)", run.id, run.attempts + 1)
                return later
            return run
        if thread_id is None:
            return run
        await ctx.store.runs.set_thread(run.id, thread_id)
        ctx.open_threads[thread_id] = run.id
        return dataclasses.replace(run, thread_id=thread_id, attempts=0)

    async def blocked(self, checkin: CheckIn, run: Run, reason: str) -> None:
        log.warning("check-in %s cannot post: %s", checkin.id, reason)
        await self.ctx.store.runs.fail_run(run.id, reason, self.ctx.clock.now())
        await self.pause_for(checkin, reason)

    async def pause_for(self, checkin: CheckIn, reason: str) -> None:
        """Pause after a failure (no retry loop) and tell the creator once."""
        ctx = self.ctx
        now = ctx.clock.now()
        await ctx.store.checkins.pause_automatically(checkin.id, reason, now)
        if await ctx.store.checkins.claim_creator_notice(checkin.id, now):
            try:
                await ctx.poster.tell_creator(checkin, reason)
            except Exception:
                log.exception("could not tell the creator of check-in %s that it was paused", checkin.id)
