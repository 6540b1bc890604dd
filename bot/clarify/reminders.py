"""The one gentle reminder as due work: the clarification source of the one dispatcher
(:mod:`bot.scheduling.dispatch`).

A posted request plans its reminder for ``clarifications.remind_at`` (indexed), moved out of the author's
quiet hours and time away. When it is due the dispatcher claims the row with a lease; :meth:`ReminderWork.run`
looks again at quiet hours and time away (set since?) and holds the reminder until the author can be reached,
else notes its first try (a conditional update), sends it with its deterministic nonce and records how it went.
A reminder that could not be delivered is not tried again. One cut short (the process stopped mid-send) stays due:
the next holder of its claim sends it again within :data:`~bot.delivery.RESEND_WINDOW` (Discord drops the repeat
if the first arrived) and later records it ``unknown``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.availability import next_reachable
from bot.clarify.models import Clarification
from bot.clarify.repository import ClarifyRepo
from bot.db.preferences import PreferencesRepo
from bot.delivery import Delivery, may_resend
from bot.errors import BadInput
from bot.scheduling.shards import ShardScope
from bot.timezones import get_zone

log = logging.getLogger(__name__)

#: The source's name among the dispatcher's; its timer is ``dispatch:clarify-reminders``.
REMINDERS = "clarify-reminders"
REMIND_JOB = f"dispatch:{REMINDERS}"


class ClarifyPoster(Protocol):
    """How the clarify domain reaches people later; implemented with discord.py by the cog."""

    async def remind(self, clarification: Clarification) -> bool:
        """One gentle DM to the author; True if it was delivered."""
        ...

    async def show_closed(self, clarification: Clarification) -> None:
        """Mark the request message as clarified (its button goes away)."""
        ...


async def reachable_at(
    prefs: PreferencesRepo, user_id: int, guild_id: int, at: datetime, default_zone: str
) -> datetime:
    """The first instant at or after ``at`` outside the member's quiet hours and time away."""
    member = await prefs.member(user_id)
    name = await prefs.member_zone_name(user_id, guild_id, default_zone)
    try:
        zone = get_zone(name)
    except BadInput:
        zone = get_zone(default_zone)
    return next_reachable(at, member, zone)


class ReminderWork:
    name = REMINDERS

    def __init__(self, repo: ClarifyRepo, prefs: PreferencesRepo, poster: ClarifyPoster, default_timezone: str) -> None:
        self.repo = repo
        self.prefs = prefs
        self.poster = poster
        self.default_timezone = default_timezone
        self._owner = ""

    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.repo.next_reminder_due(scope)

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[Clarification]:
        self._owner = owner
        return await self.repo.claim_due_reminders(now, owner, until, limit, scope)

    async def run(self, item: Clarification, now: datetime) -> None:
        # Raising (the database, not Discord) leaves the claim to run out, and the row is tried again then.
        await self._remind(item, now)
        await self.repo.release_claim(item.id, self._owner)

    async def _remind(self, found: Clarification, now: datetime) -> None:
        assert found.remind_at is not None  # claimed rows have a due reminder
        if found.reminded_at is not None:  # cut short: the same message again while Discord drops a repeat
            if not may_resend(found.reminded_at, now):
                log.warning("the reminder for clarification %s was cut short too long ago; not resent", found.id)
                await self.repo.finish_reminder(found.id, Delivery.UNKNOWN)
                return
            await self._send(found)
            return
        # Quiet hours or time away may have been set since the reminder was planned.
        reachable = await reachable_at(
            self.prefs, found.author_id, found.guild_id, max(now, found.remind_at), self.default_timezone
        )
        if reachable > now:
            await self.repo.postpone_reminder(found.id, reachable)
            return
        if not await self.repo.begin_reminder(found.id, self._owner, now):
            return
        await self._send(found)

    async def _send(self, found: Clarification) -> None:
        try:
            delivered = await self.poster.remind(found)
        except Exception:
            log.exception("could not send the reminder for clarification %s", found.id)
            delivered = False
        if not delivered:
            log.info("the reminder for clarification %s could not be delivered", found.id)
        await self.repo.finish_reminder(found.id, Delivery.DM if delivered else Delivery.FAILED)
