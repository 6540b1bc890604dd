"""When a member may be reached privately: not while away, not during their quiet hours."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.db.preferences import MemberSettings
from bot.timeparse import quiet_hours_end


def next_reachable(at: datetime, member: MemberSettings, zone: ZoneInfo) -> datetime:
    """The earliest instant at or after ``at`` outside the member's away time and quiet hours."""
    if at.tzinfo is None:
        raise ValueError("next_reachable needs an aware datetime")
    moment = at
    for _ in range(4):  # away may end inside quiet hours and the other way round
        changed = False
        if member.away_until is not None and moment < member.away_until:
            moment = member.away_until
            changed = True
        if member.quiet_start is not None and member.quiet_end is not None:
            quiet_end = quiet_hours_end(moment, zone, member.quiet_start, member.quiet_end)
            if quiet_end is not None and quiet_end > moment:
                moment = quiet_end
                changed = True
        if not changed:
            break
    return moment
