"""The rules of a clarification request: who may ask, when it closes, and its one gentle reminder.

No Discord objects here: the cog opens the thread and posts the request, then hands the ids back. The reminder
is a row first (``clarifications.remind_at``), then a timer rebuilt at start-up; it goes through a
:class:`ClarifyPoster` so the service stays testable without Discord.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Protocol

from bot.availability import next_reachable
from bot.clarify.models import MAX_QUESTION, REMIND_AFTER, Clarification
from bot.clarify.repository import ClarifyRepo, DuplicateRequest
from bot.db.preferences import PreferencesRepo
from bot.errors import BadInput, NotAllowed, ObjectNotFound, UserFacingError
from bot.scheduling.clock import Clock
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import EVERY_SHARD, ShardScope
from bot.timezones import get_zone

log = logging.getLogger(__name__)

REMIND_JOB = "clarify-remind:"
RETRY_AFTER = timedelta(minutes=30)


class ClarifyPoster(Protocol):
    """How the service reaches people later; implemented with discord.py by the cog."""

    async def remind(self, clarification: Clarification) -> bool:
        """One gentle DM to the author; True if it was delivered."""
        ...

    async def show_closed(self, clarification: Clarification) -> None:
        """Mark the request message as clarified (its button goes away)."""
        ...


def check_target(asker_id: int, author_id: int, *, author_is_bot: bool) -> None:
    """Refuse asking about your own message or a bot's message."""
    if author_id == asker_id:
        raise NotAllowed("That's your own message. If something in it is unclear, a reply or an edit can help.")
    if author_is_bot:
        raise NotAllowed("That message is from a bot or an app, so there is nobody to ask. Try asking in the channel.")


def clean_question(text: str | None) -> str | None:
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > MAX_QUESTION:
        raise BadInput(f"Your question is {len(cleaned):,} characters long; please keep it to {MAX_QUESTION:,}.")
    return cleaned


class ClarifyService:
    def __init__(
        self,
        repo: ClarifyRepo,
        prefs: PreferencesRepo,
        clock: Clock,
        jobs: JobService,
        poster: ClarifyPoster,
        *,
        default_timezone: str = "UTC",
        scope: ShardScope = EVERY_SHARD,
    ) -> None:
        #: The servers whose timers this process arms (the servers of its shards).
        self.scope = scope
        self.repo = repo
        self.prefs = prefs
        self.clock = clock
        self.jobs = jobs
        self.poster = poster
        self.default_timezone = default_timezone

    # -- asking ------------------------------------------------------------------------------------------
    async def check_can_ask(self, *, message_id: int, asker_id: int, author_id: int, author_is_bot: bool) -> None:
        check_target(asker_id, author_id, author_is_bot=author_is_bot)
        existing = await self.repo.open_for(message_id, asker_id)
        if existing is not None:
            raise UserFacingError(self._already_open(existing))

    @staticmethod
    def _already_open(existing: Clarification) -> str:
        where = existing.request_url()
        link = f" ({where})" if where else ""
        return f"You already asked about this message and it's still open{link}."

    async def open_request(
        self,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int,
        author_id: int,
        author_is_bot: bool,
        asker_id: int,
        question: str | None,
    ) -> Clarification:
        """A row first (which also refuses a second open request); the cog then posts it in a thread."""
        check_target(asker_id, author_id, author_is_bot=author_is_bot)
        cleaned = clean_question(question)
        try:
            return await self.repo.create(
                guild_id=guild_id,
                channel_id=channel_id,
                message_id=message_id,
                author_id=author_id,
                asker_id=asker_id,
                question=cleaned,
                now=self.clock.now(),
            )
        except DuplicateRequest:
            existing = await self.repo.open_for(message_id, asker_id)
            raise UserFacingError(
                self._already_open(existing) if existing else "You already asked about this message."
            ) from None

    async def posted(self, clarification: Clarification, thread_id: int, request_message_id: int) -> Clarification:
        """The request is in the thread: remember where, and plan its one reminder."""
        remind_at = await self._reachable(clarification.author_id, clarification.guild_id,
                                          clarification.created_at + REMIND_AFTER)
        await self.repo.attach(clarification.id, thread_id, request_message_id, remind_at)
        updated = await self.get(clarification.id)
        self._arm(updated)
        return updated

    async def abandon(self, clarification: Clarification) -> None:
        """Posting failed: forget the request so it can be asked again."""
        await self.repo.delete(clarification.id)

    async def get(self, clarification_id: int) -> Clarification:
        found = await self.repo.get(clarification_id)
        if found is None:
            raise ObjectNotFound("That request for clarification no longer exists.")
        return found

    # -- closing -----------------------------------------------------------------------------------------
    async def clarified(self, clarification_id: int, user_id: int) -> Clarification:
        """The author pressed Clarified."""
        found = await self.get(clarification_id)
        if user_id != found.author_id:
            raise NotAllowed(f"Only <@{found.author_id}>, who wrote the message, can mark it clarified.")
        if not found.is_open or not await self.repo.close(found.id, "button", self.clock.now()):
            raise UserFacingError("This one is already marked clarified. Thank you!")
        self.jobs.cancel(f"{REMIND_JOB}{found.id}")
        return await self.get(found.id)

    async def author_replied(self, thread_id: int, author_id: int, message_id: int) -> list[Clarification]:
        """The author wrote in a thread: close their open requests there posted before that message.

        Snowflake ids order messages in time, so a message older than the request never closes it.
        """
        closed = []
        for found in await self.repo.open_in_thread(thread_id, author_id):
            if found.request_message_id is None or message_id <= found.request_message_id:
                continue
            if await self.repo.close(found.id, "reply", self.clock.now()):
                self.jobs.cancel(f"{REMIND_JOB}{found.id}")
                closed.append(await self.get(found.id))
        for done in closed:
            try:
                await self.poster.show_closed(done)
            except Exception:
                log.exception("could not mark clarification %s as closed on Discord", done.id)
        return closed

    # -- listing and counts ------------------------------------------------------------------------------
    async def open_for_user(self, guild_id: int, user_id: int) -> tuple[list[Clarification], list[Clarification]]:
        """(asked by the member, asked of the member), both still open."""
        return (
            await self.repo.open_asked_by(guild_id, user_id),
            await self.repo.open_received_by(guild_id, user_id),
        )

    async def answered_count(self, guild_id: int, start: datetime, end: datetime) -> int:
        """Requests marked clarified (button or reply) in ``[start, end)``: a count, never content."""
        return await self.repo.answered_count(guild_id, start, end)

    # -- the reminder ------------------------------------------------------------------------------------
    async def _reachable(self, user_id: int, guild_id: int, at: datetime) -> datetime:
        member = await self.prefs.member(user_id)
        name = await self.prefs.member_zone_name(user_id, guild_id, self.default_timezone)
        try:
            zone = get_zone(name)
        except BadInput:
            zone = get_zone(self.default_timezone)
        return next_reachable(at, member, zone)

    def _arm(self, clarification: Clarification) -> None:
        if not clarification.is_open or clarification.reminded_at is not None or clarification.remind_at is None:
            return
        self.jobs.schedule(f"{REMIND_JOB}{clarification.id}", clarification.remind_at, self.run_reminder,
                           clarification.id)

    async def clean_up_orphans(self) -> int:
        """At start-up: forget open requests whose message was never posted."""
        return await self.repo.delete_orphans()

    async def rebuild_jobs(self) -> int:
        pending = await self.repo.pending_reminders(self.scope)
        for clarification in pending:
            self._arm(clarification)
        return len(pending)

    async def run_reminder(self, clarification_id: int) -> None:
        found = await self.repo.get(clarification_id)
        if found is None or not found.is_open or found.reminded_at is not None or found.remind_at is None:
            return
        now = self.clock.now()
        # Quiet hours or time away may have been set since the reminder was planned.
        reachable = await self._reachable(found.author_id, found.guild_id, max(now, found.remind_at))
        if reachable > now:
            await self.repo.postpone_reminder(found.id, reachable)
            self._arm(await self.get(found.id))
            return
        if not await self.repo.claim_reminder(found.id, now):
            return
        try:
            delivered = await self.poster.remind(found)
        except Exception:
            log.exception("could not send the reminder for clarification %s", found.id)
            delivered = False
        if not delivered:
            log.info("the reminder for clarification %s could not be delivered", found.id)
