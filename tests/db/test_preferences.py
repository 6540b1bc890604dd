"""Which language a later message to one member is in: their choice, the one they last used, else the server's."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db.preferences import PreferencesRepo
from tests.support.databases import TestDatabases

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
GUILD = 7001


async def test_a_later_message_follows_choice_then_last_use_then_the_server(databases: TestDatabases) -> None:
    db = await databases.open("prefs")
    try:
        prefs = PreferencesRepo(db)
        await prefs.update_guild(GUILD, NOW, preferred_locale="pt-BR")
        assert await prefs.message_locale(1, GUILD) == "pt-BR"  # never used Rapport: the server's language
        assert await prefs.message_locale(1, None) == "en-US"  # no server to go by
        await prefs.update_member(1, NOW, last_locale="fr")
        assert await prefs.message_locale(1, GUILD) == "fr"
        await prefs.update_member(1, NOW, locale="de")
        assert await prefs.message_locale(1, GUILD) == "de"
        await prefs.update_guild(GUILD, NOW, locale="es-ES")  # /settings language changes only channel posts
        assert await prefs.message_locale(1, GUILD) == "de"
        assert await prefs.message_locale(2, GUILD) == "es-ES"
    finally:
        await db.close()
