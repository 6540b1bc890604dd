"""The refusals of a repair that need no database: member text, the follow-up delay, who is in it, its state."""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import BadInput, NotAllowed, UserFacingError
from bot.i18n import number, t
from bot.repair.models import FOLLOWUP_MAX, FOLLOWUP_MIN, Repair


def field_name(locale: str | None, what: str) -> str:
    """A field's name in the reader's language (its English name is the catalog id)."""
    names = {
        "topic": t(locale, "topic"),
        "note": t(locale, "note"),
        "What happened, from my side": t(locale, "What happened, from my side"),
        "How it affected me": t(locale, "How it affected me"),
        "What I need": t(locale, "What I need"),
        "What I heard you say": t(locale, "What I heard you say"),
        "What I meant": t(locale, "What I meant"),
        "What I own": t(locale, "What I own"),
        "What I'll do differently": t(locale, "What I'll do differently"),
    }
    return names.get(what, what)


class FieldProblem(BadInput):
    """A refusal about one field: its name and its numbers are shown in the reader's language too."""

    def __init__(self, message: str, /, *, what: str, **values: object) -> None:
        super().__init__(message, what=what, **values)

    def text(self, locale: str | None) -> str:
        values = {
            key: number(locale, value) if isinstance(value, int) else value for key, value in self.values.items()
        }
        values["what"] = field_name(locale, str(self.values["what"]))
        return t(locale, self.msgid, **values)


def clean_field(text: str | None, *, what: str, limit: int, required: bool = True) -> str | None:
    """Member text from a form or option: trimmed, non-empty when required, within ``limit``."""
    cleaned = (text or "").strip()
    if not cleaned:
        if required:
            raise FieldProblem("Please write something for “{what}”.", what=what)
        return None
    if len(cleaned) > limit:
        raise FieldProblem(
            "“{what}” is {length} characters long; please keep it to {limit}.",
            what=what, length=len(cleaned), limit=limit,
        )
    return cleaned


def check_followup_days(days: int) -> int:
    if not FOLLOWUP_MIN <= days <= FOLLOWUP_MAX:
        raise BadInput(
            "`followup` is the number of days before I ask how things are: from {minimum} to {maximum} "
            "(default 7). {days} is outside that.",
            minimum=FOLLOWUP_MIN, maximum=FOLLOWUP_MAX, days=days,
        )
    return days


def check_people(
    starter_id: int,
    partner_id: int,
    *,
    partner_is_bot: bool,
    mediator_id: int | None = None,
    mediator_is_bot: bool = False,
) -> None:
    """The refusals at start that need no Discord: yourself, a bot, a mediator who is one of the two."""
    if partner_id == starter_id:
        raise BadInput("A repair is between you and someone else: pick the other person, not yourself.")
    if partner_is_bot:
        raise BadInput("A repair is between two people; pick a member, not a bot.")
    if mediator_id is not None:
        if mediator_id in (starter_id, partner_id):
            raise BadInput("A mediator is a third person: pick someone other than the two of you.")
        if mediator_is_bot:
            raise BadInput("A mediator needs to be a person, not a bot.")


#: The refusal for each action only the two people may take, as whole sentences (they translate better).
ONLY_THE_TWO: dict[str, Callable[[], NotAllowed]] = {
    "end it": lambda: NotAllowed("Only the two people in this repair can end it."),
    "share a view": lambda: NotAllowed("Only the two people in this repair can share a view."),
    "reflect back what they heard": lambda: NotAllowed(
        "Only the two people in this repair can reflect back what they heard."
    ),
    "write down their part": lambda: NotAllowed("Only the two people in this repair can write down their part."),
    "approve the summary": lambda: NotAllowed("Only the two people in this repair can approve the summary."),
    "agree to share the summary": lambda: NotAllowed(
        "Only the two people in this repair can agree to share the summary."
    ),
    "answer the follow-up": lambda: NotAllowed("Only the two people in this repair can answer the follow-up."),
}


def require_person(repair: Repair, user_id: int, action: str) -> None:
    if not repair.is_person(user_id):
        refusal = ONLY_THE_TWO.get(action)
        raise refusal() if refusal is not None else NotAllowed("Only the two people in this repair can do that.")


def require_active(repair: Repair) -> None:
    if not repair.is_active:
        raise UserFacingError("This repair is closed; its steps can't change any more.")
