"""The synced command payload carries every shipped language, within Discord's limits (the double checks)."""

from __future__ import annotations

from typing import Any

from bot.adapter.client import Rapport
from bot.i18n import CATALOG_FOLDERS
from tests.double import DiscordDouble
from tests.double.commands import COMMAND_SIZE_LIMIT, command_size

SHIPPED = set(CATALOG_FOLDERS)


def _described(node: dict[str, Any], path: str) -> list[tuple[str, dict[str, Any]]]:
    found = [(path, node)]
    for option in node.get("options") or []:
        found.extend(_described(option, f"{path} {option['name']}"))
    return found


async def test_every_description_and_choice_is_synced_in_every_shipped_language(
    rapport: Rapport, double: DiscordDouble
) -> None:
    commands = double.world.registered(None)
    assert commands, "nothing was synced"
    missing = []
    for command in commands:
        payload = command.submitted
        if payload.get("type", 1) != 1:
            continue
        assert command_size(payload) <= COMMAND_SIZE_LIMIT
        for path, node in _described(payload, f"/{payload['name']}"):
            have = set(node.get("description_localizations") or {})
            if not have >= SHIPPED:
                missing.append(f"{path}: description lacks {sorted(SHIPPED - have)}")
            for choice in node.get("choices") or []:
                names = choice.get("name_localizations") or {}
                if not set(names) >= SHIPPED:
                    missing.append(f"{path} choice {choice['name']}: lacks {sorted(SHIPPED - set(names))}")
    assert not missing, "\n".join(missing[:20])
    about = next(c.submitted for c in commands if c.name == "about")
    assert about["description_localizations"]["de"].startswith("Version")
    assert about["description_localizations"]["pt-BR"].startswith("Versão")


async def test_unchanged_catalogs_are_not_synced_again(rapport: Rapport, double: DiscordDouble) -> None:
    """The sync hash is taken over the translated payload: the same catalogs give no second sync."""
    assert rapport.synced_scopes == ["global"]
    assert not await rapport.sync_commands_if_changed()
