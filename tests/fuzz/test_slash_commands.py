"""Every slash command and option, fuzzed through the Discord double with the real bot.

The commands are read from the tree the bot synced to the double, so a new command or option is covered
without touching this file. For each sub-command, hypothesis draws values for its options (hostile text for
strings, extremes for numbers, every user, role and channel of a small world) and checks:

* the interaction is answered within Discord's 3 seconds (never "The application did not respond");
* a refusal (an error raised to the tree's error handler) is short, ephemeral and never the generic
  apology, and it leaves the database exactly as it was;
* no message the bot sends can ping @everyone, @here or a role, although the bot is allowed to;
* nothing is logged as an unexpected error.

Examples per sub-command: ``RAPPORT_FUZZ_EXAMPLES`` (default 25, about a minute in all);
derandomized, so a run is repeatable.

    RAPPORT_FUZZ_EXAMPLES=40 .venv/bin/python -m pytest tests/fuzz -p no:randomly
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.adapter.client import Rapport
from bot.adapter.tree import _friendly
from bot.scheduling.clock import FakeClock
from tests.conftest import START
from tests.double import Channel, DiscordDouble, Guild, Role, User, perms
from tests.double.commands import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    USER,
)
from tests.double.errors import DoubleUsageError
from tests.e2e.conftest import BotRunner

EXAMPLES = int(os.environ.get("RAPPORT_FUZZ_EXAMPLES", "25"))
APOLOGY = "something went wrong on my side"
MAX_REFUSAL_CHARS = 600
MAX_SAFE_INT = 2**53 - 1
T = TypeVar("T")

# Text members really type, and text that breaks naive code.
NASTY = [
    "", " ", "\t", "\n\n", "²", "١٢", "٣", "½", "9" * 30, "-1", "0", "-0", "1e309", "nan", "inf", "999999999999",
    "x" * 6000, "a\u0301" * 50, "\u202eevil", "\u200b", "\x00", "\x00\x01\x1b[31m", "\r\n", "@everyone", "@here",
    "<@&{role}>", "<@{user}>", "<#{channel}>", "**bold** __u__ ||spoiler|| `code`", "```\ncode\n```",
    "'; DROP TABLE commitments; --", "\" OR 1=1 --", "%s %d {0}", "now", "today", "tomorrow 9am", "yesterday 9am",
    "25:61", "24:00", "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "1970-01-01", "fri", "off", "never",
    "Mars/Olympus", "UTC", "Europe/Paris", "Etc/GMT+14", "daily 09:30", "weekdays 9", "cron * * * * *",
    "cron 99 99 99 99 99", "every 0 weeks on fri 16:00", "monthly on 32 at 10:00", "200000w", "-5m", "1h", "0s",
    "https://discord.com/channels/1/2/3", "https://discord.com/channels/{guild}/{channel}/999999",
    "https://discord.com/channels/{guild}/{channel}/{message}", "#1", "99999999999999999999999", "\U0001f600" * 100,
]  # fmt: skip


@dataclass
class Leaf:
    """One runnable slash command: its qualified name and its option definitions."""

    name: str
    options: list[dict[str, Any]]
    default_member_permissions: str | None


def leaves(commands: list[Any]) -> list[Leaf]:
    out: list[Leaf] = []

    def walk(prefix: str, options: list[dict[str, Any]], perms_: str | None) -> None:
        subs = [o for o in options if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if not subs:
            out.append(Leaf(prefix, options, perms_))
        for sub in subs:
            walk(f"{prefix} {sub['name']}", sub.get("options", []), perms_)

    for command in commands:
        if command.type == 1:
            walk(command.name, command.options, command.default_member_permissions)
    return sorted(out, key=lambda leaf: leaf.name)


@dataclass
class Fuzzed:
    """The small world, the running bot and what the checks observed."""

    double: DiscordDouble
    runner: BotRunner
    guild: Guild
    owner: User
    alice: User
    users: list[User]
    roles: list[Role]
    channels: list[Channel]
    general: Channel
    db_path: Path
    errors: dict[int, Exception] = field(default_factory=dict)
    error_logs: list[logging.LogRecord] = field(default_factory=list)
    examples: int = 0
    refusals: int = 0

    def fill(self, text: str) -> str:
        message = next(iter(self.double.world.messages.values()), None)
        return (
            text.replace("{role}", str(self.roles[-1].id))
            .replace("{user}", str(self.alice.id))
            .replace("{guild}", str(self.guild.id))
            .replace("{channel}", str(self.general.id))
            .replace("{message}", str(message.id if message else 1))
        )


class LoopThread:
    """An event loop in its own thread, so hypothesis (synchronous) can drive the bot example by example."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="fuzz-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        async def cancel_rest() -> None:
            rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in rest:
                task.cancel()
            await asyncio.gather(*rest, return_exceptions=True)

        self.run(cancel_rest())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class _ErrorLogs(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


async def _start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fuzzed:
    double = DiscordDouble()
    await double.start()
    double.point_discord_py_here(monkeypatch)
    owner = double.create_user("olivia")
    alice = double.create_user("alice")
    bob = double.create_user("bob")
    stranger = double.create_user("sam")
    guild = double.create_guild("Team", owner=owner)
    # The bot may mention everyone here, so only allowed_mentions stands between member text and a ping.
    double.set_bot_permissions(guild, perms.DEFAULT_BOT | perms.MENTION_EVERYONE)
    managers = double.create_role(guild, "Managers", permissions=0)
    double.add_member(guild, alice, roles=[managers])
    double.add_member(guild, bob)
    general = double.create_channel(guild, "general")
    hidden = double.create_channel(
        guild, "hidden", overwrites=[{"id": guild.bot_role_id, "type": 0, "allow": 0, "deny": perms.VIEW_CHANNEL}]
    )
    voice = double.create_channel(guild, "voice", type=2)
    category = double.create_channel(guild, "category", type=4)
    forum = double.create_channel(guild, "forum", type=15)
    message = await double.send_message(alice, general, "we agreed to ship on friday @everyone")
    thread = double.create_thread(general, "talk", owner=alice, message=message)
    other = double.create_guild("Elsewhere", owner=stranger)
    double.create_channel(other, "lobby")
    runner = BotRunner(double, tmp_path / "rapport.db", FakeClock(START))
    await runner.start()
    roles = [guild.roles[guild.id], managers]  # @everyone and a plain role
    return Fuzzed(
        double=double,
        runner=runner,
        guild=guild,
        owner=owner,
        alice=alice,
        users=[owner, alice, bob, stranger, double.bot_user],
        roles=roles,
        channels=[general, hidden, voice, category, forum, thread],
        general=general,
        db_path=tmp_path / "rapport.db",
    )


async def _stop(fuzzed: Fuzzed) -> None:
    await fuzzed.runner.stop()
    await fuzzed.double.stop()


def snapshot(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read from the committed database."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"')), key=repr) for t in tables}


def text_for(option: dict[str, Any], fuzzed: Fuzzed) -> st.SearchStrategy[str]:
    low, high = option.get("min_length", 0), option.get("max_length", 6000)
    base = st.one_of(
        st.sampled_from(NASTY).map(fuzzed.fill),
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=high, max_size=high) if high <= 120 else st.nothing(),
        st.tuples(st.sampled_from(NASTY), st.sampled_from(NASTY)).map(lambda p: fuzzed.fill(p[0] + " " + p[1])),
        st.integers(-(10**20), 10**20).map(str),
    )
    return base.map(lambda s: (s + "x" * low)[: max(low, len(s))][:high])


def value_for(option: dict[str, Any], fuzzed: Fuzzed) -> st.SearchStrategy[Any]:
    otype = option["type"]
    if option.get("choices"):
        return st.sampled_from([c["value"] for c in option["choices"]])
    if otype == STRING:
        return text_for(option, fuzzed)
    if otype in (INTEGER, NUMBER):
        low = option.get("min_value", -MAX_SAFE_INT)
        high = option.get("max_value", MAX_SAFE_INT)
        ints = st.one_of(
            st.sampled_from([low, high, 0, 1, -1]).filter(lambda v: low <= v <= high), st.integers(low, high)
        )
        if otype == INTEGER:
            return ints.map(int)
        return st.one_of(ints, st.floats(low, high, allow_nan=False, allow_infinity=False))
    if otype == BOOLEAN:
        return st.booleans()
    if otype == USER:
        return st.sampled_from(fuzzed.users)
    if otype == ROLE:
        return st.sampled_from(fuzzed.roles)
    if otype == MENTIONABLE:
        return st.sampled_from([*fuzzed.users, *fuzzed.roles])
    if otype == CHANNEL:
        allowed = option.get("channel_types")
        return st.sampled_from([c for c in fuzzed.channels if not allowed or c.type in allowed])
    if otype == ATTACHMENT:
        return st.tuples(
            st.sampled_from(["a.txt", "x" * 200, "../../etc/passwd", "\u202egnp.exe"]), st.binary(max_size=64)
        )
    raise AssertionError(f"option type {otype} has no strategy: add one")


def options_for(leaf: Leaf, fuzzed: Fuzzed) -> st.SearchStrategy[dict[str, Any]]:
    required = {o["name"]: value_for(o, fuzzed) for o in leaf.options if o.get("required")}
    optional = {o["name"]: value_for(o, fuzzed) for o in leaf.options if not o.get("required")}
    return st.fixed_dictionaries(required, optional=optional)


def _bot_messages(fuzzed: Fuzzed, after: int) -> Iterator[Any]:
    bot_id = fuzzed.double.bot_user.id
    for message in list(fuzzed.double.world.messages.values()):
        if message.id > after and message.author_id == bot_id:
            yield message


async def exercise(fuzzed: Fuzzed, leaf: Leaf, invoker: User, values: dict[str, Any]) -> str:
    """Runs one invocation; returns a description of what was wrong (empty when all is well)."""
    double = fuzzed.double
    fuzzed.runner.check_alive()
    watermark = double.world.ids.next()
    before = snapshot(fuzzed.db_path)
    logged = len(fuzzed.error_logs)
    try:
        record = await double.slash(invoker, fuzzed.general, leaf.name, **values)
    except DoubleUsageError:
        if invoker is fuzzed.owner:
            raise
        invoker = fuzzed.owner  # a member Discord would not let run it: the owner can
        record = await double.slash(invoker, fuzzed.general, leaf.name, **values)
    fuzzed.examples += 1
    try:
        await record.wait_response(timeout=3.0)
    except AssertionError as error:
        return f"not answered within 3 s: {error}"
    if record.response_type == 5:  # deferred: let the work finish before judging it
        await double.wait_until(
            lambda: record.followups or (record.message is not None and record.message.edits >= 1), timeout=15
        )
    await asyncio.sleep(0.02)
    problems: list[str] = []
    texts = [record.content or "", *[(f.content or "") for f in record.followups]]
    if any(APOLOGY in text for text in texts):
        problems.append(f"the generic apology: {texts}")
    error = fuzzed.errors.pop(record.id, None)
    if error is not None:
        fuzzed.refusals += 1
        reply = texts[-1] if record.followups else texts[0]
        if _friendly(error) is None:
            problems.append(f"unexpected error {error!r}")
        elif len(reply) > MAX_REFUSAL_CHARS:
            problems.append(f"a refusal of {len(reply)} characters: {reply[:200]!r}")
        last = record.followups[-1] if record.followups else record.message
        if last is None or not (last.flags & 64):
            problems.append(f"a refusal that is not ephemeral: {reply[:200]!r}")
        after = snapshot(fuzzed.db_path)
        changed = [t for t in after if after[t] != before.get(t)]
        if changed:
            problems.append(f"refused ({reply[:120]!r}) but tables changed: {changed}")
    for message in _bot_messages(fuzzed, watermark):
        if message.mention_everyone or message.mention_role_ids:
            problems.append(f"a message that pings everyone or a role: {message.content[:200]!r}")
    for log_record in fuzzed.error_logs[logged:]:
        problems.append(f"logged: {log_record.getMessage()[:300]}")
    return "; ".join(problems)


@pytest.fixture
def fuzzed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LoopThread, Fuzzed]]:
    loop = LoopThread()
    state = loop.run(_start(tmp_path, monkeypatch))
    bot: Rapport = state.runner.bot  # type: ignore[assignment]
    original = bot.tree.on_error

    async def spy(interaction: Any, error: Any) -> None:
        state.errors[interaction.id] = error
        await original(interaction, error)

    bot.tree.on_error = spy  # type: ignore[method-assign]
    handler = _ErrorLogs(state.error_logs)
    logging.getLogger().addHandler(handler)
    try:
        yield loop, state
    finally:
        logging.getLogger().removeHandler(handler)
        loop.run(_stop(state))
        loop.stop()


def _case(loop: LoopThread, state: Fuzzed, leaf: Leaf) -> Any:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # the world keeps its state: shrinking would mislead
        suppress_health_check=list(HealthCheck),
    )
    @given(invoker=st.sampled_from([state.owner, state.alice]), values=options_for(leaf, state))
    def case(invoker: User, values: dict[str, Any]) -> None:
        problem = loop.run(exercise(state, leaf, invoker, values))
        assert not problem, f"/{leaf.name} {values!r}: {problem}"

    return case


def test_every_slash_command_survives_hostile_options(fuzzed: tuple[LoopThread, Fuzzed]) -> None:
    loop, state = fuzzed
    all_leaves = leaves(state.double.commands())
    assert len(all_leaves) > 30, [leaf.name for leaf in all_leaves]
    failures: list[str] = []
    for leaf in all_leaves:
        case = _case(loop, state, leaf)
        try:
            case()
        except Exception as error:  # an assertion, or hypothesis's group of them
            failures.append(str(error)[:1500])
    print(f"fuzzed {len(all_leaves)} sub-commands, {state.examples} interactions, {state.refusals} refusals")
    assert not failures, "\n\n".join(failures)
