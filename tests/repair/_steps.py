"""Steps of a repair, driven through the double, shared by the repair end-to-end tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.double import DiscordDouble
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text


@dataclass
class Started:
    record: Any
    thread: Any
    control: Any
    repair_id: int


def member(world: World, name: str, *roles: Any, bot: bool = False) -> Any:
    user = world.double.create_user(name, bot=bot)
    world.double.add_member(world.guild, user, roles=roles)
    return user


def text_of(message: Any) -> str:
    return f"{message.content}\n{embed_text(message)}"


def seen_by(double: DiscordDouble, channel: Any, user: Any) -> str:
    """Everything in ``channel`` that ``user`` can read (shared messages and their own ephemeral ones)."""
    return "\n".join(
        text_of(m)
        for m in double.messages(channel, include_ephemeral=True)
        if not m.ephemeral or m.visible_to == user.id
    )


def bot_messages(double: DiscordDouble, channel: Any) -> list[Any]:
    return [m for m in double.messages(channel) if m.author_id == double.bot_user.id]


async def start(world: World, user: Any, partner: Any, channel: Any = None, **options: Any) -> Any:
    """Run /repair start; returns the interaction record (answered: refusal or deferred)."""
    record = await world.double.slash(user, channel or world.general, "repair start", **{"with": partner}, **options)
    await record.wait_response(timeout=10)
    return record


async def start_ok(world: World, user: Any, partner: Any, **options: Any) -> Started:
    record = await start(world, user, partner, **options)
    assert record.response_type == 5, (record.content, record.errors)
    await record.wait_followup(1)
    thread = world.double.threads(world.general)[-1]
    control = bot_messages(world.double, thread)[0]
    repair_id = int(control.custom_ids()[0].split(":")[1])
    return Started(record, thread, control, repair_id)


async def press(double: DiscordDouble, user: Any, message: Any, custom_id: str) -> Any:
    record = await double.click(user, message, custom_id)
    await record.wait_response(timeout=10)
    return record


async def submit(double: DiscordDouble, user: Any, opened: Any, values: dict[str, str]) -> Any:
    assert opened.modal is not None, (opened.content, opened.errors)
    record = await double.submit_modal(user, opened, values)
    await record.wait_response(timeout=10)
    return record


async def reply_of(record: Any) -> str:
    """The visible answer to an interaction: the response, or the first followup after a defer."""
    if record.response_type == 5:
        return (await record.wait_followup(1)).content
    return record.content or ""


async def share_view(double: DiscordDouble, user: Any, started: Started, happened: str, affected: str = "upset",
                     need: str = "a calm chat") -> Any:
    opened = await press(double, user, started.control, f"repair:{started.repair_id}:view")
    record = await submit(double, user, opened,
                          {"repair-happened": happened, "repair-affected": affected, "repair-need": need})
    record.reply = await reply_of(record)
    return record


async def reflect(double: DiscordDouble, user: Any, started: Started, heard: str) -> Any:
    """Write a reflection; returns the message posted in the thread."""
    opened = await press(double, user, started.control, f"repair:{started.repair_id}:reflect")
    record = await submit(double, user, opened, {"repair-heard": heard})
    await reply_of(record)
    return bot_messages(double, started.thread)[-1]


async def own(double: DiscordDouble, user: Any, started: Started, owned: str, will_do: str) -> Any:
    opened = await press(double, user, started.control, f"repair:{started.repair_id}:own")
    record = await submit(double, user, opened, {"repair-owned": owned, "repair-will-do": will_do})
    return await reply_of(record)


async def close(double: DiscordDouble, user: Any, channel: Any, **options: Any) -> Any:
    """Run /repair close and wait for its private answer (after the review message is posted)."""
    record = await double.slash(user, channel, "repair close", **options)
    await record.wait_response(timeout=10)
    await reply_of(record)
    return record


def review_message(double: DiscordDouble, started: Started) -> Any:
    return [m for m in bot_messages(double, started.thread) if any(":review:" in c for c in m.custom_ids())][-1]


async def review(double: DiscordDouble, user: Any, started: Started) -> Any:
    message = review_message(double, started)
    return await press(double, user, message, message.custom_ids()[0])


async def approve(double: DiscordDouble, user: Any, started: Started) -> Any:
    reviewed = await review(double, user, started)
    assert reviewed.message is not None, (reviewed.content, reviewed.errors)
    approve_id = next(c for c in reviewed.message.custom_ids() if ":approve:" in c)
    return await press(double, user, reviewed.message, approve_id)


def summary_messages(double: DiscordDouble, channel: Any) -> list[Any]:
    return [m for m in bot_messages(double, channel) if "Repair summary" in embed_text(m)]
