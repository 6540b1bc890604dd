"""Interaction responses: buttons (persistent DynamicItem), selects, modals (both layouts),
ephemeral replies, double acknowledgement, defer + followup + edit original, expiry."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import discord
import pytest

from tests.double import DoubleUsageError, running_client

from .conftest import TreeClient, World


class Counter(discord.ui.DynamicItem[discord.ui.Button], template=r"counter:(?P<n>\d+)"):
    def __init__(self, n: int) -> None:
        super().__init__(
            discord.ui.Button(label=f"count {n}", custom_id=f"counter:{n}", style=discord.ButtonStyle.primary)
        )
        self.n = n

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Counter:
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(Counter(self.n + 1))
        await interaction.response.edit_message(content=f"clicked {self.n + 1}", view=view)


class CounterClient(TreeClient):
    async def setup_hook(self) -> None:
        self.add_dynamic_items(Counter)
        await super().setup_hook()


class Feedback(discord.ui.Modal, title="Feedback"):
    note = discord.ui.TextInput(label="Note", custom_id="note", max_length=20)
    extra = discord.ui.TextInput(label="Extra", custom_id="extra", required=False, style=discord.TextStyle.paragraph)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"note={self.note.value} extra={self.extra.value!r}", ephemeral=True)


class Mood(discord.ui.Modal, title="Mood"):
    mood = discord.ui.Label(text="How are you?", component=discord.ui.TextInput(max_length=50))
    pick = discord.ui.Label(
        text="Pick one",
        component=discord.ui.Select(
            options=[discord.SelectOption(label="Good", value="good"), discord.SelectOption(label="Bad", value="bad")]
        ),
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        text = self.mood.component.value  # type: ignore[attr-defined]
        picked = self.pick.component.values  # type: ignore[attr-defined]
        await interaction.response.send_message(f"mood={text} pick={picked}")


def _client(got: dict[str, Any]) -> CounterClient:
    client = CounterClient()
    tree = client.tree

    @tree.command(description="Post a counter")
    async def counter(interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(Counter(0))
        disabled = discord.ui.Button(label="off", custom_id="off", disabled=True)
        view.add_item(disabled)
        await interaction.response.send_message("clicked 0", view=view)

    @tree.command(description="Open the feedback modal")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    @tree.command(description="Open the mood modal")
    async def mood(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Mood())

    @tree.command(description="Acknowledge twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        interaction.response._response_type = None  # bypass the library's own guard
        try:
            await interaction.response.send_message("second")
        except discord.HTTPException as exc:
            got["second_ack"] = exc

    @tree.command(description="Defer, then edit and follow up")
    async def slow(interaction: discord.Interaction, ephemeral: bool = False) -> None:
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        got["loading"] = await interaction.original_response()
        await interaction.edit_original_response(content="done")
        got["followup"] = await interaction.followup.send("extra", wait=True)

    @tree.command(description="Defer then send a followup")
    async def legacy(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        got["first"] = await interaction.followup.send("first followup", wait=True)
        got["second"] = await interaction.followup.send("second followup", wait=True, ephemeral=True)

    @tree.command(description="Waits before answering")
    async def late(interaction: discord.Interaction) -> None:
        await got["release"].wait()
        try:
            await interaction.response.send_message("too late")
        except discord.NotFound as exc:
            got["late"] = exc

    @tree.command(description="Pick from a select")
    async def choose(interaction: discord.Interaction) -> None:
        select: discord.ui.Select[discord.ui.View] = discord.ui.Select(
            custom_id="fruit",
            max_values=2,
            options=[discord.SelectOption(label=f, value=f) for f in ("apple", "pear", "fig")],
        )

        async def picked(inter: discord.Interaction) -> None:
            got["fruit"] = select.values
            await inter.response.defer()

        select.callback = picked  # type: ignore[method-assign]
        view = discord.ui.View()
        view.add_item(select)
        await interaction.response.send_message("choose", view=view)

    @tree.command(description="Pick people")
    async def people(interaction: discord.Interaction) -> None:
        select: discord.ui.UserSelect[discord.ui.View] = discord.ui.UserSelect(custom_id="people", max_values=2)

        async def picked(inter: discord.Interaction) -> None:
            got["people"] = select.values
            await inter.response.send_message(f"picked {len(select.values)}", ephemeral=True)

        select.callback = picked  # type: ignore[method-assign]
        view = discord.ui.View()
        view.add_item(select)
        await interaction.response.send_message("who?", view=view)

    @tree.command(description="Modal from a button")
    async def survey(interaction: discord.Interaction) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(label="Answer", custom_id="answer")

        async def open_modal(inter: discord.Interaction) -> None:
            modal = discord.ui.Modal(title="Answer")
            field = discord.ui.TextInput(label="Answer", custom_id="text")
            modal.add_item(field)

            async def submitted(sub: discord.Interaction) -> None:
                try:
                    await sub.response.send_modal(Feedback())
                except discord.HTTPException as exc:
                    got["modal_on_modal"] = exc
                    await sub.response.edit_message(content=f"answered {field.value}", view=None)

            modal.on_submit = submitted  # type: ignore[method-assign]
            await inter.response.send_modal(modal)

        button.callback = open_modal  # type: ignore[method-assign]
        view = discord.ui.View()
        view.add_item(button)
        await interaction.response.send_message("survey", view=view)

    return client


async def test_persistent_dynamic_button_survives_a_restart(world: World) -> None:
    double = world.double
    async with running_client(double, _client({})):
        rec = await double.slash(world.bob, world.general, "counter")
        message = (await rec.wait_response()).message
        assert message.custom_ids() == ["counter:0", "off"]
        click = await double.click(world.bob, message, "counter:0")
        await click.wait_response()
        assert click.response_type == 7 and click.message is message
        assert message.content == "clicked 1" and message.custom_ids() == ["counter:1"]
        with pytest.raises(DoubleUsageError, match="no component 'counter:0'"):
            await double.click(world.bob, message, "counter:0")
    # A new process: no view in memory, the DynamicItem template still answers.
    async with running_client(double, _client({})):
        click = await double.click(world.alice, message, "counter:1")
        await click.wait_response()
        assert message.content == "clicked 2"


async def test_disabled_button_cannot_be_clicked(world: World) -> None:
    double = world.double
    async with running_client(double, _client({})):
        rec = await double.slash(world.bob, world.general, "counter")
        message = (await rec.wait_response()).message
        with pytest.raises(DoubleUsageError, match="disabled"):
            await double.click(world.bob, message, "off")


async def test_select(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    async with running_client(double, _client(got)):
        rec = await double.slash(world.bob, world.general, "choose")
        message = (await rec.wait_response()).message
        pick = await double.select(world.bob, message, "fruit", ["apple", "fig"])
        await pick.wait_response()
        assert got["fruit"] == ["apple", "fig"] and pick.response_type == 6
        with pytest.raises(DoubleUsageError, match="not an option"):
            await double.select(world.bob, message, "fruit", ["kiwi"])
        with pytest.raises(DoubleUsageError, match="takes 1-2 values"):
            await double.select(world.bob, message, "fruit", ["apple", "pear", "fig"])


async def test_user_select(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    async with running_client(double, _client(got)):
        message = (await (await double.slash(world.bob, world.general, "people")).wait_response()).message
        pick = await double.select(world.bob, message, "people", [world.alice, world.bob])
        await pick.wait_response()
        assert [m.id for m in got["people"]] == [world.alice.id, world.bob.id]
        assert all(isinstance(m, discord.Member) for m in got["people"])
        with pytest.raises(DoubleUsageError, match="cannot be picked"):
            await double.select(world.bob, message, "people", [world.guild.everyone_role])


async def test_modal_open_and_submit_action_row_layout(world: World) -> None:
    double = world.double
    async with running_client(double, _client({})):
        rec = await double.slash(world.bob, world.general, "feedback")
        await rec.wait_response()
        assert rec.response_type == 9 and rec.modal is not None and rec.modal["title"] == "Feedback"
        assert [row["type"] for row in rec.modal["components"]] == [1, 1]
        with pytest.raises(DoubleUsageError, match="no field"):
            await double.submit_modal(world.bob, rec, {"nope": "x"})
        with pytest.raises(DoubleUsageError, match="0-20 characters"):
            await double.submit_modal(world.bob, rec, {"note": "x" * 21})
        with pytest.raises(DoubleUsageError, match="required"):
            await double.submit_modal(world.bob, rec, {"extra": "only extra"})
        sub = await double.submit_modal(world.bob, rec, {"note": "all good"})
        await sub.wait_response()
        assert sub.content == "note=all good extra=''" and sub.ephemeral
        with pytest.raises(DoubleUsageError, match="already submitted"):
            await double.submit_modal(world.bob, rec, {"note": "again"})


async def test_modal_label_layout(world: World) -> None:
    double = world.double
    async with running_client(double, _client({})):
        rec = await double.slash(world.bob, world.general, "mood")
        await rec.wait_response()
        assert [row["type"] for row in rec.modal["components"]] == [18, 18]
        # Fields without an explicit custom_id can be addressed by their label.
        sub = await double.submit_modal(world.bob, rec, {"How are you?": "fine", "Pick one": ["good"]})
        await sub.wait_response()
        assert sub.content == "mood=fine pick=['good']"


async def test_modal_from_button_then_update_message(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    async with running_client(double, _client(got)):
        rec = await double.slash(world.bob, world.general, "survey")
        message = (await rec.wait_response()).message
        opened = await double.click(world.bob, message, "answer")
        await opened.wait_response()
        sub = await double.submit_modal(world.bob, opened, {"text": "yes"})
        await sub.wait_response()
        assert sub.response_type == 7 and message.content == "answered yes" and message.components == []
        assert got["modal_on_modal"].status == 400


async def test_invalid_modal_is_rejected(world: World) -> None:
    double = world.double
    client = TreeClient()
    failures: list[discord.HTTPException] = []

    @client.tree.command(description="Bad modal")
    async def bad(interaction: discord.Interaction) -> None:
        modal = discord.ui.Modal(title="t" * 46)
        modal.add_item(discord.ui.TextInput(label="ok"))
        try:
            await interaction.response.send_modal(modal)
        except discord.HTTPException as exc:
            failures.append(exc)

    async with running_client(double, client):
        rec = await double.slash(world.bob, world.general, "bad")
        await double.wait_until(lambda: failures)
        assert failures[0].code == 50035 and "title" in str(failures[0])
        assert rec.response_type is None


async def test_second_acknowledgement_is_40060(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    async with running_client(double, _client(got)):
        rec = await double.slash(world.bob, world.general, "twice")
        await rec.wait_response()
        await double.wait_until(lambda: "second_ack" in got)
        assert isinstance(got["second_ack"], discord.HTTPException) and got["second_ack"].code == 40060
        assert rec.content == "first"


@pytest.mark.parametrize("ephemeral", [False, True])
async def test_defer_edit_original_and_followup(world: World, ephemeral: bool) -> None:
    double = world.double
    got: dict[str, Any] = {}
    async with running_client(double, _client(got)):
        rec = await double.slash(world.bob, world.general, "slow", ephemeral=ephemeral)
        await rec.wait_response()
        assert rec.response_type == 5 and rec.ephemeral is ephemeral
        followup = await rec.wait_followup(1)
        assert rec.content == "done" and not rec.message.loading
        assert followup.content == "extra" and followup is not rec.message
        assert got["loading"].flags.loading
        visible = double.messages(world.general)
        assert (rec.message in visible) is not ephemeral


async def test_first_followup_after_defer_replaces_the_loading_message(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {}
    async with running_client(double, _client(got)):
        rec = await double.slash(world.bob, world.general, "legacy")
        second = await (await rec.wait_response()).wait_followup(2)
        assert got["first"].id == rec.message.id and rec.content == "first followup"
        assert second.ephemeral and second.content == "second followup"


async def test_answer_after_three_seconds_is_unknown_interaction(world: World) -> None:
    double = world.double
    got: dict[str, Any] = {"release": asyncio.Event()}
    async with running_client(double, _client(got)):
        rec = await double.slash(world.bob, world.general, "late")
        double.advance_clock(3.5)
        got["release"].set()
        await double.wait_until(lambda: "late" in got)
        assert got["late"].code == 10062 and rec.response_type is None


async def test_ephemeral_messages_are_not_dispatched(world: World) -> None:
    double = world.double
    client = TreeClient()
    seen: list[discord.Message] = []

    @client.event
    async def on_message(message: discord.Message) -> None:
        seen.append(message)

    @client.tree.command(description="whisper")
    async def whisper(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("psst", ephemeral=True)

    @client.tree.command(description="shout")
    async def shout(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("HEY")

    async with running_client(double, client):
        await (await double.slash(world.bob, world.general, "whisper")).wait_response()
        await (await double.slash(world.bob, world.general, "shout")).wait_response()
        await double.wait_until(lambda: seen)
        assert [m.content for m in seen] == ["HEY"]
        assert seen[0].interaction_metadata is not None and seen[0].interaction_metadata.user.id == world.bob.id
