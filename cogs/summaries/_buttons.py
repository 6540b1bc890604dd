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
from bot.i18n import t, tn
from bot.markup import shorten
from bot.summary.repository import StoredSummary
from bot.summary.service import SummaryService, TrackResult, note_lines
from cogs.summaries._publishing import can_send_in, markdown_file, publish, resolve_channel
from cogs.summaries._render import render_stored

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)


def _service(interaction: discord.Interaction[Any]) -> SummaryService:
    bot: Rapport = interaction.client
    return bot.service(SummaryService)


# -- the draft ----------------------------------------------------------------------------------------------


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


def draft_view(stored: StoredSummary, locale: str | None = None, *, publish_button: bool = True) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if publish_button:
        view.add_item(PublishButton(stored.id, locale))
    if any(item.owner_id is not None for item in stored.summary.action_items):
        view.add_item(TrackButton(stored.id, locale))
    if publish_button:
        view.add_item(DiscardButton(stored.id, locale))
    return view


def draft_message(stored: StoredSummary, locale: str | None = None) -> dict[str, Any]:
    """The caller's private preview, in their language: one message, the full text attached when it doesn't
    all fit."""
    rendered = render_stored(stored, locale)
    lines = [t(locale, "**Draft**: only you can see this. **Publish** posts it in the channel."), rendered.intro]
    if rendered.attach_file:
        if len(rendered.messages) > 1:
            lines.append(t(locale, "The whole summary (more than this preview shows) is in the attached file."))
        else:
            lines.append(t(locale, "The whole summary is in the attached file."))
    payload: dict[str, Any] = {
        "content": "\n".join(lines),
        "embeds": rendered.messages[0],
        "view": draft_view(stored, locale),
        "allowed_mentions": NO_MENTIONS,
    }
    if rendered.attach_file:
        payload["file"] = markdown_file(stored, rendered)
    return payload


def track_report(result: TrackResult, locale: str | None = None) -> str:
    lines: list[str] = []
    if result.proposed:
        owners = ", ".join(sorted({entry.item.owner_name for entry, _ in result.proposed}))
        lines.append(
            tn(locale, "Asked {owners} to confirm {n} action item. It becomes a commitment once its owner accepts.",
               "Asked {owners} to confirm {n} action items. Each becomes a commitment once its owner accepts.",
               len(result.proposed), owners=owners)
        )
    if result.already:
        lines.append(tn(locale, "{n} item was already sent to its owner.",
                        "{n} items were already sent to their owners.", len(result.already)))
    if result.no_owner:
        items = "; ".join(shorten(entry.item.text, 80) for entry in result.no_owner[:5])
        lines.append(
            tn(locale, "{n} item has no single owner in this server, so nobody was asked: {items}",
               "{n} items have no single owner in this server, so nobody was asked: {items}",
               len(result.no_owner), items=items)
        )
    for entry, why in result.failed[:5]:
        reason = " ".join(note_lines(why, locale)) or why
        lines.append(t(locale, "Couldn't ask {owner}: {reason}", owner=entry.item.owner_name, reason=reason))
    return shorten("\n".join(lines), 2000) or t(locale, "There are no action items to track.")


def published_text(published: StoredSummary, locale: str | None) -> str:
    return t(locale, "**Published** as summary {label}: {url}", label=published.label, url=published.published_url)


class _SummaryButton(PersistentButton, template=r"(?!)"):
    action = ""
    style = discord.ButtonStyle.secondary

    def __init__(self, summary_id: int, locale: str | None = None) -> None:
        self.summary_id = summary_id
        super().__init__(
            discord.ui.Button(
                label=self.label(locale), style=self.style, custom_id=f"summary:{summary_id}:{self.action}"
            )
        )

    @staticmethod
    def label(locale: str | None) -> str:
        raise NotImplementedError

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> _SummaryButton:
        return cls(int(match["id"]))


class PublishButton(_SummaryButton, template=r"summary:(?P<id>\d+):publish"):
    action = "publish"
    style = discord.ButtonStyle.success

    @staticmethod
    def label(locale: str | None) -> str:
        return t(locale, "Publish")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot: Rapport = interaction.client
        # Acknowledge first: resolving the channel and posting can take longer than Discord's three seconds.
        await interaction.response.defer()
        service = _service(interaction)
        stored = await service.draft_for(self.summary_id, interaction.user.id, guild_id=interaction.guild_id)
        locale = _locale(interaction)
        if stored.status == "published":
            if stored.published_url:
                text = t(locale, "Summary {label} is already published: {url}", label=stored.label,
                         url=stored.published_url)
            else:
                text = t(locale, "Summary {label} is already published.", label=stored.label)
            await send_ephemeral(interaction, text)
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
            content=published_text(published, locale),
            view=draft_view(published, locale, publish_button=False),
        )


class TrackButton(_SummaryButton, template=r"summary:(?P<id>\d+):track"):
    action = "track"
    style = discord.ButtonStyle.primary

    @staticmethod
    def label(locale: str | None) -> str:
        return t(locale, "Track action items")

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
        await interaction.followup.send(
            track_report(result, _locale(interaction)), ephemeral=True, allowed_mentions=NO_MENTIONS
        )


class DiscardButton(_SummaryButton, template=r"summary:(?P<id>\d+):discard"):
    action = "discard"
    style = discord.ButtonStyle.danger

    @staticmethod
    def label(locale: str | None) -> str:
        return t(locale, "Discard")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        service = _service(interaction)
        await service.discard(self.summary_id, interaction.user.id, guild_id=interaction.guild_id)
        await interaction.response.edit_message(
            content=t(_locale(interaction), "Discarded: nothing was posted and the draft is gone."),
            embeds=[],
            attachments=[],
            view=None,
        )


BUTTONS: tuple[type[PersistentButton], ...] = (PublishButton, TrackButton, DiscardButton)
