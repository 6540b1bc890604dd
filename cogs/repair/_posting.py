"""Posting a repair's steps: both views side by side, reflections and their answers, ownership, the approved
summary in the thread, and sharing it in the channel.

Every post that matters is claimed first by the service and released when it fails, so the member's next press
retries it. Sharing in the channel can take several messages: each part carries a deterministic nonce and its
message id is recorded as soon as it is posted, so a retry after a failure half way resumes with the next part
instead of posting the first ones again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.delivery import resolve_messageable
from bot.adapter.render import NO_MENTIONS, mention_users
from bot.errors import UserFacingError
from bot.i18n import t
from bot.repair.models import Ownership, Reflection, Repair
from bot.repair.service import RepairService
from bot.repair.summary import who
from cogs.repair import _render as render
from cogs.repair._access import thread_locale

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)


async def fetch_thread(bot: Rapport, thread_id: int | None) -> discord.Thread | None:
    if thread_id is None:
        return None
    channel = bot.get_channel(thread_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(thread_id)
        except (discord.NotFound, discord.Forbidden):
            return None
    return channel if isinstance(channel, discord.Thread) else None


async def send_embeds(
    target: discord.abc.Messageable,
    embeds: Sequence[discord.Embed],
    *,
    content: str | None = None,
    last_view: discord.ui.View | None = None,
) -> discord.Message:
    """Post embeds over as many messages as Discord's limits need; the view goes on the last one."""
    groups = render.batches(embeds)
    message: discord.Message | None = None
    for index, group in enumerate(groups):
        kwargs: dict[str, Any] = {"embeds": group, "allowed_mentions": NO_MENTIONS}
        if index == 0 and content:
            kwargs["content"] = content
        if index == len(groups) - 1 and last_view is not None:
            kwargs["view"] = last_view
        message = await target.send(**kwargs)
    assert message is not None
    return message


def summary_title(repair: Repair, locale: str | None = None) -> str:
    return t(locale, "Repair summary: {topic}", topic=repair.topic) if repair.topic else t(locale, "Repair summary")


def _names(bot: Rapport, repair: Repair) -> dict[int, str]:
    guild = bot.get_guild(repair.guild_id)
    names: dict[int, str] = {}
    for user_id in repair.people:
        member = guild.get_member(user_id) if guild else None
        if member is not None:
            names[user_id] = member.display_name
        else:
            user = bot.get_user(user_id)
            names[user_id] = user.display_name if user else ""
    return names


async def post_views(bot: Rapport, repair: Repair) -> None:
    """Post both views side by side (the caller claimed this); undo the claim if it cannot be posted."""
    service = bot.service(RepairService)
    thread = await fetch_thread(bot, repair.thread_id)
    try:
        if thread is None:
            raise UserFacingError("I can't reach this repair's thread any more.")
        locale = await thread_locale(bot, repair)
        embed = render.views_embed(repair, await service.views(repair), _names(bot, repair), locale)
        first, second = repair.people
        await thread.send(
            content=t(locale, "{first} and {second} have both shared their view.", first=who(first),
                      second=who(second)),
            embed=embed,
            allowed_mentions=mention_users(first, second),
        )
    except Exception:
        await service.views_post_failed(repair)
        raise


async def post_reflection(bot: Rapport, repair: Repair, reflection: Reflection, view: discord.ui.View) -> None:
    """Post a stored reflection with its answer buttons, and record where it is."""
    thread = await fetch_thread(bot, repair.thread_id)
    if thread is None:
        raise UserFacingError(
            "I saved what you heard, but I can't reach this repair's thread any more to post it."
        )
    locale = await thread_locale(bot, repair)
    message = await thread.send(
        content=render.reflection_content(reflection, locale),
        embed=render.reflection_embed(reflection, locale),
        view=view,
        allowed_mentions=mention_users(reflection.subject_id),
    )
    await bot.service(RepairService).set_reflection_message(reflection, message.id)


async def post_clarification(bot: Rapport, repair: Repair, reflection: Reflection) -> None:
    """The "Not quite" answer's clarification, as a reply to the reflection."""
    thread = await fetch_thread(bot, repair.thread_id)
    if thread is None:
        raise UserFacingError("I saved your answer, but I can't reach this repair's thread any more to post it.")
    reference = thread.get_partial_message(reflection.message_id) if reflection.message_id else None
    await thread.send(
        content=render.clarification_content(reflection, await thread_locale(bot, repair)),
        reference=reference or discord.utils.MISSING,
        allowed_mentions=mention_users(reflection.author_id),
    )


async def post_ownership(bot: Rapport, repair: Repair, ownership: Ownership) -> None:
    thread = await fetch_thread(bot, repair.thread_id)
    if thread is not None:
        locale = await thread_locale(bot, repair)
        await thread.send(
            content=render.ownership_content(ownership, locale),
            embed=render.ownership_embed(ownership, locale),
            allowed_mentions=NO_MENTIONS,
        )


async def remove_followup_buttons(bot: Rapport, repair: Repair) -> None:
    if repair.followup_message_id is None:
        return
    thread = await fetch_thread(bot, repair.thread_id)
    if thread is not None:
        try:
            await thread.get_partial_message(repair.followup_message_id).edit(view=None)
        except discord.HTTPException:
            log.warning("could not remove the follow-up buttons of repair %s", repair.id)


async def post_summary(bot: Rapport, repair: Repair, share_buttons: Callable[[str], discord.ui.View]) -> None:
    """Both approved (the caller claimed closing): post the summary in the thread and arm the follow-up.

    ``share_buttons`` builds the view of the last part from the channel's name.
    """
    service = bot.service(RepairService)
    thread = await fetch_thread(bot, repair.thread_id)
    try:
        if thread is None:
            raise UserFacingError("I can't reach this repair's thread any more, so the summary was not posted.")
        locale = await thread_locale(bot, repair)
        parent = bot.get_channel(repair.channel_id)
        channel_name = getattr(parent, "name", None) or t(locale, "the channel")
        first, second = repair.people
        embeds = render.summary_embeds(
            service.summary_lines(repair),
            title=summary_title(repair, locale),
            footer=t(
                locale,
                "Both approved. Sharing it in #{channel} needs both of you to press the button below; "
                "I'll ask how things are {when}.",
                channel=channel_name,
                when=render.followup_when(repair, locale),
            ),
        )
        message = await send_embeds(
            thread,
            embeds,
            content=t(locale, "{first} and {second} both approved this summary.", first=who(first),
                      second=who(second)),
            last_view=share_buttons(channel_name),
        )
    except Exception:
        await service.summary_post_failed(repair)
        raise
    await service.summary_posted(repair, message.id)


def share_nonce(repair: Repair, part: int) -> str:
    """Deterministic per repair, summary version and part: Discord drops a repeated send of the same part."""
    return f"rs{repair.id}v{repair.summary_version}p{part}"


async def share_in_channel(bot: Rapport, repair: Repair) -> None:
    """Both agreed (the caller claimed sharing): post the summary in the channel, resuming an earlier try.

    Parts already posted (their message ids were recorded) are not posted again. On failure the claim is
    released, so pressing the button again continues where this stopped.
    """
    service = bot.service(RepairService)
    target = await resolve_messageable(bot, repair.channel_id)
    first, second = repair.people
    posted = await service.shared_parts(repair)
    try:
        if target is None:
            if posted:
                raise UserFacingError(
                    "I can't reach {channel} any more, so the rest of the summary was not shared yet.",
                    channel=f"<#{repair.channel_id}>",
                )
            raise UserFacingError(
                "I can't reach {channel} any more, so nothing was shared.", channel=f"<#{repair.channel_id}>"
            )
        locale = await thread_locale(bot, repair)
        embeds = render.summary_embeds(service.summary_lines(repair), title=summary_title(repair, locale))
        for index, group in enumerate(render.batches(embeds)):
            if index < len(posted):
                continue
            kwargs: dict[str, Any] = {"embeds": group, "allowed_mentions": NO_MENTIONS,
                                      "nonce": share_nonce(repair, index)}
            if index == 0:
                kwargs["content"] = t(
                    locale, "A repair summary, shared with the consent of both {first} and {second}.",
                    first=who(first), second=who(second),
                )
            message = await target.send(**kwargs)
            posted.append(message.id)
            await service.shared_part_posted(repair, posted)
    except discord.Forbidden:
        await service.share_failed(repair)
        if posted:
            raise UserFacingError(
                "I'm not allowed to post in {channel}, so the rest of the summary was not shared yet. "
                "A server admin can check my permissions there, then press the button again.",
                channel=f"<#{repair.channel_id}>",
            ) from None
        raise UserFacingError(
            "I'm not allowed to post in {channel}, so nothing was shared. "
            "A server admin can check my permissions there, then press the button again.",
            channel=f"<#{repair.channel_id}>",
        ) from None
    except Exception:
        await service.share_failed(repair)
        raise
    await service.share_finished(repair)
