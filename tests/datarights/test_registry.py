"""The registry covers the live schema: every table and every id-like column has a data-rights policy."""

from __future__ import annotations

from bot.datarights.registry import BY_TABLE, POLICIES, Forget, is_id_like, live_schema, problems
from bot.db.database import Database


async def test_every_table_and_id_column_has_a_policy(db: Database) -> None:
    schema = await live_schema(db)
    assert len(schema) >= 28
    assert problems(schema) == []


async def test_a_new_table_or_column_without_policy_fails(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE future_feature (id INTEGER PRIMARY KEY, owner_id INTEGER)")
        await conn.execute("ALTER TABLE wins ADD COLUMN helper_id INTEGER")
    found = problems(await live_schema(db))
    assert "table future_feature has no data-rights policy" in found
    assert "column wins.helper_id looks like an id but has no policy" in found


async def test_a_stale_policy_column_is_reported(db: Database) -> None:
    schema = await live_schema(db)
    schema["wins"] = [c for c in schema["wins"] if c != "member_id"]
    del schema["bot_state"]
    found = problems(schema)
    assert "policy names wins.member_id, which does not exist" in found
    assert "policy for bot_state, which is not in the schema" in found


def test_id_like_names() -> None:
    for name in ("user_id", "created_by", "person_low", "owner_id", "id", "message_id"):
        assert is_id_like(name), name
    for name in ("text", "status", "answers", "due_at", "number"):
        assert not is_id_like(name), name


def test_scopes_take_one_guild_placeholder_and_member_tables_are_scoped() -> None:
    assert len(BY_TABLE) == len(POLICIES)
    for policy in POLICIES:
        if policy.scope is not None:
            assert policy.scope.count("?") == 1, policy.table
        assert all(isinstance(a, Forget) for a in policy.members.values())
    assert BY_TABLE["member_settings"].scope is None
    assert BY_TABLE["checkin_answers"].members == {"user_id": Forget.DELETE}


def test_the_documentation_lists_every_table() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "data-rights.md").read_text(encoding="utf-8")
    for policy in POLICIES:
        assert f"| `{policy.table}` |" in text, policy.table
