"""The written summary of a repair: plain text lines, drafted from what the two people wrote.

Pure: no Discord and no SQL. Mentions in it (``<@id>``) only name the people; the bot never lets them ping.
Member text is made inert (``@everyone`` and mentions typed by members cannot ping even if quoted elsewhere).
"""

from __future__ import annotations

from bot.markup import clean_user_text, timestamp
from bot.repair.models import ANSWER_LABELS, Progress, Repair, RepairRecord


def who(user_id: int) -> str:
    return f"<@{user_id}>"


def _quote(text: str) -> str:
    return clean_user_text(text)


def draft_summary(record: RepairRecord, note: str | None) -> list[str]:
    """The summary as lines, in the order people lived it: views, reflections, ownership, agreements."""
    repair = record.repair
    first, second = repair.people
    between = f"Between {who(first)} and {who(second)}"
    if repair.mediator_id is not None:
        between += f", with {who(repair.mediator_id)} mediating"
    lines = [between + "."]
    if repair.topic:
        lines.append(f"**Topic:** {_quote(repair.topic)}")

    lines += ["", "**How each of us saw it**"]
    views = {view.user_id: view for view in record.views}
    if repair.views_revealed and first in views and second in views:
        for user_id in (first, second):
            view = views[user_id]
            lines.append(f"__{who(user_id)}__")
            lines.append(f"• What happened, from my side: {_quote(view.happened)}")
            lines.append(f"• How it affected me: {_quote(view.affected)}")
            lines.append(f"• What I need: {_quote(view.need)}")
    else:
        lines.append("The views were not shared in writing.")

    lines += ["", "**What we heard each other say**"]
    if not record.reflections:
        lines.append("No reflections were written.")
    for reflection in record.reflections:
        line = f"{who(reflection.author_id)} heard {who(reflection.subject_id)} say: {_quote(reflection.text)}"
        if reflection.answer is None:
            line += " (not answered)"
        elif reflection.answer == "right":
            line += f"\n  ↳ {who(reflection.subject_id)}: {ANSWER_LABELS['right']}."
        else:
            clarification = _quote(reflection.clarification or "")
            line += f"\n  ↳ {who(reflection.subject_id)}: {ANSWER_LABELS['not_quite']}"
            line += f": {clarification}" if clarification else "."
        lines.append(line)

    lines += ["", "**What each of us owns**"]
    if not record.ownership:
        lines.append("Nobody wrote down their part.")
    for owned in record.ownership:
        lines.append(f"{who(owned.user_id)}: {_quote(owned.owned)}")

    lines += ["", "**Agreements and commitments**"]
    agreements = 0
    for owned in record.ownership:
        commitment = f" (commitment #{owned.commitment_number})" if owned.commitment_number is not None else ""
        lines.append(f"{who(owned.user_id)} will: {_quote(owned.will_do)}{commitment}")
        agreements += 1
    if note:
        lines.append(f"Agreed together: {_quote(note)}")
        agreements += 1
    if not agreements:
        lines.append("None written down.")
    return lines


def state_label(repair: Repair, progress: Progress) -> str:
    """Where a repair stands in a few words, without any of its content."""
    if repair.state == "open":
        if not repair.views_revealed:
            return f"step 1: {len(progress.shared)} of 2 views shared"
        return f"steps 2–3: {len(progress.owned)} of 2 have owned their part"
    if repair.state == "closing":
        return f"summary drafted: {len(progress.post_approvals & set(repair.people))} of 2 approvals"
    if repair.followup_done_at is not None:
        return "closed and followed up"
    if repair.followup_posted_at is not None:
        return f"closed; follow-up asked, {len(progress.followup_answers)} of 2 answered"
    if repair.followup_at is not None:
        return f"closed; follow-up {timestamp(repair.followup_at, 'R')}"
    if repair.summary_text is None:
        return "ended without a summary"
    return "closed"


def status_lines(repair: Repair, progress: Progress) -> list[str]:
    """Who has done which step (never what they wrote), for the "Where are we?" button."""
    people = repair.people

    def mark(done: frozenset[int]) -> str:
        return ", ".join(f"{who(uid)} {'✓' if uid in done else '…'}" for uid in people)

    lines = [
        f"**Now:** {state_label(repair, progress)}",
        f"**1. Share your view:** {mark(progress.shared)}"
        + ("" if repair.views_revealed else " (views stay hidden until both have shared)"),
        f"**2. Reflect back:** {progress.reflections} written, {progress.reflections_answered} answered",
        f"**3. Own my part:** {mark(progress.owned)}",
    ]
    if repair.state == "closing":
        lines.append(f"**Summary approvals:** {mark(progress.post_approvals)}")
    if repair.state == "closed":
        lines.append(f"**Shared in the channel:** {'yes' if repair.shared_at else 'no'}")
    return lines
