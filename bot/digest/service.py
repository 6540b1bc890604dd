"""The weekly digest: its schedule, its numbers, and posting it exactly once per scheduled instant.

The schedule is a row (``digest_schedules``); every post is a row first (``digest_posts``, UNIQUE per server
and scheduled instant), recorded in the same transaction that moves the schedule on, and only then sent, with a
nonce derived from that key. So a restart, a reconnect or a stale timer can never post the same digest twice;
a post interrupted by a crash is re-sent only while Discord still remembers its nonce.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.digest.models import DigestPost, DigestSchedule, DigestStats
from bot.digest.periods import chart_days, week_windows
from bot.digest.render import RenderedDigest, render_digest
from bot.digest.repository import DigestRepo
from bot.digest.schedule import weekly_schedule
from bot.digest.sources import DigestSources
from bot.errors import ObjectNotFound
from bot.scheduling.clock import Clock
from bot.scheduling.jobs import JobService
from bot.scheduling.recurrence import Recurrence, next_occurrence, occurrences, occurrences_between
from bot.scheduling.shards import EVERY_SHARD, ShardScope
from bot.timezones import get_zone, resolve_local

log = logging.getLogger(__name__)

#: A digest whose time passed while the bot was offline is still posted this long afterwards.
LATE_LIMIT = timedelta(hours=12)
#: An interrupted post is re-sent only this soon after it was recorded: Discord drops a repeated nonce for a
#: few minutes, so within this window a re-send cannot make a second message.
RESEND_WINDOW = timedelta(minutes=4)


class PostingFailed(Exception):
    """The digest could not be posted; ``reason`` is a sentence for the logs and the post row."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DigestPoster(Protocol):
    """What the service needs from Discord (implemented by the digest cog)."""

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        """Why the bot cannot post the digest there (a missing permission, a deleted channel), or None."""
        ...

    async def post(self, channel_id: int, digest: RenderedDigest, nonce: str) -> int:
        """Send it; return the message id; raise :class:`PostingFailed` when Discord refuses."""
        ...


@dataclass(frozen=True, slots=True)
class Configured:
    schedule: DigestSchedule
    recurrence: Recurrence
    upcoming: tuple[datetime, ...]


def job_id(guild_id: int) -> str:
    return f"digest:{guild_id}"


def post_nonce(guild_id: int, scheduled_at: datetime) -> str:
    """Deterministic per (server, scheduled instant), and within Discord's 25 characters."""
    key = f"{guild_id}:{int(scheduled_at.timestamp())}".encode()
    return "dg" + hashlib.sha256(key).hexdigest()[:22]


def preview_end(now: datetime, zone: ZoneInfo) -> datetime:
    """The start of the local day ``now`` falls in (the last closed window a preview shows)."""
    local = now.astimezone(zone)
    return resolve_local(datetime.combine(local.date(), time.min), zone)


class DigestService:
    def __init__(
        self,
        db: Database,
        prefs: PreferencesRepo,
        clock: Clock,
        jobs: JobService,
        sources: DigestSources,
        poster: DigestPoster,
        default_timezone: str,
        scope: ShardScope = EVERY_SHARD,
    ) -> None:
        #: The servers whose timers this process arms (the servers of its shards).
        self.scope = scope
        self.db = db
        self.repo = DigestRepo(db)
        self.prefs = prefs
        self.clock = clock
        self.jobs = jobs
        self.sources = sources
        self.poster = poster
        self.default_timezone = default_timezone

    # -- start-up --------------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Rebuild every timer from the tables, and settle posts a restart interrupted."""
        now = self.clock.now()
        for post in await self.repo.posts_with_status("posting", self.scope):
            if now - post.recorded_at <= RESEND_WINDOW:
                self.jobs.schedule(f"digest-post:{post.id}", now, self._post, post.id, True)
            else:
                await self.repo.mark_failed(post.id, "interrupted by a restart; not re-sent so it can't appear twice")
                log.warning("digest post %s for guild %s was interrupted and is not re-sent", post.id, post.guild_id)
        for schedule in await self.repo.schedules(self.scope):
            self._arm(schedule)

    def _arm(self, schedule: DigestSchedule) -> None:
        at = schedule.next_run_at
        self.jobs.schedule(job_id(schedule.guild_id), at, self._fire, schedule.guild_id, at)

    # -- settings --------------------------------------------------------------------------------------------
    async def zone_for(self, guild_id: int) -> str:
        """The digest's zone: its schedule's, else the server's, else the bot's default."""
        schedule = await self.repo.schedule(guild_id)
        if schedule is not None:
            return schedule.timezone
        settings = await self.prefs.guild(guild_id)
        return settings.timezone or self.default_timezone

    async def configure(
        self, *, guild_id: int, channel_id: int, day: str, time: str, timezone: str | None, actor_id: int
    ) -> Configured:
        """Validate everything first (nothing changes on a bad value), then save and arm the timer."""
        rec = weekly_schedule(day, time)
        if timezone is not None and timezone.strip():
            zone = get_zone(timezone)
        else:
            settings = await self.prefs.guild(guild_id)
            zone = get_zone(settings.timezone or self.default_timezone)
        now = self.clock.now()
        upcoming = occurrences(rec, zone, now, 3)
        schedule = await self.repo.save_schedule(
            guild_id=guild_id,
            channel_id=channel_id,
            schedule=rec.to_text(),
            timezone=zone.key,
            next_run_at=upcoming[0],
            created_by=actor_id,
            now=now,
        )
        self._arm(schedule)
        return Configured(schedule, rec, tuple(upcoming))

    async def turn_off(self, guild_id: int) -> None:
        if not await self.repo.delete_schedule(guild_id):
            raise ObjectNotFound("There is no weekly digest to turn off in this server.")
        self.jobs.cancel(job_id(guild_id))

    async def schedule_of(self, guild_id: int) -> DigestSchedule | None:
        return await self.repo.schedule(guild_id)

    async def posts(self, guild_id: int) -> list[DigestPost]:
        return await self.repo.posts(guild_id)

    # -- the numbers -------------------------------------------------------------------------------------------
    async def stats(self, guild_id: int, zone_name: str, end: datetime) -> DigestStats:
        """The digest's numbers for the 7 days before ``end`` and the 7 before those."""
        zone = ZoneInfo(zone_name)
        (this_start, this_end), (last_start, last_end) = week_windows(end)
        now = self.clock.now()
        this_week = await self.sources.week(guild_id, this_start, this_end, now)
        last_week = await self.sources.week(guild_id, last_start, last_end, now)
        mood_days = await self.sources.mood_days(guild_id, chart_days(zone, end), as_of=end)
        return DigestStats(
            guild_id=guild_id,
            zone=zone_name,
            end=end,
            this_week=this_week,
            last_week=last_week,
            mood_days=mood_days or (),
        )

    async def build(self, guild_id: int, zone_name: str, end: datetime) -> RenderedDigest:
        stats = await self.stats(guild_id, zone_name, end)
        # The chart takes tens of milliseconds of CPU: keep the event loop free meanwhile.
        return await asyncio.to_thread(render_digest, stats)

    async def preview(self, guild_id: int) -> RenderedDigest:
        """The digest as of the last closed window: up to the start of today in the server's time zone (nothing
        is recorded). Never live numbers: two previews on the same day are the same, whoever answers between."""
        zone_name = await self.zone_for(guild_id)
        return await self.build(guild_id, zone_name, preview_end(self.clock.now(), ZoneInfo(zone_name)))

    # -- the schedule firing -----------------------------------------------------------------------------------
    async def _fire(self, guild_id: int, scheduled_at: datetime) -> None:
        """A digest is due (or overdue after downtime): record it, move the schedule on, then post."""
        schedule = await self.repo.schedule(guild_id)
        if schedule is None or schedule.next_run_at != scheduled_at:
            return  # turned off or reconfigured since: a stale timer
        now = self.clock.now()
        rec, zone = weekly_schedule_of(schedule), ZoneInfo(schedule.timezone)
        latest = ([scheduled_at, *occurrences_between(rec, zone, scheduled_at, now)])[-1]
        late = now - latest > LATE_LIMIT
        following = next_occurrence(rec, zone, max(now, latest))
        async with self.db.transaction() as conn:
            if not await self.repo.set_next_run(conn, guild_id, scheduled_at, following):
                return
            post_id = await self.repo.insert_post(
                conn,
                guild_id=guild_id,
                scheduled_at=latest,
                channel_id=schedule.channel_id,
                status="missed" if late else "posting",
                now=now,
                failure="the bot was offline at the scheduled time" if late else None,
            )
        self._arm(dataclasses.replace(schedule, next_run_at=following))
        if late:
            log.info("digest for guild %s at %s missed while offline", guild_id, latest.isoformat())
        elif post_id is not None:
            await self._post(post_id)

    async def _post(self, post_id: int, resumed: bool = False) -> None:
        """Send a recorded post. ``resumed``: a restart interrupted it, so it may already be in the channel."""
        post = await self.repo.post(post_id)
        if post is None or post.status != "posting":
            return
        schedule = await self.repo.schedule(post.guild_id)
        zone_name = schedule.timezone if schedule is not None else await self.zone_for(post.guild_id)
        try:
            problem = await self.poster.channel_problem(post.guild_id, post.channel_id)
            if problem is not None:
                raise PostingFailed(problem)
            if resumed and self.clock.now() - post.recorded_at > RESEND_WINDOW:
                raise PostingFailed("interrupted by a restart; not re-sent so it can't appear twice")
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


def weekly_schedule_of(schedule: DigestSchedule) -> Recurrence:
    return Recurrence.from_text(schedule.schedule)

