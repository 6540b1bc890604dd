"""Summaries, feedback and /me forget in the reader's language, through the double.

A draft and every reply follow the member's client (``de``, ``pt-BR``); what is posted in the channel
follows the server's language (``/settings language``); the offline engine, English-first, says when a
conversation is mostly in another language.
"""

from __future__ import annotations

from typing import Any

from bot.adapter.client import Rapport
from bot.summary.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    dlen,
)
from tests.double import Message
from tests.e2e.helpers import embed_text, slash
from tests.e2e.test_summaries import CONVERSATION, World, answer, channel_posts, only_summary, run, talk

GERMAN = [
    ("alice", "Können wir das neue Onboarding am Donnerstag ausliefern?"),
    ("bob", "Ja, Donnerstag passt mir. Ich schreibe die Release Notes bis Mittwoch."),
    ("alice", "Super, dann machen wir es so. Wer kümmert sich um die Ankündigung?"),
    ("owner", "Ich mache das bis Freitag, aber ich brauche noch die Zahlen von dir."),
    ("bob", "Die Zahlen schicke ich dir morgen, das ist kein Problem."),
]


def labels(message: Message) -> dict[str, str]:
    """Each button's label by the end of its custom id (``publish``, ``track``, ``up``…)."""
    return {
        c["custom_id"].rsplit(":", 1)[-1]: c["label"]
        for row in message.components
        for c in row.get("components", [])
        if "custom_id" in c
    }


def assert_within_discord_limits(message: Message) -> None:
    assert dlen(message.content or "") <= 2000
    total = 0
    for embed in message.embeds:
        assert dlen(str(embed.get("title", ""))) <= TITLE_LIMIT
        assert dlen(str(embed.get("description", ""))) <= DESCRIPTION_LIMIT
        size = dlen(str(embed.get("title", ""))) + dlen(str(embed.get("description", "")))
        for field in embed.get("fields", []):
            assert dlen(field["name"]) <= FIELD_NAME_LIMIT and dlen(field["value"]) <= FIELD_VALUE_LIMIT
            size += dlen(field["name"]) + dlen(field["value"])
        assert size <= EMBED_TOTAL_LIMIT
        total += size
    assert total <= EMBED_TOTAL_LIMIT
    assert all(len(label) <= 80 for label in labels(message).values())


async def test_a_german_conversation_gets_a_german_draft_and_the_language_notice(
    rapport: Rapport, world: World
) -> None:
    world.alice.locale = "de"
    talk(world, GERMAN)
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    # English-first, still a summary: everyone who spoke, every message read.
    assert stored.engine == "offline" and stored.summary.message_count == len(GERMAN)
    assert len(stored.summary.participants) == 3
    assert draft.ephemeral
    assert draft.content.startswith("**Entwurf**: Nur du siehst das.")
    assert "Zusammenfassung von #general" in draft.content and "angefordert von" in draft.content
    assert "Der Großteil dieses Gesprächs ist nicht auf Englisch" in draft.content
    assert "Kernpunkte in dieser Sprache schwächer" in draft.content
    text = embed_text(draft)
    assert "**Beteiligte:**" in text and "5 Nachrichten zusammengefasst" in text
    assert "Participants" not in text and "Draft" not in draft.content
    # Discord timestamps for the range: the reader's client writes them in German.
    assert "<t:" in draft.content
    assert labels(draft)["publish"] == "Veröffentlichen" and labels(draft)["discard"] == "Verwerfen"
    assert_within_discord_limits(draft)


async def test_an_english_conversation_seen_from_a_pt_br_client(rapport: Rapport, world: World) -> None:
    world.bob.locale = "pt-BR"
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.bob))
    stored = await only_summary(rapport)
    assert draft.content.startswith("**Rascunho**: só você pode ver isto.")
    assert "não está em inglês" not in draft.content  # an English conversation gets no notice
    fields = [f["name"] for embed in draft.embeds for f in embed.get("fields", [])]
    assert "Próximos passos" in fields and "Decisões" in fields
    assert not {"Key points", "Decisions", "Action items", "Open questions"} & set(fields)
    assert labels(draft) == {"publish": "Publicar", "track": "Acompanhar próximos passos", "discard": "Descartar"}
    assert_within_discord_limits(draft)
    # Discarding answers in Portuguese too.
    click = await world.double.click(world.bob, draft, f"summary:{stored.id}:discard")
    await click.wait_response(timeout=10)
    edited = world.double.message(draft.id)
    assert edited.content.startswith("Descartado: nada foi postado")


async def test_a_published_summary_is_in_the_servers_language_and_the_reply_in_the_members(
    rapport: Rapport, world: World
) -> None:
    await slash(world.double, world.owner, world.general, "settings language", language="es-ES")
    world.alice.locale = "de"
    talk(world, CONVERSATION)
    draft = await answer(await run(world, world.alice))
    stored = await only_summary(rapport)
    click = await world.double.click(world.alice, draft, f"summary:{stored.id}:publish")
    await click.wait_response(timeout=10)
    edited = await world.double.wait_for_message(
        lambda m: m.id == draft.id and "Veröffentlicht" in m.content, timeout=15
    )
    assert edited.content.startswith("**Veröffentlicht** als Zusammenfassung #1")
    (post,) = channel_posts(world)
    assert "**Resumen #1 de #general**" in post.content and "pedido por" in post.content
    text = embed_text(post)
    assert "Resumen #1 de #general" in text and "**Participantes:**" in text and "Decisiones" in text
    assert labels(post) == {"up": "Lo refleja bien", "missing": "Falta algo"}
    assert_within_discord_limits(post)
    stored = await only_summary(rapport)
    assert "# Resumen #1 de #general" in stored.markdown and "## Decisiones" in stored.markdown
    # A Brazilian member's press is answered in Portuguese; the note posted for everyone in Spanish.
    world.bob.locale = "pt-BR"
    thanks = await slash_click(world, world.bob, post, f"fb:summary:{stored.id}:up")
    assert thanks.content == "Obrigado! Anotado que este resumo captou bem."
    opened = await world.double.click(world.bob, post, f"fb:summary:{stored.id}:missing")
    await opened.wait_response(timeout=10)
    assert opened.modal is not None and opened.modal["title"] == "Está faltando algo"
    submitted = await world.double.submit_modal(world.bob, opened, {"note": "Faltou a data da retro."})
    confirmed = await submitted.wait_followup()
    assert confirmed.content.startswith("Obrigado: sua anotação foi salva")
    reply = await world.double.wait_for_message(lambda m: "Faltou a data" in (m.content or ""), timeout=10)
    assert reply.content.startswith("**Falta algo** en este resumen")


async def slash_click(world: World, user: Any, message: Message, custom_id: str) -> Any:
    record = await world.double.click(user, message, custom_id)
    await record.wait_response(timeout=10)
    return record.message if record.message is not None else await record.wait_followup(1, timeout=10)


async def test_refusals_of_summarize_are_in_the_members_language(rapport: Rapport, world: World) -> None:
    world.alice.locale = "fr"
    refused = await slash(world.double, world.alice, world.general, "summarize", last=3)
    # Numbers the French way (Babel writes a narrow no-break space between thousands).
    assert refused.ephemeral and refused.content.replace("\u202f", " ") == (
        "`last` doit être compris entre 10 et 2 000 messages."
    )
    world.bob.locale = "de"
    refused = await slash(world.double, world.bob, world.general, "summarize", until="gestern")
    assert refused.content.startswith("`until` erwartet einen Nachrichtenlink")
    nothing = await answer(await run(world, world.bob))
    assert nothing.content == "In diesem Bereich gibt es nichts zusammenzufassen."


async def test_feedback_reply_in_the_members_language_and_post_in_the_servers(
    rapport: Rapport, world: World
) -> None:
    from tests.e2e.test_feedback import setup_channel

    world.alice.locale = "pt-BR"
    missing = await slash(world.double, world.alice, world.general, "feedback", text="Mais updates assíncronos")
    refused = await missing.wait_followup(1, timeout=10)
    assert refused.content.startswith("Este servidor ainda não tem canal de feedback")
    channel = await setup_channel(world)
    await slash(world.double, world.owner, world.general, "settings language", language="fr")
    record = await slash(world.double, world.alice, world.general, "feedback", text="Mais updates", anonymous=True)
    reply = await record.wait_followup(1, timeout=10)
    assert reply.content.startswith(f"Enviado para <#{channel.id}> anonimamente.")
    (post,) = world.double.messages(channel)
    shown = embed_text(post)
    assert "Feedback" in shown and "Envoyé anonymement : Rapport n'a pas enregistré qui l'a envoyé." in shown


async def test_me_forget_confirmation_and_cancel_in_german(rapport: Rapport, world: World) -> None:
    world.alice.locale = "de"
    talk(world, CONVERSATION)
    await answer(await run(world, world.alice, publish=True))
    record = await slash(world.double, world.alice, world.general, "me forget")
    confirmation = await record.wait_followup(1, timeout=10)
    text = embed_text(confirmation)
    assert "Deine Rapport-Daten löschen?" in text
    assert "Damit wird gelöscht, was Rapport in diesem Server über dich speichert." in text
    assert "**Gelöscht**" in text and "deine Zeilen in 1 Zusammenfassung werden entfernt" in text
    assert "eine Zusammenfassung eines Gesprächs gehört allen" in text
    assert set(labels(confirmation).values()) == {"Meine Daten löschen", "Abbrechen"}
    assert_within_discord_limits(confirmation)
    cancel = next(cid for cid in confirmation.custom_ids() if cid.endswith(":no"))
    click = await world.double.click(world.alice, confirmation, cancel)
    await click.wait_response(timeout=10)
    assert world.double.message(confirmation.id).content == "Abgebrochen: Nichts wurde geändert."
    record = await slash(world.double, world.alice, world.general, "me forget")
    confirmation = await record.wait_followup(1, timeout=10)
    go = next(cid for cid in confirmation.custom_ids() if cid.endswith(":go"))
    click = await world.double.click(world.alice, confirmation, go)
    await click.wait_response(timeout=10)
    done = await world.double.wait_for_message(
        lambda m: m.id == confirmation.id and m.content.startswith("Erledigt."), timeout=10
    )
    assert "Zusammenfassung entfernt" in done.content
