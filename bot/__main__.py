"""``python -m bot``: run Rapport, check its configuration, or look after its database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from pathlib import Path

from bot import __version__
from bot.adapter import runner
from bot.config import ConfigError, Settings, configure_logging, load_settings
from bot.db.connection import DatabaseError
from bot.db.database import Database, is_postgres_url, mask_url
from cogs import feature_extensions

log = logging.getLogger("bot")


def _fail(message: str) -> int:
    sys.stderr.write(f"rapport: {message}\n")
    return 2


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


async def _db_status(settings: Settings) -> int:
    if settings.database_url is None and not settings.database_path.exists():
        _out(f"database: {settings.database_path} (does not exist yet; it is created on first start)")
        return 0
    db = await Database.open(settings.database_target)
    try:
        from bot.db.database import load_migrations

        version = await db.schema_version()
        latest = load_migrations(db.engine)[-1].version
        _out(f"database: {db.where} ({db.engine}, {await db.size_bytes():,} bytes)")
        state = "up to date" if version == latest else f"{latest - version} migration(s) pending"
        _out(f"schema version: {version} of {latest} ({state})")
        for table, count in (await db.table_counts()).items():
            _out(f"  {table:<28} {count:>10,}")
    finally:
        await db.close()
    return 0


async def _db_backup(settings: Settings, target: Path) -> int:
    db = await Database.open(settings.database_target)
    try:
        await db.backup_to(target)
    finally:
        await db.close()
    how = "pg_dump's custom format; restore with pg_restore" if db.engine == "postgresql" else "SQLite"
    _out(f"backed up {db.where} to {target} ({how})")
    return 0


async def _db_copy(settings: Settings, target_url: str) -> int:
    from bot.db.copy import copy_sqlite_to_postgres

    report = await copy_sqlite_to_postgres(settings.database_path, target_url)
    _out(f"copied {settings.database_path} to {mask_url(target_url)} (schema version {report.schema_version}):")
    for table, count in report.counts.items():
        _out(f"  {table:<28} {count:>10,}  (row count checked)")
    _out("set DATABASE_URL to that URL to use it")
    return 0


async def _db_data_rights(settings: Settings, args: argparse.Namespace) -> int:
    """forget-member, purge-guild and export-member: requests that arrive outside Discord."""
    import json
    from datetime import UTC, datetime

    from bot.datarights.export import build_export
    from bot.datarights.forget import forget_member, guilds_with_data
    from bot.datarights.retention import purge_guild

    db = await Database.open(settings.database_target)
    try:
        await db.migrate()
        now = datetime.now(UTC)
        if args.db_command == "forget-member":
            guilds = [args.guild] if args.guild else await guilds_with_data(db)
            report = await forget_member(db, args.user_id, guilds, now=now)
            where = f"server {args.guild}" if args.guild else f"{len(guilds)} server(s)"
            _out(f"erased member {args.user_id} in {where}:")
            for line in report.lines():
                _out(f"  {line}")
            queued = await db.fetchval("SELECT count(*) FROM data_rights_outbox")
            if queued:
                _out(f"{queued} notice(s) to other members will be sent when the bot next starts")
        elif args.db_command == "purge-guild":
            counts = await purge_guild(db, args.guild_id)
            _out(f"erased server {args.guild_id}: {sum(counts.values())} row(s)")
            for table, count in sorted(counts.items()):
                _out(f"  {table:<28} {count:>10,}")
        else:
            guilds = [args.guild] if args.guild else await guilds_with_data(db)
            doc = await build_export(db, args.user_id, guilds, now=now)
            text = json.dumps(doc, ensure_ascii=False, indent=2)
            if args.out:
                if args.out.exists():
                    return _fail(f"{args.out} already exists: choose a new file name.")
                args.out.write_text(text + "\n", encoding="utf-8")
                _out(f"exported member {args.user_id} ({len(guilds)} server(s)) to {args.out}")
            else:
                _out(text)
    finally:
        await db.close()
    return 0


def _snowflake(text: str) -> int:
    if not text.isdigit() or not 1 <= len(text) <= 21 or int(text) == 0:
        raise argparse.ArgumentTypeError(f"{text[:30]!r} is not a Discord id (a long number)")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Rapport, a kind Discord bot.")
    parser.add_argument("--version", action="version", version=f"Rapport {__version__}")
    parser.add_argument("--env-file", default=".env", help="settings file to read (default: .env)")
    standby_help = "if another copy runs this database's shards, wait and take over when it stops (see docs/deploy.md)"
    parser.add_argument("--standby", action="store_true", help=standby_help)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the bot (the default)")
    # Also after ``run`` (``python -m bot run --standby``); SUPPRESS keeps ``--standby run`` from being reset.
    run.add_argument("--standby", action="store_true", default=argparse.SUPPRESS, help=standby_help)
    sub.add_parser("check-config", help="validate the settings and print what would be used")
    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("status", help="schema version and row counts")
    backup = db_sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", type=Path, help="the backup file to create")
    copy = db_sub.add_parser("copy", help="copy the SQLite database into an empty PostgreSQL database")
    copy.add_argument("--to", required=True, metavar="URL", help="the PostgreSQL database, postgresql://…")
    forget = db_sub.add_parser("forget-member", help="erase a member's data (every server unless --guild)")
    forget.add_argument("user_id", type=_snowflake)
    forget.add_argument("--guild", type=_snowflake, help="only in this server")
    purge = db_sub.add_parser("purge-guild", help="erase everything Rapport keeps for one server")
    purge.add_argument("guild_id", type=_snowflake)
    export = db_sub.add_parser("export-member", help="print (or write) a member's data as JSON")
    export.add_argument("user_id", type=_snowflake)
    export.add_argument("--guild", type=_snowflake, help="only this server")
    export.add_argument("--out", type=Path, help="write to this new file instead of printing")
    i18n = sub.add_parser("i18n", help="translation catalogs (for contributors)")
    i18n_sub = i18n.add_subparsers(dest="i18n_command", required=True)
    i18n_sub.add_parser("extract", help="update bot/i18n/rapport.pot and every catalog from the code")
    return parser


def _db_command(settings: Settings, args: argparse.Namespace) -> int:
    on_sqlite = settings.database_url is None
    if args.db_command == "status":
        return asyncio.run(_db_status(settings))
    if args.db_command == "copy":
        if not on_sqlite:
            return _fail("db copy reads the SQLite database at DATABASE_PATH: unset DATABASE_URL to run it.")
        if not is_postgres_url(args.to):
            return _fail("--to must be a PostgreSQL URL such as postgresql://rapport:PASSWORD@localhost/rapport.")
        if not settings.database_path.exists():
            return _fail(f"there is no database at {settings.database_path} to copy.")
        return asyncio.run(_db_copy(settings, args.to))
    if args.db_command in ("forget-member", "purge-guild", "export-member"):
        if on_sqlite and not settings.database_path.exists():
            return _fail(f"there is no database at {settings.database_path}.")
        return asyncio.run(_db_data_rights(settings, args))
    if on_sqlite and not settings.database_path.exists():
        return _fail(f"there is no database at {settings.database_path} to back up yet.")
    if args.path.exists():
        return _fail(f"{args.path} already exists: choose a new file name so no backup is overwritten.")
    return asyncio.run(_db_backup(settings, args.path))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "i18n":
        from bot.adapter.catalog_extract import extract

        for line in asyncio.run(extract(feature_extensions())):
            _out(line)
        return 0
    try:
        settings = load_settings(env_file=args.env_file)
    except ConfigError as error:
        return _fail(str(error))
    configure_logging(settings.log_level)
    if args.command == "check-config":
        _out("Configuration is valid. Rapport would use:")
        for name, value in settings.describe():
            _out(f"  {name:<22} {value}")
        return 0
    if args.command == "db":
        try:
            return _db_command(settings, args)
        except (sqlite3.Error, DatabaseError) as error:
            return _fail(runner._database_problem(error, settings))
    try:
        return asyncio.run(runner.run(settings, feature_extensions(), standby=args.standby))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
