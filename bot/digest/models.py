"""The digest's values: plain dataclasses, no Discord and no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

#: A day (or a week) of mood answers is shown only with at least this many answers, and, when some of them
#: were anonymous, at least this many anonymous ones: fewer could point to a person.
MIN_MOOD_GROUP = 3
WEEK = timedelta(days=7)
CHART_DAYS = 28


def mood_visible(count: int, anonymous: int) -> bool:
    return count >= MIN_MOOD_GROUP and not 0 < anonymous < MIN_MOOD_GROUP


@dataclass(frozen=True, slots=True)
class MoodDay:
    """Mood answers of one local day (the day the check-in was held)."""

    day: date
    count: int = 0
    anonymous: int = 0
    total: int = 0  # the sum of the moods (1-5)

    @property
    def visible(self) -> bool:
        return mood_visible(self.count, self.anonymous)

    @property
    def average(self) -> float | None:
        """The day's average, or None when the day is hidden (too few answers to share)."""
        return self.total / self.count if self.visible else None


@dataclass(frozen=True, slots=True)
class CheckinCounts:
    held: int = 0
    answered: int = 0
    asked: int = 0  # members asked: those who answered, skipped, or were reminded

    @property
    def response_rate(self) -> float | None:
        if self.asked <= 0:
            return None
        return min(1.0, self.answered / self.asked)


@dataclass(frozen=True, slots=True)
class MoodCounts:
    count: int = 0
    anonymous: int = 0
    total: int = 0

    @property
    def average(self) -> float | None:
        return self.total / self.count if mood_visible(self.count, self.anonymous) else None


@dataclass(frozen=True, slots=True)
class CommitmentCounts:
    opened: int = 0
    done: int = 0
    renegotiated: int = 0
    overdue: int = 0


@dataclass(frozen=True, slots=True)
class WeekStats:
    """One 7-day window. ``None`` means the feature's data is not available in this installation."""

    start: datetime
    end: datetime
    checkins: CheckinCounts | None = None
    mood: MoodCounts | None = None
    commitments: CommitmentCounts | None = None
    wins: int = 0  # posted with /win
    clarifications_answered: int | None = None
    repairs_followed_up: int | None = None

    @property
    def kept(self) -> int:
        return 0 if self.commitments is None else self.commitments.done


@dataclass(frozen=True, slots=True)
class DigestStats:
    """Everything a digest shows, for one server, ending at ``end`` (the scheduled instant, or now)."""

    guild_id: int
    zone: str
    end: datetime
    this_week: WeekStats
    last_week: WeekStats
    mood_days: tuple[MoodDay, ...] = ()  # the last 4 weeks, oldest first

    @property
    def has_mood_trend(self) -> bool:
        return any(day.visible for day in self.mood_days)


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    guild_id: int
    channel_id: int
    schedule: str
    timezone: str
    next_run_at: datetime
    created_by: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DigestPost:
    id: int
    guild_id: int
    scheduled_at: datetime
    channel_id: int
    status: str
    recorded_at: datetime
    message_id: int | None = None
    posted_at: datetime | None = None
    failure: str | None = None
