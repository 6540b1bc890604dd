"""Check-ins in the reader's language, through the double: a member whose client is German or Brazilian
Portuguese gets refusals, the answer form and its confirmation in that language; what is posted in the
channel (the prompt, its buttons, its thread, the digest) is in the server's language (``/settings language``);
a reminder DM is in the member's own. Managers' names, members' answers and Discord timestamps stay as they are.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.adapter.client import Rapport
from tests.checkins._e2e import advance, counts, create, custom_ids, prompts
from tests.double.models import iter_components
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash

MESSAGE_LIMIT = 2000
EMBED_LIMIT = 6000

REFUSALS = {
    "de": {
        "spacing": "Die Runden lägen nur 1h auseinander, aber Antworten bleiben 8h offen.",
        "anonymous": "Anonyme Stimmung braucht die eingeschaltete Stimmungsauswahl",
        "created": "**Stand-up** (ID 1) in",
        "duplicate": "Hier gibt es schon einen Check-in namens **Stand-up**.",
        "action": "Check-ins erstellen",
    },
    "pt-BR": {
        "spacing": "As rodadas ficariam a apenas 1h de distância, mas as respostas ficam abertas por 8h.",
        "anonymous": "O humor anônimo precisa da escolha de humor ativada",
        "created": "**Stand-up** (id 1) criado em",
        "duplicate": "Já existe um check-in chamado **Stand-up** aqui.",
        "action": "criar check-ins",
    },
}

FORMS = {
    "de": {
        "labels": ["Was hast du seit dem letzten Check-in geschafft?", "Woran arbeitest du als Nächstes?",
                   "Gibt es Blocker? Hängst du irgendwo fest oder wartest auf etwas?", "Wie fühlst du dich?"],
        "placeholder": "Wähle eine aus oder lass es leer",
        "note": "Freiwillig: 1 ist schwer, 5 ist super.",
        "mood": "4 · Gut",
        "saved": "Gespeichert. Danke! Du kannst deine Antwort bis",
        "edit": "Meine Antwort bearbeiten",
        "reminder": "Hallo! **Stand-up** ist bis",
        "buttons": ["Antworten", "Diesmal aussetzen"],
    },
    "pt-BR": {
        "labels": ["O que você concluiu desde o último check-in?", "No que você vai trabalhar agora?",
                   "Algum bloqueio? Algo em que você esteja travado ou esperando?", "Como você está se sentindo?"],
        "placeholder": "Escolha uma ou deixe em branco",
        "note": "Opcional: 1 é difícil, 5 é ótimo.",
        "mood": "4 · Bem",
        "saved": "Salvo. Obrigado! Você pode editar sua resposta até",
        "edit": "Editar minha resposta",
        "reminder": "Oi! **Stand-up** está aberto até",
        "buttons": ["Responder", "Pular desta vez"],
    },
}


def labels_of(message: Any) -> list[str]:
    return [c["label"] for c in iter_components(message.components) if "custom_id" in c]


def within_limits(message: Any) -> bool:
    content = getattr(message, "content", None) or ""
    embeds = getattr(message, "embeds", None) or []
    return len(content) <= MESSAGE_LIMIT and all(len(embed_text_of(e)) <= EMBED_LIMIT for e in embeds)


def embed_text_of(embed: dict[str, Any]) -> str:
    fields = "".join(f"{f.get('name', '')}{f.get('value', '')}" for f in embed.get("fields", []))
    footer = (embed.get("footer") or {}).get("text", "")
    return f"{embed.get('title', '')}{embed.get('description', '')}{fields}{footer}"


@pytest.mark.parametrize("locale", sorted(REFUSALS))
async def test_checkin_create_refusals_in_the_members_language(rapport: Rapport, world: World, locale: str) -> None:
    double, said = world.double, REFUSALS[locale]
    world.owner.locale = locale
    # A schedule whose runs would overlap their answer window: refused, in the member's language.
    refused = await create(double, world.owner, world.general, schedule="cron 0 * * * *")
    assert refused.ephemeral and refused.content.startswith(said["spacing"]), refused.content
    assert "`window`" in refused.content and within_limits(refused)
    refused = await create(double, world.owner, world.general, anonymous_mood=True, mood=False)
    assert refused.content.startswith(said["anonymous"]) and "`mood`" in refused.content
    assert (await counts(rapport.db))["checkins"] == 0  # a refusal changes nothing

    created = await create(double, world.owner, world.general)
    assert said["created"] in created.content and created.content.count("<t:") == 6  # Discord timestamps kept
    duplicate = await create(double, world.owner, world.general)
    assert duplicate.content.startswith(said["duplicate"]) and within_limits(duplicate)
    assert (await counts(rapport.db))["checkins"] == 1

    # Not allowed: what they tried is named in their language.
    world.alice.locale = locale
    refused = await create(double, world.alice, world.general, name="Mine")
    assert refused.ephemeral and said["action"] in refused.content
    assert (await counts(rapport.db))["checkins"] == 1


@pytest.mark.parametrize("locale", sorted(FORMS))
async def test_answering_in_the_members_language_with_the_prompt_in_the_servers(
    rapport: Rapport, world: World, locale: str
) -> None:
    double, said = world.double, FORMS[locale]
    language = await slash(double, world.owner, world.general, "settings language", language="es-ES")
    assert "Español" in language.content
    await create(double, world.owner, world.general, mood=True)  # the stand-up template, with mood
    await advance(rapport, timedelta(hours=1))

    # The prompt, its buttons and its thread: in the server's language (Spanish).
    [prompt] = prompts(double, world.general)
    text = embed_text(prompt)
    assert "**1.** ¿Qué has hecho desde el último check-in?" in text
    assert "Hay una opción de ánimo opcional del 1 al 5." in text
    assert "Responde con el botón" in text and "<t:" in text
    assert "What did you get done" not in text and "Answer with the button" not in text
    assert labels_of(prompt) == ["Responder", "Saltar esta vez"]
    assert within_limits(prompt)
    [thread] = double.threads(world.general)
    assert thread.name.startswith("Stand-up · lun")

    # The form: in the member's own language; the check-in's name stays as the manager wrote it.
    world.alice.locale = locale
    opened = await double.click(world.alice, prompt, "checkin:1:answer")
    await opened.wait_response()
    modal = opened.modal
    assert modal["title"] == "Stand-up"
    rows = [c for c in modal["components"] if c["type"] == 18]
    # A long question's label is shortened and the full question is its description.
    shown = [row.get("description") or row["label"] for row in rows[:-1]] + [rows[-1]["label"]]
    assert shown == said["labels"]
    assert all(len(row["label"]) <= 45 and len(row.get("description") or "") <= 100 for row in rows)
    assert rows[-1]["description"] == said["note"]
    mood = rows[-1]["component"]
    assert mood["placeholder"] == said["placeholder"]
    assert said["mood"] in [option["label"] for option in mood["options"]]
    saved = await double.submit_modal(world.alice, opened, {"q0": "Die Anmeldung / o login", "mood": ["4"]})
    await saved.wait_response()
    assert saved.ephemeral and saved.content.startswith(said["saved"]), saved.content
    assert "<t:" in saved.content and within_limits(saved)
    assert labels_of(saved.message) == [said["edit"]]

    # A member whose client is English still gets English.
    english = await double.click(world.bob, prompt, "checkin:1:answer")
    await english.wait_response()
    first = english.modal["components"][0]
    assert first["description"] == "What did you get done since the last check-in?"
    assert first["label"].startswith("1. What did you get done")

    # The digest, at the close: in the server's language again; the answer as written.
    await advance(rapport, timedelta(hours=8))
    digest = double.messages(thread)[-1]
    text = embed_text(digest)
    assert "Stand-up: resumen" in text and "Die Anmeldung / o login" in text
    assert "__¿Qué has hecho desde el último check-in?__" in text
    assert "Ánimo:" in text and "Respuestas: **1 de 1**" in text
    assert within_limits(digest)


@pytest.mark.parametrize("locale", sorted(FORMS))
async def test_a_reminder_dm_is_in_the_members_language(rapport: Rapport, world: World, locale: str) -> None:
    double, said = world.double, FORMS[locale]
    team = double.create_role(world.guild, "Team")
    double.set_member_roles(world.guild, world.alice, [team])
    chosen = await slash(double, world.alice, world.general, "me language", language=locale)
    assert chosen.ephemeral
    await create(double, world.owner, world.general, participants=team)
    await advance(rapport, timedelta(hours=1))  # 15:00: posted (in English: the server chose no language)
    [prompt] = prompts(double, world.general)
    assert labels_of(prompt) == ["Answer", "Skip this time"]
    await advance(rapport, timedelta(hours=6))  # 21:00: two hours before the close
    [dm] = double.dm_messages(world.alice)
    assert dm.content.startswith(said["reminder"]) and "<t:" in dm.content and within_limits(dm)
    assert labels_of(dm) == said["buttons"]
    assert custom_ids(dm) == ["checkin:1:answer", "checkin:1:skip"]
