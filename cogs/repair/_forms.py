"""The repair's forms: share your view, reflect back, not quite, own my part, how are things now.

Each is a :class:`~bot.adapter.forms.Form` (``form:<kind>:<id>[:<answer>]``, no timeout, never kept in memory);
what a submission does is in :mod:`cogs.repair._submissions`. Titles and labels are in the language of the
member who opens the form.
"""

from __future__ import annotations

import discord

from bot.adapter.forms import Form
from bot.i18n import t
from bot.repair.models import (
    MAX_CLARIFICATION,
    MAX_FOLLOWUP_NOTE,
    MAX_OWNED,
    MAX_REFLECTION,
    MAX_VIEW_PART,
    MAX_WILL_DO,
    FollowupAnswer,
)


def labels(locale: str | None = None) -> dict[str, str]:
    """Every field's label by custom id (also used to label an echo of what was typed)."""
    return {
        "repair-happened": t(locale, "What happened, from my side"),
        "repair-affected": t(locale, "How it affected me"),
        "repair-need": t(locale, "What I need"),
        "repair-heard": t(locale, "What I heard you say"),
        "repair-meant": t(locale, "What I meant"),
        "repair-owned": t(locale, "What I own"),
        "repair-will-do": t(locale, "What I'll do differently"),
        "repair-followup-note": t(locale, "A note (optional)"),
    }


LABELS = labels()


def _field(custom_id: str, limit: int, *, required: bool = True) -> discord.ui.TextInput[Form]:
    return discord.ui.TextInput(
        label=LABELS[custom_id], style=discord.TextStyle.paragraph, custom_id=custom_id, max_length=limit,
        required=required,
    )


class _LocalForm(Form):
    def localise(self, locale: str | None) -> None:
        """Label every field in the reader's language (the custom ids stay the same)."""
        texts = labels(locale)
        fields = [item for item in self.children if isinstance(item, discord.ui.TextInput)]
        self.clear_items()
        for item in fields:
            self.add_item(
                discord.ui.TextInput(
                    label=texts.get(item.custom_id, LABELS.get(item.custom_id, ""))[:45],
                    style=item.style, custom_id=item.custom_id, max_length=item.max_length, required=item.required,
                )
            )


class ViewForm(_LocalForm, kind="repair-view"):
    happened = _field("repair-happened", MAX_VIEW_PART)
    affected = _field("repair-affected", MAX_VIEW_PART)
    need = _field("repair-need", MAX_VIEW_PART)

    def __init__(self, repair_id: int, locale: str | None = None) -> None:
        super().__init__(title=t(locale, "Share your view"), ref=repair_id)
        self.localise(locale)


class ReflectForm(_LocalForm, kind="repair-reflect"):
    heard = _field("repair-heard", MAX_REFLECTION)

    def __init__(self, repair_id: int, locale: str | None = None) -> None:
        super().__init__(title=t(locale, "Reflect back"), ref=repair_id)
        self.localise(locale)


class NotQuiteForm(_LocalForm, kind="repair-notquite"):
    meant = _field("repair-meant", MAX_CLARIFICATION)

    def __init__(self, reflection_id: int, locale: str | None = None) -> None:
        super().__init__(title=t(locale, "Not quite"), ref=reflection_id)
        self.localise(locale)


class OwnForm(_LocalForm, kind="repair-own"):
    owned = _field("repair-owned", MAX_OWNED)
    will_do = _field("repair-will-do", MAX_WILL_DO)

    def __init__(self, repair_id: int, locale: str | None = None) -> None:
        super().__init__(title=t(locale, "Own my part"), ref=repair_id)
        self.localise(locale)


class FollowupForm(_LocalForm, kind="repair-followup"):
    note = _field("repair-followup-note", MAX_FOLLOWUP_NOTE, required=False)

    def __init__(self, repair_id: int, answer: FollowupAnswer, locale: str | None = None) -> None:
        super().__init__(title=t(locale, "How are things now?"), ref=repair_id, detail=answer)
        self.localise(locale)
