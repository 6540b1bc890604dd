"""Conversions between Python values and what the tables store."""

from __future__ import annotations

from datetime import UTC, datetime, time


def to_epoch(value: datetime) -> int:
    """An aware datetime as whole seconds since the epoch (UTC)."""
    if value.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return int(value.timestamp())


def to_epoch_or_none(value: datetime | None) -> int | None:
    return None if value is None else to_epoch(value)


def from_epoch(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def from_epoch_or_none(value: int | None) -> datetime | None:
    return None if value is None else from_epoch(value)


def time_to_text(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def time_from_text(value: str | None) -> time | None:
    return None if value is None else time.fromisoformat(value)
