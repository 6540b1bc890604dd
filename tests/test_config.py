"""Settings validation: one clear sentence per problem, never the token."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "MTEx.real-looking.token-value"


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert settings.database_path == Path("data/rapport.db")
    assert settings.default_timezone == "UTC"
    assert settings.log_level == "INFO"
    assert settings.dev_guild_id is None


def test_token_never_in_repr_or_description() -> None:
    settings = load_settings({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.token)
    assert all(TOKEN not in value for _, value in settings.describe())
    assert settings.token.reveal() == TOKEN


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "  "}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "has spaces in it"}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": TOKEN, "DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"DISCORD_TOKEN": TOKEN, "LOG_LEVEL": "chatty"}, "LOG_LEVEL"),
        ({"DISCORD_TOKEN": TOKEN, "DEV_GUILD_ID": "my-server"}, "DEV_GUILD_ID"),
        ({"DISCORD_TOKEN": TOKEN, "SUMMARY_LLM_BASE_URL": "ftp://x"}, "SUMMARY_LLM_BASE_URL"),
        ({"DISCORD_TOKEN": TOKEN, "SUMMARY_LLM_BASE_URL": "http://x"}, "SUMMARY_LLM_MODEL"),
        ({"DISCORD_TOKEN": TOKEN, "SUMMARY_LLM_TIMEOUT": "0"}, "SUMMARY_LLM_TIMEOUT"),
        (
            {"DISCORD_TOKEN": TOKEN, "SUMMARY_LLM_BASE_URL": "http://llm.example/v1", "SUMMARY_LLM_MODEL": "m",
             "SUMMARY_LLM_API_KEY": "sk-test"},
            "SUMMARY_LLM_BASE_URL must use https://",
        ),
    ],
)
def test_malformed_settings_name_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env, env_file=None)
    message = str(caught.value)
    assert message.startswith(names)
    assert message.count(".") >= 1 and "\n" not in message
    if "DISCORD_TOKEN" in env:
        assert env["DISCORD_TOKEN"] not in message


def test_database_path_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DATABASE_PATH"):
        load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path)}, env_file=None)


def test_database_path_in_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="DATABASE_PATH"):
        load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(blocker / "sub" / "db.sqlite")}, env_file=None)


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nLOG_LEVEL=debug\nDEFAULT_TIMEZONE=Asia/Tokyo\n")
    settings = load_settings({"DEFAULT_TIMEZONE": "europe/london"}, env_file=env_file)
    assert settings.log_level == "DEBUG"
    assert settings.default_timezone == "Europe/London"


def _cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_token_stops_start_up_with_one_sentence(tmp_path: Path) -> None:
    result = _cli(tmp_path)
    assert result.returncode != 0
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_config_masks_token(tmp_path: Path) -> None:
    result = _cli(tmp_path, "check-config", env={"DISCORD_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert "Configuration is valid" in result.stdout
    assert TOKEN not in result.stdout + result.stderr


def test_db_status_and_backup(tmp_path: Path) -> None:
    env = {"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path / "live.db")}
    status = _cli(tmp_path, "db", "status", env=env)
    assert "does not exist yet" in status.stdout
    import asyncio

    from bot.db.database import Database

    async def create() -> None:
        db = await Database.open(tmp_path / "live.db")
        await db.migrate()
        await db.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
        await db.close()

    asyncio.run(create())
    status = _cli(tmp_path, "db", "status", env=env)
    assert status.returncode == 0, status.stderr
    assert "up to date" in status.stdout
    assert "bot_state" in status.stdout
    backup = _cli(tmp_path, "db", "backup", str(tmp_path / "copy.db"), env=env)
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "copy.db").stat().st_size > 0
    again = _cli(tmp_path, "db", "backup", str(tmp_path / "copy.db"), env=env)
    assert again.returncode != 0
    assert "already exists" in again.stderr


def test_database_url_selects_postgres_and_is_masked(tmp_path: Path) -> None:
    url = "postgresql://rapport:s3cret-pass@db.internal:5432/rapport"
    settings = load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": url}, env_file=None)
    assert settings.database_target == url
    assert "s3cret-pass" not in repr(settings)
    described = dict(settings.describe())
    assert described["DATABASE_URL"] == "postgresql://rapport:***@db.internal:5432/rapport"
    assert "DATABASE_PATH" not in described
    sqlite = load_settings({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert sqlite.database_target == Path("data/rapport.db") and "SQLite" in dict(sqlite.describe())["DATABASE_URL"]
    result = _cli(tmp_path, "check-config", env={"DISCORD_TOKEN": TOKEN, "DATABASE_URL": url})
    assert result.returncode == 0 and "postgresql://rapport:***@db.internal:5432/rapport" in result.stdout
    assert "s3cret-pass" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "postgresql://", "postgresql://host-only", "postgresql://h:notaport/db", "sqlite:///x"]
)
def test_malformed_database_url_is_one_sentence(url: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL must be a PostgreSQL URL") as raised:
        load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": url}, env_file=None)
    assert str(raised.value).count(". ") == 0 and str(raised.value).endswith(".")
