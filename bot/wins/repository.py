"""Wins in the database: parameterised SQL (``?`` only), dataclasses out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db.codec import to_epoch
from bot.db.database import Database
from bot.db.rows import from_row
from bot.wins.models import Win


def _win(row: Any) -> Win:
    return from_row(Win, row)


class WinRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, *, guild_id: int, channel_id: int, author_id: int, member_id: int | None, text: str, now: datetime
    ) -> Win:
        win_id = await self.db.execute(
            "INSERT INTO wins (guild_id, channel_id, author_id, member_id, text, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (guild_id, channel_id, author_id, member_id, text, to_epoch(now)),
        )
        found = await self.get(win_id)
        assert found is not None
        return found

    async def get(self, win_id: int) -> Win | None:
        row = await self.db.fetchone("SELECT * FROM wins WHERE id = ?", (win_id,))
        return None if row is None else _win(row)

    async def set_message(self, win_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE wins SET message_id = ? WHERE id = ?", (message_id, win_id))

    async def delete(self, win_id: int) -> None:
        await self.db.execute("DELETE FROM wins WHERE id = ?", (win_id,))

    async def between(self, guild_id: int, start: datetime, end: datetime, limit: int = 500) -> list[Win]:
        """Wins posted in ``[start, end)``, newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM wins WHERE guild_id = ? AND created_at >= ? AND created_at < ? "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (guild_id, to_epoch(start), to_epoch(end), limit),
        )
        return [_win(row) for row in rows]

    async def count_between(self, guild_id: int, start: datetime, end: datetime) -> int:
        value = await self.db.fetchval(
            "SELECT count(*) FROM wins WHERE guild_id = ? AND created_at >= ? AND created_at < ?",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        return int(value or 0)
