"""Posting the weekly digest exactly once per scheduled instant: two sources of the one dispatcher
(:mod:`bot.scheduling.dispatch`).

* :class:`ScheduleWork` (``digest_schedules.next_run_at``): a server's digest is due. The schedule row is
  claimed with a lease; its post is recorded (``digest_posts``, UNIQUE per server and scheduled instant, already
  claimed by this process) in the same transaction that moves the schedule on, and only then sent, with a
  nonce derived from that key. A digest whose time passed more than :data:`LATE_LIMIT` ago (the bot was
  offline) is recorded as missed instead, and the schedule moves on to the next instant after now.
* :class:`PostWork` (``digest_posts`` still ``posting``): a post whose sender stopped before finishing (its
  claim ran out). It is re-sent only while Discord still remembers its nonce (:data:`bot.delivery.RESEND_WINDOW`
  after it was recorded), so it can never appear twice; an older one is marked failed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.db.database import Database
from bot.delivery import may_resend
from bot.digest.models import DigestPost, DigestSchedule
from bot.digest.render import RenderedDigest
from bot.digest.repository import DigestRepo
from bot.scheduling.clock import Clock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.recurrence import Recurrence, next_occurrence, occurrences_between
from bot.scheduling.shards import ShardScope

log = logging.getLogger(__name__)

#: The sources' names among the dispatcher's; their timers are ``dispatch:<name>``.
SCHEDULES = "digest-schedules"
POSTS = "digest-posts"
SCHEDULE_JOB = f"dispatch:{SCHEDULES}"
POST_JOB = f"dispatch:{POSTS}"
#: A digest whose time passed while the bot was offline is still posted this long afterwards.
LATE_LIMIT = timedelta(hours=12)
INTERRUPTED = "interrupted by a restart; not re-sent so it can't appear twice"

#: Builds a server's digest: (guild id, zone name, end of the window) -> the rendered digest.
Build = Callable[[int, str, datetime], Awaitable[RenderedDigest]]
#: A server's digest zone when it has no schedule any more.
ZoneFor = Callable[[int], Awaitable[str]]


class PostingFailed(Exception):
    """The digest could not be posted; ``reason`` is a sentence for the logs and the post row."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DigestPoster(Protocol):
    """What the digest needs from Discord (implemented by the digest cog)."""

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        """Why the bot cannot post the digest there (a missing permission, a deleted channel), or None."""
        ...

    async def post(self, channel_id: int, digest: RenderedDigest, nonce: str) -> int:
        """Send it; return the message id; raise :class:`PostingFailed` when Discord refuses."""
        ...


def post_nonce(guild_id: int, scheduled_at: datetime) -> str:
    """Deterministic per (server, scheduled instant), and within Discord's 25 characters."""
    key = f"{guild_id}:{int(scheduled_at.timestamp())}".encode()
    return "dg" + hashlib.sha256(key).hexdigest()[:22]


class PostWork:
    name = POSTS

    def __init__(
        self, repo: DigestRepo, clock: Clock, poster: DigestPoster, build: Build, zone_for: ZoneFor
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.poster = poster
        self.build = build
        self.zone_for = zone_for

    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.repo.next_post_due(scope)

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[DigestPost]:
        return await self.repo.claim_unsent_posts(now, owner, until, limit, scope)

    async def run(self, item: DigestPost, now: datetime) -> None:
        await self.send(item, resumed=True)

    async def send(self, post: DigestPost, *, resumed: bool) -> None:
        """Send a recorded post; marking it posted or failed ends the claim on it. ``resumed``: its sender
        stopped before finishing, so it may already be in the channel."""
        schedule = await self.repo.schedule(post.guild_id)
        zone_name = schedule.timezone if schedule is not None else await self.zone_for(post.guild_id)
        try:
            problem = await self.poster.channel_problem(post.guild_id, post.channel_id)
            if problem is not None:
                raise PostingFailed(problem)
            if resumed and not may_resend(post.recorded_at, self.clock.now()):
                raise PostingFailed(INTERRUPTED)
            digest = await self.build(post.guild_id, zone_name, post.scheduled_at)
            message_id = await self.poster.post(post.channel_id, digest, post_nonce(post.guild_id, post.scheduled_at))
        except PostingFailed as failed:
            log.warning("digest for guild %s not posted: %s", post.guild_id, failed.reason)
            await self.repo.mark_failed(post.id, failed.reason)
            return
        except Exception:
            log.exception("digest post %s for guild %s failed", post.id, post.guild_id)
            await self.repo.mark_failed(post.id, "an unexpected error (see the logs)")
            return
        await self.repo.mark_posted(post.id, message_id, self.clock.now())


class ScheduleWork:
    name = SCHEDULES

    def __init__(self, db: Database, repo: DigestRepo, posts: PostWork, dispatcher: Dispatcher) -> None:
        self.db = db
        self.repo = repo
        self.posts = posts
        self.dispatcher = dispatcher
        self._owner = ""
        self._until: datetime | None = None

    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.repo.next_schedule_due(scope)

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[DigestSchedule]:
        self._owner, self._until = owner, until
        return await self.repo.claim_due_schedules(now, owner, until, limit, scope)

    async def run(self, item: DigestSchedule, now: datetime) -> None:
        """A digest is due (or overdue after downtime): record it, move the schedule on, then post."""
        schedule, scheduled_at = item, item.next_run_at
        rec, zone = Recurrence.from_text(schedule.schedule), ZoneInfo(schedule.timezone)
        latest = ([scheduled_at, *occurrences_between(rec, zone, scheduled_at, now)])[-1]
        late = now - latest > LATE_LIMIT
        following = next_occurrence(rec, zone, max(now, latest))
        until = self._until or now + self.dispatcher.lease
        async with self.db.transaction() as conn:
            moved = await self.repo.set_next_run(conn, schedule.guild_id, scheduled_at, following)
            post_id = None
            if moved:
                post_id = await self.repo.insert_post(
                    conn,
                    guild_id=schedule.guild_id,
                    scheduled_at=latest,
                    channel_id=schedule.channel_id,
                    status="missed" if late else "posting",
                    now=now,
                    failure="the bot was offline at the scheduled time" if late else None,
                    claim=None if late else (self._owner, until),
                )
        if not moved:
            # Reconfigured since it was claimed: the new schedule decides.
            await self.repo.release_schedule(schedule.guild_id, self._owner)
            return
        if late:
            log.info("digest for guild %s at %s missed while offline", schedule.guild_id, latest.isoformat())
            return
        post = None if post_id is None else await self.repo.post(post_id)
        if post is not None:
            await self.posts.send(post, resumed=False)
