"""The feedback buttons other features attach to what they publish.

Attach them when posting a published summary, a check-in digest or a repair summary::

    from bot.adapter.feedback_buttons import feedback_view
    await channel.send(embed=embed, view=feedback_view("summary", summary.id))

or, for a message that already has its own buttons, ``add_feedback_buttons(view, "checkin", run.id)``.

The buttons are persistent :class:`~discord.ui.DynamicItem` s whose ``custom_id`` carries everything
(``fb:<kind>:<ref id>:<up|missing>``), so they keep working after a restart without any registration by the
feature that posted them (the feedback cog registers :class:`FeedbackButton` once at start-up).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.access import Subject
from bot.adapter.forms import Form, FormRouter, Submission
from bot.adapter.render import NO_MENTIONS
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import PersistentButton
from bot.adapter.visibility import require_scope
from bot.errors import ObjectNotFound
from bot.feedback.models import CUSTOM_ID_TEMPLATE, KIND_NAMES, MAX_VOTE_NOTE, MIN_NOTE, Kind, Vote, custom_id
from bot.feedback.service import FeedbackService
from bot.i18n import t
from bot.markup import clean_user_text

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)

def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale)


def up_label(locale: str | None) -> str:
    return t(locale, "This captured it")


def missing_label(locale: str | None) -> str:
    return t(locale, "Something's missing")


def _gone(locale: str | None, kind: str) -> str:
    texts = {
        "summary": t(locale, "I couldn't find that summary."),
        "checkin": t(locale, "I couldn't find that check-in digest."),
        "repair": t(locale, "I couldn't find that repair summary."),
    }
    return texts.get(kind) or t(locale, "I couldn't find that message.")


def vote_reply(locale: str | None, kind: str, previous: str | None) -> str:
    """What the member is told after **This captured it**, in their language."""
    if previous == "up":
        texts = {
            "summary": t(locale, "You'd already said this summary captured it. Thanks again!"),
            "checkin": t(locale, "You'd already said this check-in digest captured it. Thanks again!"),
            "repair": t(locale, "You'd already said this repair summary captured it. Thanks again!"),
        }
    elif previous == "missing":
        texts = {
            "summary": t(locale, "Changed: you now say this summary captured it. Your earlier note stays where it "
                                 "was posted."),
            "checkin": t(locale, "Changed: you now say this check-in digest captured it. Your earlier note stays "
                                 "where it was posted."),
            "repair": t(locale, "Changed: you now say this repair summary captured it. Your earlier note stays "
                                "where it was posted."),
        }
    else:
        texts = {
            "summary": t(locale, "Thanks! Noted that this summary captured it."),
            "checkin": t(locale, "Thanks! Noted that this check-in digest captured it."),
            "repair": t(locale, "Thanks! Noted that this repair summary captured it."),
        }
    return texts[kind]


def _service(interaction: discord.Interaction[Any]) -> FeedbackService:
    bot = cast("Rapport", interaction.client)
    return bot.service(FeedbackService)


async def require_feedback_scope(interaction: discord.Interaction[Any], kind: str, ref_id: int) -> None:
    """The custom id names a row by its global id: the press counts only in that row's server, from a member
    who may see where it was posted (pressed in a DM: who is still a member there). Otherwise "not found"."""
    # Imported here: those features attach these buttons, so they import this module.
    from bot.checkins.service import CheckinService
    from bot.repair.service import RepairService
    from bot.summary.service import SummaryService

    bot = cast("Rapport", interaction.client)
    gone = _gone(_locale(interaction), kind)
    subject: Subject | None = None
    if kind == "summary":
        stored = await bot.service(SummaryService).repo.get(ref_id)
        if stored is not None and stored.status == "published":
            subject = Subject(stored.guild_id, stored.channel_id)
    elif kind == "checkin":
        found = await bot.service(CheckinService).run_with_checkin(ref_id)
        if found is not None:
            subject = Subject(found[1].guild_id, found[0].channel_id)
    elif kind == "repair":
        repair = await bot.service(RepairService).repo.get(ref_id)
        if repair is not None:
            subject = Subject(repair.guild_id, repair.channel_id)  # its summary is posted in the parent channel
    if subject is None:
        raise ObjectNotFound(gone)
    await require_scope(interaction, subject, gone)


def note_reply_text(kind: str, user_id: int, note: str, locale: str | None = None) -> str:
    """The public reply that shows a "Something's missing" note (mentions made inert; sent without pings), in
    the server's language."""
    member = f"<@{user_id}>"
    heads = {
        "summary": t(locale, "**Something's missing** from this summary, noted by {member}:", member=member),
        "checkin": t(locale, "**Something's missing** from this check-in digest, noted by {member}:", member=member),
        "repair": t(locale, "**Something's missing** from this repair summary, noted by {member}:", member=member),
    }
    return f"{heads[kind]}\n>>> {clean_user_text(note)}"


NOTE_LABEL = "What's missing or not quite right?"


class MissingNoteForm(Form, kind="feedback-note"):
    """Asks what was missing; the note is stored, then posted as a reply to the message.

    ``form:feedback-note:<ref id>:<kind>``: two members filling it at once each submit their own, and a note
    submitted after a restart is still taken (or echoed back when it no longer can be).
    """

    def __init__(self, kind: Kind, ref_id: int, locale: str | None = None) -> None:
        super().__init__(title=missing_label(locale), ref=ref_id, detail=kind)
        note: discord.ui.TextInput[MissingNoteForm] = discord.ui.TextInput(
            custom_id="note",
            style=discord.TextStyle.paragraph,
            min_length=MIN_NOTE,
            max_length=MAX_VOTE_NOTE,
            placeholder=t(locale, "e.g. We also agreed to move the retro to Thursday."),
        )
        self.add_item(discord.ui.Label(text=t(locale, "What's missing or not quite right?"), component=note))


async def submit_note(interaction: discord.Interaction[Any], form: Submission) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    locale = _locale(interaction)
    if form.detail not in KIND_NAMES:
        raise ObjectNotFound("I couldn't find what this note was about.")
    kind = cast(Kind, form.detail)
    await require_feedback_scope(interaction, kind, form.ref)
    service = _service(interaction)
    source = interaction.message
    channel_id = interaction.channel_id or (source.channel.id if source is not None else 0)
    stored = await service.add_note(
        kind,
        form.ref,
        user_id=interaction.user.id,
        guild_id=interaction.guild_id,
        channel_id=channel_id,
        message_id=source.id if source is not None else None,
        note=form.text("note", MAX_VOTE_NOTE),
    )
    bot = cast("Rapport", interaction.client)
    channel_locale = (await bot.prefs.guild(interaction.guild_id)).channel_locale if interaction.guild_id else locale
    text = note_reply_text(kind, interaction.user.id, stored.note, channel_locale)
    try:
        if source is not None:
            reply = await source.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)
        elif isinstance(interaction.channel, discord.abc.Messageable):
            reply = await interaction.channel.send(text, allowed_mentions=NO_MENTIONS)
        else:
            raise discord.ClientException("no channel to reply in")
    except (discord.HTTPException, discord.ClientException) as error:
        log.warning("could not post a feedback note for %s %s: %s", kind, form.ref, error)
        await interaction.followup.send(
            t(locale, "I saved your note, but I couldn't post it here (I may be missing Send Messages or Read "
                      "Message History in this channel). A server admin can check my permissions."),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return
    await service.note_posted(stored.id, reply.id)
    await interaction.followup.send(
        t(locale, "Thanks: your note is saved and posted as a reply, so everyone can see what to add."),
        ephemeral=True,
        allowed_mentions=NO_MENTIONS,
    )


def register_note_form(router: FormRouter) -> None:
    router.register(MissingNoteForm.kind, submit_note, labels={"note": NOTE_LABEL})


class FeedbackButton(PersistentButton, template=CUSTOM_ID_TEMPLATE):
    """**This captured it** / **Something's missing** on a published summary, check-in digest or repair summary."""

    def __init__(self, kind: Kind, ref_id: int, vote: Vote, locale: str | None = None) -> None:
        up = vote == "up"
        super().__init__(
            discord.ui.Button(
                label=up_label(locale) if up else missing_label(locale),
                style=discord.ButtonStyle.success if up else discord.ButtonStyle.secondary,
                custom_id=custom_id(kind, ref_id, vote),
            )
        )
        self.kind: Kind = kind
        self.ref_id = ref_id
        self.vote: Vote = vote

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        return cls(cast(Kind, match["kind"]), int(match["ref"]), cast(Vote, match["vote"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await require_feedback_scope(interaction, self.kind, self.ref_id)
        locale = _locale(interaction)
        if self.vote == "missing":
            await interaction.response.send_modal(MissingNoteForm(self.kind, self.ref_id, locale))
            return
        message = interaction.message
        previous = await _service(interaction).vote_up(
            self.kind,
            self.ref_id,
            user_id=interaction.user.id,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            message_id=message.id if message is not None else None,
        )
        await send_ephemeral(interaction, vote_reply(locale, self.kind, previous))


def add_feedback_buttons(
    view: discord.ui.View, kind: str, ref_id: int, *, row: int | None = None, locale: str | None = None
) -> discord.ui.View:
    """Add the two feedback buttons (labelled in ``locale``, the channel's language) to a view that already has
    other items; returns the same view."""
    if kind not in KIND_NAMES:
        raise ValueError(f"unknown feedback kind {kind!r}; expected one of {sorted(KIND_NAMES)}")
    for vote in ("up", "missing"):
        button = FeedbackButton(cast(Kind, kind), ref_id, vote, locale)
        if row is not None:
            button.item.row = row
        view.add_item(button)
    return view


def feedback_view(kind: str, ref_id: int, *, locale: str | None = None) -> discord.ui.View:
    """A view with only the two feedback buttons, for ``send(..., view=feedback_view("summary", summary.id))``.

    ``kind`` is ``summary``, ``checkin`` or ``repair``; ``ref_id`` the row id of what the message shows.
    """
    return add_feedback_buttons(discord.ui.View(timeout=None), kind, ref_id, locale=locale)
