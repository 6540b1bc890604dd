"""Shared fixtures of the grammar tests: zones, a fixed `now`, and small call helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import BadInput
from bot.timeparse import (
    parse_when,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
ZONES = [NEW_YORK, BERLIN, KOLKATA]
ZONE_IDS = ["new_york", "berlin", "kolkata"]


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An unambiguous local wall time as an aware datetime (compare by instant)."""
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def wednesday_10am(zone: ZoneInfo) -> datetime:
    """The fixed `now` for most tests: Wednesday 4 March 2026, 10:00 on the member's clock, as UTC."""
    return local(zone, 2026, 3, 4, 10, 0).astimezone(UTC)


def when(
    text: str,
    zone: ZoneInfo,
    now: datetime | None = None,
    *,
    default_time: time = time(17, 0),
    allow_past: bool = False,
    max_future: timedelta = timedelta(days=3650),
) -> datetime:
    result = parse_when(
        text,
        now=now or wednesday_10am(zone),
        zone=zone,
        default_time=default_time,
        allow_past=allow_past,
        max_future=max_future,
    )
    assert result.tzinfo is UTC
    return result


def bad(func: Callable[..., object], *args: object, **kwargs: object) -> str:
    """Call ``func`` expecting BadInput, and return the message the member would see."""
    with pytest.raises(BadInput) as info:
        func(*args, **kwargs)
    return info.value.message


