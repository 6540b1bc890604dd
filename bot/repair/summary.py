"""The written summary of a repair: plain text lines, drafted from what the two people wrote.

Pure: no Discord and no SQL. Mentions in it (``<@id>``) only name the people; the bot never lets them ping.
Member text is made inert (``@everyone`` and mentions typed by members cannot ping even if quoted elsewhere)
and stays as written; the words around it are in the reader's language.
"""

from __future__ import annotations

from bot.i18n import t
from bot.markup import clean_user_text, timestamp
from bot.repair.models import Progress, Repair, RepairRecord


def who(user_id: int) -> str:
    return f"<@{user_id}>"


def _quote(text: str) -> str:
    return clean_user_text(text)


def answer_label(locale: str | None, answer: str) -> str:
    """*That's right* or *Not quite*, in the reader's language."""
    return t(locale, "That's right") if answer == "right" else t(locale, "Not quite")


def followup_label(locale: str | None, answer: str) -> str:
    """How things are now: better, about the same, worse, in the reader's language."""
    labels = {"better": t(locale, "Better"), "same": t(locale, "About the same"), "worse": t(locale, "Worse")}
    return labels.get(answer, answer)


def draft_summary(record: RepairRecord, note: str | None, locale: str | None = None) -> list[str]:
    """The summary as lines, in the order people lived it: views, reflections, ownership, agreements."""
    repair = record.repair
    first, second = repair.people
    if repair.mediator_id is not None:
        between = t(locale, "Between {first} and {second}, with {mediator} mediating.",
                    first=who(first), second=who(second), mediator=who(repair.mediator_id))
    else:
        between = t(locale, "Between {first} and {second}.", first=who(first), second=who(second))
    lines = [between]
    if repair.topic:
        lines.append(t(locale, "**Topic:** {topic}", topic=_quote(repair.topic)))

    lines += ["", t(locale, "**How each of us saw it**")]
    views = {view.user_id: view for view in record.views}
    if repair.views_revealed and first in views and second in views:
        for user_id in (first, second):
            view = views[user_id]
            lines.append(f"__{who(user_id)}__")
            lines.append(t(locale, "• What happened, from my side: {text}", text=_quote(view.happened)))
            lines.append(t(locale, "• How it affected me: {text}", text=_quote(view.affected)))
            lines.append(t(locale, "• What I need: {text}", text=_quote(view.need)))
    else:
        lines.append(t(locale, "The views were not shared in writing."))

    lines += ["", t(locale, "**What we heard each other say**")]
    if not record.reflections:
        lines.append(t(locale, "No reflections were written."))
    for reflection in record.reflections:
        line = t(locale, "{author} heard {subject} say: {text}", author=who(reflection.author_id),
                 subject=who(reflection.subject_id), text=_quote(reflection.text))
        if reflection.answer is None:
            line += " " + t(locale, "(not answered)")
        elif reflection.answer == "right":
            line += f"\n  ↳ {who(reflection.subject_id)}: {answer_label(locale, 'right')}."
        else:
            clarification = _quote(reflection.clarification or "")
            line += f"\n  ↳ {who(reflection.subject_id)}: {answer_label(locale, 'not_quite')}"
            line += f": {clarification}" if clarification else "."
        lines.append(line)

    lines += ["", t(locale, "**What each of us owns**")]
    if not record.ownership:
        lines.append(t(locale, "Nobody wrote down their part."))
    for owned in record.ownership:
        lines.append(f"{who(owned.user_id)}: {_quote(owned.owned)}")

    lines += ["", t(locale, "**Agreements and commitments**")]
    agreements = 0
    for owned in record.ownership:
        if owned.commitment_number is not None:
            lines.append(t(locale, "{person} will: {text} (commitment #{number})", person=who(owned.user_id),
                           text=_quote(owned.will_do), number=owned.commitment_number))
        else:
            lines.append(t(locale, "{person} will: {text}", person=who(owned.user_id), text=_quote(owned.will_do)))
        agreements += 1
    if note:
        lines.append(t(locale, "Agreed together: {text}", text=_quote(note)))
        agreements += 1
    if not agreements:
        lines.append(t(locale, "None written down."))
    return lines


def state_label(repair: Repair, progress: Progress, locale: str | None = None) -> str:
    """Where a repair stands in a few words, without any of its content."""
    if repair.state == "open":
        if not repair.views_revealed:
            return t(locale, "step 1: {count} of 2 views shared", count=len(progress.shared))
        return t(locale, "steps 2–3: {count} of 2 have owned their part", count=len(progress.owned))
    if repair.state == "closing":
        return t(locale, "summary drafted: {count} of 2 approvals",
                 count=len(progress.post_approvals & set(repair.people)))
    if repair.followup_done_at is not None:
        return t(locale, "closed and followed up")
    if repair.followup_posted_at is not None:
        return t(locale, "closed; follow-up asked, {count} of 2 answered", count=len(progress.followup_answers))
    if repair.followup_at is not None:
        return t(locale, "closed; follow-up {when}", when=timestamp(repair.followup_at, "R"))
    if repair.summary_text is None:
        return t(locale, "ended without a summary")
    return t(locale, "closed")


def status_lines(repair: Repair, progress: Progress, locale: str | None = None) -> list[str]:
    """Who has done which step (never what they wrote), for the "Where are we?" button."""
    people = repair.people

    def mark(done: frozenset[int]) -> str:
        return ", ".join(f"{who(uid)} {'✓' if uid in done else '…'}" for uid in people)

    share = t(locale, "**1. Share your view:** {marks}", marks=mark(progress.shared))
    if not repair.views_revealed:
        share += " " + t(locale, "(views stay hidden until both have shared)")
    lines = [
        t(locale, "**Now:** {state}", state=state_label(repair, progress, locale)),
        share,
        t(locale, "**2. Reflect back:** {written} written, {answered} answered",
          written=progress.reflections, answered=progress.reflections_answered),
        t(locale, "**3. Own my part:** {marks}", marks=mark(progress.owned)),
    ]
    if repair.state == "closing":
        lines.append(t(locale, "**Summary approvals:** {marks}", marks=mark(progress.post_approvals)))
    if repair.state == "closed":
        shared = t(locale, "yes") if repair.shared_at else t(locale, "no")
        lines.append(t(locale, "**Shared in the channel:** {shared}", shared=shared))
    return lines
