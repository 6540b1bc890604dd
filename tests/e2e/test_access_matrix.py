"""The permission matrix of docs/privacy.md, end to end: every read path x where its object lives x who asks.

The expected outcomes are read from the table in ``docs/privacy.md``, so the page and the tests agree; a read
path added here without its rows there (or the reverse) fails :func:`test_the_matrix_covers_every_read_path`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapter.client import Rapport
from bot.db.codec import to_epoch
from bot.summary.models import Bullet, Summary
from bot.summary.repository import NewSummary
from bot.summary.service import SummaryService
from tests.double import Channel, Guild, User
from tests.double import perms as p
from tests.double.models import PRIVATE_THREAD
from tests.e2e.conftest import World
from tests.e2e.helpers import embed_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
PLACES = ("public channel", "private channel", "private thread, not in", "private thread, in", "another server")
VIEWERS = ("author", "participant", "outsider", "manager without access", "manager with access")


def read_matrix() -> dict[str, dict[str, dict[str, str]]]:
    """``{read path: {who asks: {place: outcome}}}`` from the table between the two markers."""
    text = DOC.read_text(encoding="utf-8")
    body = text.split("<!-- access-matrix:start -->", 1)[1].split("<!-- access-matrix:end -->", 1)[0]
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["Read path", "Who asks", *PLACES], header
    matrix: dict[str, dict[str, dict[str, str]]] = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        path, who, outcomes = cells[0].strip("`"), cells[1], cells[2:]
        assert who in VIEWERS and len(outcomes) == len(PLACES), line
        assert set(outcomes) <= {"shown", "not found", "not allowed"}, line
        assert who not in matrix.setdefault(path, {}), f"{path} / {who} is in the table twice"
        matrix[path][who] = dict(zip(PLACES, outcomes, strict=True))
    return matrix


MATRIX = read_matrix()


@dataclass
class Setup:
    world: World
    viewers: dict[str, User]
    places: dict[str, Channel]  # where each place's object lives

    def guild_of(self, place: str) -> Guild:
        return self.world.other_guild if place == "another server" else self.world.guild


@pytest.fixture
def setup(world: World) -> Setup:
    """Built before the bot starts: channels, the private threads and the viewers of docs/privacy.md."""
    double = world.double
    carol, mona, max_ = (double.create_user(name) for name in ("carol", "mona", "max"))
    leads_role = double.create_role(world.guild, "Leads", permissions=p.MANAGE_GUILD | p.MANAGE_THREADS)
    double.add_member(world.guild, carol)
    double.add_member(world.guild, mona, roles=[leads_role])
    double.add_member(world.guild, max_, roles=[leads_role])
    bot = double.bot_user
    leads = double.create_channel(
        world.guild,
        "leads",
        overwrites=[
            {"id": world.guild.id, "type": 0, "deny": p.VIEW_CHANNEL},
            {"id": max_.id, "type": 1, "allow": p.VIEW_CHANNEL},
            {"id": bot.id, "type": 1, "allow": p.VIEW_CHANNEL},
        ],
    )
    viewers = {
        "author": world.alice, "participant": world.bob, "outsider": carol,
        "manager without access": mona, "manager with access": max_,
    }
    thread_out = double.create_thread(
        world.general, "owners only", owner=world.owner, type=PRIVATE_THREAD, members=[bot]
    )
    thread_in = double.create_thread(
        world.general, "everyone here", owner=world.owner, type=PRIVATE_THREAD, members=[bot, *viewers.values()]
    )
    places = {
        "public channel": world.general,
        "private channel": leads,
        "private thread, not in": thread_out,
        "private thread, in": thread_in,
        "another server": world.other_channel,
    }
    return Setup(world, viewers, places)


def marker(place: str) -> str:
    return "mk" + re.sub(r"[^a-z]", "", place)


@dataclass
class Seeded:
    marker: str  # text that appears only when this object is shown
    key: str  # the id or number a member would type
    also: str | None = None  # another such text (a list may show a link rather than the name)


Seeder = Callable[[Rapport, Setup], Awaitable[dict[str, Seeded]]]


# -- seeding: one object of the row's kind in every place ---------------------------------------------------


async def seed_checkins(bot: Rapport, setup: Setup) -> dict[str, Seeded]:
    now = bot.clock.now()
    seeded = {}
    for place, channel in setup.places.items():
        guild_id = setup.guild_of(place).id
        name = marker(place)
        checkin_id = await bot.db.execute(
            "INSERT INTO checkins (guild_id, channel_id, name, schedule, timezone, template, questions, "
            "window_seconds, mood, anonymous_mood, created_by, created_at, updated_at) VALUES "
            "(?, ?, ?, 'daily 09:00', 'UTC', 'standup', '[\"How is it going?\"]', 28800, 0, 0, ?, ?, ?)",
            (guild_id, channel.id, name, setup.viewers["author"].id, to_epoch(now), to_epoch(now)),
        )
        for status, start in (("closed", now - timedelta(days=1)), ("open", now - timedelta(minutes=5))):
            run_id = await bot.db.execute(
                "INSERT INTO checkin_runs (checkin_id, scheduled_at, kind, status, name, questions, mood, "
                "anonymous_mood, channel_id, closes_at, recorded_at) "
                "VALUES (?, ?, 'scheduled', ?, ?, '[\"How is it going?\"]', 0, 0, ?, ?, ?)",
                (checkin_id, to_epoch(start), status, name, channel.id, to_epoch(start + timedelta(hours=8)),
                 to_epoch(start)),
            )
            if status == "closed":
                await bot.db.execute(
                    "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, "
                    "updated_at) VALUES (?, ?, 'answered', 'modal', ?, NULL, ?, ?)",
                    (run_id, setup.viewers["participant"].id, json.dumps([f"answer {name}"]), to_epoch(start),
                     to_epoch(start)),
                )
        seeded[place] = Seeded(name, str(checkin_id))
    return seeded


async def seed_summaries(bot: Rapport, setup: Setup) -> dict[str, Seeded]:
    repo = bot.service(SummaryService).repo
    now = bot.clock.now()
    seeded = {}
    for place, channel in setup.places.items():
        guild = setup.guild_of(place)
        name = marker(place)
        bullet = Bullet(f"point {name}", 1, f"https://discord.com/channels/{guild.id}/{channel.id}/1")
        stored = await repo.create(
            NewSummary(
                guild_id=guild.id, channel_id=channel.id, channel_name=name,
                creator_id=setup.viewers["author"].id, created_at=now, engine="offline", note=None,
                markdown=f"# {name}\n- point {name}\n", summary=Summary(key_points=(bullet,), message_count=3),
            )
        )
        claimed = await repo.claim_number(stored.id, now=now)
        assert claimed is not None
        number = claimed.number
        if place == "another server":  # a number this server has not used, so "not found" means what it says
            number = 9
            await bot.db.execute("UPDATE summaries SET number = 9 WHERE id = ?", (stored.id,))
        await repo.set_published_message(
            stored.id, message_id=stored.id, url=f"https://discord.com/channels/{guild.id}/{channel.id}/{stored.id}"
        )
        seeded[place] = Seeded(name, str(number), also=f"/{stored.id})")
    return seeded


async def seed_commitments(bot: Rapport, setup: Setup) -> dict[str, Seeded]:
    now = bot.clock.now()
    seeded = {}
    for index, (place, channel) in enumerate(setup.places.items(), start=1):
        guild_id = setup.guild_of(place).id
        number = 9 if place == "another server" else index
        await bot.db.execute(
            "INSERT INTO commitment_counters (guild_id, last_number) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET last_number = CASE WHEN excluded.last_number > "
            "commitment_counters.last_number THEN excluded.last_number ELSE commitment_counters.last_number END",
            (guild_id, number),
        )
        await bot.db.execute(
            "INSERT INTO commitments (guild_id, number, owner_id, creator_id, text, status, due_at, source_kind, "
            "source_channel_id, created_at, opened_at, round_started_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'open', NULL, 'manual', ?, ?, ?, ?, ?)",
            (guild_id, number, setup.viewers["participant"].id, setup.viewers["author"].id, marker(place),
             channel.id, *[to_epoch(now)] * 4),
        )
        seeded[place] = Seeded(marker(place), str(number))
    return seeded


async def seed_wins(bot: Rapport, setup: Setup) -> dict[str, Seeded]:
    at = bot.clock.now() - timedelta(days=1)
    for place, channel in setup.places.items():
        await bot.db.execute(
            "INSERT INTO wins (guild_id, channel_id, author_id, member_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (setup.guild_of(place).id, channel.id, setup.viewers["author"].id, setup.viewers["participant"].id,
             marker(place), to_epoch(at)),
        )
    return {place: Seeded(marker(place), "") for place in setup.places}


async def seed_clarifications(bot: Rapport, setup: Setup) -> dict[str, Seeded]:
    now = bot.clock.now()
    seeded = {}
    for index, (place, channel) in enumerate(setup.places.items(), start=1):
        message_id = 7_000_000 + index
        await bot.db.execute(
            "INSERT INTO clarifications (guild_id, channel_id, message_id, author_id, asker_id, thread_id, "
            "request_message_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)",
            (setup.guild_of(place).id, channel.id, message_id, setup.viewers["participant"].id,
             setup.viewers["author"].id, channel.id, message_id + 100, to_epoch(now)),
        )
        seeded[place] = Seeded(f"/{message_id})", "")
    return seeded


async def seed_repairs(bot: Rapport, setup: Setup) -> dict[str, Seeded]:
    now = bot.clock.now()
    seeded = {}
    starter, partner = setup.viewers["author"].id, setup.viewers["participant"].id
    for place, channel in setup.places.items():
        repair_id = await bot.db.execute(
            "INSERT INTO repairs (guild_id, channel_id, thread_id, starter_id, partner_id, person_low, person_high, "
            "followup_days, state, created_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, 7, 'closed', ?, ?)",
            (setup.guild_of(place).id, channel.parent_id or channel.id, channel.id, starter, partner,
             min(starter, partner), max(starter, partner), to_epoch(now), to_epoch(now)),
        )
        seeded[place] = Seeded(f"**#{repair_id}**", "")
    return seeded


async def seed_nothing(bot: Rapport, setup: Setup) -> dict[str, Seeded]:
    return {place: Seeded("Preview, only for you", "") for place in setup.places}


# -- asking: one read path, as one member ---------------------------------------------------------------------


def outcome(record: Any, seeded: Seeded) -> str:
    parts = [record.content or "", embed_text(record)]
    parts += [str(choice.get("name", "")) for choice in record.choices or []]
    for message in [record.message, *record.followups]:
        if message is None:
            continue
        parts += [message.content or "", embed_text(message)]
        parts += [a.data.decode("utf-8", "replace") for a in message.attachments]
    text = "\n".join(parts)
    assert "something went wrong" not in text, text
    if record.modal is not None:
        return "shown"
    if "Only members with Manage Server" in text:
        return "not allowed"
    shown = seeded.marker in text or (seeded.also is not None and seeded.also in text)
    return "shown" if shown else "not found"


def command(name: str, **options: Any) -> Callable[[Setup, User, Seeded], Awaitable[Any]]:
    async def ask(setup: Setup, user: User, seeded: Seeded) -> Any:
        values = {k: (seeded.key if v == "<key>" else setup.viewers["participant"] if v == "<participant>" else v)
                  for k, v in options.items()}
        record = await setup.world.double.slash(user, setup.world.general, name, **values)
        await record.wait_response(timeout=10)
        if record.response_type == 5:  # deferred: the answer is the followup
            await record.wait_followup()
        return record

    return ask


def autocomplete(name: str, focused: str) -> Callable[[Setup, User, Seeded], Awaitable[Any]]:
    async def ask(setup: Setup, user: User, seeded: Seeded) -> Any:
        record = await setup.world.double.autocomplete(
            user, setup.world.general, name, focused=focused, **{focused: ""}
        )
        await record.wait_response(timeout=10)
        return record

    return ask


READ_PATHS: dict[str, tuple[Seeder, Callable[[Setup, User, Seeded], Awaitable[Any]]]] = {
    "/checkin list": (seed_checkins, command("checkin list")),
    "/checkin show": (seed_checkins, command("checkin show", id="<key>")),
    "/checkin answer": (seed_checkins, command("checkin answer", id="<key>")),
    "/checkin history": (seed_checkins, command("checkin history", id="<key>")),
    "/checkin export": (seed_checkins, command("checkin export", id="<key>")),
    "check-in autocomplete": (seed_checkins, autocomplete("checkin show", "id")),
    "/summary list": (seed_summaries, command("summary list")),
    "/summary show": (seed_summaries, command("summary show", id="<key>")),
    "summary autocomplete": (seed_summaries, autocomplete("summary show", "id")),
    "/commit list member:": (seed_commitments, command("commit list", member="<participant>", status="all")),
    "/commit show": (seed_commitments, command("commit show", id="<key>")),
    "/wins": (seed_wins, command("wins")),
    "/clarify list": (seed_clarifications, command("clarify list")),
    "/repair list": (seed_repairs, command("repair list")),
    "/digest preview": (seed_nothing, command("digest preview")),
}


def test_the_matrix_covers_every_read_path() -> None:
    assert set(MATRIX) == set(READ_PATHS)
    for path, rows in MATRIX.items():
        assert set(rows) == set(VIEWERS), f"{path} lacks rows for {set(VIEWERS) - set(rows)}"


@pytest.mark.parametrize("path", sorted(READ_PATHS))
async def test_access_matrix(path: str, setup: Setup, rapport: Rapport) -> None:
    seeder, ask = READ_PATHS[path]
    seeded = await seeder(rapport, setup)
    got: dict[str, dict[str, str]] = {}
    for who, user in setup.viewers.items():
        got[who] = {}
        for place in PLACES:
            record = await ask(setup, user, seeded[place])
            assert record.ephemeral or record.choices is not None or record.modal is not None, record
            got[who][place] = outcome(record, seeded[place])
    assert got == MATRIX[path]


async def test_answer_without_an_id_never_opens_a_run_the_member_cannot_see(setup: Setup, rapport: Rapport) -> None:
    seeded = await seed_checkins(rapport, setup)
    await rapport.db.execute(
        "UPDATE checkins SET deleted_at = ? WHERE id != ?",
        (to_epoch(rapport.clock.now()), int(seeded["private channel"].key)),
    )
    ask = command("checkin answer")
    for who in ("author", "participant", "outsider", "manager without access"):
        record = await ask(setup, setup.viewers[who], seeded["private channel"])
        assert record.modal is None and "no open check-in" in (record.content or ""), (who, record.content)
    record = await ask(setup, setup.viewers["manager with access"], seeded["private channel"])
    assert record.modal is not None


@pytest.fixture
def archived(world: World) -> Channel:
    """A private thread archived before the bot starts: not in its cache, so it is looked up."""
    thread = world.double.create_thread(
        world.general, "archived", owner=world.owner, type=PRIVATE_THREAD, members=[world.double.bot_user, world.alice]
    )
    world.double.archive_thread(thread)
    return thread


async def test_summaries_in_uncached_threads_are_checked_not_crashed_on(
    archived: Channel, setup: Setup, rapport: Rapport
) -> None:
    world = setup.world
    setup.places = {"public channel": world.general, "private thread, in": archived}
    seeded = await seed_summaries(rapport, setup)
    assert rapport.get_guild(world.guild.id).get_thread(archived.id) is None  # type: ignore[union-attr]
    ask = command("summary list")
    assert outcome(await ask(setup, world.alice, seeded["private thread, in"]), seeded["private thread, in"]) == "shown"
    assert outcome(await ask(setup, world.bob, seeded["private thread, in"]), seeded["private thread, in"]) == (
        "not found"
    )
    assert outcome(await ask(setup, world.bob, seeded["public channel"]), seeded["public channel"]) == "shown"
