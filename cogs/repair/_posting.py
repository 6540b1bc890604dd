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
from bot.repair.models import Ownership, Reflection, Repair
from bot.repair.service import RepairService
from bot.repair.summary import who
from cogs.repair import _render as render

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

THREAD_GONE = "I can't reach this repair's thread any more."


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


def summary_title(repair: Repair) -> str:
    return f"Repair summary: {repair.topic}" if repair.topic else "Repair summary"


def _names(bot: Rapport, repair: Repair) -> dict[int, str]:
    guild = bot.get_guild(repair.guild_id)
    names: dict[int, str] = {}
    for user_id in repair.people:
        member = guild.get_member(user_id) if guild else None
        if member is not None:
            names[user_id] = member.display_name
        else:
            user = bot.get_user(user_id)
            names[user_id] = user.display_name if user else "Someone"
    return names


async def post_views(bot: Rapport, repair: Repair) -> None:
    """Post both views side by side (the caller claimed this); undo the claim if it cannot be posted."""
    service = bot.service(RepairService)
    thread = await fetch_thread(bot, repair.thread_id)
    try:
        if thread is None:
            raise UserFacingError(THREAD_GONE)
        embed = render.views_embed(repair, await service.views(repair), _names(bot, repair))
        first, second = repair.people
        await thread.send(
            content=f"{who(first)} and {who(second)} have both shared their view.",
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
    message = await thread.send(
        content=render.reflection_content(reflection),
        embed=render.reflection_embed(reflection),
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
        content=render.clarification_content(reflection),
        reference=reference or discord.utils.MISSING,
        allowed_mentions=mention_users(reflection.author_id),
    )


async def post_ownership(bot: Rapport, repair: Repair, ownership: Ownership) -> None:
    thread = await fetch_thread(bot, repair.thread_id)
    if thread is not None:
        await thread.send(
            content=render.ownership_content(ownership),
            embed=render.ownership_embed(ownership),
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
        parent = bot.get_channel(repair.channel_id)
        channel_name = getattr(parent, "name", "the channel")
        first, second = repair.people
        embeds = render.summary_embeds(
            service.summary_lines(repair),
            title=summary_title(repair),
            footer=f"Both approved. Sharing it in #{channel_name} needs both of you to press the button below; "
            f"I'll ask how things are {render.followup_when(repair)}.",
        )
        message = await send_embeds(
            thread,
            embeds,
            content=f"{who(first)} and {who(second)} both approved this summary.",
            last_view=share_buttons(channel_name),
        )
    except Exception:
        await service.summary_post_failed(repair)
        raise
    await service.summary_posted(repair, message.id)


def _unshared(posted: list[int]) -> str:
    return "the rest of the summary was not shared yet" if posted else "nothing was shared"


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
            raise UserFacingError(f"I can't reach <#{repair.channel_id}> any more, so {_unshared(posted)}.")
        embeds = render.summary_embeds(service.summary_lines(repair), title=summary_title(repair))
        for index, group in enumerate(render.batches(embeds)):
            if index < len(posted):
                continue
            kwargs: dict[str, Any] = {"embeds": group, "allowed_mentions": NO_MENTIONS,
                                      "nonce": share_nonce(repair, index)}
            if index == 0:
                kwargs["content"] = (
                    f"A repair summary, shared with the consent of both {who(first)} and {who(second)}."
                )
            message = await target.send(**kwargs)
            posted.append(message.id)
            await service.shared_part_posted(repair, posted)
    except discord.Forbidden:
        await service.share_failed(repair)
        raise UserFacingError(
            f"I'm not allowed to post in <#{repair.channel_id}>, so {_unshared(posted)}. "
            "A server admin can check my permissions there, then press the button again."
        ) from None
    except Exception:
        await service.share_failed(repair)
        raise
    await service.share_finished(repair)
