"""Summaries from records to stored drafts: who is left out, which engine runs, what is kept.

Pure of Discord: the cog fetches the messages and turns them into :class:`ChatMessage` records
(:mod:`cogs.summaries._records`), posts what is published and hands back ids and links.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.config import Settings
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.errors import NotAllowed, ObjectNotFound
from bot.i18n import ENGLISH, t, translated
from bot.scheduling.clock import Clock
from bot.summary.language import mostly_not_english
from bot.summary.llm import FailureReason, LlmConfig, LlmError, LlmSummarizer
from bot.summary.models import ChatMessage, Summary
from bot.summary.offline import summarize as offline_summarize
from bot.summary.repository import AlreadyTracked, Engine, NewSummary, StoredActionItem, StoredSummary, SummaryRepo

log = logging.getLogger(__name__)

#: Drafts nobody published or discarded are forgotten after this long.
DRAFT_LIFETIME = timedelta(days=7)

# A summary's note is stored in English, one sentence a line, and shown in each reader's language
# (:func:`note_lines`): ``t(ENGLISH, …)`` is the English text itself, marked for the catalogs.
FALLBACK_NOTES: dict[FailureReason, str] = {
    "timeout": t(ENGLISH, "Used the offline summary: the language model didn't answer in time."),
    "http": t(ENGLISH, "Used the offline summary: the language model service returned an error."),
    "network": t(ENGLISH, "Used the offline summary: the language model service couldn't be reached."),
    "malformed": t(ENGLISH, "Used the offline summary: the language model's answer couldn't be read."),
    "schema": t(ENGLISH, "Used the offline summary: the language model's answer wasn't in the expected shape."),
}
UNEXPECTED_NOTE = t(ENGLISH, "Used the offline summary: the language model couldn't be used this time.")
#: The offline engine reads English best: said when a conversation is mostly in another language.
LANGUAGE_NOTE = t(
    ENGLISH,
    "Most of this conversation isn't in English. Rapport's offline summary reads English best, so key points "
    "may be weaker in this language.",
)


def note_lines(note: str | None, locale: str | None) -> list[str]:
    """A stored note's sentences in the reader's language (a sentence the catalogs lack stays English)."""
    return [
        translated(locale, line, report=False)
        for line in (note or "").splitlines()
        if line.strip()
    ]


@dataclass(frozen=True, slots=True)
class EngineResult:
    summary: Summary
    engine: Engine
    note: str | None = None
    #: The language the offline engine found the conversation mostly written in, when it is not English.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Authors:
    """What the summary needs to know about the people in a conversation."""

    opted_out: frozenset[int]
    zones: dict[int, str]
    default_zone: str

    def zone(self, author_id: int) -> str:
        return self.zones.get(author_id, self.default_zone)


@dataclass(frozen=True, slots=True)
class TrackResult:
    proposed: list[tuple[StoredActionItem, int]] = field(default_factory=list)  # (item, commitment id)
    already: list[StoredActionItem] = field(default_factory=list)
    no_owner: list[StoredActionItem] = field(default_factory=list)
    failed: list[tuple[StoredActionItem, str]] = field(default_factory=list)


class Proposer(Protocol):
    """The part of the commitments service a summary uses: ask an owner to take an item on."""

    async def propose(
        self,
        *,
        guild_id: int,
        owner_id: int,
        creator_id: int,
        text: str,
        due: datetime | None,
        source_kind: str,
        source_url: str | None,
        source_channel_id: int | None,
        claim: Callable[[Any, int], Awaitable[None]] | None = None,
    ) -> Any: ...

    async def ask_again(self, commitment_id: int) -> bool:
        """Ask the owner of a still-proposed commitment; False if it is no longer waiting for them."""
        ...


def llm_config(settings: Settings) -> LlmConfig | None:
    """The language-model settings, or None when summaries are offline only."""
    if not settings.summary_llm_base_url or not settings.summary_llm_model:
        return None
    return LlmConfig(
        base_url=settings.summary_llm_base_url,
        model=settings.summary_llm_model,
        api_key=settings.summary_llm_api_key,
        timeout=settings.summary_llm_timeout,
    )


class SummaryService:
    def __init__(
        self,
        db: Database,
        prefs: PreferencesRepo,
        clock: Clock,
        *,
        default_zone: str = "UTC",
        llm: LlmSummarizer | None = None,
    ) -> None:
        self.repo = SummaryRepo(db)
        self.prefs = prefs
        self.clock = clock
        self.default_zone = default_zone
        self.llm = llm
        self._locks: dict[int, asyncio.Lock] = {}

    @classmethod
    def from_settings(cls, db: Database, prefs: PreferencesRepo, clock: Clock, settings: Settings) -> SummaryService:
        config = llm_config(settings)
        return cls(
            db,
            prefs,
            clock,
            default_zone=settings.default_timezone,
            llm=LlmSummarizer(config) if config is not None else None,
        )

    # -- the people --------------------------------------------------------------------------------------
    async def authors(self, author_ids: Iterable[int], guild_id: int | None) -> Authors:
        """Who opted out of summaries, and each author's time zone (theirs, else the server's)."""
        ids = sorted(set(author_ids))
        members = await self.prefs.members(ids)
        fallback = self.default_zone
        if guild_id is not None:
            guild = await self.prefs.guild(guild_id)
            fallback = guild.timezone or fallback
        return Authors(
            opted_out=frozenset(uid for uid, m in members.items() if m.summaries_opt_out),
            zones={uid: m.timezone for uid, m in members.items() if m.timezone},
            default_zone=fallback,
        )

    # -- the engines -------------------------------------------------------------------------------------
    async def summarize(self, messages: Sequence[ChatMessage], *, excluded_count: int = 0) -> EngineResult:
        """The language model's summary when one is configured and answers well; the offline one otherwise.

        ``messages`` must already be without bots, system messages and members who opted out: nothing else is
        filtered here, and these are exactly the messages a configured language model is sent.
        """
        if self.llm is not None and messages:
            try:
                summary = await self.llm.summarize(messages, excluded_count=excluded_count)
            except LlmError as error:
                log.warning("language model summary failed (%s: %s); using the offline engine", error.reason,
                            error.detail)
                note = FALLBACK_NOTES[error.reason]
            except Exception:
                log.exception("language model summary failed unexpectedly; using the offline engine")
                note = UNEXPECTED_NOTE
            else:
                return EngineResult(summary, "llm")
            return await self._offline(messages, excluded_count, note)
        return await self._offline(messages, excluded_count, None)

    async def _offline(self, messages: Sequence[ChatMessage], excluded_count: int, note: str | None) -> EngineResult:
        # Pure CPU work: in a thread, so the gateway heartbeat keeps going on a long conversation.
        summary, language = await asyncio.to_thread(_offline_summary, list(messages), excluded_count)
        if language is not None:
            note = f"{note}\n{LANGUAGE_NOTE}" if note else LANGUAGE_NOTE
        return EngineResult(summary, "offline", note, language)

    # -- drafts and publishing ---------------------------------------------------------------------------
    async def create_draft(
        self,
        *,
        guild_id: int,
        channel_id: int,
        channel_name: str,
        creator_id: int,
        result: EngineResult,
        markdown: str,
        messages: Sequence[ChatMessage],
        skipped_count: int = 0,
    ) -> StoredSummary:
        """Store a summary for its creator to review; ``skipped_count`` counts bots' and system messages."""
        first = messages[0] if messages else None
        last = messages[-1] if messages else None
        return await self.repo.create(
            NewSummary(
                guild_id=guild_id,
                channel_id=channel_id,
                channel_name=channel_name,
                creator_id=creator_id,
                created_at=self.clock.now(),
                engine=result.engine,
                note=result.note,
                markdown=markdown,
                summary=result.summary,
                first_message_id=first.id if first else None,
                last_message_id=last.id if last else None,
                range_start=first.created_at if first else None,
                range_end=last.created_at if last else None,
                skipped_count=skipped_count,
            )
        )

    @contextlib.asynccontextmanager
    async def lock(self, summary_id: int) -> AsyncIterator[None]:
        """Held while a summary is being published, so two presses cannot post it twice."""
        lock = self._locks.setdefault(summary_id, asyncio.Lock())
        try:
            async with lock:
                yield
        finally:
            if not lock.locked() and self._locks.get(summary_id) is lock:
                del self._locks[summary_id]

    async def draft_for(self, summary_id: int, user_id: int, *, guild_id: int | None) -> StoredSummary:
        """The caller's own draft, or a clear refusal."""
        stored = await self.repo.get(summary_id)
        if stored is None or (guild_id is not None and stored.guild_id != guild_id):
            raise ObjectNotFound("That draft is gone: drafts are kept for a week. Run /summarize again.")
        if stored.creator_id != user_id:
            raise NotAllowed("Only the member who asked for this summary can do that.")
        if stored.status == "discarded":
            raise ObjectNotFound("That draft was discarded. Run /summarize again for a new one.")
        return stored

    async def claim_number(self, summary_id: int) -> StoredSummary:
        """The first step of publishing: the draft becomes published summary #n (posted next)."""
        claimed = await self.repo.claim_number(summary_id, now=self.clock.now())
        if claimed is None:
            raise ObjectNotFound("That summary was already published or discarded.")
        return claimed

    async def published_as(
        self, summary_id: int, *, message_id: int, url: str, markdown: str | None = None
    ) -> StoredSummary:
        """The last step of publishing: where it was posted (and the Markdown as published, with its number)."""
        stored = await self.repo.set_published_message(summary_id, message_id=message_id, url=url, markdown=markdown)
        if stored is None:
            raise ObjectNotFound("That summary no longer exists.")
        return stored

    async def release(self, summary_id: int) -> None:
        """Posting failed: the summary is a draft again."""
        await self.repo.release(summary_id)

    async def mark_published(self, summary_id: int, *, message_id: int, url: str) -> StoredSummary:
        """Both steps at once, for a summary already posted."""
        await self.claim_number(summary_id)
        return await self.published_as(summary_id, message_id=message_id, url=url)

    async def discard(self, summary_id: int, user_id: int, *, guild_id: int | None) -> StoredSummary:
        stored = await self.draft_for(summary_id, user_id, guild_id=guild_id)
        if stored.status == "published":
            raise NotAllowed("That summary is already published, so it can't be discarded.")
        await self.repo.discard(summary_id, now=self.clock.now())
        return stored

    async def reconcile(self) -> int:
        """Finish or undo what a crash interrupted: an unfinished publish is a draft again."""
        released = await self.repo.release_unfinished()
        if released:
            log.info("%d summaries claimed for publishing but never posted are drafts again", released)
        return released

    async def purge_old_drafts(self) -> int:
        removed = await self.repo.purge_drafts(created_before=self.clock.now() - DRAFT_LIFETIME)
        if removed:
            log.info("forgot %d summary drafts older than %s", removed, DRAFT_LIFETIME)
        return removed

    async def published(self, guild_id: int, number: int) -> StoredSummary:
        stored = await self.repo.by_number(guild_id, number)
        if stored is None:
            raise ObjectNotFound("There is no published summary #{number} in this server.", number=number)
        return stored

    # -- action items ------------------------------------------------------------------------------------
    async def track(self, stored: StoredSummary, proposer: Proposer) -> TrackResult:
        """Ask each action item's owner to take it on as a commitment (once per item).

        The commitment's source is the published summary when there is one, else the message the item came
        from. A due time that has already passed is left off (the owner can set a new one when accepting).

        Claim before acting: each item's commitment is recorded on the item in the same transaction that makes
        the commitment, and the owner is asked only after that commits. A second click (or one racing this one)
        finds the item taken and reports it as already tracked; a click after a crash proposes only the items
        that have no commitment yet.
        """
        result = TrackResult()
        now = self.clock.now()
        for entry in await self.repo.action_items(stored.id):
            item = entry.item
            if entry.commitment_id is not None:
                if entry.asked_at is None and await self.repo.retake_unasked(
                    stored.id, entry.position, claimed_before=now - ASK_LEASE, now=now
                ):
                    # The bot stopped between making the commitment and asking its owner: ask them now.
                    try:
                        asked = await proposer.ask_again(entry.commitment_id)
                    except Exception:
                        log.exception("could not ask again for action item %s of summary %s", entry.position, stored.id)
                        result.failed.append((entry, SOMETHING_WRONG))
                        continue
                    await self.repo.mark_asked(stored.id, entry.position, now=now)
                    if asked:
                        result.proposed.append((entry, entry.commitment_id))
                        continue
                result.already.append(entry)
                continue
            if item.owner_id is None:
                result.no_owner.append(entry)
                continue
            claim = functools.partial(self._claim, stored.id, entry.position, now)
            try:
                commitment = await proposer.propose(
                    guild_id=stored.guild_id,
                    owner_id=item.owner_id,
                    creator_id=stored.creator_id,
                    text=_commitment_text(item.text),
                    due=item.due if item.due is not None and item.due > now + DUE_MARGIN else None,
                    source_kind="summary",
                    source_url=stored.published_url or item.jump_url or None,
                    source_channel_id=stored.channel_id,
                    claim=claim,
                )
            except AlreadyTracked:
                result.already.append(entry)
                continue
            except Exception as error:
                # One owner who can't be asked must not stop the others.
                message = getattr(error, "message", None)
                if not isinstance(message, str):
                    log.exception("could not propose action item %s of summary %s", entry.position, stored.id)
                    message = SOMETHING_WRONG
                result.failed.append((entry, message))
                continue
            await self.repo.mark_asked(stored.id, entry.position, now=now)
            result.proposed.append((entry, int(commitment.id)))
        return result

    async def _claim(self, summary_id: int, position: int, now: datetime, conn: Any, commitment_id: int) -> None:
        await self.repo.claim_item(conn, summary_id, position, commitment_id=commitment_id, now=now)


#: Why an owner could not be asked, when the failure was unexpected (shown translated, like a note).
SOMETHING_WRONG = t(ENGLISH, "something went wrong")
#: An item claimed this long ago whose owner was never asked is taken over by the next Track (its asker stopped).
ASK_LEASE = timedelta(minutes=2)
#: A due time closer than this is treated as already passed (the owner could not accept in time).
DUE_MARGIN = timedelta(minutes=5)
COMMITMENT_TEXT_LIMIT = 300


def _offline_summary(messages: list[ChatMessage], excluded_count: int) -> tuple[Summary, str | None]:
    """The offline summary, and the language of a conversation mostly not in English (a capped, linear guess)."""
    summary = offline_summarize(messages, excluded_count=excluded_count)
    return summary, mostly_not_english(m.content for m in messages)


def _commitment_text(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= COMMITMENT_TEXT_LIMIT:
        return flat
    return flat[: COMMITMENT_TEXT_LIMIT - 1].rstrip() + "…"
