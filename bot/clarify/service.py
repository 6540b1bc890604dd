"""The rules of a clarification request: who may ask, when it closes, and its one gentle reminder.

No Discord objects here: the cog opens the thread and posts the request, then hands the ids back. The reminder
is a row first (``clarifications.remind_at``), sent by :class:`~bot.clarify.reminders.ReminderWork`, a source
of the one dispatcher, through a :class:`ClarifyPoster` so the service stays testable without Discord.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from bot.clarify.models import MAX_QUESTION, REMIND_AFTER, Clarification
from bot.clarify.reminders import REMIND_JOB, REMINDERS, ClarifyPoster, ReminderWork, reachable_at
from bot.clarify.repository import ClarifyRepo, DuplicateRequest
from bot.db.preferences import PreferencesRepo
from bot.errors import BadInput, NotAllowed, ObjectNotFound, UserFacingError
from bot.scheduling.clock import Clock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from bot.scheduling.shards import EVERY_SHARD, ShardScope

log = logging.getLogger(__name__)

__all__ = ["REMINDERS", "REMIND_JOB", "ClarifyPoster", "ClarifyService", "check_target", "clean_question"]


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
        raise BadInput(
            "Your question is {length} characters long; please keep it to {limit}.",
            length=f"{len(cleaned):,}",
            limit=f"{MAX_QUESTION:,}",
        )
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
        dispatcher: Dispatcher | None = None,
        scope: ShardScope = EVERY_SHARD,
    ) -> None:
        """``dispatcher``: the bot's one dispatcher; without it (tests, tools) the service gets its own, over
        ``scope`` (the servers whose reminders this process sends)."""
        self.repo = repo
        self.prefs = prefs
        self.clock = clock
        self.jobs = jobs
        self.poster = poster
        self.default_timezone = default_timezone
        self.dispatcher = dispatcher or Dispatcher(jobs, clock, owner=f"clarify:{uuid.uuid4().hex[:8]}", scope=scope)
        self.reminders = ReminderWork(repo, prefs, poster, default_timezone)
        self.dispatcher.add(self.reminders)

    # -- asking ------------------------------------------------------------------------------------------
    async def check_can_ask(self, *, message_id: int, asker_id: int, author_id: int, author_is_bot: bool) -> None:
        check_target(asker_id, author_id, author_is_bot=author_is_bot)
        existing = await self.repo.open_for(message_id, asker_id)
        if existing is not None:
            raise self._already_open(existing)

    @staticmethod
    def _already_open(existing: Clarification) -> UserFacingError:
        where = existing.request_url()
        if where:
            return UserFacingError("You already asked about this message and it's still open ({link}).", link=where)
        return UserFacingError("You already asked about this message and it's still open.")

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
            if existing is not None:
                raise self._already_open(existing) from None
            raise UserFacingError("You already asked about this message.") from None

    async def posted(self, clarification: Clarification, thread_id: int, request_message_id: int) -> Clarification:
        """The request is in the thread: remember where, and plan its one reminder."""
        remind_at = await self._reachable(clarification.author_id, clarification.guild_id,
                                          clarification.created_at + REMIND_AFTER)
        await self.repo.attach(clarification.id, thread_id, request_message_id, remind_at)
        self.dispatcher.poke(REMINDERS, remind_at)
        return await self.get(clarification.id)

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
            raise NotAllowed(
                "Only {author}, who wrote the message, can mark it clarified.", author=f"<@{found.author_id}>"
            )
        if not found.is_open or not await self.repo.close(found.id, "button", self.clock.now()):
            raise UserFacingError("This one is already marked clarified. Thank you!")
        await self.dispatcher.arm(REMINDERS)  # its reminder is no longer due
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
                closed.append(await self.get(found.id))
        if closed:
            await self.dispatcher.arm(REMINDERS)  # their reminders are no longer due
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
        return await reachable_at(self.prefs, user_id, guild_id, at, self.default_timezone)

    async def clean_up_orphans(self) -> int:
        """At start-up: forget open requests whose message was never posted."""
        return await self.repo.delete_orphans()
