"""Build small conversations for the summary tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.summary.models import ChatMessage

MAYA, SAM, PRIYA, TOM = 1, 2, 3, 4
NAMES = {MAYA: "Maya", SAM: "Sam", PRIYA: "Priya", TOM: "Tom"}
# Wednesday 5 March 2025, 14:00 UTC.
BASE = datetime(2025, 3, 5, 14, 0, tzinfo=UTC)


def url(message_id: int) -> str:
    return f"https://discord.com/channels/1/2/{message_id}"


def chat(*rows: tuple[Any, ...], start: datetime = BASE, step: timedelta = timedelta(minutes=1)) -> list[ChatMessage]:
    """Rows are (author id, text) or (author id, text, {extra ChatMessage fields}); ids start at 100."""
    out = []
    for i, row in enumerate(rows):
        author, text, *rest = row
        extra = dict(rest[0]) if rest else {}
        created = extra.pop("created_at", start + step * i)
        out.append(
            ChatMessage(
                id=100 + i,
                author_id=author,
                author_name=extra.pop("author_name", NAMES[author]),
                created_at=created,
                content=text,
                jump_url=url(100 + i),
                tz=extra.pop("tz", "UTC"),
                **extra,
            )
        )
    return out
