"""Question templates and the rules for custom questions and modal labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.checkins.wording import in_language
from bot.errors import BadInput
from bot.i18n import ENGLISH, t
from bot.markup import shorten

MAX_QUESTIONS = 5
MAX_QUESTIONS_WITH_MOOD = 4  # a Discord form holds five fields, and the mood choice takes one
MAX_QUESTION_CHARS = 100
LABEL_CHARS = 45  # Discord caps a modal label at 45 characters; the description holds up to 100
CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    title: str
    questions: tuple[str, ...]


# Rapport's own wording: ``t(ENGLISH, …)`` is the English text itself, marked as a catalog entry. Runs store it
# in English; each reader sees it in their language (:func:`question_text`, :func:`template_title`).
TEMPLATES: dict[str, Template] = {
    template.key: template
    for template in (
        Template(
            "standup",
            t(ENGLISH, "Stand-up"),
            (
                t(ENGLISH, "What did you get done since the last check-in?"),
                t(ENGLISH, "What are you working on next?"),
                t(ENGLISH, "Any blockers? Anything you're stuck on or waiting for?"),
            ),
        ),
        Template(
            "pulse",
            t(ENGLISH, "Pulse"),
            (t(ENGLISH, "How are you doing, honestly?"), t(ENGLISH, "What would help you right now?")),
        ),
        Template(
            "retro",
            t(ENGLISH, "Retro"),
            (
                t(ENGLISH, "What went well?"),
                t(ENGLISH, "What would you change?"),
                t(ENGLISH, "Who or what would you like to appreciate?"),
            ),
        ),
        Template("wins", t(ENGLISH, "Wins"), (t(ENGLISH, "What's one win from this week, big or small?"),)),
    )
}
#: The templates' questions as stored (English): only these are translated, never a manager's own wording.
TEMPLATE_QUESTIONS = frozenset(question for template in TEMPLATES.values() for question in template.questions)
TEMPLATE_CHOICES = (*TEMPLATES, CUSTOM)


def question_text(locale: str | None, question: str) -> str:
    """A run's question for this reader: a template's question in their language, a manager's as written."""
    return in_language(locale, question) if question in TEMPLATE_QUESTIONS else question


def template_title(locale: str | None, key: str) -> str | None:
    found = TEMPLATES.get(key)
    return in_language(locale, found.title) if found is not None else None


def split_questions(text: str) -> tuple[str, ...]:
    """Custom questions separated by ``|``: 1 to 5, each 1 to 100 characters."""
    parts = [" ".join(part.split()) for part in text.split("|")]
    questions = tuple(part for part in parts if part)
    if not questions:
        raise BadInput(
            "Write at least one question, separating several with `|`, e.g. `How was today? | Any help needed?`."
        )
    if len(questions) > MAX_QUESTIONS:
        raise BadInput(
            "That's {count} questions; a check-in can ask up to {limit}. Separate questions with `|`.",
            count=len(questions), limit=MAX_QUESTIONS,
        )
    for number, question in enumerate(questions, start=1):
        if len(question) > MAX_QUESTION_CHARS:
            raise BadInput(
                "Question {number} is {length} characters long; keep each question to {limit} characters.",
                number=number, length=len(question), limit=MAX_QUESTION_CHARS,
            )
    return questions


def choose_questions(template: str | None, questions: str | None, mood: bool) -> tuple[str, tuple[str, ...]]:
    """The template key and questions a check-in asks. ``questions`` makes it a custom check-in."""
    key = (template or "").strip().lower() or None
    if questions is not None and questions.strip():
        if key not in (None, CUSTOM):
            raise BadInput(
                "Choose either the `{template}` template or your own `questions`, not both "
                "(or pick the `custom` template).",
                template=key,
            )
        chosen = (CUSTOM, split_questions(questions))
    elif key == CUSTOM:
        raise BadInput("The `custom` template needs your own `questions`, separated by `|`.")
    else:
        key = key or "standup"
        found = TEMPLATES.get(key)
        if found is None:
            raise BadInput(
                "There's no `{template}` template. Choose one of: {choices}.",
                template=shorten(key, 30), choices=", ".join(TEMPLATE_CHOICES),
            )
        chosen = (found.key, found.questions)
    check_question_count(chosen[1], mood)
    return chosen


def check_question_count(questions: tuple[str, ...], mood: bool) -> None:
    if mood and len(questions) > MAX_QUESTIONS_WITH_MOOD:
        raise BadInput(
            "With the mood choice on, a check-in can ask up to {limit} questions "
            "(a Discord form holds five fields). Remove a question or turn mood off.",
            limit=MAX_QUESTIONS_WITH_MOOD,
        )


def modal_label(question: str, number: int) -> tuple[str, str | None]:
    """The label (at most 45 characters) and, when the question is longer, its description (the full text)."""
    if len(question) <= LABEL_CHARS:
        return question, None
    return shorten(f"{number}. {question}", LABEL_CHARS), question


_BLOCKER_QUESTION = re.compile(r"\bblock", re.IGNORECASE)
_BLOCKED_ANSWER = re.compile(
    r"\b(blocked|blocker|blockers|blocking|stuck|waiting (on|for))\b", re.IGNORECASE
)
_NEGATED = re.compile(
    r"\b(no|not|none|nothing|zero|without|un)[\s-]*(real\s+)?(blocked|blocker|blockers|blocking|stuck)\b|"
    r"\bnot\s+(currently\s+|really\s+)?(blocked|stuck)\b",
    re.IGNORECASE,
)
#: "Nothing to report" answers, matched whole once trailing punctuation is stripped. The old single pattern
#: (``\.+`` followed by ``[\s.!:)]*$``) backtracked quadratically on a long run of dots; this one is linear.
_NOTHING = re.compile(
    r"no|nope|none|nothing|nah|n/?a|nil|all good|not really|no blockers?|nothing (?:yet|so far|for now)|-+|—|"
    # the same in the shipped languages, for answers to a template's blockers question
    r"nein|nichts|keine(?: blocker)?|nada|ninguno|ninguna|non|rien|aucun|aucune|não|nao|nenhum|nenhuma",
    re.IGNORECASE,
)
_TRAILING = ".!:)"
#: Only the start of an answer decides whether it says "nothing"; the blocker patterns read this much too.
CLASSIFY_CHARS = 4000


def is_blocker_question(question: str) -> bool:
    return bool(_BLOCKER_QUESTION.search(question))


def says_blocked(answer: str, *, to_blocker_question: bool) -> bool:
    """Whether an answer reports a blocker: any real answer to a blockers question, or one that says so."""
    text = answer[:CLASSIFY_CHARS].strip()
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    core = text[:end]
    if not core or _NOTHING.fullmatch(core):
        return False
    if to_blocker_question:
        return True
    return bool(_BLOCKED_ANSWER.search(text)) and not _NEGATED.search(text)
