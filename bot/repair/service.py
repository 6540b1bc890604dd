"""The rules of a repair conversation: who may do which step, when things are revealed, consent, follow-up.

No Discord objects here. The cog turns presses and forms into calls with plain ids and text, and does the
posting itself; the only thing that happens later (the follow-up) goes through a :class:`RepairPoster`.
Anything that will happen later is a row first (``repairs.followup_at``), then a timer rebuilt at start-up.

Privacy: views stay in the database until both people have shared; only then may the cog post them. Nothing
of a repair leaves its private thread except a summary both people approved and, separately, agreed to share.
Other features get counts only (:meth:`RepairService.followups_done`, :meth:`RepairService.open_count`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from bot.errors import BadInput, NotAllowed, ObjectNotFound, UserFacingError
from bot.repair.models import (
    FOLLOWUP_MAX,
    FOLLOWUP_MIN,
    MAX_CLARIFICATION,
    MAX_FOLLOWUP_NOTE,
    MAX_NOTE,
    MAX_OWNED,
    MAX_REFLECTION,
    MAX_TOPIC,
    MAX_VIEW_PART,
    MAX_WILL_DO,
    Answer,
    FollowupAnswer,
    FollowupReply,
    Ownership,
    Progress,
    Reflection,
    Repair,
    RepairRecord,
    View,
)
from bot.repair.repository import AlreadyDone, DuplicateRepair, RepairRepo
from bot.repair.summary import draft_summary
from bot.scheduling.clock import Clock
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import EVERY_SHARD, ShardScope

log = logging.getLogger(__name__)

FOLLOWUP_JOB = "repair-followup:"
#: A follow-up that could not be posted is tried again this much later.
RETRY_AFTER = timedelta(minutes=30)

Role = Literal["person", "mediator", "manager"]


class RepairPoster(Protocol):
    """How the service posts what happens later; implemented with discord.py by the cog."""

    async def post_followup(self, repair: Repair) -> int | None:
        """Post "How are things now?" in the repair's thread; the message id, or None if the thread is gone."""
        ...


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


@dataclass(frozen=True, slots=True)
class ConsentResult:
    repair: Repair
    consents: frozenset[int]
    #: Both people consented and this caller should act (post the summary, or share it) now.
    act: bool


def clean_field(text: str | None, *, what: str, limit: int, required: bool = True) -> str | None:
    """Member text from a form or option: trimmed, non-empty when required, within ``limit``."""
    cleaned = (text or "").strip()
    if not cleaned:
        if required:
            raise BadInput(f"Please write something for “{what}”.")
        return None
    if len(cleaned) > limit:
        raise BadInput(f"“{what}” is {len(cleaned):,} characters long; please keep it to {limit:,}.")
    return cleaned


def check_followup_days(days: int) -> int:
    if not FOLLOWUP_MIN <= days <= FOLLOWUP_MAX:
        raise BadInput(
            f"`followup` is the number of days before I ask how things are: from {FOLLOWUP_MIN} to "
            f"{FOLLOWUP_MAX} (default 7). {days} is outside that."
        )
    return days


def check_people(
    starter_id: int,
    partner_id: int,
    *,
    partner_is_bot: bool,
    mediator_id: int | None = None,
    mediator_is_bot: bool = False,
) -> None:
    """The refusals at start that need no Discord: yourself, a bot, a mediator who is one of the two."""
    if partner_id == starter_id:
        raise BadInput("A repair is between you and someone else: pick the other person, not yourself.")
    if partner_is_bot:
        raise BadInput("A repair is between two people; pick a member, not a bot.")
    if mediator_id is not None:
        if mediator_id in (starter_id, partner_id):
            raise BadInput("A mediator is a third person: pick someone other than the two of you.")
        if mediator_is_bot:
            raise BadInput("A mediator needs to be a person, not a bot.")


class RepairService:
    def __init__(
        self,
        repo: RepairRepo,
        clock: Clock,
        jobs: JobService,
        poster: RepairPoster,
        proposer: CommitmentProposer | None = None,
        scope: ShardScope = EVERY_SHARD,
    ) -> None:
        #: The servers whose timers this process arms (the servers of its shards).
        self.scope = scope
        self.repo = repo
        self.clock = clock
        self.jobs = jobs
        self.poster = poster
        self.proposer = proposer

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

    @staticmethod
    def require_person(repair: Repair, user_id: int, action: str) -> None:
        if not repair.is_person(user_id):
            raise NotAllowed(f"Only the two people in this repair can {action}.")

    @staticmethod
    def require_active(repair: Repair) -> None:
        if not repair.is_active:
            raise UserFacingError("This repair is closed; its steps can't change any more.")

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
            where = f" in <#{existing.thread_id}>" if existing.thread_id else ""
            raise UserFacingError(
                f"You two already have a repair open{where}. Finish or close that one first (`/repair close`)."
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
    async def get(self, repair_id: int) -> Repair:
        found = await self.repo.get(repair_id)
        if found is None or found.thread_id is None:
            raise ObjectNotFound("That repair no longer exists.")
        return found

    async def by_thread(self, thread_id: int) -> Repair | None:
        return await self.repo.by_thread(thread_id)

    async def progress(self, repair: Repair) -> Progress:
        return await self.repo.progress(repair)

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

    async def list_for(self, guild_id: int, user_id: int) -> list[tuple[Repair, Progress]]:
        repairs = await self.repo.for_user(guild_id, user_id)
        return [(repair, await self.repo.progress(repair)) for repair in repairs]

    async def active_for(self, guild_id: int, user_id: int) -> list[Repair]:
        return await self.repo.active_for_user(guild_id, user_id)

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
            raise NotAllowed(f"Only <@{reflection.subject_id}> can say whether this is what they meant.")
        self.require_active(repair)
        if reflection.answer is not None:
            raise UserFacingError("You already answered this one.")
        return repair, reflection

    async def answer(
        self, reflection_id: int, user_id: int, answer: Answer, clarification: str | None = None
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

    # -- closing -----------------------------------------------------------------------------------------
    async def request_close(self, repair: Repair, user_id: int, note: str | None) -> tuple[Repair, list[str]]:
        """Draft the summary (replacing an earlier draft); nothing is posted until both people approve it."""
        if not repair.is_member(user_id):
            raise NotAllowed("Only the two people in this repair or its mediator can close it.")
        self.require_active(repair)
        cleaned = clean_field(note, what="note", limit=MAX_NOTE, required=False)
        lines = draft_summary(await self.record(repair), cleaned)
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
        self._arm_followup(updated)
        return updated

    async def summary_post_failed(self, repair: Repair) -> None:
        await self.repo.release_close(repair.id)

    async def consent_share(self, repair_id: int, user_id: int) -> ConsentResult:
        repair = await self.get(repair_id)
        self.require_person(repair, user_id, "agree to share the summary")
        if repair.state != "closed" or repair.summary_message_id is None:
            raise UserFacingError("There is no approved summary to share yet.")
        if repair.shared_at is not None:
            raise UserFacingError(f"The summary is already shared in <#{repair.channel_id}>.")
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

    # -- follow-up ---------------------------------------------------------------------------------------
    def _arm_followup(self, repair: Repair) -> None:
        if repair.followup_at is None or repair.followup_posted_at is not None:
            return
        self.jobs.schedule(f"{FOLLOWUP_JOB}{repair.id}", repair.followup_at, self.run_followup, repair.id)

    async def rebuild_jobs(self) -> int:
        """At start-up: a timer for every follow-up not yet posted (overdue ones run at once)."""
        pending = await self.repo.pending_followups(self.scope)
        for repair in pending:
            self._arm_followup(repair)
        return len(pending)

    async def run_followup(self, repair_id: int) -> None:
        repair = await self.repo.get(repair_id)
        if repair is None or repair.followup_at is None or repair.followup_posted_at is not None:
            return
        now = self.clock.now()
        if repair.followup_at > now:
            self._arm_followup(repair)
            return
        if not await self.repo.claim_followup(repair.id, now):
            return
        try:
            message_id = await self.poster.post_followup(repair)
        except Exception:
            log.exception("could not post the follow-up of repair %s; trying again later", repair.id)
            await self.repo.postpone_followup(repair.id, now + RETRY_AFTER)
            retry = await self.repo.get(repair.id)
            if retry is not None:
                self._arm_followup(retry)
            return
        if message_id is None:
            log.warning("the thread of repair %s is gone; its follow-up was not posted", repair.id)
            return
        await self.repo.set_followup_message(repair.id, message_id)

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

    # -- counts for other features -----------------------------------------------------------------------
    async def followups_done(self, guild_id: int, start: datetime, end: datetime) -> int:
        """Repairs whose follow-up both people answered in ``[start, end)``: a count, never content."""
        return await self.repo.followups_done(guild_id, start, end)

    async def open_count(self, guild_id: int) -> int:
        """Repairs in progress (steps, or a summary waiting for approval): a count, never content."""
        return await self.repo.open_count(guild_id)
