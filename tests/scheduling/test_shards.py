"""Shard ownership, the shard settings and the REST share (pure, no Discord)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapter.pacing import share_of_token_budget
from bot.config import ConfigError, load_settings
from bot.scheduling.shards import ShardScope, owns_guild
from bot.scheduling.shards import shard_of as shard_for_guild

TOKEN = "MTEx.real-looking.token-value"


def settings(**env: str):
    return load_settings({"DISCORD_TOKEN": TOKEN, **env}, env_file=None)


def test_shard_of_a_guild_follows_discord() -> None:
    # Discord's example: (guild_id >> 22) % num_shards
    guild_id = 197038439483310086
    assert shard_for_guild(guild_id, 1) == 0
    assert shard_for_guild(guild_id, 2) == (guild_id >> 22) % 2
    assert shard_for_guild(guild_id, 5) == (guild_id >> 22) % 5


@given(st.integers(min_value=1, max_value=2**63 - 1), st.integers(min_value=1, max_value=64))
def test_exactly_one_process_owns_each_guild_when_shards_are_split(guild_id: int, count: int) -> None:
    # Split the shards into processes of up to three shards each: one owner per guild, always.
    processes = [tuple(range(start, min(start + 3, count))) for start in range(0, count, 3)]
    owners = [ids for ids in processes if owns_guild(guild_id, count, ids)]
    assert len(owners) == 1
    assert shard_for_guild(guild_id, count) in owners[0]


def test_work_without_a_guild_belongs_to_shard_0() -> None:
    assert owns_guild(None, 3, (0, 2))
    assert not owns_guild(None, 3, (1,))
    assert owns_guild(None, None, None)


def test_unsharded_process_owns_everything() -> None:
    assert owns_guild(123 << 22, None, None) and owns_guild(None, None, None)
    assert all(owns_guild(g << 22, 4, None) for g in range(8))
    scope = ShardScope.of(2, [1])
    assert scope.owns_guild(1 << 22) and not scope.owns_guild(2 << 22) and not scope.owns_guild(None)


def test_rest_share_is_the_process_part_of_the_token_budget() -> None:
    assert share_of_token_budget(1, 2) == 22
    assert share_of_token_budget(2, 3) == 30
    assert share_of_token_budget(4, 4) == 45
    assert share_of_token_budget(1, 100) == 1  # never zero
    # Processes together never exceed the budget.
    assert sum(share_of_token_budget(1, 3) for _ in range(3)) <= 45
    with pytest.raises(ValueError):
        share_of_token_budget(0, 2)


def test_settings_parse_shards() -> None:
    s = settings(SHARD_COUNT="4", SHARD_IDS=" 3, 1 ")
    assert s.shard_count == 4 and s.shard_ids == (1, 3) and s.sharded
    assert s.process_shard_ids == (1, 3)
    only_count = settings(SHARD_COUNT="2")
    assert only_count.shard_ids is None and only_count.process_shard_ids == (0, 1)
    default = settings()
    assert default.shard_count is None and not default.sharded and default.process_shard_ids == (0,)
    described = dict(s.describe())
    assert described["SHARD_COUNT"] == "4" and described["SHARD_IDS"] == "1,3"
    assert described["METRICS_PORT"].startswith("(not set")


@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT: set SHARD_COUNT to the total number of shards"),
        (
            {"SHARD_COUNT": "2", "SHARD_IDS": "2"},
            "SHARD_IDS lists shard 2, but with SHARD_COUNT=2 shards are numbered 0 to 1.",
        ),
        ({"SHARD_COUNT": "3", "SHARD_IDS": "1,1"}, "SHARD_IDS lists shard 1 twice: list each shard once."),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0;1"}, "SHARD_IDS must be shard numbers separated by commas"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "-1"}, "SHARD_IDS must be shard numbers separated by commas"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be the total number of shards"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be the total number of shards"),
        ({"METRICS_PORT": "99999"}, "METRICS_PORT must be a port number from 1 to 65535"),
        ({"METRICS_PORT": "http"}, "METRICS_PORT must be a port number"),
        ({"METRICS_HOST": "a b"}, "METRICS_HOST must be an address"),
    ],
)
def test_bad_shard_settings_say_what_to_do_in_one_sentence(env: dict[str, str], sentence: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings(**env)
    message = str(raised.value)
    assert message.startswith(sentence)
    assert message.count(". ") == 0 and message.endswith(".")


def test_metrics_port(tmp_path: Path) -> None:
    assert settings(METRICS_PORT="9108").metrics_port == 9108
    assert settings(METRICS_PORT="0").metrics_port is None
    assert settings().metrics_host == "127.0.0.1"
