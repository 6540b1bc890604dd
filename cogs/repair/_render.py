"""What repair messages look like: the intro, the views side by side, reflections, ownership, the summary.

Member text is always made inert with :func:`clean_user_text`, and every send uses allowed mentions that ping
only the people the message is for.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.adapter.render import WARM_COLOUR, embeds_from_lines
from bot.i18n import t, tn
from bot.markup import EMBED_TOTAL_LIMIT, FIELD_VALUE_LIMIT, clean_user_text, shorten, timestamp
from bot.repair.models import Ownership, Reflection, Repair, View
from bot.repair.summary import answer_label, followup_label, who

THREAD_NAME_LIMIT = 100


def thread_name(topic: str | None, first: str, second: str, locale: str | None = None) -> str:
    if topic:
        name = t(locale, "Repair: {topic}", topic=topic)
    else:
        name = t(locale, "Repair: {first} & {second}", first=first, second=second)
    return shorten(name, THREAD_NAME_LIMIT)


def thread_url(repair: Repair) -> str:
    return f"https://discord.com/channels/{repair.guild_id}/{repair.thread_id}"


def who_sees_thread(locale: str | None = None) -> str:
    """The truth about private threads: Discord also shows them to members with Manage Threads or
    Administrator."""
    return t(
        locale,
        "Discord shows this private thread to the people added here and to members with the Manage Threads or "
        "Administrator permission. Rapport shows what you write here to no one else.",
    )


WHO_SEES_THREAD = who_sees_thread()


def intro_embed(repair: Repair, managers_can_view: bool, locale: str | None = None) -> discord.Embed:
    first, second = repair.people
    if repair.mediator_id is not None:
        space = t(locale, "A private space for {first} and {second}, with {mediator} mediating.",
                  first=who(first), second=who(second), mediator=who(repair.mediator_id))
    else:
        space = t(locale, "A private space for {first} and {second}.", first=who(first), second=who(second))
    who_sees = who_sees_thread(locale)
    if managers_can_view:
        who_sees += " " + t(locale, "This server lets its managers check where a repair stands (never what you wrote).")
    description = "\n".join(
        [
            f"{space} {who_sees}",
            "",
            t(
                locale,
                "**1. Share your view.** What happened from your side, how it affected you, what you need. "
                "Views stay hidden until both of you have shared; then I post them side by side.",
            ),
            t(
                locale,
                "**2. Reflect back.** Write what you heard the other say; they answer *That's right* or *Not quite*.",
            ),
            t(
                locale,
                "**3. Own my part.** What you own and what you'll do differently. What you'll do becomes a "
                "commitment you can accept or decline.",
            ),
            "",
            t(
                locale,
                "When you're ready, `/repair close` drafts a written summary. Nothing is posted in this thread, "
                "and nothing is shared outside it, unless both of you approve.",
            ),
            tn(
                locale,
                "I'll ask how things are {n} day after the summary is approved.",
                "I'll ask how things are {n} days after the summary is approved.",
                repair.followup_days,
            ),
        ]
    )
    embed = discord.Embed(title=t(locale, "Talking it through"), description=description, colour=WARM_COLOUR)
    if repair.topic:
        embed.add_field(name=t(locale, "Topic"), value=clean_user_text(repair.topic), inline=False)
    return embed


#: Six view parts side by side stay well inside the 6000-character embed limit at this length.
VIEW_FIELD_LIMIT = 850


def _field(text: str, limit: int = FIELD_VALUE_LIMIT) -> str:
    return shorten(clean_user_text(text), limit) or "\u200b"


def views_embed(
    repair: Repair, views: Sequence[View], names: dict[int, str], locale: str | None = None
) -> discord.Embed:
    """Both views, side by side: one row per question, one column per person."""
    by_user = {view.user_id: view for view in views}
    embed = discord.Embed(title=t(locale, "Both views, side by side"), colour=WARM_COLOUR)
    questions = [
        (t(locale, "What happened, from my side"), "happened"),
        (t(locale, "How it affected me"), "affected"),
        (t(locale, "What I need"), "need"),
    ]
    for label, attribute in questions:
        for user_id in repair.people:
            view = by_user[user_id]
            name = shorten(f"{names.get(user_id) or t(locale, 'Someone')}: {label}", 256)
            embed.add_field(name=name, value=_field(getattr(view, attribute), VIEW_FIELD_LIMIT), inline=True)
        embed.add_field(name="\u200b", value="\u200b", inline=True)
    return embed


def reflection_content(reflection: Reflection, locale: str | None = None) -> str:
    return t(locale, "{author} reflects back what they heard {subject} say:",
             author=who(reflection.author_id), subject=who(reflection.subject_id))


def reflection_answer_line(reflection: Reflection, answer: str, locale: str | None = None) -> str:
    """``@subject: **That's right.**`` (or *Not quite*), under the reflection."""
    return f"{who(reflection.subject_id)}: **{answer_label(locale, answer)}.**"


def reflection_embed(reflection: Reflection, locale: str | None = None) -> discord.Embed:
    embed = discord.Embed(description=clean_user_text(reflection.text), colour=WARM_COLOUR)
    if reflection.answer == "right":
        embed.set_footer(text=t(locale, "That's right ✓"))
    elif reflection.answer == "not_quite":
        embed.set_footer(text=t(locale, "Not quite: see the clarification below"))
    return embed


def clarification_content(reflection: Reflection, locale: str | None = None) -> str:
    text = clean_user_text(reflection.clarification or "")
    return t(locale, "{person}: **Not quite.** What I meant:", person=who(reflection.subject_id)) + f"\n>>> {text}"


def ownership_embed(ownership: Ownership, locale: str | None = None) -> discord.Embed:
    embed = discord.Embed(title=t(locale, "Owning my part"), colour=WARM_COLOUR)
    embed.add_field(name=t(locale, "What I own"), value=_field(ownership.owned), inline=False)
    embed.add_field(name=t(locale, "What I'll do differently"), value=_field(ownership.will_do), inline=False)
    return embed


def ownership_content(ownership: Ownership, locale: str | None = None) -> str:
    text = t(locale, "{person} wrote down their part.", person=who(ownership.user_id))
    if ownership.commitment_number is not None:
        text += " " + t(
            locale,
            "What they'll do is proposed as commitment **#{number}**: they can accept or decline it privately.",
            number=ownership.commitment_number,
        )
    return text


def summary_embeds(lines: Sequence[str], *, title: str, footer: str | None = None) -> list[discord.Embed]:
    return embeds_from_lines(title, list(lines), colour=WARM_COLOUR, footer=footer)


def batches(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds into messages within Discord's 10-embed and 6000-character limits."""
    groups: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        length = len(embed)
        if current and (size + length > EMBED_TOTAL_LIMIT or len(current) == 10):
            groups.append(current)
            current, size = [], 0
        current.append(embed)
        size += length
    if current:
        groups.append(current)
    return groups


def followup_content(repair: Repair, locale: str | None = None) -> str:
    first, second = repair.people
    asked = tn(
        locale,
        "It's been {n} day since you closed this repair. **How are things now?** Each of you can answer, "
        "with an optional note.",
        "It's been {n} days since you closed this repair. **How are things now?** Each of you can answer, "
        "with an optional note.",
        repair.followup_days,
    )
    return f"{who(first)} {who(second)} {asked}"


def followup_answer_content(user_id: int, answer: str, note: str | None, locale: str | None = None) -> str:
    text = f"{who(user_id)}: **{followup_label(locale, answer)}**"
    if note:
        text += f"\n>>> {clean_user_text(note)}"
    return text


def followup_when(repair: Repair, locale: str | None = None) -> str:
    return timestamp(repair.followup_at, "R") if repair.followup_at else t(locale, "later")
