"""A date, duration or schedule that cannot be read is refused with examples in the member's own language."""

from __future__ import annotations

from bot.adapter.client import Rapport
from tests.checkins._e2e import create
from tests.e2e.conftest import World
from tests.e2e.helpers import slash


async def test_a_return_date_refusal_shows_german_and_portuguese_examples(rapport: Rapport, world: World) -> None:
    world.alice.locale = "de"
    german = await slash(world.double, world.alice, world.general, "me away", until="irgendwann bald")
    assert german.ephemeral
    assert german.content.startswith("Rückkehrdatum: Ich konnte `irgendwann bald` nicht lesen.")
    assert "`morgen 17 Uhr`, `freitag`, `in 3 Tagen` oder `übermorgen 9:30`" in german.content
    assert "tomorrow 5pm" not in german.content
    world.bob.locale = "pt-BR"
    portuguese = await slash(world.double, world.bob, world.general, "me away", until="qualquer dia")
    assert portuguese.content.startswith("Data de volta: não consegui entender `qualquer dia`.")
    assert "`amanhã 17h`" in portuguese.content and " ou `" in portuguese.content
    assert (await rapport.prefs.member(world.alice.id)).away_until is None
    # The examples shown are what the grammar reads: typed back, they are taken.
    taken = await slash(world.double, world.alice, world.general, "me away", until="freitag")
    assert "Bis" in taken.content or "<t:" in taken.content
    assert (await rapport.prefs.member(world.alice.id)).away_until is not None


async def test_english_readers_keep_the_english_examples(rapport: Rapport, world: World) -> None:
    world.alice.locale = "en-US"
    english = await slash(world.double, world.alice, world.general, "me away", until="someday")
    assert english.content == (
        "I couldn't read `someday` as a return date. Try `tomorrow 5pm`, `fri`, `in 3 days` or `dec 1 9:30am`."
    )


async def test_a_schedule_refusal_lists_examples_in_the_members_language(rapport: Rapport, world: World) -> None:
    world.owner.locale = "de"
    record = await create(world.double, world.owner, world.general, schedule="irgendwann")
    assert record.ephemeral
    assert "Probier eins davon:" in record.content and "• `werktags 9 Uhr`" in record.content
    assert "Try one of these" not in record.content and len(record.content) <= 2000
    world.owner.locale = "pt-BR"
    record = await create(world.double, world.owner, world.general, schedule="quando der")
    assert "Tente um destes:" in record.content and "• `dias úteis 9h`" in record.content
    assert await rapport.db.fetchval("SELECT count(*) FROM checkins") == 0


async def test_a_duration_refusal_names_the_field_and_examples_in_portuguese(rapport: Rapport, world: World) -> None:
    world.owner.locale = "pt-BR"
    record = await slash(world.double, world.owner, world.general, "settings nudges", before="banana")
    assert record.ephemeral
    assert record.content.startswith("Antecedência do lembrete: não consegui entender `banana`.")
    assert "`30 minutos`, `8 horas` ou `2 dias`" in record.content


async def test_the_readable_export_is_in_the_members_language(rapport: Rapport, world: World) -> None:
    world.alice.locale = "pt-BR"
    record = await slash(world.double, world.alice, world.general, "me data")
    await record.wait_followup(1, timeout=10)
    files = {a.filename: a.data for m in record.followups for a in m.attachments}
    markdown = files["rapport-data.md"].decode()
    assert markdown.startswith("# O que o Rapport guarda sobre você")
    assert "respostas de check-in: 0" in markdown and "check-in answers" not in markdown
    assert '"checkin_answers"' in files["rapport-data.json"].decode()  # the JSON keys stay a stable format
