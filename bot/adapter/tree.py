"""One error path for every slash command, button and modal."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.adapter.observe import interaction_label
from bot.adapter.render import NO_MENTIONS
from bot.adapter.visibility import permission_labels
from bot.errors import UserFacingError
from bot.i18n import t
from bot.markup import shorten

if TYPE_CHECKING:
    from bot.adapter.client import Rapport

log = logging.getLogger(__name__)


async def send_ephemeral(interaction: discord.Interaction[Any], content: str, **kwargs: Any) -> None:
    """Reply privately whether or not the interaction was already acknowledged."""
    content = shorten(content, 2000)
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=True, **kwargs)


def _permission_names(permissions: list[str], locale: str | None) -> str:
    labels = permission_labels(locale)
    return ", ".join(labels.get(p) or p.replace("_", " ").replace("guild", "server").title() for p in permissions)


def _friendly(error: Exception, locale: str | None = None) -> str | None:
    """The member-facing sentence for an expected failure, in the reader's language; None when it is a bug."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserFacingError):
        return error.text(locale)
    if isinstance(error, app_commands.MissingPermissions):
        return t(locale, "You need the {permissions} permission to do that.",
                 permissions=_permission_names(error.missing_permissions, locale))
    if isinstance(error, app_commands.BotMissingPermissions):
        return t(locale, "I need the {permissions} permission here to do that. A server admin can grant it.",
                 permissions=_permission_names(error.missing_permissions, locale))
    if isinstance(error, app_commands.NoPrivateMessage):
        return t(locale, "This command only works in a server.")
    if isinstance(error, app_commands.CommandOnCooldown):
        return t(locale, "Slow down a little: try again in {seconds}s.", seconds=f"{error.retry_after:.0f}")
    if isinstance(error, app_commands.TransformerError):
        return t(locale, "I couldn't understand `{value}` for that option.", value=shorten(str(error.value), 60))
    if isinstance(error, app_commands.CheckFailure):
        return t(locale, "You can't use that here.")
    if isinstance(error, discord.Forbidden) and error.code == 50013:
        return t(locale, "I'm missing a permission in this channel to do that. A server admin can check my role.")
    return None


def sent_anonymously(interaction: discord.Interaction[Any]) -> bool:
    """Whether the member asked for anonymity (an ``anonymous: True`` option anywhere in the command)."""
    data: Any = interaction.data or {}
    pending = list(data.get("options") or [])
    while pending:
        option = pending.pop()
        if option.get("name") == "anonymous" and option.get("value") is True:
            return True
        pending.extend(option.get("options") or [])
    return False


def _logged_user(interaction: discord.Interaction[Any]) -> int | str | None:
    """Who to name in a log line: nobody for a command sent anonymously (``/feedback anonymous:True``)."""
    if sent_anonymously(interaction):
        return "(anonymous)"
    return interaction.user.id if interaction.user else None


async def reply_error(interaction: discord.Interaction[Any], error: Exception, *, where: str = "") -> None:
    """Answer a failure: a short private sentence, or an apology with an error id for the unexpected."""
    message = error_text(interaction, error, where=where)
    try:
        await send_ephemeral(interaction, message)
    except discord.HTTPException:
        log.warning("could not deliver an error reply for interaction %s", interaction.id)


def error_text(interaction: discord.Interaction[Any], error: Exception, *, where: str = "") -> str:
    """The sentence for a failure; an unexpected one is logged with a traceback and gets an error id."""
    locale = str(interaction.locale) if interaction.locale else None
    message = _friendly(error, locale)
    metrics = getattr(interaction.client, "metrics", None)
    if metrics is not None:
        metrics.interaction_failed(interaction_label(interaction), expected=message is not None)
    if message is None:
        error_id = secrets.token_hex(4)
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        log.error(
            "unexpected error %s in %s (user %s, guild %s)",
            error_id,
            where or "an interaction",
            _logged_user(interaction),
            interaction.guild_id,
            exc_info=original,
        )
        # Unexpected means unknown: the change may or may not have been saved, so say neither.
        message = t(
            locale,
            "Sorry, something went wrong on my side, so this may not have finished; check before trying again. "
            "If it keeps happening, give the server admins this error id: `{error_id}`.",
            error_id=error_id,
        )
    return message


#: Discord's option type for text.
_STRING_OPTION = 3
#: A command refused at shutdown echoes its text options when one is at least this long.
KEEP_TEXT_FROM = 20


def _text_options(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The text options a member typed into a slash command (subcommands included), capped."""
    found: list[tuple[str, str]] = []

    def visit(options: list[Any]) -> None:
        for option in options[:25]:
            if not isinstance(option, dict):
                continue
            if option.get("type") == _STRING_OPTION and str(option.get("value") or "").strip():
                found.append((str(option.get("name", ""))[:32], str(option["value"])[:6000]))
            visit(list(option.get("options") or []))

    visit(list(data.get("options") or []))
    return found


class RapportTree(app_commands.CommandTree["Rapport"]):
    async def interaction_check(self, interaction: discord.Interaction[Rapport]) -> bool:
        """No new work once shutdown has begun: say so, instead of starting something that may be cut short."""
        if getattr(interaction.client, "stopping", False):
            # Imported here: the forms module builds on this one.
            from bot.adapter.forms import reply_keeping_text

            options = _text_options(dict(interaction.data or {}))
            # Words worth keeping (a feedback, a commitment), not a short value like a time zone.
            worth = any(len(value) >= KEEP_TEXT_FROM for _, value in options)
            typed = "\n".join(f"{name}: {value}" for name, value in options) if worth else ""
            locale = str(interaction.locale) if interaction.locale else None
            await reply_keeping_text(
                interaction, t(locale, "I'm restarting right now, so I didn't do that. Please try again in a minute."),
                typed,
            )
            return False
        return True

    async def on_error(self, interaction: discord.Interaction[Rapport], error: app_commands.AppCommandError) -> None:
        command = interaction.command.qualified_name if interaction.command else "unknown command"
        await reply_error(interaction, error, where=f"/{command}")
