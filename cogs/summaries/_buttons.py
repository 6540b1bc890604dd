"""The draft's buttons (Publish, Track action items, Discard); publishing itself is in ``_publishing``.

The buttons are persistent: their ``custom_id`` carries the summary's row id (``summary:42:publish``) and the
draft is stored, so they keep working after a restart.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.render import NO_MENTIONS
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import PersistentButton
from bot.errors import NotAllowed, ObjectNotFound
from bot.markup import shorten
from bot.summary.repository import StoredSummary
from bot.summary.service import SummaryService, TrackResult
from cogs.summaries._publishing import can_send_in, markdown_file, publish, resolve_channel
from cogs.summaries._render import render_stored

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)


def _service(interaction: discord.Interaction[Any]) -> SummaryService:
    bot: Rapport = interaction.client
    return bot.service(SummaryService)


# -- the draft ----------------------------------------------------------------------------------------------


def draft_view(stored: StoredSummary, *, publish_button: bool = True) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if publish_button:
        view.add_item(PublishButton(stored.id))
    if any(item.owner_id is not None for item in stored.summary.action_items):
        view.add_item(TrackButton(stored.id))
    if publish_button:
        view.add_item(DiscardButton(stored.id))
    return view


def draft_message(stored: StoredSummary) -> dict[str, Any]:
    """The caller's private preview: one message, the full text attached when it doesn't all fit."""
    rendered = render_stored(stored)
    lines = ["**Draft**: only you can see this. **Publish** posts it in the channel.", rendered.intro]
    if rendered.attach_file:
        more = " (more than this preview shows)" if len(rendered.messages) > 1 else ""
        lines.append(f"The whole summary{more} is in the attached file.")
    payload: dict[str, Any] = {
        "content": "\n".join(lines),
        "embeds": rendered.messages[0],
        "view": draft_view(stored),
        "allowed_mentions": NO_MENTIONS,
    }
    if rendered.attach_file:
        payload["file"] = markdown_file(stored, rendered)
    return payload


def track_report(result: TrackResult) -> str:
    lines: list[str] = []
    if result.proposed:
        owners = sorted({entry.item.owner_name for entry, _ in result.proposed})
        count = len(result.proposed)
        lines.append(
            f"Asked {', '.join(owners)} to confirm {count} action item{'s' if count != 1 else ''}. "
            "Each becomes a commitment once its owner accepts."
        )
    if result.already:
        lines.append(f"{len(result.already)} item(s) were already sent to their owners.")
    if result.no_owner:
        lines.append(
            f"{len(result.no_owner)} item(s) have no single owner in this server, so nobody was asked: "
            + "; ".join(shorten(entry.item.text, 80) for entry in result.no_owner[:5])
        )
    for entry, why in result.failed[:5]:
        lines.append(f"Couldn't ask {entry.item.owner_name}: {why}")
    return shorten("\n".join(lines), 2000) or "There are no action items to track."


class _SummaryButton(PersistentButton, template=r"(?!)"):
    action = ""
    label = ""
    style = discord.ButtonStyle.secondary

    def __init__(self, summary_id: int) -> None:
        self.summary_id = summary_id
        super().__init__(
            discord.ui.Button(
                label=self.label, style=self.style, custom_id=f"summary:{summary_id}:{self.action}"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> _SummaryButton:
        return cls(int(match["id"]))


class PublishButton(_SummaryButton, template=r"summary:(?P<id>\d+):publish"):
    action = "publish"
    label = "Publish"
    style = discord.ButtonStyle.success

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot: Rapport = interaction.client
        # Acknowledge first: resolving the channel and posting can take longer than Discord's three seconds.
        await interaction.response.defer()
        service = _service(interaction)
        stored = await service.draft_for(self.summary_id, interaction.user.id, guild_id=interaction.guild_id)
        if stored.status == "published":
            where = f": {stored.published_url}" if stored.published_url else "."
            await send_ephemeral(interaction, f"Summary {stored.label} is already published{where}")
            return
        guild = interaction.guild
        member = interaction.user
        if guild is None or not isinstance(member, discord.Member):
            raise NotAllowed("This only works in a server.")
        channel = await resolve_channel(bot, guild, stored.channel_id)
        if not can_send_in(channel, member):
            raise NotAllowed("You can't post in that channel any more, so I can't publish this for you.")
        published = await publish(bot, channel, stored)
        await interaction.edit_original_response(
            content=f"**Published** as summary {published.label}: {published.published_url}",
            view=draft_view(published, publish_button=False),
        )


class TrackButton(_SummaryButton, template=r"summary:(?P<id>\d+):track"):
    action = "track"
    label = "Track action items"
    style = discord.ButtonStyle.primary

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        from bot.commitments.service import CommitmentService

        bot: Rapport = interaction.client
        await interaction.response.defer(ephemeral=True, thinking=True)
        service = _service(interaction)
        stored = await service.draft_for(self.summary_id, interaction.user.id, guild_id=interaction.guild_id)
        try:
            commitments = bot.service(CommitmentService)
        except LookupError:
            raise ObjectNotFound(
                "Commitments aren't available on this Rapport, so action items can't be tracked."
            ) from None
        result = await service.track(stored, commitments)
        await interaction.followup.send(track_report(result), ephemeral=True, allowed_mentions=NO_MENTIONS)


class DiscardButton(_SummaryButton, template=r"summary:(?P<id>\d+):discard"):
    action = "discard"
    label = "Discard"
    style = discord.ButtonStyle.danger

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
        await service.discard(self.summary_id, interaction.user.id, guild_id=interaction.guild_id)
        await interaction.response.edit_message(
            content="Discarded: nothing was posted and the draft is gone.",
            embeds=[],
            attachments=[],
            view=None,
        )


BUTTONS: tuple[type[PersistentButton], ...] = (PublishButton, TrackButton, DiscardButton)
