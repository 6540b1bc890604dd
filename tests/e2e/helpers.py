"""Small conveniences for end-to-end tests."""

from __future__ import annotations

from typing import Any

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
