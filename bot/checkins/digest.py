"""The digest posted when a run closes, and the CSV export: pure functions over plain values."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.checkins.models import MOOD_LABELS, Answer, HistoryEntry, Run
from bot.checkins.templates import is_blocker_question, says_blocked
from bot.db.preferences import MissingMode
from bot.markup import clean_user_text, shorten, timestamp

DESCRIPTION_BUDGET = 3600
DESCRIPTION_LIMIT = 4096
EMBED_LIMIT = 6000
FULL_IN_FILE = "\n\n_The full answers are in the attached file._"
FIELD_BUDGET = 1000
PREVIEW_CHARS = 180
MISSED_SHOWN = 5
MIN_ANONYMOUS_MOODS = 3
THREAD_REPLY_LABEL = "(reply in the thread)"


@dataclass(frozen=True, slots=True)
class Digest:
    title: str
    description: str
    fields: tuple[tuple[str, str], ...]
    attachment: tuple[str, str] | None  # (file name, full text) when anything had to be shortened
    answered: int
    expected: int
    not_heard_from: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MoodSummary:
    count: int
    average: float | None
    distribution: tuple[tuple[int, int], ...]  # (mood, how many), 5 down to 1
    hidden: bool


def mood_summary(answers: Sequence[Answer], anonymous: bool) -> MoodSummary:
    moods = [a.mood for a in answers if a.answered and a.mood is not None]
    counts = Counter(moods)
    distribution = tuple((value, counts.get(value, 0)) for value in range(5, 0, -1))
    hidden = anonymous and len(moods) < MIN_ANONYMOUS_MOODS
    average = sum(moods) / len(moods) if moods else None
    return MoodSummary(len(moods), None if hidden else average, () if hidden else distribution, hidden)


def mood_text(summary: MoodSummary) -> str:
    if summary.hidden:
        return f"Kept private: mood is shown once at least {MIN_ANONYMOUS_MOODS} people share theirs."
    if summary.count == 0 or summary.average is None:
        return "No one shared a mood this time."
    people = "person" if summary.count == 1 else "people"
    lines = [f"Average **{summary.average:.1f}** / 5 from {summary.count} {people}"]
    widest = max(n for _, n in summary.distribution) or 1
    for value, n in summary.distribution:
        bar = "█" * max(1 if n else 0, round(8 * n / widest))
        lines.append(f"`{value} {MOOD_LABELS[value]:<5}` {bar} {n}")
    return "\n".join(lines)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40] or "checkin"


def _member_block(answer: Answer, run: Run, name: str, *, show_mood: bool, preview: int | None) -> list[str]:
    head = f"**{name}**"
    if answer.source == "thread":
        head += " " + THREAD_REPLY_LABEL
    if show_mood and answer.mood is not None:
        head += f" · mood {answer.mood}/5"
    lines = [head]
    if answer.source == "thread":
        text = clean_user_text(answer.answers[0] if answer.answers else "")
        lines.append(shorten(text, preview) if preview else text)
        return lines
    for question, text in zip(run.questions, answer.answers, strict=False):
        if not text.strip():
            continue
        cleaned = clean_user_text(text)
        lines.append(f"__{clean_user_text(question)}__")
        lines.append(shorten(cleaned, preview) if preview else cleaned)
    return lines


def blockers(run: Run, answers: Sequence[Answer]) -> list[tuple[int, str]]:
    """(member, text) for every answer that reports a blocker, in answer order."""
    found: list[tuple[int, str]] = []
    for answer in answers:
        if not answer.answered:
            continue
        if answer.source == "thread":
            texts = [(answer.answers[0] if answer.answers else "", False)]
        else:
            texts = [
                (text, is_blocker_question(question))
                for question, text in zip(run.questions, answer.answers, strict=False)
            ]
        for text, to_blocker_question in texts:
            if says_blocked(text, to_blocker_question=to_blocker_question):
                found.append((answer.user_id, text.strip()))
    return found


def build_digest(
    run: Run,
    answers: Sequence[Answer],
    *,
    participants: set[int],
    away: set[int],
    names: Mapping[int, str],
    missing_mode: MissingMode,
    missed: Sequence[datetime] = (),
) -> Digest:
    """The digest of a closed run.

    ``participants`` are the members expected to answer (the role's members, or the check-in's regulars);
    members in ``away`` who did not answer are neither expected nor counted as not heard from. ``names`` are
    display names safe to show (no mentions are ever used, so nobody is pinged).
    """
    answered = [a for a in answers if a.answered]
    skipped = [a for a in answers if a.status == "skipped"]
    heard = {a.user_id for a in answers}
    expected = (participants | heard) - (away - heard)
    not_heard = tuple(sorted(expected - heard))

    def name(user_id: int) -> str:
        return names.get(user_id) or f"Member {user_id}"

    summary = f"**{len(answered)} of {len(expected)}** answered"
    if skipped:
        summary += f" · {len(skipped)} skipped this time"
    intro = [f"Check-in of {timestamp(run.scheduled_at, 'f')}, closed {timestamp(run.closes_at, 'f')}.", summary]
    if run.late:
        intro.append("_Posted late: Rapport was offline at the scheduled time._")

    show_mood = run.mood and not run.anonymous_mood
    full_blocks = ["\n".join(_member_block(a, run, name(a.user_id), show_mood=show_mood, preview=None))
                   for a in answered]
    shortened = False
    answers_text = "\n\n".join(full_blocks)
    answers_shortened = len(answers_text) > DESCRIPTION_BUDGET
    if answers_shortened:
        shortened = True
        previews = ["\n".join(_member_block(a, run, name(a.user_id), show_mood=show_mood, preview=PREVIEW_CHARS))
                     for a in answered]
        answers_text = "\n\n".join(previews)
        if len(answers_text) > DESCRIPTION_BUDGET:
            listed = shorten(", ".join(name(a.user_id) for a in answered), DESCRIPTION_BUDGET - 200)
            answers_text = f"Answers from {listed}."
    if not answered:
        answers_text = "No answers this time, and that's okay."
    head = "\n".join(intro) + "\n\n"

    fields: list[tuple[str, str]] = []
    mood = mood_summary(answers, run.anonymous_mood) if run.mood else None
    if mood is not None:
        fields.append(("Mood", mood_text(mood)))
    found_blockers = blockers(run, answered)
    blocker_text = ""
    if found_blockers:
        blocker_lines = [f"• **{name(uid)}**: {clean_user_text(text)}" for uid, text in found_blockers]
        blocker_text = "\n".join(blocker_lines)
        shown = blocker_text
        if len(shown) > FIELD_BUDGET:
            shortened = True
            shown = shorten("\n".join(
                f"• **{name(uid)}**: {clean_user_text(text, 120)}" for uid, text in found_blockers
            ), FIELD_BUDGET - 40) + "\n_(all of them in the attached file)_"
        fields.append(("Blockers", shown))
    if missing_mode != "off" and expected:
        if not not_heard:
            fields.append(("Not heard from", "Everyone expected was heard from."))
        elif missing_mode == "count":
            count = len(not_heard)
            fields.append(("Not heard from", f"{count} {'member' if count == 1 else 'members'} this time."))
        else:
            listed = ", ".join(name(uid) for uid in not_heard)
            fields.append(("Not heard from", shorten(listed, FIELD_BUDGET)))
    if missed:
        shown_missed = ", ".join(timestamp(at, "f") for at in missed[-MISSED_SHOWN:])
        more = len(missed) - MISSED_SHOWN
        text = f"Rapport was offline and missed the check-in of {shown_missed}"
        text += f" (and {more} earlier)." if more > 0 else "."
        fields.append(("Missed while offline", text))

    # The whole embed is budgeted, not just the answers: Discord rejects an embed over 6,000 characters in all
    # (title, description, field names and values) or a description over 4,096.
    title = shorten(f"{run.name}: digest", 256)
    room = min(DESCRIPTION_LIMIT, EMBED_LIMIT - len(title) - sum(len(n) + len(v) for n, v in fields)) - len(head)
    if answers_shortened or len(answers_text) > room:
        shortened = True
        answers_text = shorten(answers_text, room - len(FULL_IN_FILE)) + FULL_IN_FILE
    description = head + answers_text

    attachment = None
    if shortened:
        full = [f"# {run.name}: digest", "", *intro, "", "\n\n".join(full_blocks) or "No answers."]
        if blocker_text:
            full += ["", "## Blockers", blocker_text]
        attachment = (f"{_slug(run.name)}-{run.scheduled_at:%Y%m%d-%H%M}.md", "\n".join(full) + "\n")
    return Digest(
        title=title,
        description=description,
        fields=tuple(fields),
        attachment=attachment,
        answered=len(answered),
        expected=len(expected),
        not_heard_from=not_heard,
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Keep spreadsheets from running member text as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_csv(entries: Sequence[HistoryEntry], names: Mapping[int, str]) -> str:
    """One row per answered question: run time, member, question, answer, mood, answered at (UTC, ISO 8601).

    Moods of check-ins with anonymous mood are left out: only averages are ever shown for those.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["run_time", "member_id", "member", "question", "answer", "mood", "answered_at"])
    for entry in entries:
        run, answer = entry.run, entry.answer
        mood = "" if run.anonymous_mood or answer.mood is None else str(answer.mood)
        member = names.get(answer.user_id, "")
        if answer.source == "thread":
            pairs = [(THREAD_REPLY_LABEL, answer.answers[0] if answer.answers else "")]
        else:
            pairs = [(q, a) for q, a in zip(run.questions, answer.answers, strict=False) if a.strip()]
            if not pairs and answer.mood is not None:
                pairs = [("", "")]
        for question, text in pairs:
            writer.writerow(
                [
                    run.scheduled_at.isoformat(),
                    str(answer.user_id),
                    _cell(member),
                    _cell(question),
                    _cell(text),
                    mood,
                    answer.answered_at.isoformat(),
                ]
            )
    return out.getvalue()
