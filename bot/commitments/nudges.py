"""Nudges as due work: the commitments source of the one dispatcher (:mod:`bot.scheduling.dispatch`).

A commitment's next look is ``next_nudge_at`` (indexed). When it is due the dispatcher claims the row with a
lease, and :meth:`NudgeWork.run` decides: hold it while the owner is away or in quiet hours (never drop it),
re-plan it, or send the policy's next nudge. A nudge is recorded (keyed by commitment, round and step) with the
state it leaves behind in one transaction, and only then sent with its deterministic nonce; the row stays due
(and claimed) until the nudge is recorded as delivered. A process stopped in between leaves a nudge ``pending``:
whoever claims the row next sends it again within :data:`~bot.delivery.RESEND_WINDOW` (Discord drops it if the
first one arrived) and later records it ``unknown``, so a nudge is neither lost to a crash nor sent twice. A
nudge that fails unexpectedly is looked at again :data:`RETRY_AFTER` later.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.availability import next_reachable
from bot.commitments.models import Commitment, NudgeRecord
from bot.commitments.notifier import CommitmentNotifier
from bot.commitments.policy import (
    Action,
    ActionKind,
    NudgePolicy,
    after_delivery,
    due_action,
    kind_of_step,
    next_nudge_at,
    state_columns,
)
from bot.commitments.repository import CommitmentRepo
from bot.db.preferences import GuildSettings, PreferencesRepo
from bot.delivery import Delivery, may_resend
from bot.errors import BadInput
from bot.scheduling.shards import ShardScope
from bot.timezones import get_zone

log = logging.getLogger(__name__)

#: The source's name among the dispatcher's; its timer is ``dispatch:commitments``.
NUDGES = "commitments"
DISPATCH_JOB = f"dispatch:{NUDGES}"
#: A row that could not be handled is looked at again this much later, instead of in a tight loop.
RETRY_AFTER = timedelta(minutes=30)


def _after(at: datetime | None, now: datetime) -> datetime | None:
    """Never leave a row due again in the same run (which would loop)."""
    if at is not None and at <= now:
        log.warning("a nudge plan pointed into the past; looking again in a minute")
        return now + timedelta(minutes=1)
    return at


class NudgeWork:
    name = NUDGES

    def __init__(
        self, repo: CommitmentRepo, prefs: PreferencesRepo, notifier: CommitmentNotifier, default_timezone: str
    ) -> None:
        self.repo = repo
        self.prefs = prefs
        self.notifier = notifier
        self.default_timezone = default_timezone
        self._owner = ""
        # Per claimed batch: each server's policy and settings, read once.
        self._policies: dict[int, NudgePolicy] = {}
        self._guilds: dict[int, GuildSettings] = {}

    # -- DueWork -----------------------------------------------------------------------------------------
    async def next_due(self, scope: ShardScope) -> datetime | None:
        return await self.repo.next_nudge_due(scope)

    async def claim(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> Sequence[Commitment]:
        self._owner = owner
        claimed = await self.repo.claim_due_nudges(now, owner, until, limit, scope)
        self._policies = await self.repo.policies([row.guild_id for row in claimed])
        self._guilds = {}
        return claimed

    async def run(self, item: Commitment, now: datetime) -> None:
        try:
            await self._process(item, now)
        except Exception:
            log.exception("nudge for commitment %s failed; trying again later", item.id)
            fresh = await self.repo.get(item.id)
            if fresh is not None and fresh.next_nudge_at is not None and fresh.next_nudge_at <= now:
                await self.repo.set_next_nudge(fresh, now + RETRY_AFTER, now)
        await self.repo.release_claim(item.id, self._owner)

    # -- deciding ----------------------------------------------------------------------------------------
    async def _policy(self, guild_id: int) -> NudgePolicy:
        if guild_id not in self._policies:
            self._policies[guild_id] = await self.repo.policy(guild_id)
        return self._policies[guild_id]

    async def _guild(self, guild_id: int) -> GuildSettings:
        if guild_id not in self._guilds:
            self._guilds[guild_id] = await self.prefs.guild(guild_id)
        return self._guilds[guild_id]

    async def _owner_reachable_at(self, row: Commitment, now: datetime) -> datetime:
        member = await self.prefs.member(row.owner_id)
        if member.away_until is None and member.quiet_start is None:
            return now
        name = member.timezone or (await self._guild(row.guild_id)).timezone or self.default_timezone
        try:
            zone = get_zone(name)
        except BadInput:
            zone = get_zone(self.default_timezone)
        return next_reachable(now, member, zone)

    async def _process(self, row: Commitment, now: datetime) -> bool:
        cut_short = await self.repo.cut_short_nudge(row.id)
        if cut_short is not None and await self._resent(row, cut_short, now):
            return True
        if row.status != "open":
            await self.repo.set_next_nudge(row, None, now)
            return False
        policy = await self._policy(row.guild_id)
        reachable = await self._owner_reachable_at(row, now)
        if reachable > now:
            # Quiet hours or away: hold the nudge (never drop it) until the owner can be reached.
            await self.repo.set_next_nudge(row, reachable, now)
            return False
        action = due_action(policy, row.nudge_state(), now)
        if action is None:
            await self.repo.set_next_nudge(row, _after(next_nudge_at(policy, row.nudge_state()), now), now)
            return False
        return await self._send(row, action, policy, now)

    # -- sending -----------------------------------------------------------------------------------------
    async def _send(self, row: Commitment, action: Action, policy: NudgePolicy, now: datetime) -> bool:
        # Still due (our claim holds it) until the nudge is recorded as delivered: a stop mid-send leaves it due.
        changes = {**state_columns(action.state), "next_nudge_at": now}
        recorded = await self.repo.record_nudge(
            row, step=action.key, planned_at=action.planned_at, changes=changes, now=now
        )
        if recorded is None:
            log.info("nudge %s of commitment %s was already recorded; not sending it again", action.key, row.id)
            return False
        if action.skipped:
            log.info("commitment %s: %d held-back nudges collapsed into one", row.id, action.skipped)
        await self._deliver(recorded, action.kind, action.key, policy, now)
        return True

    async def _deliver(
        self, recorded: Commitment, kind: ActionKind, key: str, policy: NudgePolicy, now: datetime
    ) -> None:
        """Send a recorded nudge with its nonce, then record how it went and when the next one is due."""
        try:
            nonce = recorded.nudge_nonce(key)
            if kind == "escalation":
                delivery = Delivery.CHANNEL if await self.notifier.escalate(recorded, nonce=nonce) else Delivery.FAILED
            else:
                delivery = await self.notifier.nudge(recorded, kind, nonce=nonce)
        except Exception:
            log.exception("sending nudge %s of commitment %s failed", key, recorded.id)
            delivery = Delivery.FAILED
        state = recorded.nudge_state()
        changes_after: dict[str, object] = {}
        if delivery == Delivery.DM:
            # A DM counts as unanswered until the owner does something (escalation looks at this).
            state = after_delivery(state, delivered_by_dm=True, now=now)
            changes_after = {"unanswered_dms": state.unanswered_dms, "last_dm_at": state.last_dm_at}
        changes_after["next_nudge_at"] = _after(next_nudge_at(policy, state), now)
        # If the owner answered while it was being sent, their change decides what comes next.
        await self.repo.finish_nudge(recorded, step=key, delivery=delivery, changes=changes_after, now=now)

    async def _resent(self, row: Commitment, nudge: NudgeRecord, now: datetime) -> bool:
        """A nudge recorded but not marked delivered: sent again while Discord still drops a repeat of its nonce
        (the same message: had the first arrived, Discord drops this one); else recorded ``unknown`` (False: the
        row is then handled as any due row)."""
        if row.status == "open" and nudge.round == row.round and may_resend(nudge.recorded_at, now):
            log.info("nudge %s of commitment %s was cut short; sending it again", nudge.step, row.id)
            await self._deliver(row, kind_of_step(nudge.step), nudge.step, await self._policy(row.guild_id), now)
            return True
        log.warning("nudge %s of commitment %s was cut short too long ago; not sending it again", nudge.step, row.id)
        await self.repo.settle_nudge(nudge, Delivery.UNKNOWN)
        return False
