"""What the metrics see of Discord: interaction labels, readiness checks, and the IDENTIFY hook's facts.

The counting itself lives in :mod:`bot.metrics` (no Discord import); this module turns discord.py objects
into the plain values it takes.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

log = logging.getLogger(__name__)


def interaction_label(interaction: discord.Interaction[Any]) -> str:
    """A bounded label: the command's full name, or a component's or form's ``custom_id`` prefix."""
    data: dict[str, Any] = dict(interaction.data or {})
    if interaction.type in (discord.InteractionType.application_command, discord.InteractionType.autocomplete):
        parts = [str(data.get("name", "command"))]
        options = data.get("options") or []
        while options and options[0].get("type") in (1, 2):  # sub-command (group)
            parts.append(str(options[0].get("name", "")))
            options = options[0].get("options") or []
        label = " ".join(parts)
        return f"{label} (autocomplete)" if interaction.type is discord.InteractionType.autocomplete else label
    custom_id = str(data.get("custom_id", ""))
    prefix = (
        custom_id.split(":", 1)[0]
        if ":" in custom_id
        else "form"
        if interaction.type is (discord.InteractionType.modal_submit)
        else "component"
    )
    return prefix[:40] or "component"


def gateway_connected(client: discord.Client) -> bool:
    """Every shard this process runs has a live gateway connection."""
    if client.is_closed() or not client.is_ready():
        return False
    shards = getattr(client, "shards", None)
    if isinstance(shards, dict):
        return bool(shards) and all(not shard.is_closed() for shard in shards.values())
    ws = getattr(client, "ws", None)
    return ws is not None and ws.open


class MaxConcurrency:
    """``session_start_limit.max_concurrency`` from ``GET /gateway/bot``, asked once (1 if it can't be)."""

    def __init__(self) -> None:
        self.value: int | None = None

    async def get(self, client: discord.Client) -> int:
        if self.value is None:
            try:
                _, _, limits = await client.http.get_bot_gateway()
                self.value = max(1, int(limits.get("max_concurrency", 1)))
            except (discord.HTTPException, KeyError, TypeError, ValueError):
                log.warning("could not read max_concurrency from /gateway/bot; assuming 1")
                self.value = 1
        return self.value
