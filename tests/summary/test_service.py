"""The summary service over a real database: engines and fallback, drafts, publishing, tracking action items."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.commitments.models import Commitment
from bot.commitments.service import CommitmentService
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.errors import NotAllowed, ObjectNotFound
from bot.scheduling.clock import FakeClock
from bot.scheduling.jobs import JobService
from bot.summary.llm import LlmConfig, LlmSummarizer
from bot.summary.models import ActionItem, Bullet, ChatMessage, Participant, Summary
from bot.summary.service import (
    FALLBACK_NOTES,
    LANGUAGE_NOTE,
    UNEXPECTED_NOTE,
    EngineResult,
    SummaryService,
    note_lines,
)
from tests.fakes.openai_server import FakeOpenAI, Reply

GUILD, OTHER_GUILD, CHANNEL = 7001, 7002, 7100
MAYA, SAM, LEE = 101, 102, 103


def messages(start: datetime) -> list[ChatMessage]:
    lines = [
        (MAYA, "Maya", "Shall we ship the new onboarding on Thursday?"),
        (SAM, "Sam", "Yes, Thursday works for me."),
        (MAYA, "Maya", "Great, let's ship it on Thursday then."),
        (SAM, "Sam", "I'll update the release notes by Wednesday."),
        (LEE, "Lee", "Do we need a feature flag for the old flow?"),
    ]
    return [
        ChatMessage(
            id=9000 + i,
            author_id=author,
            author_name=name,
            created_at=start - timedelta(minutes=30 - i),
            content=text,
            jump_url=f"https://discord.com/channels/{GUILD}/{CHANNEL}/{9000 + i}",
        )
        for i, (author, name, text) in enumerate(lines)
    ]


def a_summary(due: datetime | None) -> Summary:
    url = f"https://discord.com/channels/{GUILD}/{CHANNEL}/"
    return Summary(
        participants=(Participant(MAYA, "Maya", 2), Participant(SAM, "Sam", 2)),
        key_points=(Bullet("The team ships on Thursday.", 9000, url + "9000"),),
        decisions=(Bullet("Ship on Thursday.", 9002, url + "9002"),),
        action_items=(
            ActionItem(SAM, "Sam", "update the release notes", due, "by Wednesday",
                       "Sam will update the release notes by Wednesday.", 9003, url + "9003"),
            ActionItem(None, "Everyone", "test it", None, None, "Everyone will test it.", 9002, url + "9002"),
            ActionItem(MAYA, "Maya", "tell support", None, None, "Maya will tell support.", 9002, url + "9002"),
        ),
        open_questions=(Bullet("Do we need a feature flag?", 9004, url + "9004"),),
        excluded_count=1,
        message_count=5,
    )


class RecordingNotifier:
    def __init__(self) -> None:
        self.asked: list[Commitment] = []

    async def ask_owner(self, commitment: Commitment) -> str:
        self.asked.append(commitment)
        return "dm"

    async def nudge(self, commitment: Commitment, kind: Any, *, nonce: str) -> str:
        return "dm"

    async def escalate(self, commitment: Commitment, *, nonce: str) -> bool:
        return True

    async def celebrate(self, commitment: Commitment) -> bool:
        return True

    async def ask_for_help(self, commitment: Commitment) -> bool:
        return True


@pytest.fixture
def prefs(db: Database) -> PreferencesRepo:
    return PreferencesRepo(db)


@pytest.fixture
def service(db: Database, prefs: PreferencesRepo, clock: FakeClock) -> SummaryService:
    return SummaryService(db, prefs, clock, default_zone="UTC")


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAI]:
    fake = FakeOpenAI()
    await fake.start()
    yield fake
    await fake.stop()


def with_llm(db: Database, prefs: PreferencesRepo, clock: FakeClock, url: str, timeout: float = 3.0) -> SummaryService:
    return SummaryService(db, prefs, clock, llm=LlmSummarizer(LlmConfig(base_url=url, model="m", timeout=timeout)))


async def draft(service: SummaryService, clock: FakeClock, *, guild: int = GUILD, creator: int = MAYA,
                due: datetime | None = None) -> Any:
    summary = a_summary(due)
    return await service.create_draft(
        guild_id=guild, channel_id=CHANNEL, channel_name="general", creator_id=creator,
        result=EngineResult(summary, "offline"), markdown="# Summary\n- The team ships on Thursday.",
        messages=messages(clock.now()),
    )


# -- people ---------------------------------------------------------------------------------------------------


async def test_authors_knows_who_opted_out_and_each_zone(service: SummaryService, prefs: PreferencesRepo,
                                                         clock: FakeClock) -> None:
    now = clock.now()
    await prefs.update_member(SAM, now, summaries_opt_out=True)
    await prefs.update_member(LEE, now, timezone="Asia/Tokyo")
    await prefs.update_guild(GUILD, now, timezone="Europe/Paris")

    authors = await service.authors([MAYA, SAM, LEE, SAM], GUILD)
    assert authors.opted_out == frozenset({SAM})
    assert authors.zone(LEE) == "Asia/Tokyo"
    assert authors.zone(MAYA) == "Europe/Paris"  # the server's zone when the member set none
    assert (await service.authors([MAYA], OTHER_GUILD)).zone(MAYA) == "UTC"


# -- engines ----------------------------------------------------------------------------------------------------


async def test_without_a_language_model_the_offline_engine_answers(service: SummaryService, clock: FakeClock) -> None:
    result = await service.summarize(messages(clock.now()), excluded_count=2)
    assert result.engine == "offline" and result.note is None
    assert result.summary.message_count == 5 and result.summary.excluded_count == 2
    assert {p.author_id for p in result.summary.participants} == {MAYA, SAM, LEE}
    assert any(item.owner_id == SAM for item in result.summary.action_items)


async def test_a_good_language_model_answer_is_used(db: Database, prefs: PreferencesRepo, clock: FakeClock,
                                                    server: FakeOpenAI) -> None:
    server.answer({"key_points": [{"text": "The team ships on Thursday", "source": 3}], "decisions": [],
                   "action_items": [], "open_questions": []})
    result = await with_llm(db, prefs, clock, server.base_url).summarize(messages(clock.now()))
    assert result.engine == "llm" and result.note is None
    assert [b.source_message_id for b in result.summary.key_points] == [9002]


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply.status(500), "http"),
        (Reply.content("{not json"), "malformed"),
        (Reply.content('{"key_points": []}'), "schema"),
    ],
)
async def test_any_language_model_failure_falls_back_to_offline_with_a_note(
    db: Database, prefs: PreferencesRepo, clock: FakeClock, server: FakeOpenAI, reply: Reply, reason: Any
) -> None:
    server.always(reply)
    service = with_llm(db, prefs, clock, server.base_url, timeout=1.0)
    result = await service.summarize(messages(clock.now()), excluded_count=1)
    assert result.engine == "offline"
    assert result.note == FALLBACK_NOTES[reason]
    assert result.summary.message_count == 5 and result.summary.excluded_count == 1
    assert len(server.requests) == 1


async def test_the_timeout_note_reads_as_promised(db: Database, prefs: PreferencesRepo, clock: FakeClock,
                                                  server: FakeOpenAI) -> None:
    server.always(Reply.slow(3.0))
    result = await with_llm(db, prefs, clock, server.base_url, timeout=1.0).summarize(messages(clock.now()))
    assert result.engine == "offline" and result.summary.message_count == 5
    assert result.note == FALLBACK_NOTES["timeout"]
    assert result.note == "Used the offline summary: the language model didn't answer in time."


async def test_an_unexpected_error_in_the_language_model_path_still_gives_a_summary(
    service: SummaryService, clock: FakeClock
) -> None:
    class Broken(LlmSummarizer):
        async def summarize(self, messages: Any, *, excluded_count: int = 0) -> Summary:
            raise RuntimeError("bug")

    service.llm = Broken(LlmConfig(base_url="http://127.0.0.1:9", model="m"))
    result = await service.summarize(messages(clock.now()))
    assert result.engine == "offline" and result.note == UNEXPECTED_NOTE
    assert result.summary.message_count == 5


GERMAN = [
    "Können wir das neue Onboarding am Donnerstag ausliefern?",
    "Ja, Donnerstag passt mir. Ich schreibe die Release Notes bis Mittwoch.",
    "Super, dann machen wir es so. Wer kümmert sich um die Ankündigung?",
    "Ich mache das bis Freitag, aber ich brauche noch die Zahlen von dir.",
]


def german(start: datetime) -> list[ChatMessage]:
    return [
        ChatMessage(id=9100 + i, author_id=(MAYA, SAM)[i % 2], author_name=("Maya", "Sam")[i % 2],
                    created_at=start - timedelta(minutes=30 - i), content=text)
        for i, text in enumerate(GERMAN)
    ]


async def test_a_conversation_mostly_not_in_english_still_gets_a_summary_and_the_notice(
    service: SummaryService, clock: FakeClock
) -> None:
    result = await service.summarize(german(clock.now()))
    assert result.engine == "offline" and result.language == "de"
    assert result.summary.message_count == 4 and result.summary.participants
    assert result.note == LANGUAGE_NOTE
    # Stored in English, read in each reader's language.
    assert note_lines(result.note, "en-US") == [LANGUAGE_NOTE]
    (line,) = note_lines(result.note, "de")
    assert "nicht auf Englisch" in line and "Kernpunkte" in line
    (line,) = note_lines(result.note, "pt-BR")
    assert "não está em inglês" in line


async def test_an_english_conversation_gets_no_language_notice(service: SummaryService, clock: FakeClock) -> None:
    result = await service.summarize(messages(clock.now()))
    assert result.language is None and result.note is None


async def test_the_language_notice_comes_after_a_fallback_note(
    service: SummaryService, clock: FakeClock
) -> None:
    class Broken(LlmSummarizer):
        async def summarize(self, messages: Any, *, excluded_count: int = 0) -> Summary:
            raise RuntimeError("bug")

    service.llm = Broken(LlmConfig(base_url="http://127.0.0.1:9", model="m"))
    result = await service.summarize(german(clock.now()))
    assert result.note == f"{UNEXPECTED_NOTE}\n{LANGUAGE_NOTE}"
    first, second = note_lines(result.note, "fr")
    assert first.startswith("Résumé hors ligne utilisé") and "pas en anglais" in second


# -- drafts and publishing --------------------------------------------------------------------------------------


async def test_a_draft_is_stored_with_its_range_and_sections(service: SummaryService, clock: FakeClock) -> None:
    stored = await draft(service, clock)
    assert stored.status == "draft" and stored.number is None and stored.label == "draft"
    again = await service.repo.get(stored.id)
    assert again is not None and again == stored
    assert again.summary == a_summary(None)
    assert again.first_message_id == 9000 and again.last_message_id == 9004
    assert again.range_start == clock.now() - timedelta(minutes=30)
    assert again.range_end == clock.now() - timedelta(minutes=26)


async def test_publishing_numbers_summaries_per_server(service: SummaryService, clock: FakeClock) -> None:
    first = await draft(service, clock)
    second = await draft(service, clock)
    elsewhere = await draft(service, clock, guild=OTHER_GUILD)
    discarded = await draft(service, clock)
    await service.discard(discarded.id, MAYA, guild_id=GUILD)

    p2 = await service.mark_published(second.id, message_id=555, url="https://discord.com/channels/1/2/555")
    p1 = await service.mark_published(first.id, message_id=556, url="https://discord.com/channels/1/2/556")
    pe = await service.mark_published(elsewhere.id, message_id=557, url="https://discord.com/channels/1/2/557")
    assert (p2.number, p1.number, pe.number) == (1, 2, 1)
    assert p1.status == "published" and p1.published_at == clock.now()

    with pytest.raises(ObjectNotFound):
        await service.mark_published(first.id, message_id=558, url="https://discord.com/channels/1/2/558")
    with pytest.raises(ObjectNotFound):
        await service.mark_published(discarded.id, message_id=559, url="https://discord.com/channels/1/2/559")

    listed = await service.repo.published(GUILD)
    assert [entry.number for entry in listed] == [2, 1]
    assert (await service.published(GUILD, 2)).id == first.id
    with pytest.raises(ObjectNotFound):
        await service.published(GUILD, 3)
    with pytest.raises(ObjectNotFound):
        await service.published(OTHER_GUILD, 2)


async def test_only_the_creator_may_act_on_a_draft(service: SummaryService, clock: FakeClock) -> None:
    stored = await draft(service, clock)
    with pytest.raises(NotAllowed):
        await service.draft_for(stored.id, SAM, guild_id=GUILD)
    with pytest.raises(ObjectNotFound):
        await service.draft_for(stored.id, MAYA, guild_id=OTHER_GUILD)
    with pytest.raises(NotAllowed):
        await service.discard(stored.id, SAM, guild_id=GUILD)
    assert (await service.draft_for(stored.id, MAYA, guild_id=GUILD)).id == stored.id


async def test_discarding_keeps_nothing_of_the_conversation(service: SummaryService, clock: FakeClock) -> None:
    stored = await draft(service, clock)
    await service.discard(stored.id, MAYA, guild_id=GUILD)
    gone = await service.repo.get(stored.id)
    assert gone is not None and gone.status == "discarded"
    assert gone.markdown == "" and gone.summary.is_empty
    assert await service.repo.action_items(stored.id) == []
    with pytest.raises(ObjectNotFound):
        await service.draft_for(stored.id, MAYA, guild_id=GUILD)


async def test_a_published_summary_cannot_be_discarded(service: SummaryService, clock: FakeClock) -> None:
    stored = await draft(service, clock)
    await service.mark_published(stored.id, message_id=1, url="https://discord.com/channels/1/2/1")
    with pytest.raises(NotAllowed):
        await service.discard(stored.id, MAYA, guild_id=GUILD)


async def test_a_publish_cut_short_by_a_crash_is_a_draft_again_at_start_up(
    service: SummaryService, clock: FakeClock
) -> None:
    done = await draft(service, clock)
    await service.mark_published(done.id, message_id=7, url="https://discord.com/channels/1/2/7")
    cut = await draft(service, clock)
    await service.claim_number(cut.id)  # the crash came before the post was recorded
    assert await service.reconcile() == 1
    again = await service.draft_for(cut.id, MAYA, guild_id=GUILD)
    assert again.status == "draft" and again.number is None
    await service.discard(cut.id, MAYA, guild_id=GUILD)  # neither stuck nor unpublishable
    assert (await service.published(GUILD, 1)).id == done.id
    assert await service.reconcile() == 0


async def test_old_drafts_are_forgotten(service: SummaryService, clock: FakeClock) -> None:
    old = await draft(service, clock)
    kept = await draft(service, clock)
    await service.mark_published(kept.id, message_id=1, url="https://discord.com/channels/1/2/1")
    clock.advance(timedelta(days=8))
    fresh = await draft(service, clock)
    assert await service.purge_old_drafts() == 1
    assert await service.repo.get(old.id) is None
    assert await service.repo.get(kept.id) is not None
    assert await service.repo.get(fresh.id) is not None


# -- tracking action items -----------------------------------------------------------------------------------------


@pytest.fixture
def commitments(db: Database, prefs: PreferencesRepo, clock: FakeClock) -> tuple[CommitmentService, RecordingNotifier]:
    notifier = RecordingNotifier()
    return CommitmentService(db, prefs, clock, JobService(clock, realtime=False), notifier), notifier


async def test_tracking_asks_each_owner_once_with_the_summary_as_source(
    service: SummaryService, clock: FakeClock, commitments: tuple[CommitmentService, RecordingNotifier]
) -> None:
    commitment_service, notifier = commitments
    due = clock.now() + timedelta(days=2)
    stored = await draft(service, clock, due=due)
    published = await service.mark_published(stored.id, message_id=42,
                                              url=f"https://discord.com/channels/{GUILD}/{CHANNEL}/42")

    result = await service.track(published, commitment_service)
    assert [entry.item.owner_id for entry, _ in result.proposed] == [SAM, MAYA]
    assert [entry.item.owner_name for entry in result.no_owner] == ["Everyone"]
    assert result.failed == [] and result.already == []

    sam = await commitment_service.get(result.proposed[0][1])
    assert sam.owner_id == SAM and sam.creator_id == MAYA and sam.status == "proposed"
    assert sam.text == "Sam will update the release notes by Wednesday."
    assert sam.due_at == due
    assert sam.source_kind == "summary"
    assert sam.source_url == f"https://discord.com/channels/{GUILD}/{CHANNEL}/42"
    assert sam.source_channel_id == CHANNEL
    assert [c.owner_id for c in notifier.asked] == [SAM, MAYA]

    again = await service.track(published, commitment_service)
    assert again.proposed == [] and len(again.already) == 2
    assert len(notifier.asked) == 2


async def test_an_owner_never_asked_is_asked_by_a_later_track_once_the_claim_is_stale(
    service: SummaryService, clock: FakeClock, commitments: tuple[CommitmentService, RecordingNotifier]
) -> None:
    commitment_service, notifier = commitments
    stored = await draft(service, clock)
    await service.track(stored, commitment_service)
    assert [c.owner_id for c in notifier.asked] == [SAM, MAYA]
    # As if the bot stopped after Sam's commitment was made but before Sam was asked: its question still due.
    await service.repo.db.execute(
        "UPDATE summary_action_items SET asked_at = NULL WHERE summary_id = ? AND position = 0", (stored.id,)
    )
    await service.repo.db.execute(
        "UPDATE commitments SET ask_due_at = created_at, ask_started_at = NULL, ask_delivery = NULL WHERE id = ?",
        (notifier.asked[0].id,),
    )
    soon = await service.track(stored, commitment_service)  # a click racing the one still asking
    assert soon.proposed == [] and len(soon.already) == 2
    assert len(notifier.asked) == 2

    clock.advance(timedelta(minutes=3))
    late = await service.track(stored, commitment_service)
    assert [(e.item.owner_id, cid) for e, cid in late.proposed] == [(SAM, notifier.asked[0].id)]
    assert [c.owner_id for c in notifier.asked] == [SAM, MAYA, SAM]
    rows = await service.repo.db.fetchval("SELECT count(*) FROM commitments")
    assert rows == 2
    again = await service.track(stored, commitment_service)
    assert again.proposed == [] and len(notifier.asked) == 3


async def test_an_owner_already_asked_is_not_asked_again_when_only_the_summary_lost_its_record(
    service: SummaryService, clock: FakeClock, commitments: tuple[CommitmentService, RecordingNotifier]
) -> None:
    commitment_service, notifier = commitments
    stored = await draft(service, clock)
    await service.track(stored, commitment_service)
    # The bot stopped after Sam was asked (the commitment records it) but before the summary noted it.
    await service.repo.db.execute(
        "UPDATE summary_action_items SET asked_at = NULL WHERE summary_id = ? AND position = 0", (stored.id,)
    )
    clock.advance(timedelta(minutes=3))
    late = await service.track(stored, commitment_service)
    assert [(e.item.owner_id, cid) for e, cid in late.proposed] == [(SAM, notifier.asked[0].id)]
    assert [c.owner_id for c in notifier.asked] == [SAM, MAYA]


async def test_tracking_a_draft_links_each_item_to_its_message_and_drops_past_dues(
    service: SummaryService, clock: FakeClock, commitments: tuple[CommitmentService, RecordingNotifier]
) -> None:
    commitment_service, _ = commitments
    stored = await draft(service, clock, due=clock.now() - timedelta(hours=1))
    result = await service.track(stored, commitment_service)
    sam = await commitment_service.get(result.proposed[0][1])
    assert sam.source_url == f"https://discord.com/channels/{GUILD}/{CHANNEL}/9003"
    assert sam.due_at is None


async def test_one_failing_owner_does_not_stop_the_others(service: SummaryService, clock: FakeClock) -> None:
    class Picky:
        def __init__(self) -> None:
            self.calls: list[int] = []

        async def propose(self, **kwargs: Any) -> Any:
            self.calls.append(kwargs["owner_id"])
            if kwargs["owner_id"] == SAM:
                raise NotAllowed("Sam is not a member of this server any more.")

            class Made:
                id = 77

            async with service.repo.db.transaction() as conn:
                await kwargs["claim"](conn, Made.id)
            return Made()

    stored = await draft(service, clock)
    picky = Picky()
    result = await service.track(stored, picky)
    assert picky.calls == [SAM, MAYA]
    failed = [(e.item.owner_id, why) for e, why in result.failed]
    assert failed == [(SAM, "Sam is not a member of this server any more.")]
    assert [(e.item.owner_id, cid) for e, cid in result.proposed] == [(MAYA, 77)]
    items = await service.repo.action_items(stored.id)
    assert [i.commitment_id for i in items] == [None, None, 77]
    assert items[2].proposed_at == clock.now()

