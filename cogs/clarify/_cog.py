"""**Ask for clarification** on a message, and ``/clarify list``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.delivery import Delivery, deliver_privately
from bot.adapter.permissions import guild_member
from bot.adapter.render import BRAND_COLOUR, NO_MENTIONS, embeds_from_lines, mention_users
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import send_pages
from bot.adapter.visibility import Viewer, missing_permissions
from bot.clarify.models import Clarification
from bot.clarify.repository import ClarifyRepo
from bot.clarify.service import ClarifyService
from bot.delivery import message_nonce
from bot.errors import BadInput, NotAllowed, ObjectNotFound, UserFacingError
from bot.i18n import t
from bot.markup import mention, shorten, timestamp
from bot.safety import SafetyRepo
from cogs.clarify._buttons import ClarifiedButton, clarified_view
from cogs.clarify._forms import AskForm, register_form
from cogs.clarify._render import clarified_label, closed_content, request_content

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

MENU_NAME = "Ask for clarification"
THREAD_ALREADY_CREATED = 160004


@dataclass(frozen=True, slots=True)
class Target:
    """The message asked about, as plain ids."""

    guild_id: int
    channel_id: int
    message_id: int
    author_id: int
    author_is_bot: bool
    in_thread: bool
    thread_id: int | None


def _gone() -> ObjectNotFound:
    return ObjectNotFound("I can't find that message any more (it may have been deleted), so I didn't ask.")


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


def _needed(in_thread: bool, has_thread: bool) -> list[str]:
    needed = ["view_channel", "send_messages_in_threads", "read_message_history"]
    if not in_thread and not has_thread:
        needed.append("create_public_threads")
    return needed


async def _fetch(bot: Rapport, channel_id: int) -> discord.abc.GuildChannel | discord.Thread | None:
    channel = bot.get_channel(channel_id)
    if channel is None:
        try:
            fetched = await bot.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden):
            return None
        channel = fetched
    return channel if isinstance(channel, discord.abc.GuildChannel | discord.Thread) else None


class DiscordClarifyPoster:
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot

    async def _channel_locale(self, guild_id: int) -> str:
        return (await self.bot.prefs.guild(guild_id)).channel_locale

    async def remind(self, clarification: Clarification) -> bool:
        where = clarification.request_url() or clarification.message_url()
        # A DM to one member: in their language (chosen, or the one they last used with Rapport).
        locale = await self.bot.prefs.message_locale(clarification.author_id, clarification.guild_id)
        content = t(
            locale,
            "A gentle nudge: {asker} asked for a little clarity on your message in {channel}. When you have a "
            "moment, a reply in the thread or the **{button}** button closes it: {link}",
            asker=f"<@{clarification.asker_id}>",
            channel=f"<#{clarification.channel_id}>",
            button=clarified_label(locale),
            link=where,
        ) + "\n" + t(locale, "No rush, and this is the only reminder.")
        delivery = await deliver_privately(
            self.bot, clarification.author_id, dm={"content": content, "allowed_mentions": NO_MENTIONS},
            fallback_channel_id=None, nonce=message_nonce("cq", clarification.id),
        )
        return delivery is Delivery.DM

    async def show_closed(self, clarification: Clarification) -> None:
        if clarification.thread_id is None or clarification.request_message_id is None:
            return
        thread = await _fetch(self.bot, clarification.thread_id)
        if not isinstance(thread, discord.Thread):
            return
        own_thread = clarification.thread_id == clarification.message_id
        locale = await self._channel_locale(clarification.guild_id)
        await thread.get_partial_message(clarification.request_message_id).edit(
            content=closed_content(clarification, in_thread_of_message=own_thread, locale=locale),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )


@app_commands.guild_only()
class Clarify(commands.GroupCog, group_name="clarify", group_description="Requests for clarification."):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name=MENU_NAME,
            callback=self.ask,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
        )
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)
        if not hasattr(self.bot, "db"):
            return  # loaded without set-up (e.g. to list commands)
        service = ClarifyService(
            ClarifyRepo(self.bot.db), self.bot.prefs, self.bot.clock, self.bot.jobs, DiscordClarifyPoster(self.bot),
            default_timezone=self.bot.settings.default_timezone,
            scope=self.bot.shard_scope,
            dispatcher=self.bot.dispatcher,
        )
        self.bot.register_service(service)
        self.bot.add_dynamic_items(ClarifiedButton)
        register_form(self.bot.forms, self.submit)
        orphans = await service.clean_up_orphans()
        log.info("%d unposted clarification request(s) removed", orphans)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        self.bot.remove_dynamic_items(ClarifiedButton)
        self.bot.forms.unregister(AskForm.kind)

    @property
    def service(self) -> ClarifyService:
        return self.bot.service(ClarifyService)

    # -- the message menu --------------------------------------------------------------------------------
    async def ask(self, interaction: discord.Interaction[Rapport], message: discord.Message) -> None:
        await self._target(interaction, message)
        await interaction.response.send_modal(AskForm(message.id, _locale(interaction)))

    async def _target(self, interaction: discord.Interaction[Rapport], message: discord.Message) -> Target:
        """Who may ask about this message, and where: checked when the form opens and again when it is sent."""
        member = guild_member(interaction)
        author = message.author
        author_is_bot = author.bot or author.system or message.webhook_id is not None
        await self.service.check_can_ask(
            message_id=message.id, asker_id=member.id, author_id=author.id, author_is_bot=author_is_bot
        )
        channel = message.channel
        in_thread = isinstance(channel, discord.Thread)
        if not in_thread and not isinstance(channel, discord.TextChannel):
            raise BadInput("I can ask for clarification in text channels and threads only.")
        existing = None if in_thread else message.thread
        missing = missing_permissions(interaction.app_permissions, _needed(in_thread, existing is not None))
        if len(missing) == 1:
            raise NotAllowed(
                "I need the {permissions} permission in {channel} to ask in a thread. A server admin can grant it "
                "to my role.",
                permissions=missing[0],
                channel=f"<#{channel.id}>",
            )
        if missing:
            raise NotAllowed(
                "I need the {permissions} permissions in {channel} to ask in a thread. A server admin can grant "
                "them to my role.",
                permissions=", ".join(missing),
                channel=f"<#{channel.id}>",
            )
        return Target(
            guild_id=member.guild.id,
            channel_id=channel.id,
            message_id=message.id,
            author_id=author.id,
            author_is_bot=author_is_bot,
            in_thread=in_thread,
            thread_id=existing.id if existing is not None else None,
        )

    async def _message(self, interaction: discord.Interaction[Rapport], message_id: int) -> discord.Message:
        """The message a submitted form asks about, looked up again in the channel the form was sent from."""
        channel = await _fetch(self.bot, interaction.channel_id) if interaction.channel_id is not None else None
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise _gone()
        try:
            return await channel.fetch_message(message_id)
        except (discord.NotFound, discord.Forbidden):
            raise _gone() from None

    async def submit(self, interaction: discord.Interaction[Rapport], message_id: int, question: str | None) -> None:
        # Acknowledge first: the message is fetched again, then a thread opened and posted in.
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = await self._target(interaction, await self._message(interaction, message_id))
        await SafetyRepo(self.bot.db).take(target.guild_id, interaction.user.id, "clarify", self.bot.clock.now())
        clarification = await self.service.open_request(
            guild_id=target.guild_id,
            channel_id=target.channel_id,
            message_id=target.message_id,
            author_id=target.author_id,
            author_is_bot=target.author_is_bot,
            asker_id=interaction.user.id,
            question=question,
        )
        try:
            thread_id, request_id = await self._post(clarification, target)
        except discord.Forbidden:
            await self.service.abandon(clarification)
            raise UserFacingError(
                "I wasn't allowed to open or post in a thread in {channel}, so nothing was asked. "
                "A server admin can check my permissions there.",
                channel=f"<#{target.channel_id}>",
            ) from None
        except Exception:
            await self.service.abandon(clarification)
            raise
        posted = await self.service.posted(clarification, thread_id, request_id)
        await interaction.followup.send(
            t(
                _locale(interaction),
                "I asked {author} in {thread}. If it's still open in a day, I'll remind them once, privately and "
                "gently.",
                author=f"<@{posted.author_id}>",
                thread=f"<#{thread_id}>",
            ),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    async def _post(self, clarification: Clarification, target: Target) -> tuple[int, int]:
        people = mention_users(clarification.author_id, clarification.asker_id)
        # Posted in the server's thread: in the server's language.
        locale = (await self.bot.prefs.guild(clarification.guild_id)).channel_locale
        view = clarified_view(clarification.id, locale)
        if target.in_thread:
            thread = await _fetch(self.bot, target.channel_id)
            if not isinstance(thread, discord.Thread):
                raise UserFacingError("I can't reach that thread any more.")
            message = await thread.send(
                content=request_content(clarification, in_thread_of_message=False, locale=locale),
                view=view,
                reference=thread.get_partial_message(target.message_id),
                allowed_mentions=people,
            )
            return thread.id, message.id
        thread = None
        if target.thread_id is not None:
            found = await _fetch(self.bot, target.thread_id)
            thread = found if isinstance(found, discord.Thread) else None
        if thread is None:
            channel = await _fetch(self.bot, target.channel_id)
            if not isinstance(channel, discord.TextChannel):
                raise UserFacingError("I can't reach that channel any more.")
            author = channel.guild.get_member(target.author_id)
            name = (
                t(locale, "Clarifying {name}'s message", name=author.display_name)
                if author
                else t(locale, "Clarifying a message")
            )
            try:
                thread = await channel.get_partial_message(target.message_id).create_thread(
                    name=shorten(name, 100), auto_archive_duration=1440
                )
            except discord.HTTPException as error:
                if error.code != THREAD_ALREADY_CREATED:
                    raise
                found = await _fetch(self.bot, target.message_id)
                if not isinstance(found, discord.Thread):
                    raise
                thread = found
        message = await thread.send(
            content=request_content(
                clarification, in_thread_of_message=thread.id == target.message_id, locale=locale
            ),
            view=view,
            allowed_mentions=people,
        )
        return thread.id, message.id

    # -- closing by reply --------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot or not isinstance(message.channel, discord.Thread):
            return
        if not hasattr(self.bot, "db"):
            return
        await self.service.author_replied(message.channel.id, message.author.id, message.id)

    # -- /clarify list -----------------------------------------------------------------------------------
    @app_commands.command(name="list", description="Your open requests for clarification, asked and received.")
    async def list_(self, interaction: discord.Interaction[Rapport]) -> None:
        member = guild_member(interaction)
        asked, received = await self.service.open_for_user(member.guild.id, member.id)
        viewer = Viewer(self.bot, member)
        asked = await viewer.visible(asked, lambda c: c.subject)
        received = await viewer.visible(received, lambda c: c.subject)
        locale = _locale(interaction)
        if not asked and not received:
            await send_ephemeral(interaction, t(locale, "You have no open requests for clarification here."))
            return
        lines: list[str] = []
        if received:
            lines.append("**" + t(locale, "Asked of you") + "**")
            for item in received:
                lines.append(
                    t(
                        locale,
                        "{asker} asked about [your message]({message_url}) {when}: [the request]({request_url})",
                        asker=mention(item.asker_id, locale),
                        message_url=item.message_url(),
                        when=timestamp(item.created_at, "R"),
                        request_url=item.request_url(),
                    )
                )
        if asked:
            if lines:
                lines.append("")
            lines.append("**" + t(locale, "Asked by you") + "**")
            for item in asked:
                lines.append(
                    t(
                        locale,
                        "You asked {author} about [a message]({message_url}) {when}: [the request]({request_url})",
                        author=mention(item.author_id, locale),
                        message_url=item.message_url(),
                        when=timestamp(item.created_at, "R"),
                        request_url=item.request_url(),
                    )
                )
        title = t(locale, "Open requests for clarification")
        await send_pages(interaction, embeds_from_lines(title, lines, colour=BRAND_COLOUR))
