"""Stored summaries: drafts waiting for review, published summaries and their action items."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.db.codec import from_epoch, from_epoch_or_none, to_epoch, to_epoch_or_none
from bot.db.database import Database
from bot.summary.models import ActionItem, Bullet, Participant, Summary

Status = Literal["draft", "published", "discarded"]
Engine = Literal["offline", "llm"]


@dataclass(frozen=True, slots=True)
class StoredActionItem:
    summary_id: int
    position: int
    item: ActionItem
    commitment_id: int | None = None
    proposed_at: datetime | None = None
    asked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredSummary:
    id: int
    guild_id: int
    number: int | None
    channel_id: int
    channel_name: str
    creator_id: int
    created_at: datetime
    first_message_id: int | None
    last_message_id: int | None
    range_start: datetime | None
    range_end: datetime | None
    engine: Engine
    note: str | None
    markdown: str
    summary: Summary
    status: Status
    skipped_count: int = 0
    published_message_id: int | None = None
    published_url: str | None = None
    published_at: datetime | None = None

    @property
    def label(self) -> str:
        """How members refer to it: "#3" once published, "draft" before."""
        return f"#{self.number}" if self.number is not None else "draft"


@dataclass(frozen=True, slots=True)
class NewSummary:
    """What a draft is made of, before it has an id."""

    guild_id: int
    channel_id: int
    channel_name: str
    creator_id: int
    created_at: datetime
    engine: Engine
    note: str | None
    markdown: str
    summary: Summary
    first_message_id: int | None = None
    last_message_id: int | None = None
    range_start: datetime | None = None
    range_end: datetime | None = None
    skipped_count: int = 0


# -- (de)serialising the sections --------------------------------------------------------------------------


def _bullet(value: Bullet) -> dict[str, Any]:
    return {"text": value.text, "source": value.source_message_id, "url": value.jump_url}


def _bullet_from(raw: dict[str, Any]) -> Bullet:
    return Bullet(text=str(raw["text"]), source_message_id=int(raw["source"]), jump_url=str(raw["url"]))


def sections_to_json(summary: Summary) -> str:
    """Everything of a summary except its action items (they have their own table)."""
    return json.dumps(
        {
            "participants": [[p.author_id, p.name, p.message_count] for p in summary.participants],
            "key_points": [_bullet(b) for b in summary.key_points],
            "decisions": [_bullet(b) for b in summary.decisions],
            "open_questions": [_bullet(b) for b in summary.open_questions],
            "excluded_count": summary.excluded_count,
            "message_count": summary.message_count,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def sections_from_json(text: str, action_items: Sequence[ActionItem]) -> Summary:
    raw = json.loads(text)
    return Summary(
        participants=tuple(Participant(int(a), str(n), int(c)) for a, n, c in raw["participants"]),
        key_points=tuple(_bullet_from(b) for b in raw["key_points"]),
        decisions=tuple(_bullet_from(b) for b in raw["decisions"]),
        action_items=tuple(action_items),
        open_questions=tuple(_bullet_from(b) for b in raw["open_questions"]),
        excluded_count=int(raw["excluded_count"]),
        message_count=int(raw["message_count"]),
    )


def _item_from_row(row: Any) -> StoredActionItem:
    return StoredActionItem(
        summary_id=row["summary_id"],
        position=row["position"],
        item=ActionItem(
            owner_id=row["owner_id"],
            owner_name=row["owner_name"],
            what=row["what"],
            due=from_epoch_or_none(row["due_at"]),
            due_text=row["due_text"],
            text=row["text"],
            source_message_id=row["source_message_id"],
            jump_url=row["jump_url"],
        ),
        commitment_id=row["commitment_id"],
        proposed_at=from_epoch_or_none(row["proposed_at"]),
        asked_at=from_epoch_or_none(row["asked_at"]),
    )


class AlreadyTracked(Exception):
    """The action item already has its commitment (or is gone); nothing new was made."""

    def __init__(self, summary_id: int, position: int) -> None:
        super().__init__(f"action item {position} of summary {summary_id} is already tracked")


class SummaryRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- writes ------------------------------------------------------------------------------------------
    async def create(self, new: NewSummary) -> StoredSummary:
        """Store a draft and its action items in one transaction."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO summaries (guild_id, channel_id, channel_name, creator_id, created_at, first_message_id,"
                " last_message_id, range_start, range_end, message_count, excluded_count, skipped_count, engine, note,"
                " sections, markdown, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')",
                (
                    new.guild_id,
                    new.channel_id,
                    new.channel_name,
                    new.creator_id,
                    to_epoch(new.created_at),
                    new.first_message_id,
                    new.last_message_id,
                    to_epoch_or_none(new.range_start),
                    to_epoch_or_none(new.range_end),
                    new.summary.message_count,
                    new.summary.excluded_count,
                    new.skipped_count,
                    new.engine,
                    new.note,
                    sections_to_json(new.summary),
                    new.markdown,
                ),
            )
            summary_id = cursor.lastrowid
            assert summary_id is not None
            await conn.executemany(
                "INSERT INTO summary_action_items (summary_id, position, owner_id, owner_name, what, due_at,"
                " due_text, text, source_message_id, jump_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        summary_id,
                        position,
                        item.owner_id,
                        item.owner_name,
                        item.what,
                        to_epoch_or_none(item.due),
                        item.due_text,
                        item.text,
                        item.source_message_id,
                        item.jump_url,
                    )
                    for position, item in enumerate(new.summary.action_items)
                ],
            )
        found = await self.get(summary_id)
        assert found is not None
        return found

    async def claim_number(self, summary_id: int, *, now: datetime) -> StoredSummary | None:
        """Mark a draft published with the server's next number, before it is posted (so the post can show it).

        None if it is no longer a draft. If posting then fails, :meth:`release` makes it a draft again.
        """
        async with self.db.transaction() as conn:
            cursor = await conn.execute("SELECT guild_id, status FROM summaries WHERE id = ?", (summary_id,))
            row = await cursor.fetchone()
            if row is None or row["status"] != "draft":
                return None
            cursor = await conn.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM summaries WHERE guild_id = ?", (row["guild_id"],)
            )
            number_row = await cursor.fetchone()
            assert number_row is not None
            claimed = await conn.execute(
                "UPDATE summaries SET status = 'published', number = ?, published_at = ? "
                "WHERE id = ? AND status = 'draft'",
                (int(number_row[0]), to_epoch(now), summary_id),
            )
            if claimed.rowcount != 1:  # another process published it meanwhile
                return None
        return await self.get(summary_id)

    async def set_published_message(
        self, summary_id: int, *, message_id: int, url: str, markdown: str | None = None
    ) -> StoredSummary | None:
        await self.db.execute(
            "UPDATE summaries SET published_message_id = ?, published_url = ?, markdown = COALESCE(?, markdown)"
            " WHERE id = ? AND status = 'published'",
            (message_id, url, markdown, summary_id),
        )
        return await self.get(summary_id)

    async def release(self, summary_id: int) -> None:
        """Undo :meth:`claim_number` after a post failed: a draft again, without a number."""
        await self.db.execute(
            "UPDATE summaries SET status = 'draft', number = NULL, published_at = NULL, published_message_id = NULL,"
            " published_url = NULL WHERE id = ? AND status = 'published'",
            (summary_id,),
        )

    async def release_unfinished(self) -> int:
        """At start-up: a summary claimed for publishing but never recorded as posted (a crash between the
        two steps) becomes a draft again, so it can be published or discarded. Returns how many."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE summaries SET status = 'draft', number = NULL, published_at = NULL, "
                "published_message_id = NULL, published_url = NULL "
                "WHERE status = 'published' AND published_message_id IS NULL"
            )
            return cursor.rowcount

    async def discard(self, summary_id: int, *, now: datetime) -> bool:
        """Discard a draft; False if it was not a draft (already published or discarded)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE summaries SET status = 'discarded', discarded_at = ?, sections = '', markdown = ''"
                " WHERE id = ? AND status = 'draft'",
                (to_epoch(now), summary_id),
            )
            changed = cursor.rowcount > 0
            if changed:
                # A discarded draft keeps no text of the conversation.
                await conn.execute("DELETE FROM summary_action_items WHERE summary_id = ?", (summary_id,))
            return changed

    async def purge_drafts(self, *, created_before: datetime) -> int:
        """Forget drafts nobody published or discarded; returns how many were removed."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM summaries WHERE status = 'draft' AND created_at < ?", (to_epoch(created_before),)
            )
            return cursor.rowcount

    @staticmethod
    async def claim_item(
        conn: Any, summary_id: int, position: int, *, commitment_id: int, now: datetime
    ) -> None:
        """Record the commitment made for an action item, inside that commitment's insert transaction.

        Raises :class:`AlreadyTracked` (rolling the commitment back) when another click got there first, so
        each item is proposed at most once however often Track is pressed or retried.
        """
        cursor = await conn.execute(
            "UPDATE summary_action_items SET commitment_id = ?, proposed_at = ?"
            " WHERE summary_id = ? AND position = ? AND commitment_id IS NULL",
            (commitment_id, to_epoch(now), summary_id, position),
        )
        if cursor.rowcount != 1:
            raise AlreadyTracked(summary_id, position)

    async def mark_asked(self, summary_id: int, position: int, *, now: datetime) -> None:
        await self.db.execute(
            "UPDATE summary_action_items SET asked_at = ? WHERE summary_id = ? AND position = ?",
            (to_epoch(now), summary_id, position),
        )

    async def retake_unasked(self, summary_id: int, position: int, *, claimed_before: datetime, now: datetime) -> bool:
        """Take over an item whose owner was never asked (the claim is older than ``claimed_before``)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE summary_action_items SET proposed_at = ? WHERE summary_id = ? AND position = ?"
                " AND commitment_id IS NOT NULL AND asked_at IS NULL AND proposed_at < ?",
                (to_epoch(now), summary_id, position, to_epoch(claimed_before)),
            )
            return cursor.rowcount == 1

    # -- reads -------------------------------------------------------------------------------------------
    async def action_items(self, summary_id: int) -> list[StoredActionItem]:
        rows = await self.db.fetchall(
            "SELECT * FROM summary_action_items WHERE summary_id = ? ORDER BY position", (summary_id,)
        )
        return [_item_from_row(row) for row in rows]

    async def _from_row(self, row: Any) -> StoredSummary:
        items = [stored.item for stored in await self.action_items(row["id"])]
        summary = sections_from_json(row["sections"], items) if row["sections"] else Summary()
        return StoredSummary(
            id=row["id"],
            guild_id=row["guild_id"],
            number=row["number"],
            channel_id=row["channel_id"],
            channel_name=row["channel_name"],
            creator_id=row["creator_id"],
            created_at=from_epoch(row["created_at"]),
            first_message_id=row["first_message_id"],
            last_message_id=row["last_message_id"],
            range_start=from_epoch_or_none(row["range_start"]),
            range_end=from_epoch_or_none(row["range_end"]),
            engine=row["engine"],
            note=row["note"],
            markdown=row["markdown"],
            summary=summary,
            status=row["status"],
            skipped_count=row["skipped_count"],
            published_message_id=row["published_message_id"],
            published_url=row["published_url"],
            published_at=from_epoch_or_none(row["published_at"]),
        )

    async def get(self, summary_id: int) -> StoredSummary | None:
        row = await self.db.fetchone("SELECT * FROM summaries WHERE id = ?", (summary_id,))
        return None if row is None else await self._from_row(row)

    async def by_number(self, guild_id: int, number: int) -> StoredSummary | None:
        """A published summary of this server by its short number."""
        row = await self.db.fetchone(
            "SELECT * FROM summaries WHERE guild_id = ? AND number = ? AND status = 'published'", (guild_id, number)
        )
        return None if row is None else await self._from_row(row)

    async def published(self, guild_id: int, *, limit: int = 100) -> list[PublishedEntry]:
        """This server's published summaries, newest first (headlines only)."""
        rows = await self.db.fetchall(
            "SELECT id, number, channel_id, channel_name, creator_id, published_at, message_count, published_url"
            " FROM summaries WHERE guild_id = ? AND status = 'published' AND published_url IS NOT NULL"
            " ORDER BY number DESC LIMIT ?",
            (guild_id, limit),
        )
        return [
            PublishedEntry(
                id=row["id"],
                number=row["number"],
                channel_id=row["channel_id"],
                channel_name=row["channel_name"],
                creator_id=row["creator_id"],
                published_at=from_epoch(row["published_at"]),
                message_count=row["message_count"],
                url=row["published_url"],
            )
            for row in rows
        ]


@dataclass(frozen=True, slots=True)
class PublishedEntry:
    id: int
    number: int
    channel_id: int
    channel_name: str
    creator_id: int
    published_at: datetime
    message_count: int
    url: str

    @property
    def label(self) -> str:
        return f"#{self.number}"
