"""The weekly digest: its schedule and its numbers.

The schedule is a row (``digest_schedules``); posting it exactly once per scheduled instant is
:mod:`bot.digest.posting` (two sources of the one dispatcher): every post is a row first, recorded in the same
transaction that moves the schedule on, and only then sent with a nonce derived from its key.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.digest.models import DigestPost, DigestSchedule, DigestStats
from bot.digest.periods import chart_days, week_windows
from bot.digest.posting import (
    LATE_LIMIT,
    POSTS,
    SCHEDULE_JOB,
    SCHEDULES,
    DigestPoster,
    PostingFailed,
    PostWork,
    ScheduleWork,
    post_nonce,
)
from bot.digest.render import RenderedDigest, render_digest
from bot.digest.repository import DigestRepo
from bot.digest.schedule import weekly_schedule
from bot.digest.sources import DigestSources
from bot.errors import ObjectNotFound
from bot.scheduling.clock import Clock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from bot.scheduling.recurrence import Recurrence, occurrences
from bot.scheduling.shards import EVERY_SHARD, ShardScope
from bot.timezones import get_zone, resolve_local

__all__ = [
    "LATE_LIMIT",
    "SCHEDULE_JOB",
    "Configured",
    "DigestPoster",
    "DigestService",
    "PostingFailed",
    "post_nonce",
    "preview_end",
]


@dataclass(frozen=True, slots=True)
class Configured:
    schedule: DigestSchedule
    recurrence: Recurrence
    upcoming: tuple[datetime, ...]


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
        *,
        dispatcher: Dispatcher | None = None,
        scope: ShardScope = EVERY_SHARD,
    ) -> None:
        """``dispatcher``: the bot's one dispatcher; without it (tests, tools) the service gets its own, over
        ``scope`` (the servers whose digests this process posts)."""
        self.db = db
        self.repo = DigestRepo(db)
        self.prefs = prefs
        self.clock = clock
        self.jobs = jobs
        self.sources = sources
        self.poster = poster
        self.default_timezone = default_timezone
        self.dispatcher = dispatcher or Dispatcher(jobs, clock, owner=f"digest:{uuid.uuid4().hex[:8]}", scope=scope)
        self.posts_due = PostWork(self.repo, clock, poster, self.build, self.zone_for)
        self.schedules_due = ScheduleWork(db, self.repo, self.posts_due, self.dispatcher)
        self.dispatcher.add(self.schedules_due)
        self.dispatcher.add(self.posts_due)

    # -- start-up --------------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Arm both timers from the tables (the bot's client arms every source at once instead)."""
        await self.dispatcher.arm(SCHEDULES)
        await self.dispatcher.arm(POSTS)

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
        # A reconfigured schedule may now be due later than the timer: re-arm from the table.
        await self.dispatcher.arm(SCHEDULES)
        return Configured(schedule, rec, tuple(upcoming))

    async def turn_off(self, guild_id: int) -> None:
        if not await self.repo.delete_schedule(guild_id):
            raise ObjectNotFound("There is no weekly digest to turn off in this server.")
        await self.dispatcher.arm(SCHEDULES)

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

    async def build(
        self, guild_id: int, zone_name: str, end: datetime, locale: str | None = None
    ) -> RenderedDigest:
        """The digest in ``locale``; by default the server's channel language (it is posted in a channel)."""
        if locale is None:
            locale = (await self.prefs.guild(guild_id)).channel_locale
        stats = await self.stats(guild_id, zone_name, end)
        # The chart takes tens of milliseconds of CPU: keep the event loop free meanwhile.
        return await asyncio.to_thread(render_digest, stats, locale)

    async def preview(self, guild_id: int, locale: str | None = None) -> RenderedDigest:
        """The digest as of the last closed window: up to the start of today in the server's time zone (nothing
        is recorded). Never live numbers: two previews on the same day are the same, whoever answers between.
        ``locale``: the reader's (a preview is a reply); by default the server's channel language."""
        zone_name = await self.zone_for(guild_id)
        return await self.build(guild_id, zone_name, preview_end(self.clock.now(), ZoneInfo(zone_name)), locale)
