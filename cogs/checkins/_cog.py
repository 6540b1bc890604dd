"""``/checkin``: thin adapters from slash commands, buttons and thread messages to the check-in service."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.access import Subject
from bot.adapter.autocomplete import timezone_autocomplete
from bot.adapter.forms import Submission
from bot.adapter.permissions import guild_member, require_manager
from bot.adapter.render import NO_MENTIONS
from bot.adapter.tree import send_ephemeral
from bot.adapter.ui import ConfirmView, send_pages
from bot.adapter.visibility import Viewer
from bot.checkins.models import CheckIn
from bot.checkins.service import CheckinOptions, CheckinService
from bot.errors import BadInput, shown_input
from bot.i18n import t
from bot.markup import shorten, timestamp, when
from bot.timezones import get_zone
from cogs.checkins._poster import DiscordPoster
from cogs.checkins._render import (
    changed_text,
    created_text,
    escape_name,
    history_embeds,
    list_embeds,
    show_embed,
)
from cogs.checkins._views import FORM_ID, AnswerButton, AnswerForm, SkipButton, open_form, submit_form

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)


def _locale(interaction: discord.Interaction[Rapport]) -> str:
    return str(interaction.locale)


def checkin_subject(checkin: CheckIn) -> Subject:
    return Subject(checkin.guild_id, checkin.channel_id)


Template = Literal["standup", "pulse", "retro", "wins", "custom"]

_DESCRIBE_OPTIONS = {
    "name": "A short name, e.g. Daily stand-up.",
    "channel": "Where the prompt and its thread are posted.",
    "schedule": "e.g. weekdays 09:30, mon,wed,fri 17:00, every 2 weeks on fri 16:00, cron 0 9 * * 1-5",
    "timezone": "IANA time zone the schedule is read in (default: the server's).",
    "template": "standup, pulse, retro, wins, or custom (with your own questions).",
    "questions": "Your own questions, 1 to 5 separated by |, each up to 100 characters.",
    "participants": "Members expected to answer (reminders, counts). @everyone: whoever answers.",
    "window": "How long answers stay open, from 5m to 7d (default 8h).",
    "remind_before": "When before the close to remind who hasn't answered (default 2h; off).",
    "mood": "Add an optional 1-5 mood choice.",
    "anonymous_mood": "Only ever show the mood average and distribution.",
}
_ID = "The check-in (type to search by name)."


def _options(
    *,
    name: str | None = None,
    channel: discord.TextChannel | None = None,
    schedule: str | None = None,
    timezone: str | None = None,
    template: str | None = None,
    questions: str | None = None,
    participants: discord.Role | None = None,
    window: str | None = None,
    remind_before: str | None = None,
    mood: bool | None = None,
    anonymous_mood: bool | None = None,
) -> CheckinOptions:
    return CheckinOptions(
        name=name,
        channel_id=channel.id if channel is not None else None,
        schedule=schedule,
        timezone=timezone,
        template=template,
        questions=questions,
        participants_role_id=participants.id if participants is not None and not participants.is_default() else None,
        clear_participants=participants is not None and participants.is_default(),
        window=window,
        remind_before=remind_before,
        mood=mood,
        anonymous_mood=anonymous_mood,
    )


@app_commands.guild_only()
class Checkins(commands.GroupCog, group_name="checkin", group_description="Recurring check-ins for this server."):
    def __init__(self, bot: Rapport) -> None:
        self.bot = bot
        self.service: CheckinService
        super().__init__()

    async def cog_load(self) -> None:
        if not hasattr(self.bot, "db"):
            # Loaded without set-up (e.g. to list commands): there is no database to serve.
            return
        self.service = CheckinService(
            db=self.bot.db,
            prefs=self.bot.prefs,
            clock=self.bot.clock,
            dispatcher=self.bot.dispatcher,
            poster=DiscordPoster(self.bot),
            default_timezone=self.bot.settings.default_timezone,
        )
        self.bot.register_service(self.service)
        self.bot.add_dynamic_items(AnswerButton, SkipButton)
        self.bot.forms.register(AnswerForm.kind, self._submit_answer, legacy=FORM_ID)
        await self.service.start()
        log.info("check-in due work armed: %d open thread(s)", len(self.service.open_threads))

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnswerButton, SkipButton)
        self.bot.forms.unregister(AnswerForm.kind)
        if hasattr(self, "service"):
            self.service.stop()

    # -- helpers -------------------------------------------------------------------------------------
    async def _checkin(self, interaction: discord.Interaction[Rapport], key: str) -> CheckIn:
        """The check-in ``key`` names, if the member may see it: one they cannot see is "not found"."""
        member = guild_member(interaction)
        checkin = await self.service.get(member.guild.id, key)
        await Viewer(self.bot, member).require(
            checkin_subject(checkin),
            t(_locale(interaction), "I couldn't find a check-in `{key}` in this server.", key=shown_input(key)),
        )
        return checkin

    async def _manage(self, interaction: discord.Interaction[Rapport], action: str) -> int:
        member = guild_member(interaction)
        await require_manager(interaction, self.bot.prefs, action)  # ``action`` in the member's language
        return member.guild.id

    async def checkin_autocomplete(
        self, interaction: discord.Interaction[Rapport], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        if not isinstance(interaction.user, discord.Member):
            return []
        viewer = Viewer(self.bot, interaction.user)
        choices: list[app_commands.Choice[str]] = []
        for cid, name, channel_id in await self.service.search(interaction.guild_id, current[:100]):
            if await viewer.may_see(Subject(interaction.guild_id, channel_id)):
                label = t(_locale(interaction), "{name} (id {id})", name=name, id=cid)
                choices.append(app_commands.Choice(name=shorten(label, 100), value=str(cid)))
                if len(choices) >= 25:
                    break
        return choices

    async def _viewer_zone(self, interaction: discord.Interaction[Rapport]) -> str:
        return await self.bot.prefs.member_zone_name(
            interaction.user.id, interaction.guild_id, self.bot.settings.default_timezone
        )

    # -- listeners -----------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A member's message in an open run's thread counts as their answer (unless they used the form)."""
        if message.author.bot or not isinstance(message.channel, discord.Thread):
            return
        if message.channel.id not in self.service.open_threads:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        text = message.content.strip()
        if not text and message.attachments and message.guild is not None:
            # Stored as the answer, so in the language the digest is posted in.
            text = t((await self.bot.prefs.guild(message.guild.id)).channel_locale, "(shared an attachment)")
        if text:
            await self.service.thread_reply(message.channel.id, message.author.id, text)

    async def _submit_answer(self, interaction: discord.Interaction[Rapport], form: Submission) -> None:
        """Answer forms arrive through the bot's form router, from the raw submission, so they survive a restart."""
        await submit_form(interaction, form.ref)

    # -- managing --------------------------------------------------------------------------------------
    @app_commands.command(name="create", description="Start a recurring check-in in a channel.")
    @app_commands.describe(**_DESCRIBE_OPTIONS)
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def create(
        self,
        interaction: discord.Interaction[Rapport],
        name: app_commands.Range[str, 1, 50],
        channel: discord.TextChannel,
        schedule: app_commands.Range[str, 1, 100],
        timezone: str | None = None,
        template: Template | None = None,
        questions: app_commands.Range[str, 1, 600] | None = None,
        participants: discord.Role | None = None,
        window: str | None = None,
        remind_before: str | None = None,
        mood: bool | None = None,
        anonymous_mood: bool | None = None,
    ) -> None:
        locale = _locale(interaction)
        guild_id = await self._manage(interaction, t(locale, "create check-ins"))
        if channel.guild.id != guild_id:
            raise BadInput("That channel belongs to another server.")
        values = _options(
            name=name, channel=channel, schedule=schedule, timezone=timezone, template=template, questions=questions,
            participants=participants, window=window, remind_before=remind_before, mood=mood,
            anonymous_mood=anonymous_mood,
        )
        checkin, upcoming = await self.service.create(guild_id, interaction.user.id, values)
        await send_ephemeral(interaction, created_text(checkin, upcoming, locale))

    @app_commands.command(name="edit", description="Change a check-in's settings.")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID, **_DESCRIBE_OPTIONS)
    @app_commands.autocomplete(key=checkin_autocomplete, timezone=timezone_autocomplete)
    async def edit(
        self,
        interaction: discord.Interaction[Rapport],
        key: str,
        name: app_commands.Range[str, 1, 50] | None = None,
        channel: discord.TextChannel | None = None,
        schedule: app_commands.Range[str, 1, 100] | None = None,
        timezone: str | None = None,
        template: Template | None = None,
        questions: app_commands.Range[str, 1, 600] | None = None,
        participants: discord.Role | None = None,
        window: str | None = None,
        remind_before: str | None = None,
        mood: bool | None = None,
        anonymous_mood: bool | None = None,
    ) -> None:
        locale = _locale(interaction)
        guild_id = await self._manage(interaction, t(locale, "edit check-ins"))
        checkin = await self._checkin(interaction, key)
        if channel is not None and channel.guild.id != guild_id:
            raise BadInput("That channel belongs to another server.")
        values = _options(
            name=name, channel=channel, schedule=schedule, timezone=timezone, template=template, questions=questions,
            participants=participants, window=window, remind_before=remind_before, mood=mood,
            anonymous_mood=anonymous_mood,
        )
        updated, said = await self.service.edit(checkin, values)
        upcoming = await self.service.upcoming(updated, 3)
        skipped = " " + t(locale, "(skipped)")
        nexts = "\n".join(f"• {when(u.at)}" + (skipped if u.skipped else "") for u in upcoming)
        text = t(locale, "Updated **{name}**: {changes}. Runs already open keep their settings.",
                 name=escape_name(updated.name), changes=", ".join(changed_text(locale, c) for c in said))
        if nexts:
            text += "\n" + t(locale, "The next runs:") + "\n" + nexts
        await send_ephemeral(interaction, text)

    @app_commands.command(name="pause", description="Pause a check-in until it is resumed.")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID)
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def pause(self, interaction: discord.Interaction[Rapport], key: str) -> None:
        locale = _locale(interaction)
        await self._manage(interaction, t(locale, "pause check-ins"))
        checkin = await self.service.pause(await self._checkin(interaction, key))
        await send_ephemeral(interaction, t(locale, "Paused **{name}**. Open runs still close with their digest.",
                                            name=escape_name(checkin.name)))

    @app_commands.command(name="resume", description="Resume a paused check-in from its next scheduled time.")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID)
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def resume(self, interaction: discord.Interaction[Rapport], key: str) -> None:
        locale = _locale(interaction)
        await self._manage(interaction, t(locale, "resume check-ins"))
        checkin = await self.service.resume(await self._checkin(interaction, key))
        assert checkin.next_run_at is not None
        await send_ephemeral(interaction, t(locale, "Resumed **{name}**. Next run: {when}.",
                                            name=escape_name(checkin.name), when=when(checkin.next_run_at)))

    @app_commands.command(name="skip", description="Skip the next run of a check-in (only that one).")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID)
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def skip(self, interaction: discord.Interaction[Rapport], key: str) -> None:
        locale = _locale(interaction)
        await self._manage(interaction, t(locale, "skip check-in runs"))
        checkin = await self._checkin(interaction, key)
        at = await self.service.skip_next(checkin)
        await send_ephemeral(interaction, t(locale, "The run of {when} of **{name}** will be skipped.", when=when(at),
                                            name=escape_name(checkin.name)))

    @app_commands.command(name="delete", description="Delete a check-in (asks to confirm).")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID)
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def delete(self, interaction: discord.Interaction[Rapport], key: str) -> None:
        locale = _locale(interaction)
        await self._manage(interaction, t(locale, "delete check-ins"))
        checkin = await self._checkin(interaction, key)
        view = ConfirmView(interaction.user.id, confirm_label=t(locale, "Delete"))
        await interaction.response.send_message(
            t(locale, "Delete **{name}**? It stops running, open runs close without a digest, and its "
              "history is no longer shown.", name=escape_name(checkin.name)),
            view=view,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        await view.wait()
        if view.value is not True:
            if view.value is None:
                await interaction.edit_original_response(content=t(locale, "Nothing was deleted."), view=None)
            return
        await self.service.delete(checkin)
        await interaction.edit_original_response(
            content=t(locale, "Deleted **{name}**.", name=escape_name(checkin.name)), view=None
        )

    @app_commands.command(name="run", description="Post an extra run of a check-in now.")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID)
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def run(self, interaction: discord.Interaction[Rapport], key: str) -> None:
        locale = _locale(interaction)
        await self._manage(interaction, t(locale, "post check-in runs"))
        checkin = await self._checkin(interaction, key)
        await interaction.response.defer(ephemeral=True, thinking=True)
        run = await self.service.run_now(checkin)
        await interaction.followup.send(
            t(locale, "Posted an extra run of **{name}** in {channel}; answers close {relative}.",
              name=escape_name(checkin.name), channel=f"<#{run.channel_id}>", relative=timestamp(run.closes_at, "R")),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="export", description="Download a check-in's answers as a CSV file.")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID)
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def export(self, interaction: discord.Interaction[Rapport], key: str) -> None:
        locale = _locale(interaction)
        await self._manage(interaction, t(locale, "export check-in answers"))
        checkin = await self._checkin(interaction, key)
        text = await self.service.export(checkin)
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename=f"checkin-{checkin.id}.csv")
        if checkin.anonymous_mood:
            said = t(locale, "Answers of **{name}**. Moods are left out: this check-in keeps them anonymous.",
                     name=escape_name(checkin.name))
        else:
            said = t(locale, "Answers of **{name}**.", name=escape_name(checkin.name))
        await interaction.response.send_message(said, file=file, ephemeral=True, allowed_mentions=NO_MENTIONS)

    # -- for everyone ----------------------------------------------------------------------------------
    @app_commands.command(name="list", description="This server's check-ins and when they run next.")
    async def list_(self, interaction: discord.Interaction[Rapport]) -> None:
        member = guild_member(interaction)
        zone = get_zone(await self._viewer_zone(interaction))
        checkins = await Viewer(self.bot, member).visible(
            await self.service.list_checkins(member.guild.id), checkin_subject
        )
        items = [(c, await self.service.upcoming(c, 2)) for c in checkins]
        await send_pages(interaction, list_embeds(items, zone, _locale(interaction)))

    @app_commands.command(name="show", description="A check-in's settings and its last five runs.")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID)
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def show(self, interaction: discord.Interaction[Rapport], key: str) -> None:
        checkin = await self._checkin(interaction, key)
        embed = show_embed(checkin, await self.service.upcoming(checkin, 3), await self.service.recent_runs(checkin),
                           _locale(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="answer", description="Answer the check-in that is open now.")
    @app_commands.rename(key="id")
    @app_commands.describe(key="Which check-in (default: the one open in this channel).")
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def answer(self, interaction: discord.Interaction[Rapport], key: str | None = None) -> None:
        member = guild_member(interaction)
        checkin = await self._checkin(interaction, key) if key else None
        viewer = Viewer(self.bot, member)
        run = await self.service.latest_open_run(
            member.guild.id, checkin, interaction.channel_id,
            visible=lambda run: viewer.may_see(Subject(member.guild.id, run.channel_id)),
        )
        await viewer.require(Subject(member.guild.id, run.channel_id),
                             t(_locale(interaction), "There's no open check-in here right now."))
        await open_form(interaction, run.id)

    @app_commands.command(name="history", description="Past answers to a check-in, privately.")
    @app_commands.rename(key="id")
    @app_commands.describe(key=_ID, member="Only this member's answers.")
    @app_commands.autocomplete(key=checkin_autocomplete)
    async def history(
        self, interaction: discord.Interaction[Rapport], key: str, member: discord.Member | None = None
    ) -> None:
        checkin = await self._checkin(interaction, key)
        entries = await self.service.history(checkin, member.id if member is not None else None)
        locale = _locale(interaction)
        names = self.service.poster.display_names(checkin.guild_id, {e.answer.user_id for e in entries},
                                                  locale=locale)
        await send_pages(interaction, history_embeds(checkin, entries, names, interaction.user.id, locale))

