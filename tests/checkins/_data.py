"""Small builders for check-in values in unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.checkins.models import Answer, Run

T0 = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
STANDUP = (
    "What did you get done since the last check-in?",
    "What are you working on next?",
    "Any blockers? Anything you're stuck on or waiting for?",
)


def run(**overrides: object) -> Run:
    values: dict[str, object] = dict(
        id=7,
        checkin_id=3,
        scheduled_at=T0,
        kind="scheduled",
        status="closed",
        late=False,
        name="Stand-up",
        questions=STANDUP,
        mood=True,
        anonymous_mood=False,
        channel_id=100,
        closes_at=T0 + timedelta(hours=8),
        remind_at=None,
        recorded_at=T0,
        message_id=555,
        thread_id=555,
    )
    values.update(overrides)
    return Run(**values)  # type: ignore[arg-type]


def answer(user_id: int, *texts: str, mood: int | None = None, status: str = "answered",
           source: str = "modal", minutes: int = 0) -> Answer:
    at = T0 + timedelta(minutes=minutes)
    return Answer(
        run_id=7,
        user_id=user_id,
        status=status,  # type: ignore[arg-type]
        source=source,  # type: ignore[arg-type]
        answers=tuple(texts),
        mood=mood,
        answered_at=at,
        updated_at=at,
    )
