"""The repair's forms: share your view, reflect back, not quite, own my part, how are things now.

Each is a :class:`~bot.adapter.forms.Form` (``form:<kind>:<id>[:<answer>]``, no timeout, never kept in memory);
what a submission does is in :mod:`cogs.repair._submissions`.
"""

from __future__ import annotations

import discord

from bot.adapter.forms import Form
from bot.repair.models import (
    MAX_CLARIFICATION,
    MAX_FOLLOWUP_NOTE,
    MAX_OWNED,
    MAX_REFLECTION,
    MAX_VIEW_PART,
    MAX_WILL_DO,
    FollowupAnswer,
)

#: Every field's label by custom id (also used to label an echo of what was typed).
LABELS = {
    "repair-happened": "What happened, from my side",
    "repair-affected": "How it affected me",
    "repair-need": "What I need",
    "repair-heard": "What I heard you say",
    "repair-meant": "What I meant",
    "repair-owned": "What I own",
    "repair-will-do": "What I'll do differently",
    "repair-followup-note": "A note (optional)",
}


def _field(custom_id: str, limit: int, *, required: bool = True) -> discord.ui.TextInput[Form]:
    return discord.ui.TextInput(
        label=LABELS[custom_id], style=discord.TextStyle.paragraph, custom_id=custom_id, max_length=limit,
        required=required,
    )


class ViewForm(Form, kind="repair-view"):
    happened = _field("repair-happened", MAX_VIEW_PART)
    affected = _field("repair-affected", MAX_VIEW_PART)
    need = _field("repair-need", MAX_VIEW_PART)

    def __init__(self, repair_id: int) -> None:
        super().__init__(title="Share your view", ref=repair_id)


class ReflectForm(Form, kind="repair-reflect"):
    heard = _field("repair-heard", MAX_REFLECTION)

    def __init__(self, repair_id: int) -> None:
        super().__init__(title="Reflect back", ref=repair_id)


class NotQuiteForm(Form, kind="repair-notquite"):
    meant = _field("repair-meant", MAX_CLARIFICATION)

    def __init__(self, reflection_id: int) -> None:
        super().__init__(title="Not quite", ref=reflection_id)


class OwnForm(Form, kind="repair-own"):
    owned = _field("repair-owned", MAX_OWNED)
    will_do = _field("repair-will-do", MAX_WILL_DO)

    def __init__(self, repair_id: int) -> None:
        super().__init__(title="Own my part", ref=repair_id)


class FollowupForm(Form, kind="repair-followup"):
    note = _field("repair-followup-note", MAX_FOLLOWUP_NOTE, required=False)

    def __init__(self, repair_id: int, answer: FollowupAnswer) -> None:
        super().__init__(title="How are things now?", ref=repair_id, detail=answer)
