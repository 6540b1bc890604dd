"""The rules for feedback: votes and notes on published messages, and ``/feedback`` to the server's channel."""

from __future__ import annotations

from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.errors import BadInput, ObjectNotFound
from bot.feedback.models import (
    KINDS,
    MAX_FEEDBACK,
    MAX_VOTE_NOTE,
    MIN_NOTE,
    VOTES,
    FeedbackNote,
    ServerFeedback,
    VoteCounts,
)
from bot.feedback.repository import FeedbackRepo
from bot.i18n import ENGLISH, t
from bot.scheduling.clock import Clock

# Shown in the member's language by the error path (``t(ENGLISH, …)`` marks it for the catalogs).
NO_CHANNEL = t(
    ENGLISH,
    "This server has no feedback channel yet, so nothing was sent. Someone with Manage Server can choose one "
    "with `/settings feedback-channel`.",
)


def _check(kind: str, vote: str | None = None) -> None:
    if kind not in KINDS or (vote is not None and vote not in VOTES):
        raise ValueError(f"unknown feedback kind or vote: {kind!r} {vote!r}")


def clean_note(text: str) -> str:
    cleaned = text.strip()
    if len(cleaned) < MIN_NOTE:
        raise BadInput("Write a few words about what's missing, so the group can add it.")
    if len(cleaned) > MAX_VOTE_NOTE:
        raise BadInput("Keep the note under {limit} characters (it has {length}).", limit=MAX_VOTE_NOTE,
                       length=len(cleaned))
    return cleaned


def clean_feedback(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise BadInput("Write your feedback in the `text` option.")
    if len(cleaned) > MAX_FEEDBACK:
        raise BadInput("Keep feedback under {limit} characters (it has {length}).", limit=MAX_FEEDBACK,
                       length=len(cleaned))
    return cleaned


class FeedbackService:
    def __init__(self, db: Database, prefs: PreferencesRepo, clock: Clock) -> None:
        self.repo = FeedbackRepo(db)
        self.prefs = prefs
        self.clock = clock

    # -- the buttons -----------------------------------------------------------------------------------------
    async def vote_up(
        self,
        kind: str,
        ref_id: int,
        *,
        user_id: int,
        guild_id: int | None,
        channel_id: int | None,
        message_id: int | None,
    ) -> str | None:
        """Record "This captured it"; return the member's previous vote (None, ``up`` or ``missing``)."""
        _check(kind)
        previous = await self.repo.previous_vote(kind, ref_id, user_id)
        await self.repo.record_vote(
            kind=kind,
            ref_id=ref_id,
            user_id=user_id,
            vote="up",
            guild_id=guild_id,
            channel_id=channel_id,
            message_id=message_id,
            now=self.clock.now(),
        )
        return previous

    async def add_note(
        self,
        kind: str,
        ref_id: int,
        *,
        user_id: int,
        guild_id: int | None,
        channel_id: int,
        message_id: int | None,
        note: str,
    ) -> FeedbackNote:
        """Record "Something's missing" with its note (durable before the reply is posted)."""
        _check(kind)
        return await self.repo.add_note(
            kind=kind,
            ref_id=ref_id,
            user_id=user_id,
            guild_id=guild_id,
            channel_id=channel_id,
            message_id=message_id,
            note=clean_note(note),
            now=self.clock.now(),
        )

    async def note_posted(self, note_id: int, reply_message_id: int) -> None:
        await self.repo.set_note_reply(note_id, reply_message_id)

    async def counts(self, kind: str, ref_id: int) -> VoteCounts:
        """How many said "This captured it" and "Something's missing" (for the feature that posted it)."""
        _check(kind)
        return await self.repo.counts(kind, ref_id)

    async def notes(self, kind: str, ref_id: int) -> list[FeedbackNote]:
        _check(kind)
        return await self.repo.notes(kind, ref_id)

    # -- /feedback ---------------------------------------------------------------------------------------------
    async def feedback_channel_id(self, guild_id: int) -> int:
        settings = await self.prefs.guild(guild_id)
        if settings.feedback_channel_id is None:
            raise ObjectNotFound(NO_CHANNEL)
        return settings.feedback_channel_id

    async def submit(self, *, guild_id: int, author_id: int, text: str, anonymous: bool) -> ServerFeedback:
        """Store feedback for the server's feedback channel. Anonymous feedback keeps no trace of its author."""
        channel_id = await self.feedback_channel_id(guild_id)
        return await self.repo.add_server_feedback(
            guild_id=guild_id,
            author_id=None if anonymous else author_id,
            text=clean_feedback(text),
            channel_id=channel_id,
            now=self.clock.now(),
        )

    async def posted(self, feedback_id: int, message_id: int) -> None:
        await self.repo.set_server_feedback_message(feedback_id, message_id)

    async def discard(self, feedback_id: int) -> None:
        """It could not be posted: keep nothing (the member is shown their text so it is not lost)."""
        await self.repo.delete_server_feedback(feedback_id)
