"""Members in German and Brazilian Portuguese, and a server in Spanish, through the double."""

from __future__ import annotations

import asyncio

from bot.adapter.client import Rapport
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash


async def _noted(rapport: Rapport, user_id: int, locale: str) -> None:
    for _ in range(100):
        if (await rapport.prefs.member(user_id)).last_locale == locale:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the locale {locale} of {user_id} was never noted")


async def test_me_show_in_the_members_client_language(rapport: Rapport, world: World) -> None:
    world.alice.locale = "de"
    german = await slash(world.double, world.alice, world.general, "me show")
    assert german.ephemeral
    text = embed_text(german)
    assert "Deine Rapport-Einstellungen" in text and "Ruhezeiten" in text and "Zeitzone" in text
    assert "Quiet hours" not in text
    world.bob.locale = "pt-BR"
    portuguese = await slash(world.double, world.bob, world.general, "me show")
    text = embed_text(portuguese)
    assert "Suas preferências do Rapport" in text and "Horário de silêncio" in text
    # What is sent later follows the language they used last.
    await _noted(rapport, world.alice.id, "de")
    await _noted(rapport, world.bob.id, "pt-BR")
    assert (await rapport.prefs.member(world.alice.id)).message_locale == "de"


async def test_a_refusal_is_in_the_members_language_and_changes_nothing(rapport: Rapport, world: World) -> None:
    world.alice.locale = "de"
    refused = await slash(world.double, world.alice, world.general, "me quiet-hours", start="22:00")
    assert refused.ephemeral
    assert refused.content.startswith("Gib Beginn und Ende an")
    assert (await rapport.prefs.member(world.alice.id)).quiet_start is None
    world.bob.locale = "pt-BR"
    refused = await slash(world.double, world.bob, world.general, "me quiet-hours", start="22:00")
    assert refused.content.startswith("Informe um início e um fim")


async def test_me_language_chooses_the_language_of_later_messages(rapport: Rapport, world: World) -> None:
    world.alice.locale = "en-US"
    record = await slash(world.double, world.alice, world.general, "me language", language="fr")
    assert record.ephemeral and "Les rappels et relances seront en Français." in record.content
    member = await rapport.prefs.member(world.alice.id)
    assert member.locale == "fr" and member.message_locale == "fr"
    assert "Français" in embed_text(record)
    record = await slash(world.double, world.alice, world.general, "me language", language="auto")
    member = await rapport.prefs.member(world.alice.id)
    assert member.locale is None and member.message_locale == "en-US"


async def test_settings_language_sets_the_servers_channel_language(rapport: Rapport, world: World) -> None:
    world.guild.preferred_locale = "de"
    record = await slash(world.double, world.owner, world.general, "settings language", language="es-ES")
    assert "Español" in record.content
    settings = await rapport.prefs.guild(world.guild.id)
    assert settings.locale == "es-ES" and settings.channel_locale == "es-ES"
    await slash(world.double, world.owner, world.general, "settings language", language="auto")
    settings = await rapport.prefs.guild(world.guild.id)
    # auto: the preferred locale Discord reports for the server (noted from the interactions).
    for _ in range(100):
        settings = await rapport.prefs.guild(world.guild.id)
        if settings.preferred_locale == "de":
            break
        await asyncio.sleep(0.02)
    assert settings.locale is None and settings.channel_locale == "de"


async def test_an_unsupported_client_language_gets_english(rapport: Rapport, world: World) -> None:
    world.alice.locale = "ja"
    record = await slash(world.double, world.alice, world.general, "me show")
    assert "Your Rapport preferences" in embed_text(record)
