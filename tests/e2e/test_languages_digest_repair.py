"""The weekly digest, server settings and a repair in several languages at once, through the double.

A member whose client is German and a manager whose client is Brazilian Portuguese; the server's channel
language is set to Spanish. Replies follow each reader's client; what is posted for everyone (the digest,
the repair thread's shared posts) follows the server.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import discord

from bot.adapter.client import Rapport
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash
from tests.e2e.test_digest import configure, seed_activity
from tests.repair._steps import bot_messages, press, reply_of, start_ok, submit


def posted_digests(world: World) -> list[Any]:
    bot_id = world.double.bot_user.id
    return [
        m for m in world.double.messages(world.general)
        if m.author_id == bot_id and m.embeds and m.attachments and not m.ephemeral
    ]


def labels(message: Any) -> list[str]:
    return [str(c.get("label")) for c in _components(message.components) if c.get("type") == 2]


def _components(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        found.append(item)
        found.extend(_components(list(item.get("components") or [])))
    return found


async def spanish_server(world: World) -> None:
    """The owner (a manager, client pt-BR) sets the server's channel language; the reply is in their own."""
    world.owner.locale = "pt-BR"
    record = await slash(world.double, world.owner, world.general, "settings language", language="es-ES")
    assert record.ephemeral
    assert "Español" in record.content and "Idioma das publicações nos canais" in embed_text(record)
    assert "Language of posts" not in embed_text(record)


async def test_the_server_digest_is_posted_in_spanish(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    await spanish_server(world)
    world.alice.locale = "de"
    await seed_activity(bot, world.guild.id)

    configured = await configure(world, world.owner)  # Mondays 09:00 UTC
    assert configured.ephemeral
    assert "O resumo semanal será publicado em" in configured.content
    assert "às segundas-feiras, às 09:00" in configured.content

    preview = await slash(world.double, world.owner, world.general, "digest preview")
    message = await preview.wait_followup()
    assert message.ephemeral and message.content.startswith("Prévia, só para você")
    assert "Avançando juntos" in embed_text(message) and "Compromissos" in embed_text(message)

    # The German member's reply is in German (the repair list is theirs alone).
    listed = await slash(world.double, world.alice, world.general, "repair list")
    assert listed.ephemeral and listed.content == "Du hast auf diesem Server keine Klärungen."

    first = datetime(2026, 12, 7, 9, tzinfo=UTC)
    await bot.jobs.advance(first - bot.clock.now())
    [posted] = posted_digests(world)
    text = embed_text(posted)
    assert text.startswith("Avanzando juntos: 30 nov – 7 dic 2026"), text
    for words in ("Compromisos", "Logros", "Solo cifras, nunca nombres", "(5 hechos · 1 compartido la semana anterior)",
                  "Una semana tranquila"):
        assert words in text, words
    assert "Progress together" not in text and "the week before" not in text
    assert "Avançando" not in text and "Fortschritt" not in text
    assert posted.mention_ids == [] and not posted.mention_everyone
    # Within Discord's limits: the whole embed, every field, the chart's description.
    embed = discord.Embed.from_dict(posted.embeds[0])
    assert len(embed) <= 6000 and all(len(f.value or "") <= 1024 for f in embed.fields)
    [chart] = posted.attachments
    assert chart.description is None or (
        chart.description.startswith("Estado de ánimo medio diario") and len(chart.description) <= 1024
    )


async def test_a_repair_step_in_german_with_the_thread_in_the_servers_language(
    rapport: Rapport, world: World
) -> None:
    d = world.double
    await spanish_server(world)
    world.alice.locale = "de"
    world.bob.locale = "pt-BR"
    started = await start_ok(world, world.alice, world.bob, topic="el lanzamiento")
    # Alice's own answer is German; the thread, shared by both, is in the server's Spanish.
    assert "einen privaten Thread für dich und" in await reply_of(started.record)
    assert started.thread.name == "Reparación: el lanzamiento"
    intro = embed_text(started.control)
    assert "Hablarlo con calma" in intro and "Comparte tu punto de vista" in intro
    assert labels(started.control) == [
        "Comparte tu punto de vista", "Devolver lo que oí", "Asumir mi parte", "¿En qué punto estamos?"
    ]

    # Step 1 in German: the form and the thank-you are alice's.
    opened = await press(d, world.alice, started.control, f"repair:{started.repair_id}:view")
    assert opened.modal is not None and opened.modal["title"] == "Teile deine Sicht"
    form = json.dumps(opened.modal, ensure_ascii=False)
    assert "Was aus meiner Sicht passiert ist" in form and "Wie es mich getroffen hat" in form
    assert "What happened" not in form
    record = await submit(d, world.alice, opened, {"repair-happened": "Der Termin hat sich verschoben",
                                                   "repair-affected": "gestresst", "repair-need": "Vorwarnung"})
    reply = await reply_of(record)
    assert reply.startswith("Danke. Deine Sicht ist privat gespeichert"), reply
    assert f"<@{world.bob.id}>" in reply

    # A refusal in German, and bob's status in Portuguese.
    again = await press(d, world.alice, started.control, f"repair:{started.repair_id}:view")
    assert again.ephemeral
    assert again.content == "Du hast deine Sicht schon geteilt. Sie bleibt privat, bis ihr beide geteilt habt."
    status = await press(d, world.bob, started.control, f"repair:{started.repair_id}:status")
    assert status.ephemeral and "Em que pé estamos" in embed_text(status)
    assert "passo 1: 1 de 2 pontos de vista compartilhados" in embed_text(status)

    # Bob shares: the views go up side by side in Spanish, with member text as written.
    opened = await press(d, world.bob, started.control, f"repair:{started.repair_id}:view")
    assert opened.modal is not None and opened.modal["title"] == "Compartilhe seu ponto de vista"
    shared = await submit(d, world.bob, opened, {"repair-happened": "Não tive escolha", "repair-affected": "culpado",
                                                 "repair-need": "confiança"})
    assert (await reply_of(shared)).startswith("Obrigado. Vocês dois compartilharam")
    views = bot_messages(d, started.thread)[-1]
    both = f"{views.content}\n{embed_text(views)}"
    assert "Los dos puntos de vista, uno al lado del otro" in both and "ya han compartido" in both
    assert "Der Termin hat sich verschoben" in both and "Não tive escolha" in both
