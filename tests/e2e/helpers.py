"""Small conveniences for end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from bot.db.database import Database
from tests.double import DiscordDouble


async def slash(double: DiscordDouble, user: Any, channel: Any, name: str, /, **options: Any) -> Any:
    """Send a slash command and wait for its first response."""
    record = await double.slash(user, channel, name, **options)
    await record.wait_response(timeout=10)
    return record


def embed_text(record_or_message: Any) -> str:
    """Everything readable in the embeds of a response or message, for assertions."""
    embeds = getattr(record_or_message, "embeds", None) or []
    parts: list[str] = []
    for embed in embeds:
        parts.append(str(embed.get("title", "")))
        parts.append(str(embed.get("description", "")))
        for field in embed.get("fields", []):
            parts.append(f"{field.get('name', '')}: {field.get('value', '')}")
        footer = embed.get("footer") or {}
        parts.append(str(footer.get("text", "")))
    return "\n".join(parts)


async def db_settles(db: Database, sql: str, expected: Any, params: Sequence[Any] = (), *, within: float = 10) -> None:
    """Wait until ``sql`` gives ``expected``: the bot records what it sent right after the post a test saw.

    Reads see committed data only, so a test reading just after a post may be a moment early.
    """
    deadline = asyncio.get_running_loop().time() + within
    value = await db.fetchval(sql, params)
    while value != expected and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.01)
        value = await db.fetchval(sql, params)
    assert value == expected, f"{sql!r} gave {value!r}, not {expected!r}, within {within} s"
