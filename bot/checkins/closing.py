"""Closing a run at the end of its window and sharing its digest in the thread.

A digest is shared within :data:`DIGEST_WINDOW` of the close (transient failures retried until then) or
visibly not at all: it is never marked posted when it was not, and the creator is told once.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

from bot.checkins.context import CheckinContext
from bot.checkins.digest import Digest, build_digest
from bot.checkins.models import CheckIn, Run
from bot.checkins.poster import Later, PostingRetry, retry_at
from bot.checkins.reminders import participants
from bot.checkins.wording import DIGEST_KEPT_FAILING, DIGEST_NOT_SHARED, DIGEST_NOWHERE, DIGEST_TOO_LATE
from bot.markup import timestamp

log = logging.getLogger(__name__)

#: A digest not shared within this long after its run closed is not sent any more (start-up included).
DIGEST_WINDOW = timedelta(hours=24)


class Closing:
    def __init__(self, ctx: CheckinContext) -> None:
        self.ctx = ctx

    async def close(self, run: Run) -> Run | None:
        """Close an open run (its pending reminders are dropped); the closed run, or None if it was not open."""
        ctx = self.ctx
        now = ctx.clock.now()
        if not await ctx.store.runs.claim_close(run.id, now):
            return None
        if run.thread_id is not None:
            ctx.open_threads.pop(run.thread_id, None)
        return dataclasses.replace(run, status="closed", closed_at=now, attempts=0)

    async def share_digest(self, run: Run, checkin: CheckIn) -> Later | None:
        """Post a closed run's digest; :class:`Later` to try again after a transient failure, else None."""
        ctx = self.ctx
        until = run.closes_at + DIGEST_WINDOW
        if ctx.clock.now() >= until:
            # Too old to be news (e.g. found at start-up after a long outage): not sent, and visibly so.
            await self._not_shared(checkin, run, DIGEST_TOO_LATE)
            return None
        digest, noted = await self.digest_for(checkin, run)
        try:
            posted = await ctx.poster.post_digest(run, digest)
        except PostingRetry:
            later = retry_at(ctx.clock.now(), run.attempts, until)
            if later is None:
                await self._not_shared(checkin, run, DIGEST_KEPT_FAILING)
            else:
                log.warning("run %s: the digest failed transiently (try %d)", run.id, run.attempts + 1)
            return later
        if posted:
            await ctx.store.runs.mark_digest_posted(run.id, ctx.clock.now(), noted)
        else:
            await self._not_shared(checkin, run, DIGEST_NOWHERE)
        return None

    async def _not_shared(self, checkin: CheckIn, run: Run, reason: str) -> None:
        """Never marked posted when it was not: recorded as not shared, and the creator told once."""
        log.warning("the digest of run %s was not shared: %s", run.id, reason)
        if await self.ctx.store.runs.mark_digest_failed(run.id, reason):
            try:
                await self.ctx.poster.tell_creator(
                    checkin,
                    DIGEST_NOT_SHARED.format(when=timestamp(run.scheduled_at, "f"), reason=reason),
                    paused=False,
                )
            except Exception:
                log.exception("could not tell the creator of check-in %s about run %s", checkin.id, run.id)

    async def digest_for(self, checkin: CheckIn, run: Run) -> tuple[Digest, list[int]]:
        """The digest of a run, and the missed runs it mentions (marked noted once it is posted)."""
        ctx = self.ctx
        now = ctx.clock.now()
        answers = await ctx.store.answers.answers_for_run(run.id)
        expected = await participants(ctx, checkin, run)
        heard = {a.user_id for a in answers}
        members = await ctx.prefs.members(sorted(expected | heard))
        away = {uid for uid, member in members.items() if member.is_away(now)}
        settings = await ctx.prefs.guild(checkin.guild_id)
        names = ctx.poster.display_names(checkin.guild_id, expected | heard, locale=settings.channel_locale)
        missed = await ctx.store.runs.unnoted_missed(checkin.id, run.scheduled_at)
        digest = build_digest(
            run,
            answers,
            participants=expected,
            away=away,
            names=names,
            missing_mode=settings.checkin_missing,
            missed=[m.scheduled_at for m in missed],
            locale=settings.channel_locale,
        )
        return digest, [m.id for m in missed]
