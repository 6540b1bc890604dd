"""/about, restarts, command sync only when the tree changed, and the error path."""

from __future__ import annotations

from discord import app_commands

from bot.adapter.client import Rapport
from tests.e2e.conftest import BotRunner, World
from tests.e2e.helpers import embed_text, slash


async def test_about_shows_version_and_counts(rapport: Rapport, world: World) -> None:
    from bot.commitments.service import CommitmentService

    await rapport.service(CommitmentService).add(
        guild_id=world.guild.id, owner_id=world.alice.id, text="Write the notes", due=None
    )
    record = await slash(world.double, world.alice, world.general, "about")
    assert record.ephemeral
    text = embed_text(record)
    assert rapport.version in text
    assert "Servers: 2" in text
    assert "Schedules: 0" in text
    assert "Open commitments: 1" in text
    assert "Database:" in text


async def test_restart_keeps_preferences_and_does_not_resync(runner: BotRunner, world: World) -> None:
    bot = await runner.start()
    assert bot.synced_scopes == ["global"]
    syncs_before = world.double.sync_count.get(None, 0)
    await slash(world.double, world.alice, world.general, "me timezone", timezone="Europe/Berlin")

    bot = await runner.restart()
    assert bot.synced_scopes == []
    assert world.double.sync_count.get(None, 0) == syncs_before
    assert (await bot.prefs.member(world.alice.id)).timezone == "Europe/Berlin"
    shown = await slash(world.double, world.alice, world.general, "me show")
    assert "Europe/Berlin" in embed_text(shown)


async def test_changed_command_tree_syncs_once(runner: BotRunner, world: World) -> None:
    await runner.start()
    await runner.stop()
    syncs_before = world.double.sync_count.get(None, 0)

    original_setup = Rapport.setup_hook

    async def setup_with_extra_command(self: Rapport) -> None:
        @app_commands.command(name="extra", description="A command added between two starts.")
        async def extra(interaction) -> None:  # type: ignore[no-untyped-def]
            await interaction.response.send_message("extra", ephemeral=True)

        self.tree.add_command(extra)
        await original_setup(self)

    Rapport.setup_hook = setup_with_extra_command  # type: ignore[method-assign]
    try:
        bot = await runner.start()
        assert bot.synced_scopes == ["global"]
        assert world.double.sync_count[None] == syncs_before + 1
        await runner.stop()
        bot = await runner.start()
        assert bot.synced_scopes == []
        assert world.double.sync_count[None] == syncs_before + 1
    finally:
        Rapport.setup_hook = original_setup  # type: ignore[method-assign]


async def test_unexpected_error_gets_apology_with_error_id(rapport: Rapport, world: World) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database exploded")

    rapport.prefs.member = broken  # type: ignore[method-assign]
    record = await slash(world.double, world.alice, world.general, "me show")
    assert record.ephemeral
    assert "error id" in record.content
    assert "exploded" not in record.content


async def test_error_after_defer_is_sent_as_followup(rapport: Rapport, world: World) -> None:
    from bot.errors import BadInput

    @app_commands.command(name="slow", description="Defers, then fails politely.")
    async def slow(interaction) -> None:  # type: ignore[no-untyped-def]
        await interaction.response.defer(ephemeral=True)
        raise BadInput("That date is in the past.")

    rapport.tree.add_command(slow)
    await rapport.tree.sync()
    record = await world.double.slash(world.alice, world.general, "slow")
    await record.wait_response()
    followup = await record.wait_followup(n=1)
    assert followup is not None
    assert record.followups[0].content == "That date is in the past."
