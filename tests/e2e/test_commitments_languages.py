"""Commitments, their nudges, clarification and wins in the member's (or the server's) language, through the
double: a member whose client is German and one whose client is Brazilian Portuguese."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.adapter.client import Rapport
from bot.commitments.service import CommitmentService
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text, slash

DAY = timedelta(days=1)

CASES = [
    # client locale, /me language choice, reply words, nudge words, button labels, renegotiate form title
    (
        "de",
        "de",
        "Times are",
        ("hinzugefügt", "fällig", "Zeiten gelten in"),
        ("Eine freundliche Erinnerung", "ist", "fällig", "Aus **"),
        ["Erledigt", "1 Tag zurückstellen", "Neu vereinbaren", "Hilfe holen"],
    ),
    (
        "pt-BR",
        "pt-BR",
        "Times are",
        ("adicionado", "prazo", "Os horários são lidos em"),
        ("Um lembrete amigável", "vence", "De **"),
        ["Feito", "Adiar 1 dia", "Renegociar", "Preciso de ajuda"],
    ),
]


def _labels(message: Any) -> list[str]:
    return [c["label"] for row in message.components for c in row.get("components", []) if "label" in c]


@pytest.mark.parametrize(("client", "chosen", "english", "reply_words", "nudge_words", "labels"), CASES)
async def test_a_commitment_reply_and_its_nudge_speak_the_members_language(
    rapport: Rapport, world: World, client: str, chosen: str, english: str, reply_words: tuple[str, ...],
    nudge_words: tuple[str, ...], labels: list[str],
) -> None:
    member = world.alice
    member.locale = client
    await slash(world.double, member, world.general, "me language", language=chosen)
    assert (await rapport.prefs.member(member.id)).message_locale == chosen

    reply = await slash(world.double, member, world.general, "commit add", what="Die Folien teilen", due="in 2 days")
    assert reply.ephemeral and english not in reply.content
    for word in reply_words:
        assert word in reply.content, (word, reply.content)
    assert "“Die Folien teilen”" in reply.content and len(reply.content) <= 2000
    commitment = await rapport.service(CommitmentService).by_number(world.guild.id, 1)
    assert commitment.due_at is not None
    assert f"<t:{int(commitment.due_at.timestamp())}:F>" in reply.content  # dates stay Discord timestamps

    # The member's Discord client changes; the chosen language of later messages stays.
    member.locale = "en-US"
    await rapport.jobs.advance(DAY)
    (dm,) = world.double.dm_messages(member)
    for word in nudge_words:
        assert word in dm.content, (word, dm.content)
    assert "A friendly reminder" not in dm.content and "Die Folien teilen" in dm.content
    assert f"<t:{int(commitment.due_at.timestamp())}:R>" in dm.content
    assert len(dm.content) <= 2000
    assert dm.custom_ids() == [f"commit:{commitment.id}:{a}" for a in ("done", "snooze", "reneg", "help")]
    assert _labels(dm) == labels and all(len(label) <= 80 for label in labels)

    # Pressed with a client in the member's language, the answer is in it too.
    member.locale = client
    click = await world.double.click(member, dm, f"commit:{commitment.id}:snooze")
    await click.wait_response()
    assert click.ephemeral and "remind you again" not in click.content and "**#1**" in click.content


async def test_a_refusal_and_the_list_are_in_the_members_language(rapport: Rapport, world: World) -> None:
    world.alice.locale = "de"
    refused = await slash(world.double, world.alice, world.general, "commit show", id="99")
    assert refused.ephemeral and refused.content == "Ich konnte die Zusage #99 auf diesem Server nicht finden."
    empty = await slash(world.double, world.alice, world.general, "commit list")
    assert empty.content == "Deine Zusagen (offen): hier ist nichts."
    world.bob.locale = "pt-BR"
    await slash(world.double, world.bob, world.general, "commit add", what="Revisar o texto", due="amanhã 17:00")
    listed = await slash(world.double, world.bob, world.general, "commit list")
    text = embed_text(listed)
    assert "Seus compromissos (aberto)" in text and "prazo" in text


async def test_a_celebration_is_in_the_servers_language(rapport: Rapport, world: World) -> None:
    await slash(world.double, world.owner, world.general, "settings language", language="es-ES")
    world.alice.locale = "de"
    posted = await slash(world.double, world.alice, world.general, "win", text="Wir haben es geschafft")
    assert "¡Un logro para el equipo!" in embed_text(posted)
    assert "Compartido por" in embed_text(posted)
