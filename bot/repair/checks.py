"""The refusals of a repair that need no database: member text, the follow-up delay, who is in it, its state."""

from __future__ import annotations

from bot.errors import BadInput, NotAllowed, UserFacingError
from bot.repair.models import FOLLOWUP_MAX, FOLLOWUP_MIN, Repair


def clean_field(text: str | None, *, what: str, limit: int, required: bool = True) -> str | None:
    """Member text from a form or option: trimmed, non-empty when required, within ``limit``."""
    cleaned = (text or "").strip()
    if not cleaned:
        if required:
            raise BadInput(f"Please write something for “{what}”.")
        return None
    if len(cleaned) > limit:
        raise BadInput(f"“{what}” is {len(cleaned):,} characters long; please keep it to {limit:,}.")
    return cleaned


def check_followup_days(days: int) -> int:
    if not FOLLOWUP_MIN <= days <= FOLLOWUP_MAX:
        raise BadInput(
            f"`followup` is the number of days before I ask how things are: from {FOLLOWUP_MIN} to "
            f"{FOLLOWUP_MAX} (default 7). {days} is outside that."
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


def require_person(repair: Repair, user_id: int, action: str) -> None:
    if not repair.is_person(user_id):
        raise NotAllowed(f"Only the two people in this repair can {action}.")


def require_active(repair: Repair) -> None:
    if not repair.is_active:
        raise UserFacingError("This repair is closed; its steps can't change any more.")
