"""Settings, read once from the environment and ``.env`` into a typed, frozen object."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.errors import BadInput
from bot.timezones import get_zone

#: Discord recommends about 1,000 servers per shard and allows 2,500; 4,096 shards is far beyond any use here.
MAX_SHARDS = 4096
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_PLACEHOLDER_TOKENS = {"", "your-bot-token", "your-token-here", "changeme", "<token>"}


POSTGRES_URL = re.compile(r"^postgres(?:ql)?://", re.IGNORECASE)


def is_postgres_url(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database (else it is a SQLite file path)."""
    return isinstance(target, str) and bool(POSTGRES_URL.match(target))


def mask_url(url: str) -> str:
    """A database URL with its password replaced by ``***`` (for logs and ``check-config``)."""
    return re.sub(r"^([a-z]+://[^:/@]*:)[^@]*@", r"\1***@", url, flags=re.IGNORECASE)


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one sentence telling the user what to do."""


class Secret:
    """A string that never shows itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        if len(self._value) <= 8:
            return "*" * len(self._value)
        return f"{self._value[:4]}…{'*' * 6}"

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class Settings:
    token: Secret = field(repr=False)
    database_path: Path = Path("data/rapport.db")
    #: A ``postgresql://`` URL: when set, Rapport uses that PostgreSQL database instead of the SQLite file.
    database_url: Secret | None = field(default=None, repr=False)
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    default_timezone: str = "UTC"
    summary_llm_base_url: str | None = None
    summary_llm_model: str | None = None
    summary_llm_api_key: Secret | None = field(default=None, repr=False)
    summary_llm_timeout: float = 20.0
    guild_removal_grace_days: int = 30
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"

    @property
    def sharded(self) -> bool:
        """Whether this process was told its shards (``SHARD_COUNT``); otherwise it runs as one process."""
        return self.shard_count is not None

    @property
    def process_shard_ids(self) -> tuple[int, ...]:
        """The shards this process runs: ``SHARD_IDS``, or every shard of ``SHARD_COUNT`` (one when unset)."""
        if self.shard_ids is not None:
            return self.shard_ids
        return tuple(range(self.shard_count or 1))

    def _describe_shard_ids(self) -> str:
        if self.shard_count is None:
            return "(not set: every shard)"
        if self.shard_ids is None:
            return f"(not set: all {self.shard_count} shards in this process)"
        return ",".join(str(i) for i in self.shard_ids)

    @property
    def database_target(self) -> str | Path:
        """What :meth:`bot.db.database.Database.open` is given: the PostgreSQL URL, else the SQLite path."""
        return self.database_url.reveal() if self.database_url else self.database_path

    @property
    def database_where(self) -> str:
        """The database as shown to people: the SQLite path, or the URL with its password masked."""
        return mask_url(self.database_url.reveal()) if self.database_url else str(self.database_path)

    def describe(self) -> list[tuple[str, str]]:
        """What the bot would use, for ``check-config``; secrets masked."""
        return [
            ("DISCORD_TOKEN", self.token.masked()),
            *(
                [("DATABASE_URL", self.database_where)]
                if self.database_url
                else [("DATABASE_URL", "(not set: SQLite)"), ("DATABASE_PATH", str(self.database_path))]
            ),
            ("DEV_GUILD_ID", str(self.dev_guild_id) if self.dev_guild_id else "(not set: commands sync globally)"),
            ("LOG_LEVEL", self.log_level),
            ("DEFAULT_TIMEZONE", self.default_timezone),
            ("SUMMARY_LLM_BASE_URL", self.summary_llm_base_url or "(not set: offline summaries)"),
            ("SUMMARY_LLM_MODEL", self.summary_llm_model or "(not set)"),
            ("SUMMARY_LLM_API_KEY", self.summary_llm_api_key.masked() if self.summary_llm_api_key else "(not set)"),
            ("SUMMARY_LLM_TIMEOUT", f"{self.summary_llm_timeout:g}s"),
            ("GUILD_REMOVAL_GRACE_DAYS", f"{self.guild_removal_grace_days} days"),
            ("SHARD_COUNT", str(self.shard_count) if self.shard_count else "(not set: one process, all shards)"),
            ("SHARD_IDS", self._describe_shard_ids()),
            ("METRICS_PORT", str(self.metrics_port) if self.metrics_port else "(not set: no health endpoints)"),
            ("METRICS_HOST", self.metrics_host),
        ]


def _check_database_url(url: str) -> None:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not is_postgres_url(url) or not parts.hostname or port == -1 or not parts.path.strip("/"):
        raise ConfigError(
            "DATABASE_URL must be a PostgreSQL URL such as postgresql://rapport:PASSWORD@localhost:5432/rapport "
            "(with a host and a database name), or be left empty to use the SQLite file at DATABASE_PATH."
        )


def _clean(values: Mapping[str, str | None], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Read settings from ``env_file`` (if it exists) overlaid by ``environ`` (the process environment)."""
    values: dict[str, str | None] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update(dotenv_values(env_file))
    values.update(os.environ if environ is None else environ)

    token = _clean(values, "DISCORD_TOKEN")
    if token is None or token.lower() in _PLACEHOLDER_TOKENS:
        raise ConfigError(
            "DISCORD_TOKEN is not set: copy .env.example to .env and put your bot's token from "
            "https://discord.com/developers/applications (Bot > Reset Token) after DISCORD_TOKEN=."
        )
    if re.search(r"\s", token) or len(token) < 8:
        raise ConfigError(
            "DISCORD_TOKEN does not look like a bot token: paste the whole token from the Developer Portal "
            "(Bot > Reset Token), with no spaces or quotes."
        )

    database_url = _clean(values, "DATABASE_URL")
    if database_url is not None:
        _check_database_url(database_url)
    database_path = Path(_clean(values, "DATABASE_PATH") or "data/rapport.db")
    if database_url is not None:
        pass  # the SQLite file is not used
    elif database_path.exists() and database_path.is_dir():
        raise ConfigError(
            f"DATABASE_PATH points to a folder ({database_path}): set it to a file path such as data/rapport.db."
        )
    parent = database_path.parent
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if database_url is None and (not existing.is_dir() or not os.access(existing, os.W_OK)):
        raise ConfigError(
            f"DATABASE_PATH ({database_path}) is in a folder that cannot be created or written: "
            "choose a writable location."
        )

    dev_guild_raw = _clean(values, "DEV_GUILD_ID")
    dev_guild_id: int | None = None
    if dev_guild_raw is not None:
        if not dev_guild_raw.isdigit() or not 15 <= len(dev_guild_raw) <= 21:
            raise ConfigError(
                "DEV_GUILD_ID must be a server id (a long number: right-click the server with Developer Mode on "
                "and choose Copy Server ID), or be left empty."
            )
        dev_guild_id = int(dev_guild_raw)

    log_level = (_clean(values, "LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}.")

    default_tz = _clean(values, "DEFAULT_TIMEZONE") or "UTC"
    try:
        default_tz = get_zone(default_tz).key
    except BadInput:
        raise ConfigError(
            f"DEFAULT_TIMEZONE ({default_tz[:60]}) is not an IANA time zone: use a name such as Europe/London."
        ) from None

    llm_url = _clean(values, "SUMMARY_LLM_BASE_URL")
    if llm_url is not None and not re.match(r"^https?://", llm_url):
        raise ConfigError("SUMMARY_LLM_BASE_URL must start with http:// or https://, or be left empty.")
    llm_model = _clean(values, "SUMMARY_LLM_MODEL")
    if llm_url is not None and llm_model is None:
        raise ConfigError("SUMMARY_LLM_MODEL must name a model when SUMMARY_LLM_BASE_URL is set.")
    llm_key = _clean(values, "SUMMARY_LLM_API_KEY")
    if llm_key is not None and llm_url is not None and not llm_url.lower().startswith("https://"):
        raise ConfigError(
            "SUMMARY_LLM_BASE_URL must use https:// when SUMMARY_LLM_API_KEY is set, so the key and the "
            "conversation never travel unencrypted."
        )
    timeout_raw = _clean(values, "SUMMARY_LLM_TIMEOUT") or "20"
    try:
        llm_timeout = float(timeout_raw)
    except ValueError:
        llm_timeout = -1.0
    if not 1 <= llm_timeout <= 300:
        raise ConfigError("SUMMARY_LLM_TIMEOUT must be a number of seconds between 1 and 300.")

    grace_raw = _clean(values, "GUILD_REMOVAL_GRACE_DAYS") or "30"
    if not grace_raw.isdigit() or not 0 <= int(grace_raw) <= 365:
        raise ConfigError("GUILD_REMOVAL_GRACE_DAYS must be a whole number of days between 0 and 365.")

    shard_count, shard_ids = _shards(values)
    metrics_port = _metrics_port(values)
    metrics_host = _clean(values, "METRICS_HOST") or "127.0.0.1"
    if not re.fullmatch(r"[0-9A-Za-z.:\-\[\]]{1,64}", metrics_host):
        raise ConfigError("METRICS_HOST must be an address to listen on, such as 127.0.0.1 or 0.0.0.0.")

    return Settings(
        token=Secret(token),
        database_path=database_path,
        database_url=Secret(database_url) if database_url else None,
        dev_guild_id=dev_guild_id,
        log_level=log_level,
        default_timezone=default_tz,
        summary_llm_base_url=llm_url,
        summary_llm_model=llm_model,
        summary_llm_api_key=Secret(llm_key) if llm_key else None,
        summary_llm_timeout=llm_timeout,
        guild_removal_grace_days=int(grace_raw),
        shard_count=shard_count,
        shard_ids=shard_ids,
        metrics_port=metrics_port,
        metrics_host=metrics_host,
    )


def _shards(values: Mapping[str, str | None]) -> tuple[int | None, tuple[int, ...] | None]:
    """``SHARD_COUNT`` and ``SHARD_IDS`` (``0,1``); ids need a count, fall in range and appear once."""
    count_raw = _clean(values, "SHARD_COUNT")
    ids_raw = _clean(values, "SHARD_IDS")
    count: int | None = None
    if count_raw is not None:
        if not count_raw.isdigit() or not 1 <= int(count_raw) <= MAX_SHARDS:
            raise ConfigError(
                f"SHARD_COUNT must be the total number of shards across all processes, a whole number from 1 "
                f"to {MAX_SHARDS}, or be left empty."
            )
        count = int(count_raw)
    if ids_raw is None:
        return count, None
    if count is None:
        raise ConfigError(
            "SHARD_IDS needs SHARD_COUNT: set SHARD_COUNT to the total number of shards across all processes."
        )
    ids: list[int] = []
    for part in ids_raw.split(","):
        part = part.strip()
        if not part.isdigit() or len(part) > 6:
            raise ConfigError(
                f"SHARD_IDS must be shard numbers separated by commas, such as 0,1 ({part[:20]!r} is not one)."
            )
        shard = int(part)
        if shard >= count:
            raise ConfigError(
                f"SHARD_IDS lists shard {shard}, but with SHARD_COUNT={count} shards are numbered 0 to {count - 1}."
            )
        if shard in ids:
            raise ConfigError(f"SHARD_IDS lists shard {shard} twice: list each shard once.")
        ids.append(shard)
    return count, tuple(sorted(ids))


def _metrics_port(values: Mapping[str, str | None]) -> int | None:
    raw = _clean(values, "METRICS_PORT")
    if raw is None or raw == "0":
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError("METRICS_PORT must be a port number from 1 to 65535, or be left empty to serve no metrics.")
    return int(raw)


def configure_logging(level: str) -> None:
    """Configure logging once, for the whole process (called from ``__main__`` only)."""
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )
    logging.getLogger("discord").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
