"""Question templates and the rules for custom questions and modal labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import BadInput
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


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            "standup",
            "Stand-up",
            (
                "What did you get done since the last check-in?",
                "What are you working on next?",
                "Any blockers? Anything you're stuck on or waiting for?",
            ),
        ),
        Template("pulse", "Pulse", ("How are you doing, honestly?", "What would help you right now?")),
        Template(
            "retro",
            "Retro",
            ("What went well?", "What would you change?", "Who or what would you like to appreciate?"),
        ),
        Template("wins", "Wins", ("What's one win from this week, big or small?",)),
    )
}
TEMPLATE_CHOICES = (*TEMPLATES, CUSTOM)


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
            f"That's {len(questions)} questions; a check-in can ask up to {MAX_QUESTIONS}. "
            "Separate questions with `|`."
        )
    for number, question in enumerate(questions, start=1):
        if len(question) > MAX_QUESTION_CHARS:
            raise BadInput(
                f"Question {number} is {len(question)} characters long; keep each question to "
                f"{MAX_QUESTION_CHARS} characters."
            )
    return questions


def choose_questions(template: str | None, questions: str | None, mood: bool) -> tuple[str, tuple[str, ...]]:
    """The template key and questions a check-in asks. ``questions`` makes it a custom check-in."""
    key = (template or "").strip().lower() or None
    if questions is not None and questions.strip():
        if key not in (None, CUSTOM):
            raise BadInput(
                f"Choose either the `{key}` template or your own `questions`, not both "
                "(or pick the `custom` template)."
            )
        chosen = (CUSTOM, split_questions(questions))
    elif key == CUSTOM:
        raise BadInput("The `custom` template needs your own `questions`, separated by `|`.")
    else:
        key = key or "standup"
        found = TEMPLATES.get(key)
        if found is None:
            raise BadInput(f"There's no `{shorten(key, 30)}` template. Choose one of: {', '.join(TEMPLATE_CHOICES)}.")
        chosen = (found.key, found.questions)
    check_question_count(chosen[1], mood)
    return chosen


def check_question_count(questions: tuple[str, ...], mood: bool) -> None:
    if mood and len(questions) > MAX_QUESTIONS_WITH_MOOD:
        raise BadInput(
            f"With the mood choice on, a check-in can ask up to {MAX_QUESTIONS_WITH_MOOD} questions "
            "(a Discord form holds five fields). Remove a question or turn mood off."
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
    r"no|nope|none|nothing|nah|n/?a|nil|all good|not really|no blockers?|nothing (?:yet|so far|for now)|-+|—",
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
