"""Command names, descriptions and choices in each member's client language, from the gettext catalogs.

discord.py asks the tree's translator for every string of the synced payload, per Discord locale; what it
returns goes into ``name_localizations`` / ``description_localizations``. Descriptions and choice names are
looked up with the catalog contexts ``command`` and ``choice``. Command and option names stay English (they
are what the README and every reply tell members to type).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.errors import BadInput
from bot.i18n import ENGLISH, SHIPPED, TRANSLATIONS, resolve

#: Catalog context per kind of string; kinds not listed are not translated.
CONTEXTS = {
    Where.command_description: "command",
    Where.group_description: "command",
    Where.parameter_description: "command",
    Where.choice_name: "choice",
}
#: Discord's length limit per kind of string.
LIMITS = {"command": 100, "choice": 100}


#: The choices of a language option: ``auto``, then every shipped language by its own name.
LANGUAGE_CHOICES = [app_commands.Choice(name="auto", value="auto")] + [
    app_commands.Choice(name=name, value=code) for code, name in SHIPPED.items()
]


def chosen_locale(value: str) -> str | None:
    """A language option's value as a locale to store; None for ``auto``."""
    if value == "auto":
        return None
    if value not in SHIPPED:
        raise BadInput("Pick one of the languages in the list.")
    return value


class CatalogTranslator(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        kind = CONTEXTS.get(context.location)
        code = locale.value
        if kind is None or code not in SHIPPED or resolve(code) == ENGLISH:
            return None
        text = TRANSLATIONS.lookup(code, string.message, kind)
        if text is None or len(text) > LIMITS[kind]:
            return None
        return text


@dataclass(frozen=True, slots=True)
class CommandString:
    context: str
    text: str
    where: str  # e.g. "/checkin create option schedule", for translators


def command_strings(tree: app_commands.CommandTree) -> Iterator[CommandString]:
    """Every translatable string of the tree's slash commands, in a stable order."""

    def walk(command: app_commands.Command | app_commands.Group, path: str) -> Iterator[CommandString]:
        yield CommandString("command", str(command.description), path)
        if isinstance(command, app_commands.Group):
            for child in command.commands:
                yield from walk(child, f"{path} {child.name}")
            return
        for parameter in command.parameters:
            yield CommandString("command", str(parameter.description), f"{path} option {parameter.name}")
            for choice in parameter.choices:
                yield CommandString("choice", str(choice.name), f"{path} option {parameter.name} choice")

    for command in sorted(tree.get_commands(type=discord.AppCommandType.chat_input), key=lambda c: c.name):
        if isinstance(command, app_commands.Command | app_commands.Group):
            yield from walk(command, f"/{command.name}")
