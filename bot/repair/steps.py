"""Steps 1 to 3 of a repair: share your view (revealed only once both are in), reflect back what you heard,
and own your part (what you will do differently becomes a proposed commitment).

The base of :class:`~bot.repair.service.RepairService`, not used alone. No Discord objects: the cog posts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from bot.errors import NotAllowed, ObjectNotFound, UserFacingError
from bot.repair.checks import clean_field, require_active, require_person
from bot.repair.models import (
    MAX_CLARIFICATION,
    MAX_OWNED,
    MAX_REFLECTION,
    MAX_VIEW_PART,
    MAX_WILL_DO,
    Ownership,
    Reflection,
    ReflectionAnswer,
    Repair,
    RepairRecord,
    View,
)
from bot.repair.repository import AlreadyDone, RepairRepo
from bot.scheduling.clock import Clock

log = logging.getLogger(__name__)


class CommitmentProposer(Protocol):
    """Turns "what I'll do differently" into a proposed commitment; returns (id, number) or None."""

    async def __call__(
        self, *, guild_id: int, owner_id: int, text: str, source_url: str | None, source_channel_id: int | None
    ) -> tuple[int, int] | None: ...


@dataclass(frozen=True, slots=True)
class ShareResult:
    view: View
    #: Both views are in and this caller should post them side by side now.
    reveal: bool


class RepairSteps:
    repo: RepairRepo
    clock: Clock
    proposer: CommitmentProposer | None

    require_person = staticmethod(require_person)
    require_active = staticmethod(require_active)

    async def get(self, repair_id: int) -> Repair:
        found = await self.repo.get(repair_id)
        if found is None or found.thread_id is None:
            raise ObjectNotFound("That repair no longer exists.")
        return found

    async def views(self, repair: Repair) -> list[View]:
        """Both views, only once they were revealed; never one person's view alone."""
        if not repair.views_revealed:
            return []
        return await self.repo.views(repair.id)

    async def record(self, repair: Repair) -> RepairRecord:
        return RepairRecord(
            repair=repair,
            views=tuple(await self.views(repair)),
            reflections=tuple(await self.repo.reflections(repair.id)),
            ownership=tuple(await self.repo.ownership(repair.id)),
        )


    # -- step 1: share your view -------------------------------------------------------------------------
    async def check_can_share(self, repair: Repair, user_id: int) -> None:
        self.require_person(repair, user_id, "share a view")
        self.require_active(repair)
        if user_id in (await self.repo.progress(repair)).shared:
            raise UserFacingError("You already shared your view. It stays private until both of you have shared.")

    async def share_view(self, repair_id: int, user_id: int, happened: str, affected: str, need: str) -> ShareResult:
        repair = await self.get(repair_id)
        self.require_person(repair, user_id, "share a view")
        self.require_active(repair)
        happened_text = clean_field(happened, what="What happened, from my side", limit=MAX_VIEW_PART) or ""
        affected_text = clean_field(affected, what="How it affected me", limit=MAX_VIEW_PART) or ""
        need_text = clean_field(need, what="What I need", limit=MAX_VIEW_PART) or ""
        try:
            view, reveal = await self.repo.add_view(
                repair.id, user_id, happened_text, affected_text, need_text, self.clock.now()
            )
        except AlreadyDone:
            raise UserFacingError("You already shared your view.") from None
        return ShareResult(view, reveal)

    async def reveal_if_ready(self, repair: Repair) -> bool:
        """True if both views are in but not yet posted and this caller should post them now."""
        if repair.views_revealed:
            return False
        return await self.repo.claim_reveal(repair.id, self.clock.now())

    async def views_post_failed(self, repair: Repair) -> None:
        await self.repo.release_views(repair.id)

    # -- step 2: reflect back ----------------------------------------------------------------------------
    def check_can_reflect(self, repair: Repair, user_id: int) -> None:
        self.require_person(repair, user_id, "reflect back what they heard")
        self.require_active(repair)
        if not repair.views_revealed:
            raise UserFacingError("Reflecting back starts once both of you have shared your view (step 1).")

    async def reflect(self, repair_id: int, user_id: int, text: str) -> Reflection:
        repair = await self.get(repair_id)
        self.check_can_reflect(repair, user_id)
        cleaned = clean_field(text, what="What I heard you say", limit=MAX_REFLECTION)
        return await self.repo.add_reflection(repair.id, user_id, repair.other(user_id), cleaned or "",
                                              self.clock.now())

    async def set_reflection_message(self, reflection: Reflection, message_id: int) -> None:
        await self.repo.set_reflection_message(reflection.id, message_id)

    async def reflection(self, reflection_id: int) -> tuple[Repair, Reflection]:
        reflection = await self.repo.reflection(reflection_id)
        if reflection is None:
            raise ObjectNotFound("That reflection no longer exists.")
        return await self.get(reflection.repair_id), reflection

    async def check_can_answer(self, reflection_id: int, user_id: int) -> tuple[Repair, Reflection]:
        repair, reflection = await self.reflection(reflection_id)
        if user_id != reflection.subject_id:
            raise NotAllowed(
                "Only {person} can say whether this is what they meant.", person=f"<@{reflection.subject_id}>"
            )
        self.require_active(repair)
        if reflection.answer is not None:
            raise UserFacingError("You already answered this one.")
        return repair, reflection

    async def answer(
        self, reflection_id: int, user_id: int, answer: ReflectionAnswer, clarification: str | None = None
    ) -> tuple[Repair, Reflection]:
        repair, reflection = await self.check_can_answer(reflection_id, user_id)
        cleaned = None
        if answer == "not_quite":
            cleaned = clean_field(clarification, what="What I meant", limit=MAX_CLARIFICATION)
        if not await self.repo.answer_reflection(reflection.id, answer, cleaned, self.clock.now()):
            raise UserFacingError("You already answered this one.")
        _, updated = await self.reflection(reflection.id)
        return repair, updated


    # -- step 3: own my part -----------------------------------------------------------------------------
    async def check_can_own(self, repair: Repair, user_id: int) -> None:
        self.require_person(repair, user_id, "write down their part")
        self.require_active(repair)
        if not repair.views_revealed:
            raise UserFacingError("Owning your part comes after both of you have shared your view (step 1).")
        if user_id in (await self.repo.progress(repair)).owned:
            raise UserFacingError("You already wrote down your part.")

    async def own_part(self, repair_id: int, user_id: int, owned: str, will_do: str,
                       source_url: str | None) -> Ownership:
        """Record what the person owns; what they'll do differently becomes a proposed commitment for them."""
        repair = await self.get(repair_id)
        await self.check_can_own(repair, user_id)
        owned_text = clean_field(owned, what="What I own", limit=MAX_OWNED) or ""
        will_text = clean_field(will_do, what="What I'll do differently", limit=MAX_WILL_DO) or ""
        will_text = " ".join(will_text.split())
        try:
            ownership = await self.repo.add_ownership(repair.id, user_id, owned_text, will_text, self.clock.now())
        except AlreadyDone:
            raise UserFacingError("You already wrote down your part.") from None
        if self.proposer is None:
            return ownership
        try:
            proposed = await self.proposer(
                guild_id=repair.guild_id,
                owner_id=user_id,
                text=will_text,
                source_url=source_url,
                source_channel_id=repair.thread_id,
            )
        except Exception:
            log.exception("could not propose a commitment for repair %s", repair.id)
            proposed = None
        if proposed is None:
            return ownership
        commitment_id, number = proposed
        await self.repo.set_commitment(repair.id, user_id, commitment_id, number)
        return Ownership(
            ownership.repair_id, user_id, owned_text, will_text, commitment_id, number, ownership.created_at
        )

