"""Closing a repair: the summary both people approve, sharing it (with both consents), and the follow-up answers.

The base of :class:`~bot.repair.service.RepairService` (with the steps), not used alone. Whoever's press
completes a consent is the one caller told to act, so nothing is posted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.errors import NotAllowed, UserFacingError
from bot.repair.checks import clean_field
from bot.repair.followup import FOLLOWUPS
from bot.repair.models import MAX_CLOSE_NOTE, MAX_FOLLOWUP_NOTE, FollowupAnswer, FollowupReply, Repair
from bot.repair.repository import AlreadyDone
from bot.repair.steps import RepairSteps
from bot.repair.summary import draft_summary
from bot.scheduling.dispatch import Dispatcher


@dataclass(frozen=True, slots=True)
class ConsentResult:
    repair: Repair
    consents: frozenset[int]
    #: Both people consented and this caller should act (post the summary, or share it) now.
    act: bool


class RepairClosing(RepairSteps):
    dispatcher: Dispatcher

    # -- closing -----------------------------------------------------------------------------------------
    async def request_close(
        self, repair: Repair, user_id: int, note: str | None, locale: str | None = None
    ) -> tuple[Repair, list[str]]:
        """Draft the summary (replacing an earlier draft) in ``locale``, the language of the repair's thread;
        nothing is posted until both people approve it."""
        if not repair.is_member(user_id):
            raise NotAllowed("Only the two people in this repair or its mediator can close it.")
        self.require_active(repair)
        cleaned = clean_field(note, what="note", limit=MAX_CLOSE_NOTE, required=False)
        lines = draft_summary(await self.record(repair), cleaned, locale)
        version = await self.repo.draft(repair.id, user_id, cleaned, "\n".join(lines))
        if version is None:
            raise UserFacingError("This repair is closed already.")
        return await self.get(repair.id), lines

    @staticmethod
    def summary_lines(repair: Repair) -> list[str]:
        return (repair.summary_text or "").split("\n")

    async def check_draft(self, repair_id: int, version: int) -> Repair:
        repair = await self.get(repair_id)
        if repair.state == "closed" and version == repair.summary_version:
            raise UserFacingError("Both of you approved this summary; it is posted in the thread.")
        if repair.state != "closing" or version != repair.summary_version or repair.summary_text is None:
            raise UserFacingError(
                "This draft is out of date: something was added or closed since. "
                "Run `/repair close` in the thread for a fresh draft."
            )
        return repair

    async def approve(self, repair_id: int, user_id: int, version: int) -> ConsentResult:
        repair = await self.get(repair_id)
        self.require_person(repair, user_id, "approve the summary")
        repair = await self.check_draft(repair_id, version)
        now = self.clock.now()
        await self.repo.add_consent(repair.id, user_id, "post", version, now)
        approvals = frozenset(await self.repo.consents(repair.id, "post", version))
        act = False
        if set(repair.people) <= approvals:
            followup_at = now + timedelta(days=repair.followup_days)
            act = await self.repo.claim_close(repair.id, version, now, followup_at)
        return ConsentResult(await self.get(repair.id), approvals, act)

    async def summary_posted(self, repair: Repair, message_id: int) -> Repair:
        """The approved summary is in the thread: remember where, and arm the follow-up."""
        await self.repo.set_summary_message(repair.id, message_id)
        updated = await self.get(repair.id)
        if updated.followup_at is not None and updated.followup_posted_at is None:
            self.dispatcher.poke(FOLLOWUPS, updated.followup_at)
        return updated

    async def summary_post_failed(self, repair: Repair) -> None:
        await self.repo.release_close(repair.id)

    async def consent_share(self, repair_id: int, user_id: int) -> ConsentResult:
        repair = await self.get(repair_id)
        self.require_person(repair, user_id, "agree to share the summary")
        if repair.state != "closed" or repair.summary_message_id is None:
            raise UserFacingError("There is no approved summary to share yet.")
        if repair.shared_at is not None:
            raise UserFacingError("The summary is already shared in {channel}.", channel=f"<#{repair.channel_id}>")
        await self.repo.add_consent(repair.id, user_id, "share", repair.summary_version, self.clock.now())
        consents = frozenset(await self.repo.consents(repair.id, "share", repair.summary_version))
        act = False
        if set(repair.people) <= consents:
            act = await self.repo.claim_share(repair.id, self.clock.now())
        return ConsentResult(await self.get(repair.id), consents, act)

    async def share_failed(self, repair: Repair) -> None:
        await self.repo.release_share(repair.id)

    async def shared_parts(self, repair: Repair) -> list[int]:
        """Message ids of the parts of an unfinished share already posted, in order."""
        return await self.repo.shared_parts(repair.id)

    async def shared_part_posted(self, repair: Repair, message_ids: list[int]) -> None:
        await self.repo.record_shared_part(repair.id, message_ids)

    async def share_finished(self, repair: Repair) -> None:
        await self.repo.forget_shared_parts(repair.id)

    async def reconcile_shares(self) -> int:
        """At start-up: shares cut short by a crash wait for the next press, which resumes them."""
        return await self.repo.release_unfinished_shares()


    # -- follow-up answers ------------------------------------------------------------------------------
    async def check_can_answer_followup(self, repair_id: int, user_id: int) -> Repair:
        repair = await self.get(repair_id)
        self.require_person(repair, user_id, "answer the follow-up")
        if repair.followup_posted_at is None:
            raise UserFacingError("The follow-up hasn't been asked yet.")
        if user_id in (await self.repo.progress(repair)).followup_answers:
            raise UserFacingError("You already answered. Thank you!")
        return repair

    async def answer_followup(
        self, repair_id: int, user_id: int, answer: FollowupAnswer, note: str | None
    ) -> tuple[Repair, FollowupReply, bool]:
        """Store one answer; the flag says both people have now answered."""
        repair = await self.check_can_answer_followup(repair_id, user_id)
        cleaned = clean_field(note, what="note", limit=MAX_FOLLOWUP_NOTE, required=False)
        now = self.clock.now()
        try:
            both = await self.repo.add_followup(repair.id, user_id, answer, cleaned, now)
        except AlreadyDone:
            raise UserFacingError("You already answered. Thank you!") from None
        reply = FollowupReply(repair.id, user_id, answer, cleaned, now)
        return await self.get(repair.id), reply, both

