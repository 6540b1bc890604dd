"""The repair service: starting a repair, who may press what, reading it, and counts for other features.

No Discord objects here. The cog turns presses and forms into calls with plain ids and text, and does the
posting itself; the only thing that happens later (the follow-up) is a row first (``repairs.followup_at``),
posted by :class:`~bot.repair.followup.FollowupWork`, a source of the one dispatcher. The steps are
:class:`~bot.repair.steps.RepairSteps` and closing is :class:`~bot.repair.closing.RepairClosing` (this
service's bases); the refusals that need no database are in :mod:`bot.repair.checks`.

Privacy: views stay in the database until both people have shared; only then may the cog post them. Nothing
of a repair leaves its private thread except a summary both people approved and, separately, agreed to share.
Other features get counts only (:meth:`RepairService.followups_done`, :meth:`RepairService.open_count`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from bot.errors import UserFacingError
from bot.repair.checks import check_followup_days, check_people, clean_field
from bot.repair.closing import ConsentResult, RepairClosing
from bot.repair.followup import FOLLOWUP_JOB, FOLLOWUPS, RETRY_AFTER, FollowupWork, RepairPoster
from bot.repair.models import MAX_TOPIC, Progress, Repair
from bot.repair.repository import DuplicateRepair, RepairRepo
from bot.repair.steps import CommitmentProposer, ShareResult
from bot.scheduling.clock import Clock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import EVERY_SHARD, ShardScope

__all__ = [
    "FOLLOWUPS",
    "FOLLOWUP_JOB",
    "RETRY_AFTER",
    "CommitmentProposer",
    "ConsentResult",
    "RepairPoster",
    "RepairService",
    "Role",
    "ShareResult",
    "check_followup_days",
    "check_people",
    "clean_field",
]

Role = Literal["person", "mediator", "manager"]


class RepairService(RepairClosing):
    def __init__(
        self,
        repo: RepairRepo,
        clock: Clock,
        jobs: JobService,
        poster: RepairPoster,
        proposer: CommitmentProposer | None = None,
        scope: ShardScope = EVERY_SHARD,
        *,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        """``dispatcher``: the bot's one dispatcher; without it (tests, tools) the service gets its own, over
        ``scope`` (the servers whose follow-ups this process posts)."""
        self.repo = repo
        self.clock = clock
        self.jobs = jobs
        self.poster = poster
        self.proposer = proposer
        self.dispatcher = dispatcher or Dispatcher(jobs, clock, owner=f"repairs:{uuid.uuid4().hex[:8]}", scope=scope)
        self.followups = FollowupWork(repo, poster)
        self.dispatcher.add(self.followups)

    # -- settings and who may press ----------------------------------------------------------------------
    async def managers_can_view(self, guild_id: int) -> bool:
        return await self.repo.managers_can_view(guild_id)

    async def set_managers_can_view(self, guild_id: int, allowed: bool) -> None:
        await self.repo.set_managers_can_view(guild_id, allowed, self.clock.now())

    async def role_of(self, repair: Repair, user_id: int, *, is_manager: bool) -> Role | None:
        """What this member is to the repair; None for anyone who may not press its buttons."""
        if repair.is_person(user_id):
            return "person"
        if repair.mediator_id == user_id:
            return "mediator"
        if is_manager and await self.repo.managers_can_view(repair.guild_id):
            return "manager"
        return None


    # -- starting ----------------------------------------------------------------------------------------
    async def begin(
        self,
        *,
        guild_id: int,
        channel_id: int,
        starter_id: int,
        partner_id: int,
        partner_is_bot: bool,
        mediator_id: int | None,
        mediator_is_bot: bool,
        topic: str | None,
        followup_days: int,
    ) -> Repair:
        """Check the request and claim the pair (a row first); the cog then opens the thread."""
        cleaned_topic = await self.check_request(
            guild_id=guild_id, starter_id=starter_id, partner_id=partner_id, partner_is_bot=partner_is_bot,
            mediator_id=mediator_id, mediator_is_bot=mediator_is_bot, topic=topic, followup_days=followup_days,
        )
        try:
            return await self.repo.create(
                guild_id=guild_id,
                channel_id=channel_id,
                starter_id=starter_id,
                partner_id=partner_id,
                mediator_id=mediator_id,
                topic=cleaned_topic,
                followup_days=followup_days,
                now=self.clock.now(),
            )
        except DuplicateRepair:
            await self._refuse_if_open(guild_id, starter_id, partner_id)
            raise UserFacingError(
                "You two already have a repair open. Finish or close that one first (`/repair close`)."
            ) from None

    async def check_request(
        self, *, guild_id: int, starter_id: int, partner_id: int, partner_is_bot: bool, mediator_id: int | None,
        mediator_is_bot: bool, topic: str | None, followup_days: int,
    ) -> str | None:
        """Everything that refuses a repair request, changing nothing; returns the cleaned topic.
        Run before anything is counted (the starter's cooldown), so a refused request uses no turn."""
        check_people(
            starter_id, partner_id, partner_is_bot=partner_is_bot, mediator_id=mediator_id,
            mediator_is_bot=mediator_is_bot,
        )
        check_followup_days(followup_days)
        cleaned_topic = clean_field(topic, what="topic", limit=MAX_TOPIC, required=False)
        if cleaned_topic is not None:
            cleaned_topic = " ".join(cleaned_topic.split())
        await self._refuse_if_open(guild_id, starter_id, partner_id)
        return cleaned_topic

    async def _refuse_if_open(self, guild_id: int, starter_id: int, partner_id: int) -> None:
        existing = await self.repo.open_between(guild_id, starter_id, partner_id)
        if existing is not None:
            if existing.thread_id:
                raise UserFacingError(
                    "You two already have a repair open in {thread}. Finish or close that one first "
                    "(`/repair close`).",
                    thread=f"<#{existing.thread_id}>",
                )
            raise UserFacingError(
                "You two already have a repair open. Finish or close that one first (`/repair close`)."
            )

    async def attach_thread(self, repair: Repair, thread_id: int, control_message_id: int | None) -> Repair:
        await self.repo.attach_thread(repair.id, thread_id, control_message_id)
        return await self.get(repair.id)

    async def end(self, repair: Repair, user_id: int) -> Repair:
        """Either of the two people ends the repair at any time: nothing is summarised or shared."""
        self.require_person(repair, user_id, "end it")
        self.require_active(repair)
        if not await self.repo.end(repair.id, user_id, self.clock.now()):
            raise UserFacingError("This repair has already closed.")
        return await self.get(repair.id)

    async def clean_up_orphans(self) -> int:
        """At start-up: forget repairs whose thread was never opened, so the pair is free again."""
        return await self.repo.delete_orphans()

    async def abandon(self, repair: Repair) -> None:
        """The thread could not be opened: forget the row so the pair is free again."""
        await self.repo.delete(repair.id)


    # -- reading -----------------------------------------------------------------------------------------
    async def by_thread(self, thread_id: int) -> Repair | None:
        return await self.repo.by_thread(thread_id)

    async def progress(self, repair: Repair) -> Progress:
        return await self.repo.progress(repair)

    async def list_for(self, guild_id: int, user_id: int) -> list[tuple[Repair, Progress]]:
        repairs = await self.repo.for_user(guild_id, user_id)
        return [(repair, await self.repo.progress(repair)) for repair in repairs]

    async def active_for(self, guild_id: int, user_id: int) -> list[Repair]:
        return await self.repo.active_for_user(guild_id, user_id)

    # -- counts for other features -----------------------------------------------------------------------
    async def followups_done(self, guild_id: int, start: datetime, end: datetime) -> int:
        """Repairs whose follow-up both people answered in ``[start, end)``: a count, never content."""
        return await self.repo.followups_done(guild_id, start, end)

    async def open_count(self, guild_id: int) -> int:
        """Repairs in progress (steps, or a summary waiting for approval): a count, never content."""
        return await self.repo.open_count(guild_id)
