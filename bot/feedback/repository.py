"""Feedback in the database: parameterised SQL (``?`` only), dataclasses out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db.codec import to_epoch
from bot.db.database import Database
from bot.db.rows import from_row
from bot.feedback.models import FeedbackNote, ServerFeedback, VoteCounts


def _note(row: Any) -> FeedbackNote:
    return from_row(FeedbackNote, row)


def _server_feedback(row: Any) -> ServerFeedback:
    return from_row(ServerFeedback, row)


class FeedbackRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- buttons -------------------------------------------------------------------------------------------
    async def previous_vote(self, kind: str, ref_id: int, user_id: int) -> str | None:
        value = await self.db.fetchval(
            "SELECT vote FROM feedback_votes WHERE kind = ? AND ref_id = ? AND user_id = ?", (kind, ref_id, user_id)
        )
        return None if value is None else str(value)

    async def record_vote(
        self,
        *,
        kind: str,
        ref_id: int,
        user_id: int,
        vote: str,
        guild_id: int | None,
        channel_id: int | None,
        message_id: int | None,
        now: datetime,
    ) -> None:
        at = to_epoch(now)
        await self.db.execute(
            "INSERT INTO feedback_votes (kind, ref_id, user_id, vote, guild_id, channel_id, message_id, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, ref_id, user_id) DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at",
            (kind, ref_id, user_id, vote, guild_id, channel_id, message_id, at, at),
        )

    async def counts(self, kind: str, ref_id: int) -> VoteCounts:
        rows = await self.db.fetchall(
            "SELECT vote, count(*) AS n FROM feedback_votes WHERE kind = ? AND ref_id = ? GROUP BY vote",
            (kind, ref_id),
        )
        found = {row["vote"]: int(row["n"]) for row in rows}
        return VoteCounts(up=found.get("up", 0), missing=found.get("missing", 0))

    async def add_note(
        self,
        *,
        kind: str,
        ref_id: int,
        user_id: int,
        guild_id: int | None,
        channel_id: int,
        message_id: int | None,
        note: str,
        now: datetime,
    ) -> FeedbackNote:
        """The vote and the note together, in one transaction."""
        at = to_epoch(now)
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO feedback_votes (kind, ref_id, user_id, vote, guild_id, channel_id, message_id, "
                "created_at, updated_at) VALUES (?, ?, ?, 'missing', ?, ?, ?, ?, ?) "
                "ON CONFLICT (kind, ref_id, user_id) DO UPDATE SET vote = 'missing', updated_at = excluded.updated_at",
                (kind, ref_id, user_id, guild_id, channel_id, message_id, at, at),
            )
            cursor = await conn.execute(
                "INSERT INTO feedback_notes (kind, ref_id, user_id, guild_id, channel_id, message_id, note, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (kind, ref_id, user_id, guild_id, channel_id, message_id, note, at),
            )
            inserted = await cursor.fetchone()
            note_id = int(inserted[0]) if inserted is not None else 0
        found = await self.note(note_id)
        assert found is not None
        return found

    async def note(self, note_id: int) -> FeedbackNote | None:
        row = await self.db.fetchone("SELECT * FROM feedback_notes WHERE id = ?", (note_id,))
        return None if row is None else _note(row)

    async def notes(self, kind: str, ref_id: int) -> list[FeedbackNote]:
        rows = await self.db.fetchall(
            "SELECT * FROM feedback_notes WHERE kind = ? AND ref_id = ? ORDER BY id", (kind, ref_id)
        )
        return [_note(row) for row in rows]

    async def set_note_reply(self, note_id: int, reply_message_id: int) -> None:
        await self.db.execute(
            "UPDATE feedback_notes SET reply_message_id = ? WHERE id = ?", (reply_message_id, note_id)
        )

    # -- /feedback -----------------------------------------------------------------------------------------
    async def add_server_feedback(
        self, *, guild_id: int, author_id: int | None, text: str, channel_id: int, now: datetime
    ) -> ServerFeedback:
        """``author_id=None`` stores anonymous feedback: no column anywhere holds who sent it."""
        feedback_id = await self.db.execute(
            "INSERT INTO server_feedback (guild_id, anonymous, author_id, text, channel_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (guild_id, 1 if author_id is None else 0, author_id, text, channel_id, to_epoch(now)),
        )
        found = await self.server_feedback(feedback_id)
        assert found is not None
        return found

    async def server_feedback(self, feedback_id: int) -> ServerFeedback | None:
        row = await self.db.fetchone("SELECT * FROM server_feedback WHERE id = ?", (feedback_id,))
        return None if row is None else _server_feedback(row)

    async def set_server_feedback_message(self, feedback_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE server_feedback SET message_id = ? WHERE id = ?", (message_id, feedback_id))

    async def delete_server_feedback(self, feedback_id: int) -> None:
        await self.db.execute("DELETE FROM server_feedback WHERE id = ?", (feedback_id,))
