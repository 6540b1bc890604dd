"""Everything commitments say, in one place: texts, embeds, and who each message may ping.

Member-written text (what was promised, notes) is always passed through :func:`clean_user_text`, and every
message states its ``allowed_mentions`` explicitly: nothing here can ever ping @everyone, a role, or anyone
but the owner when the owner is meant to be pinged.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.adapter.render import BRAND_COLOUR
from bot.commitments.models import SOURCE_NAMES, Commitment, CommitmentEvent, NudgeRecord
from bot.markup import FIELD_VALUE_LIMIT, TITLE_LIMIT, clean_user_text, mention, shorten, timestamp, when

PAGE_SIZE = 10
HISTORY_CHARS = 3000
STATUS_MARK = {"open": "•", "proposed": "?", "done": "✓", "dropped": "–", "declined": "×"}
STATUS_WORD = {
    "open": "open",
    "proposed": "waiting for the owner to accept",
    "done": "done",
    "dropped": "dropped",
    "declined": "declined",
}


def what(commitment: Commitment, limit: int = 300) -> str:
    """The promise, quoted and made inert."""
    return f"“{clean_user_text(commitment.text, limit)}”"


def due_text(commitment: Commitment) -> str:
    return when(commitment.due_at) if commitment.due_at is not None else "no due date"


def source_text(commitment: Commitment) -> str:
    name = SOURCE_NAMES.get(commitment.source_kind, commitment.source_kind)
    if commitment.source_url:
        return f"{name} ([link]({commitment.source_url}))"
    return name


def channel_link(guild_id: int, channel_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}"


# -- replies to commands ----------------------------------------------------------------------------------
def added_text(commitment: Commitment, zone_name: str) -> str:
    due = f"due {when(commitment.due_at)}" if commitment.due_at else "no due date"
    return (
        f"Added **{commitment.label}**: {what(commitment)}, {due}.\n"
        f"-# Times are read in {zone_name}. I'll remind you privately; change it with `/commit` any time."
    )


def proposed_text(commitment: Commitment, delivery: str, zone_name: str) -> str:
    due = f"due {when(commitment.due_at)}" if commitment.due_at else "no due date"
    text = f"Proposed **{commitment.label}** to {mention(commitment.owner_id)}: {what(commitment)}, {due}. "
    if delivery == "dm":
        text += "I've asked them privately; it's tracked once they accept."
    elif delivery == "channel":
        text += "Their DMs are closed, so I asked them once in the channel; it's tracked once they accept."
    else:
        text += (
            "I couldn't reach them by DM or in the channel; they can accept it from "
            f"`/commit show id:{commitment.number}`."
        )
    return text + f"\n-# Times are read in their time zone ({zone_name})."


def changed_text(commitment: Commitment, change: str) -> str:
    return f"**{commitment.label}** {what(commitment, 120)}: {change}"


def list_pages(title: str, commitments: Sequence[Commitment], *, show_owner: bool) -> list[discord.Embed]:
    lines = []
    for c in commitments:
        due = f" · due {timestamp(c.due_at, 'f')} ({timestamp(c.due_at, 'R')})" if c.due_at else ""
        owner = f" · {mention(c.owner_id)}" if show_owner else ""
        status = "" if c.status == "open" else f" · {c.status}"
        lines.append(f"{STATUS_MARK.get(c.status, '•')} **{c.label}** {what(c, 90)}{due}{owner}{status}")
    pages = []
    for start in range(0, len(lines), PAGE_SIZE):
        page = lines[start : start + PAGE_SIZE]
        pages.append(discord.Embed(title=title, description="\n".join(page), colour=BRAND_COLOUR))
    return pages


def _event_line(event: CommitmentEvent) -> str:
    at = timestamp(event.at, "f")
    who = f"{mention(event.actor_id)}" if event.actor_id else "Rapport"
    note = f": {clean_user_text(event.note, 200)}" if event.note else ""
    if event.kind == "created":
        return f"{at} added by {who}"
    if event.kind == "proposed":
        return f"{at} proposed by {who}"
    if event.kind == "renegotiated":
        old = timestamp(event.old_due_at, "f") if event.old_due_at else "no date"
        new = timestamp(event.new_due_at, "f") if event.new_due_at else "no date"
        return f"{at} renegotiated by {who} from {old} to {new}{note}"
    if event.kind == "snoozed":
        until = f" until {timestamp(event.new_due_at, 'f')}" if event.new_due_at else ""
        return f"{at} snoozed by {who}{until}"
    if event.kind == "help":
        return f"{at} {who} asked the channel for a hand"
    return f"{at} {event.kind} by {who}{note}"


def _fit_history(lines: list[str], budget: int) -> list[str]:
    """The first entry and as many of the latest as fit, so one embed stays within Discord's limits."""
    if sum(len(line) + 1 for line in lines) <= budget:
        return lines
    kept: list[str] = []
    used = len(lines[0]) + 40
    for line in reversed(lines[1:]):
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    hidden = len(lines) - 1 - len(kept)
    return [lines[0], f"… {hidden} earlier entr{'ies' if hidden != 1 else 'y'} …", *reversed(kept)]


def show_embeds(
    commitment: Commitment, events: Sequence[CommitmentEvent], nudges: Sequence[NudgeRecord]
) -> list[discord.Embed]:
    history = _fit_history([_event_line(e) for e in events], HISTORY_CHARS)
    sent = sum(1 for n in nudges if n.delivery in ("dm", "channel"))
    if sent:
        history.append(f"{sent} private reminder{'s' if sent != 1 else ''} sent")
    title = shorten(f"{commitment.label} · {clean_user_text(commitment.text)}", TITLE_LIMIT)
    first = discord.Embed(title=title, description="\n".join(["**History**", *history]), colour=BRAND_COLOUR)
    first.add_field(name="What", value=shorten(what(commitment), FIELD_VALUE_LIMIT), inline=False)
    first.add_field(name="Owner", value=f"{mention(commitment.owner_id)}")
    first.add_field(name="Created by", value=f"{mention(commitment.creator_id)}")
    first.add_field(name="Status", value=STATUS_WORD.get(commitment.status, commitment.status))
    first.add_field(name="Due", value=due_text(commitment), inline=False)
    first.add_field(name="Source", value=source_text(commitment), inline=False)
    if commitment.status == "open" and commitment.next_nudge_at is not None:
        first.add_field(name="Next reminder", value=timestamp(commitment.next_nudge_at, "R"), inline=False)
    return [first]


# -- messages the notifier sends ---------------------------------------------------------------------------
def proposal_dm(commitment: Commitment, guild_name: str) -> str:
    due = f", due {when(commitment.due_at)}" if commitment.due_at else ""
    return (
        f"{mention(commitment.creator_id)} proposed a commitment for you in **{guild_name}**: "
        f"**{commitment.label}** {what(commitment)}{due}.\n"
        f"Source: {source_text(commitment)}. Would you like to take it on? It's only tracked if you accept."
    )


def proposal_fallback(commitment: Commitment) -> str:
    due = f", due {timestamp(commitment.due_at, 'f')}" if commitment.due_at else ""
    return (
        f"{mention(commitment.creator_id)} proposed a commitment for you: "
        f"**{commitment.label}** {what(commitment)}{due}. "
        "Would you like to take it on? (I couldn't send you a DM.)"
    )


def nudge_dm(commitment: Commitment, kind: str, guild_name: str) -> str:
    label = f"**{commitment.label}** {what(commitment)}"
    due_at = commitment.due_at
    if kind == "before" and due_at is not None:
        opening = f"A friendly reminder: {label} is due {timestamp(due_at, 'R')} ({timestamp(due_at, 'f')})."
    elif kind == "overdue" and due_at is not None:
        opening = (
            f"Checking in on {label}, which was due {timestamp(due_at, 'R')}. Done already, need a new date, "
            "or could use a hand? Any answer is fine."
        )
    else:
        due = f" (due {timestamp(due_at, 'R')})" if due_at is not None else ""
        opening = f"Here's the reminder you asked for: {label}{due}."
    return f"{opening}\n-# From **{guild_name}** · {source_text(commitment)}"


def nudge_fallback(commitment: Commitment) -> str:
    return (
        f"a gentle reminder about **{commitment.label}** {what(commitment)}. "
        "I couldn't send you a DM, so I'm leaving it here."
    )


def escalation_text(commitment: Commitment) -> str:
    return (
        f"{mention(commitment.owner_id)} a gentle nudge about **{commitment.label}** {what(commitment)}. "
        "A quick update, a new date, or a hand from someone here are all fine."
    )


def help_text(commitment: Commitment) -> str:
    return f"{mention(commitment.owner_id)} could use a hand with: **{commitment.label}** {what(commitment)}"


def celebration_text(commitment: Commitment) -> str:
    return f"🎉 {mention(commitment.owner_id)} followed through: {what(commitment)}"

