"""What every part of the check-in feature works with: the tables, preferences, the clock, Discord (through
a :class:`~bot.checkins.poster.Poster`) and the dispatcher its kinds of due work are registered on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.checkins.poster import Poster
from bot.checkins.repository import CheckinStore
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.scheduling.clock import Clock
from bot.scheduling.dispatch import Dispatcher

#: The kinds of due work, one source each: check-ins due to run, runs with a step due, reminders due.
SCHEDULE = "checkin-schedule"
RUN_STEPS = "checkin-runs"
REMINDERS = "checkin-reminders"


@dataclass(slots=True)
class CheckinContext:
    db: Database
    store: CheckinStore
    prefs: PreferencesRepo
    clock: Clock
    poster: Poster
    dispatcher: Dispatcher
    default_timezone: str
    open_threads: dict[int, int] = field(default_factory=dict)  # thread id -> open run id, for thread replies

    @property
    def owner(self) -> str:
        """Who this process is in the claims it takes."""
        return self.dispatcher.owner

    def lease_from(self, now: datetime) -> datetime:
        return now + self.dispatcher.lease

    def wake(self, source: str, at: datetime | None) -> None:
        """A row of ``source`` is due at ``at``: make sure its timer fires no later than that."""
        if at is not None:
            self.dispatcher.poke(source, at)

    async def zone_for(self, guild_id: int) -> str:
        settings = await self.prefs.guild(guild_id)
        return settings.timezone or self.default_timezone
