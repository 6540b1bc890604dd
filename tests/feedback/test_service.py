"""Feedback on real SQLite: votes, notes, and /feedback that stores no author when anonymous."""

from __future__ import annotations

import re

import pytest

from bot.db.connection import IntegrityError
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.errors import BadInput, ObjectNotFound
from bot.feedback.models import CUSTOM_ID, VoteCounts, custom_id
from bot.feedback.service import FeedbackService
from bot.scheduling.clock import FakeClock

GUILD = 10
FEEDBACK_CHANNEL = 77


@pytest.fixture
def service(db: Database, clock: FakeClock) -> FeedbackService:
    return FeedbackService(db, PreferencesRepo(db), clock)


def test_custom_ids_are_the_documented_wire_format() -> None:
    assert custom_id("summary", 42, "up") == "fb:summary:42:up"
    assert custom_id("repair", 7, "missing") == "fb:repair:7:missing"
    assert CUSTOM_ID.fullmatch("fb:checkin:123:missing")
    assert re.fullmatch(CUSTOM_ID, "fb:other:1:up") is None
    assert len(custom_id("checkin", 2**63 - 1, "missing")) <= 100
    with pytest.raises(ValueError):
        custom_id("poll", 1, "up")
    with pytest.raises(ValueError):
        custom_id("summary", 1, "down")


async def test_votes_are_one_per_member_and_can_change(service: FeedbackService) -> None:
    where = {"guild_id": GUILD, "channel_id": 5, "message_id": 6}
    assert await service.vote_up("summary", 1, user_id=1, **where) is None
    assert await service.vote_up("summary", 1, user_id=1, **where) == "up"
    await service.vote_up("summary", 1, user_id=2, **where)
    assert await service.counts("summary", 1) == VoteCounts(up=2, missing=0)
    note = await service.add_note("summary", 1, user_id=2, guild_id=GUILD, channel_id=5, message_id=6,
                                  note="  The decision about Friday  ")
    assert note.note == "The decision about Friday" and note.reply_message_id is None
    assert await service.counts("summary", 1) == VoteCounts(up=1, missing=1)
    assert await service.vote_up("summary", 1, user_id=2, **where) == "missing"
    await service.note_posted(note.id, 900)
    assert [(n.user_id, n.reply_message_id) for n in await service.notes("summary", 1)] == [(2, 900)]
    assert await service.counts("checkin", 1) == VoteCounts()


async def test_notes_need_a_few_words(service: FeedbackService, db: Database) -> None:
    with pytest.raises(BadInput):
        await service.add_note("repair", 1, user_id=1, guild_id=GUILD, channel_id=5, message_id=None, note=" x ")
    assert await db.fetchval("SELECT count(*) FROM feedback_notes") == 0
    assert await db.fetchval("SELECT count(*) FROM feedback_votes") == 0


async def test_no_feedback_channel(service: FeedbackService, db: Database) -> None:
    with pytest.raises(ObjectNotFound, match="no feedback channel"):
        await service.submit(guild_id=GUILD, author_id=1, text="Hello", anonymous=True)
    assert await db.fetchval("SELECT count(*) FROM server_feedback") == 0


async def test_anonymous_feedback_stores_no_author(service: FeedbackService, db: Database, clock: FakeClock) -> None:
    await PreferencesRepo(db).update_guild(GUILD, clock.now(), feedback_channel_id=FEEDBACK_CHANNEL)
    anonymous = await service.submit(guild_id=GUILD, author_id=12345, text="Meetings run long", anonymous=True)
    named = await service.submit(guild_id=GUILD, author_id=12345, text="Thanks for the notes", anonymous=False)
    rows = await db.fetchall("SELECT * FROM server_feedback ORDER BY id")
    assert [(r["anonymous"], r["author_id"], r["channel_id"]) for r in rows] == [
        (1, None, FEEDBACK_CHANNEL),
        (0, 12345, FEEDBACK_CHANNEL),
    ]
    # No column of the anonymous row holds the sender's id in any form.
    assert "12345" not in " ".join(str(value) for value in tuple(rows[0]))
    assert anonymous.author_id is None and named.author_id == 12345
    # The table itself refuses an anonymous row with an author.
    with pytest.raises(IntegrityError, match=r"(?i)check"):
        await db.execute(
            "INSERT INTO server_feedback (guild_id, anonymous, author_id, text, channel_id, created_at) "
            "VALUES (1, 1, 5, 'x', 1, 0)"
        )
    await service.discard(anonymous.id)
    assert await db.fetchval("SELECT count(*) FROM server_feedback") == 1


async def test_feedback_text_is_checked(service: FeedbackService, db: Database, clock: FakeClock) -> None:
    await PreferencesRepo(db).update_guild(GUILD, clock.now(), feedback_channel_id=FEEDBACK_CHANNEL)
    with pytest.raises(BadInput):
        await service.submit(guild_id=GUILD, author_id=1, text="   ", anonymous=False)
    with pytest.raises(BadInput):
        await service.submit(guild_id=GUILD, author_id=1, text="x" * 1501, anonymous=False)
