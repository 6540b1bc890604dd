"""The draft's buttons (Publish, Track action items, Discard) and posting a summary to its channel.

The buttons are persistent: their ``custom_id`` carries the summary's row id (``summary:42:publish``) and the
draft is stored, so they keep working after a restart.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.feedback_buttons import feedback_view
from bot.adapter.render import NO_MENTIONS
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import PersistentButton
from bot.adapter.visibility import missing_permissions
from bot.errors import NotAllowed, ObjectNotFound
from bot.markup import shorten
from bot.summary.repo import StoredSummary
from bot.summary.service import SummaryService, TrackResult
from cogs.summaries._render import Rendered, markdown_of, render_stored

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

#: A published summary takes at most this many messages; a longer one goes on in the attached file.
MAX_POSTS = 4

def _service(interaction: discord.Interaction[Any]) -> SummaryService:
    bot: Rapport = interaction.client
    return bot.service(SummaryService)


# -- posting ------------------------------------------------------------------------------------------------


def markdown_file(stored: StoredSummary, rendered: Rendered) -> discord.File:
    slug = re.sub(r"[^a-z0-9]+", "-", stored.channel_name.lower()).strip("-") or "channel"
    day = (stored.range_end or stored.created_at).strftime("%Y-%m-%d")
    label = f"-{stored.number}" if stored.number is not None else ""
    return discord.File(io.BytesIO(rendered.markdown.encode("utf-8")), filename=f"summary{label}-{slug}-{day}.md")


def can_send_in(channel: Any, member: discord.Member) -> bool:
    perms = channel.permissions_for(member)
    send = perms.send_messages_in_threads if isinstance(channel, discord.Thread) else perms.send_messages
    return bool(perms.view_channel and send)


async def resolve_channel(bot: Rapport, guild: discord.Guild, channel_id: int) -> Any:
    channel: Any = guild.get_channel_or_thread(channel_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden):
            channel = None
    if channel is None or not isinstance(channel, discord.abc.Messageable):
        raise ObjectNotFound("The channel of that summary no longer exists.")
    return channel


class CannotPost(NotAllowed):
    """Rapport lacks a permission it needs to post the summary in its channel."""


def check_bot_can_post(channel: Any, rendered: Rendered) -> None:
    me = getattr(getattr(channel, "guild", None), "me", None)
    if me is None or not hasattr(channel, "permissions_for"):
        return  # not knowable here: Discord will answer
    send = "send_messages_in_threads" if isinstance(channel, discord.Thread) else "send_messages"
    needed = ["view_channel", send, "embed_links", *(["attach_files"] if rendered.attach_file else [])]
    missing = missing_permissions(channel.permissions_for(me), needed)
    if missing:
        raise CannotPost(
            f"I need the {', '.join(missing)} permission{'s' if len(missing) > 1 else ''} in this channel to post "
            "the summary. A server admin can grant it."
        )


async def publish(bot: Rapport, channel: discord.abc.Messageable, stored: StoredSummary) -> StoredSummary:
    """Post the summary in its channel (as many messages as it takes, no pings) and record where it went."""
    service = bot.service(SummaryService)
    async with service.lock(stored.id):
        claimed = await service.claim_number(stored.id)
        posted: list[discord.Message] = []
        try:
            rendered = render_stored(replace(claimed, markdown=markdown_of(claimed, claimed.number)))
            check_bot_can_post(channel, rendered)
            groups = rendered.messages[:MAX_POSTS]
            rest = len(rendered.messages) - len(groups)
            for index, group in enumerate(groups):
                last = index == len(groups) - 1
                kwargs: dict[str, Any] = {"embeds": group, "allowed_mentions": NO_MENTIONS}
                lines = [rendered.intro] if index == 0 else []
                if last and rest:
                    lines.append(f"The summary goes on for {rest} more part{'s' if rest != 1 else ''}: "
                                 "everything is in the attached file.")
                if lines:
                    kwargs["content"] = "\n".join(lines)
                if last and rendered.attach_file:
                    kwargs["file"] = markdown_file(claimed, rendered)
                if last:
                    kwargs["view"] = feedback_view("summary", claimed.id)
                posted.append(await channel.send(**kwargs))
        except BaseException:
            # Half a summary is worse than none: take back what was posted, and keep it a draft.
            for message in posted:
                with contextlib.suppress(discord.HTTPException):
                    await message.delete()
            await service.release(stored.id)
            raise
        first = posted[0]
        return await service.published_as(
            stored.id, message_id=first.id, url=first.jump_url, markdown=rendered.markdown
        )


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
