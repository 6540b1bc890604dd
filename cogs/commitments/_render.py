"""Everything commitments say, in one place: texts, embeds, and who each message may ping.

Member-written text (what was promised, notes) is always passed through :func:`clean_user_text`, and every
message states its ``allowed_mentions`` explicitly: nothing here can ever ping @everyone, a role, or anyone
but the owner when the owner is meant to be pinged.

Every function takes the reader's ``locale``: the member's for replies and DMs, the server's for channel posts
(the caller picks; see the notifier). Dates are Discord timestamps, which each reader sees in their own locale.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.adapter.render import BRAND_COLOUR
from bot.commitments.models import Commitment, CommitmentEvent, NudgeRecord
from bot.i18n import t, tn
from bot.markup import FIELD_VALUE_LIMIT, TITLE_LIMIT, clean_user_text, mention, shorten, timestamp, when

PAGE_SIZE = 10
HISTORY_CHARS = 3000
STATUS_MARK = {"open": "•", "proposed": "?", "done": "✓", "dropped": "–", "declined": "×"}


def status_word(status: str, locale: str | None = None) -> str:
    """A commitment's status as a reader sees it."""
    if status == "open":
        return t(locale, "open")
    if status == "proposed":
        return t(locale, "waiting for the owner to accept")
    if status == "done":
        return t(locale, "done")
    if status == "dropped":
        return t(locale, "dropped")
    if status == "declined":
        return t(locale, "declined")
    return status


def source_name(kind: str, locale: str | None = None) -> str:
    """Where a commitment came from, in a few words."""
    if kind == "manual":
        return t(locale, "added by hand")
    if kind == "checkin":
        return t(locale, "a check-in answer")
    if kind == "summary":
        return t(locale, "a summary")
    if kind == "repair":
        return t(locale, "a repair conversation")
    return kind


def what(commitment: Commitment, limit: int = 300) -> str:
    """The promise, quoted and made inert."""
    return f"“{clean_user_text(commitment.text, limit)}”"


def due_text(commitment: Commitment, locale: str | None = None) -> str:
    return when(commitment.due_at) if commitment.due_at is not None else t(locale, "no due date")


def source_text(commitment: Commitment, locale: str | None = None) -> str:
    name = source_name(commitment.source_kind, locale)
    if commitment.source_url:
        return t(locale, "{source} ([link]({url}))", source=name, url=commitment.source_url)
    return name


def channel_link(guild_id: int, channel_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}"


def _due(commitment: Commitment, locale: str | None) -> str:
    if commitment.due_at:
        return t(locale, "due {when}", when=when(commitment.due_at))
    return t(locale, "no due date")


# -- replies to commands ----------------------------------------------------------------------------------
def added_text(commitment: Commitment, zone_name: str, locale: str | None = None) -> str:
    return (
        t(locale, "Added **{label}**: {what}, {due}.", label=commitment.label, what=what(commitment),
          due=_due(commitment, locale))
        + "\n-# "
        + t(locale, "Times are read in {zone}. I'll remind you privately; change it with `/commit` any time.",
            zone=zone_name)
    )


def proposed_text(commitment: Commitment, delivery: str, zone_name: str, locale: str | None = None) -> str:
    text = t(
        locale,
        "Proposed **{label}** to {owner}: {what}, {due}.",
        label=commitment.label,
        owner=mention(commitment.owner_id, locale),
        what=what(commitment),
        due=_due(commitment, locale),
    )
    if delivery == "dm":
        text += " " + t(locale, "I've asked them privately; it's tracked once they accept.")
    elif delivery == "channel":
        text += " " + t(
            locale, "Their DMs are closed, so I asked them once in the channel; it's tracked once they accept."
        )
    else:
        text += " " + t(
            locale,
            "I couldn't reach them by DM or in the channel; they can accept it from `/commit show id:{number}`.",
            number=commitment.number,
        )
    return text + "\n-# " + t(locale, "Times are read in their time zone ({zone}).", zone=zone_name)


def changed_text(commitment: Commitment, change: str) -> str:
    return f"**{commitment.label}** {what(commitment, 120)}: {change}"


def list_title(locale: str | None, whose: str | None, status: str, when_filter: str) -> str:
    """The title of ``/commit list``: whose (None: the reader's own) and which filters."""
    title = t(locale, "Your commitments") if whose is None else t(locale, "{name}'s commitments", name=whose)
    filters: list[str] = [] if status == "all" else [status_word(status, locale)]
    if when_filter == "overdue":
        filters.append(t(locale, "overdue"))
    elif when_filter == "this-week":
        filters.append(t(locale, "this week"))
    return f"{title} ({', '.join(filters)})" if filters else title


def list_pages(
    title: str, commitments: Sequence[Commitment], *, show_owner: bool, locale: str | None = None
) -> list[discord.Embed]:
    lines = []
    for c in commitments:
        due = (
            " · "
            + t(locale, "due {date} ({relative})", date=timestamp(c.due_at, "f"), relative=timestamp(c.due_at, "R"))
            if c.due_at
            else ""
        )
        owner = f" · {mention(c.owner_id, locale)}" if show_owner else ""
        status = "" if c.status == "open" else f" · {status_word(c.status, locale)}"
        lines.append(f"{STATUS_MARK.get(c.status, '•')} **{c.label}** {what(c, 90)}{due}{owner}{status}")
    pages = []
    for start in range(0, len(lines), PAGE_SIZE):
        page = lines[start : start + PAGE_SIZE]
        pages.append(discord.Embed(title=title, description="\n".join(page), colour=BRAND_COLOUR))
    return pages


def _event_line(event: CommitmentEvent, locale: str | None = None) -> str:
    at = timestamp(event.at, "f")
    who = f"{mention(event.actor_id, locale)}" if event.actor_id else "Rapport"
    note = f": {clean_user_text(event.note, 200)}" if event.note else ""
    if event.kind == "created":
        return t(locale, "{at} added by {who}", at=at, who=who)
    if event.kind == "proposed":
        return t(locale, "{at} proposed by {who}", at=at, who=who)
    if event.kind == "accepted":
        return t(locale, "{at} accepted by {who}", at=at, who=who) + note
    if event.kind == "declined":
        return t(locale, "{at} declined by {who}", at=at, who=who) + note
    if event.kind == "done":
        return t(locale, "{at} done by {who}", at=at, who=who) + note
    if event.kind == "dropped":
        return t(locale, "{at} dropped by {who}", at=at, who=who) + note
    if event.kind == "renegotiated":
        old = timestamp(event.old_due_at, "f") if event.old_due_at else t(locale, "no date")
        new = timestamp(event.new_due_at, "f") if event.new_due_at else t(locale, "no date")
        return t(locale, "{at} renegotiated by {who} from {old} to {new}", at=at, who=who, old=old, new=new) + note
    if event.kind == "snoozed":
        if event.new_due_at:
            return t(locale, "{at} snoozed by {who} until {until}", at=at, who=who,
                     until=timestamp(event.new_due_at, "f"))
        return t(locale, "{at} snoozed by {who}", at=at, who=who)
    if event.kind == "help":
        return t(locale, "{at} {who} asked the channel for a hand", at=at, who=who)
    return f"{at} {event.kind} · {who}{note}"


def _fit_history(lines: list[str], budget: int, locale: str | None = None) -> list[str]:
    """The first entry and as many of the latest as fit, so one embed stays within Discord's limits."""
    if sum(len(line) + 1 for line in lines) <= budget:
        return lines
    kept: list[str] = []
    used = len(lines[0]) + 60
    for line in reversed(lines[1:]):
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    hidden = len(lines) - 1 - len(kept)
    more = tn(locale, "… {n} earlier entry …", "… {n} earlier entries …", hidden)
    return [lines[0], more, *reversed(kept)]


def show_embeds(
    commitment: Commitment,
    events: Sequence[CommitmentEvent],
    nudges: Sequence[NudgeRecord],
    locale: str | None = None,
) -> list[discord.Embed]:
    history = _fit_history([_event_line(e, locale) for e in events], HISTORY_CHARS, locale)
    sent = sum(1 for n in nudges if n.delivery in ("dm", "channel"))
    if sent:
        history.append(tn(locale, "{n} private reminder sent", "{n} private reminders sent", sent))
    title = shorten(f"{commitment.label} · {clean_user_text(commitment.text)}", TITLE_LIMIT)
    heading = "**" + t(locale, "History") + "**"
    first = discord.Embed(title=title, description="\n".join([heading, *history]), colour=BRAND_COLOUR)
    first.add_field(name=t(locale, "What"), value=shorten(what(commitment), FIELD_VALUE_LIMIT), inline=False)
    first.add_field(name=t(locale, "Owner"), value=f"{mention(commitment.owner_id, locale)}")
    first.add_field(name=t(locale, "Created by"), value=f"{mention(commitment.creator_id, locale)}")
    first.add_field(name=t(locale, "Status"), value=status_word(commitment.status, locale))
    first.add_field(name=t(locale, "Due"), value=due_text(commitment, locale), inline=False)
    first.add_field(name=t(locale, "Source"), value=source_text(commitment, locale), inline=False)
    if commitment.status == "open" and commitment.next_nudge_at is not None:
        first.add_field(
            name=t(locale, "Next reminder"), value=timestamp(commitment.next_nudge_at, "R"), inline=False
        )
    return [first]


# -- messages the notifier sends ---------------------------------------------------------------------------
def proposal_dm(commitment: Commitment, guild_name: str, locale: str | None = None) -> str:
    values = dict(
        creator=mention(commitment.creator_id, locale), guild=guild_name, label=commitment.label, what=what(commitment)
    )
    if commitment.due_at:
        first = t(
            locale,
            "{creator} proposed a commitment for you in **{guild}**: **{label}** {what}, due {when}.",
            when=when(commitment.due_at),
            **values,
        )
    else:
        first = t(locale, "{creator} proposed a commitment for you in **{guild}**: **{label}** {what}.", **values)
    return (
        first
        + "\n"
        + t(
            locale,
            "Source: {source}. Would you like to take it on? It's only tracked if you accept.",
            source=source_text(commitment, locale),
        )
    )


def proposal_fallback(commitment: Commitment, locale: str | None = None) -> str:
    values = dict(creator=mention(commitment.creator_id, locale), label=commitment.label, what=what(commitment))
    if commitment.due_at:
        text = t(
            locale,
            "{creator} proposed a commitment for you: **{label}** {what}, due {when}.",
            when=timestamp(commitment.due_at, "f"),
            **values,
        )
    else:
        text = t(locale, "{creator} proposed a commitment for you: **{label}** {what}.", **values)
    return text + " " + t(locale, "Would you like to take it on? (I couldn't send you a DM.)")


def nudge_dm(commitment: Commitment, kind: str, guild_name: str, locale: str | None = None) -> str:
    label = f"**{commitment.label}** {what(commitment)}"
    due_at = commitment.due_at
    if kind == "before" and due_at is not None:
        opening = t(
            locale,
            "A friendly reminder: {commitment} is due {relative} ({date}).",
            commitment=label,
            relative=timestamp(due_at, "R"),
            date=timestamp(due_at, "f"),
        )
    elif kind == "overdue" and due_at is not None:
        opening = t(
            locale,
            "Checking in on {commitment}, which was due {relative}. Done already, need a new date, "
            "or could use a hand? Any answer is fine.",
            commitment=label,
            relative=timestamp(due_at, "R"),
        )
    elif due_at is not None:
        opening = t(
            locale,
            "Here's the reminder you asked for: {commitment} (due {relative}).",
            commitment=label,
            relative=timestamp(due_at, "R"),
        )
    else:
        opening = t(locale, "Here's the reminder you asked for: {commitment}.", commitment=label)
    footer = t(locale, "From **{guild}** · {source}", guild=guild_name, source=source_text(commitment, locale))
    return f"{opening}\n-# {footer}"


def nudge_fallback(commitment: Commitment, locale: str | None = None) -> str:
    return t(
        locale,
        "a gentle reminder about **{label}** {what}. I couldn't send you a DM, so I'm leaving it here.",
        label=commitment.label,
        what=what(commitment),
    )


def escalation_text(commitment: Commitment, locale: str | None = None) -> str:
    return t(
        locale,
        "{owner} a gentle nudge about **{label}** {what}. "
        "A quick update, a new date, or a hand from someone here are all fine.",
        owner=mention(commitment.owner_id, locale),
        label=commitment.label,
        what=what(commitment),
    )


def help_text(commitment: Commitment, locale: str | None = None) -> str:
    return t(
        locale,
        "{owner} could use a hand with: **{label}** {what}",
        owner=mention(commitment.owner_id, locale),
        label=commitment.label,
        what=what(commitment),
    )


def celebration_text(commitment: Commitment, locale: str | None = None) -> str:
    return "🎉 " + t(
        locale, "{owner} followed through: {what}", owner=mention(commitment.owner_id, locale), what=what(commitment)
    )
