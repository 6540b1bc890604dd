"""IANA time zones: validation, autocomplete search and wall-clock resolution across DST."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadInput, shown_input

EXAMPLE_ZONES = "Europe/London, America/New_York or Asia/Tokyo"


@functools.cache
def all_timezones() -> tuple[str, ...]:
    """Every IANA zone name, sorted, without the legacy aliases that only confuse people."""
    names = {name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"}
    names -= {n for n in names if n.startswith(("Etc/", "SystemV/", "posix/", "right/"))}
    return tuple(sorted(names))


@functools.cache
def _lower_index() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def get_zone(name: str) -> ZoneInfo:
    """Return the zone for an IANA name (case-insensitive), or raise :class:`BadInput`."""
    cleaned = name.strip().replace(" ", "_")
    canonical = _lower_index().get(cleaned.lower())
    if not cleaned or canonical is None:
        raise BadInput(
            "`{zone}` is not a time zone I know. Use an IANA name such as {zones}.",
            zone=shown_input(name),
            zones=EXAMPLE_ZONES,
        )
    return ZoneInfo(canonical)


def search_timezones(query: str, limit: int = 25) -> list[str]:
    """Case-insensitive substring search for autocomplete; prefix matches first, at most ``limit``."""
    needle = query.strip().lower().replace(" ", "_")
    names = all_timezones()
    if not needle:
        return list(names[:limit])
    prefix = [n for n in names if n.lower().startswith(needle) or n.lower().split("/")[-1].startswith(needle)]
    rest = [n for n in names if needle in n.lower() and n not in prefix]
    return (prefix + rest)[:limit]


def resolve_local(wall: datetime, zone: ZoneInfo) -> datetime:
    """Turn a naive wall-clock time in ``zone`` into an aware instant.

    A wall time that happens twice (fall-back) resolves to the first of the two. A wall time that does not
    exist (spring-forward gap) resolves to the first valid instant after it: the moment the gap ends.
    """
    if wall.tzinfo is not None:
        raise ValueError("resolve_local expects a naive wall-clock datetime")
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap: fold=1 reads the wall time with the later offset, fold=0 with the earlier one.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = first.astimezone(UTC)
    if low > high:
        low, high = high, low
    after_offset = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(zone).utcoffset() == after_offset:
            high = mid
        else:
            low = mid
    return high.replace(microsecond=0).astimezone(zone)


def now_utc() -> datetime:
    """The current instant, aware, in UTC (prefer the injectable clock in services)."""
    return datetime.now(UTC)
