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
from bot.checkins.templates import is_blocker_question, question_text, says_blocked
from bot.checkins.wording import in_language
from bot.db.preferences import MissingMode
from bot.i18n import CATALOG_FOLDERS, ENGLISH, number, resolve, t, tn
from bot.markup import clean_user_text, shorten, timestamp

DESCRIPTION_BUDGET = 3600
DESCRIPTION_LIMIT = 4096
EMBED_LIMIT = 6000
FIELD_BUDGET = 1000
PREVIEW_CHARS = 180
MISSED_SHOWN = 5
MIN_ANONYMOUS_MOODS = 3
THREAD_REPLY_LABEL = t(ENGLISH, "(reply in the thread)")  # English in the CSV export, translated in a digest


def one_decimal(locale: str | None, value: float) -> str:
    """``3.5`` written the reader's way, always with one decimal (``3,5`` in German)."""
    from babel.numbers import format_decimal

    return format_decimal(value, format="0.0", locale=CATALOG_FOLDERS.get(resolve(locale), "en_US"))


def mood_label(locale: str | None, mood: int) -> str:
    """A mood's word (Rough … Great) in the reader's language."""
    return in_language(locale, MOOD_LABELS[mood])


# The mood words, marked for the catalogs (MOOD_LABELS holds the English).
_MOOD_WORDS = (t(ENGLISH, "Rough"), t(ENGLISH, "Low"), t(ENGLISH, "Okay"), t(ENGLISH, "Good"), t(ENGLISH, "Great"))


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


def mood_text(summary: MoodSummary, locale: str | None = ENGLISH) -> str:
    if summary.hidden:
        return t(locale, "Kept private: mood is shown once at least {n} people share theirs.", n=MIN_ANONYMOUS_MOODS)
    if summary.count == 0 or summary.average is None:
        return t(locale, "No one shared a mood this time.")
    lines = [tn(locale, "Average **{average}** / 5 from {n} person", "Average **{average}** / 5 from {n} people",
                summary.count, average=one_decimal(locale, summary.average))]
    words = {value: mood_label(locale, value) for value, _ in summary.distribution}
    width = max((len(word) for word in words.values()), default=5)
    widest = max(n for _, n in summary.distribution) or 1
    for value, n in summary.distribution:
        bar = "█" * max(1 if n else 0, round(8 * n / widest))
        lines.append(f"`{value} {words[value]:<{width}}` {bar} {n}")
    return "\n".join(lines)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40] or "checkin"


def _member_block(answer: Answer, run: Run, name: str, *, show_mood: bool, preview: int | None,
                  locale: str | None = ENGLISH) -> list[str]:
    head = f"**{name}**"
    if answer.source == "thread":
        head += " " + in_language(locale, THREAD_REPLY_LABEL)
    if show_mood and answer.mood is not None:
        head += " · " + t(locale, "mood {mood}/5", mood=answer.mood)
    lines = [head]
    if answer.source == "thread":
        text = clean_user_text(answer.answers[0] if answer.answers else "")
        lines.append(shorten(text, preview) if preview else text)
        return lines
    for question, text in zip(run.questions, answer.answers, strict=False):
        if not text.strip():
            continue
        cleaned = clean_user_text(text)
        lines.append(f"__{clean_user_text(question_text(locale, question))}__")
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
    locale: str | None = ENGLISH,
) -> Digest:
    """The digest of a closed run.

    ``participants`` are the members expected to answer (the role's members, or the check-in's regulars);
    members in ``away`` who did not answer are neither expected nor counted as not heard from. ``names`` are
    display names safe to show (no mentions are ever used, so nobody is pinged). ``locale``: the server's
    channel language; members' answers and managers' questions stay as written.
    """
    answered = [a for a in answers if a.answered]
    skipped = [a for a in answers if a.status == "skipped"]
    heard = {a.user_id for a in answers}
    expected = (participants | heard) - (away - heard)
    not_heard = tuple(sorted(expected - heard))

    def name(user_id: int) -> str:
        return names.get(user_id) or t(locale, "Member {id}", id=user_id)

    summary = tn(locale, "**{answered} of {n}** answered", "**{answered} of {n}** answered", len(expected),
                 answered=number(locale, len(answered)))
    if skipped:
        summary += " · " + tn(locale, "{n} skipped this time", "{n} skipped this time", len(skipped))
    intro = [t(locale, "Check-in of {scheduled}, closed {closed}.", scheduled=timestamp(run.scheduled_at, "f"),
               closed=timestamp(run.closes_at, "f")), summary]
    if run.late:
        intro.append(t(locale, "_Posted late: Rapport was offline at the scheduled time._"))
    full_in_file = "\n\n" + t(locale, "_The full answers are in the attached file._")

    show_mood = run.mood and not run.anonymous_mood
    full_blocks = ["\n".join(_member_block(a, run, name(a.user_id), show_mood=show_mood, preview=None,
                                            locale=locale))
                   for a in answered]
    shortened = False
    answers_text = "\n\n".join(full_blocks)
    answers_shortened = len(answers_text) > DESCRIPTION_BUDGET
    if answers_shortened:
        shortened = True
        previews = ["\n".join(_member_block(a, run, name(a.user_id), show_mood=show_mood, preview=PREVIEW_CHARS,
                                             locale=locale))
                    for a in answered]
        answers_text = "\n\n".join(previews)
        if len(answers_text) > DESCRIPTION_BUDGET:
            listed = shorten(", ".join(name(a.user_id) for a in answered), DESCRIPTION_BUDGET - 200)
            answers_text = t(locale, "Answers from {names}.", names=listed)
    if not answered:
        answers_text = t(locale, "No answers this time, and that's okay.")
    head = "\n".join(intro) + "\n\n"

    fields: list[tuple[str, str]] = []
    mood = mood_summary(answers, run.anonymous_mood) if run.mood else None
    if mood is not None:
        fields.append((t(locale, "Mood"), mood_text(mood, locale)))
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
            ), FIELD_BUDGET - 40) + "\n" + t(locale, "_(all of them in the attached file)_")
        fields.append((t(locale, "Blockers"), shown))
    if missing_mode != "off" and expected:
        not_heard_title = t(locale, "Not heard from")
        if not not_heard:
            fields.append((not_heard_title, t(locale, "Everyone expected was heard from.")))
        elif missing_mode == "count":
            fields.append((not_heard_title, tn(locale, "{n} member this time.", "{n} members this time.",
                                               len(not_heard))))
        else:
            listed = ", ".join(name(uid) for uid in not_heard)
            fields.append((not_heard_title, shorten(listed, FIELD_BUDGET)))
    if missed:
        shown_missed = ", ".join(timestamp(at, "f") for at in missed[-MISSED_SHOWN:])
        more = len(missed) - MISSED_SHOWN
        if more > 0:
            text = tn(locale, "Rapport was offline and missed the check-in of {runs} (and {n} earlier).",
                      "Rapport was offline and missed the check-in of {runs} (and {n} earlier).", more,
                      runs=shown_missed)
        else:
            text = t(locale, "Rapport was offline and missed the check-in of {runs}.", runs=shown_missed)
        fields.append((t(locale, "Missed while offline"), text))

    # The whole embed is budgeted, not just the answers: Discord rejects an embed over 6,000 characters in all
    # (title, description, field names and values) or a description over 4,096.
    title = shorten(t(locale, "{name}: digest", name=run.name), 256)
    room = min(DESCRIPTION_LIMIT, EMBED_LIMIT - len(title) - sum(len(n) + len(v) for n, v in fields)) - len(head)
    if answers_shortened or len(answers_text) > room:
        shortened = True
        answers_text = shorten(answers_text, room - len(full_in_file)) + full_in_file
    description = head + answers_text

    attachment = None
    if shortened:
        full = [f"# {title}", "", *intro, "", "\n\n".join(full_blocks) or t(locale, "No answers.")]
        if blocker_text:
            full += ["", "## " + t(locale, "Blockers"), blocker_text]
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
