"""The Rapport bot: every piece of set-up happens in ``setup_hook``, nothing in ``on_ready``."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

import discord
from discord.ext import commands

from bot import __version__
from bot.adapter.fleet import FleetMember, client_options, rest_budget
from bot.adapter.forms import FormRouter
from bot.adapter.pacing import RequestPacer, pace_requests
from bot.adapter.translator import CatalogTranslator
from bot.adapter.tree import RapportTree, sent_anonymously
from bot.config import Settings
from bot.db.database import Database
from bot.db.preferences import PreferencesRepo
from bot.metrics import Metrics
from bot.scheduling.clock import Clock, SystemClock
from bot.scheduling.dispatch import Dispatcher
from bot.scheduling.jobs import JobService
from bot.scheduling.owners import process_owner

log = logging.getLogger(__name__)
#: How long shutdown waits for running jobs (a digest, a batch of nudges) before cutting them short.
DRAIN_SECONDS = 10.0

ServiceT = TypeVar("ServiceT")


def default_intents() -> discord.Intents:
    intents = discord.Intents.default()
    intents.members = True  # privileged: check-in participants by role
    intents.message_content = True  # privileged: thread replies and summaries
    return intents


class Rapport(FleetMember, commands.Bot):
    """The bot. With ``SHARD_COUNT`` set, :meth:`for_settings` gives :class:`ShardedRapport` instead, which runs
    just this process's shards (discord.py's ``AutoShardedBot``); without it, one connection as always."""

    db: Database
    prefs: PreferencesRepo

    @classmethod
    def for_settings(cls, settings: Settings, **kwargs: Any) -> Rapport:
        """The bot class these settings call for: sharded when ``SHARD_COUNT`` is set."""
        kind = ShardedRapport if settings.sharded else Rapport
        return kind(settings, **kwargs)

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        realtime_jobs: bool = True,
        extensions: Sequence[str] = (),
        standby: bool = False,
        identify_window: float | None = None,
        freeze_after_setup: bool = False,
        **options: Any,
    ) -> None:
        options.setdefault("intents", default_intents())
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        self.metrics = Metrics()
        for key, value in client_options(settings, self.metrics).items():
            options.setdefault(key, value)
        if settings.sharded and not isinstance(self, commands.AutoShardedBot):
            raise ValueError("sharded settings need ShardedRapport: build the bot with Rapport.for_settings")
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            tree_cls=RapportTree,
            **options,
        )
        self.settings = settings
        self.version = __version__
        # One pacer for every feature's REST requests (see bot.adapter.pacing); several processes of one bot
        # each take their shards' share of the token's budget.
        self.request_pacer = RequestPacer(rest_budget(settings))
        pace_requests(self.http, self.request_pacer)
        self.clock: Clock = clock or SystemClock()
        self.jobs = JobService(self.clock, realtime=realtime_jobs)
        self.jobs.on_fire = self.metrics.job_ran
        self._init_fleet(standby=standby, identify_window=identify_window)
        # The one dispatcher of due work: features add their sources as they load (setup_hook arms them all),
        # claiming as this process, for the servers of its shards.
        self.dispatcher = Dispatcher(self.jobs, self.clock, owner=process_owner(), scope=self.shard_scope)
        # The feature extensions to load, by name (the entry point passes every package under cogs/).
        self.extension_names = list(extensions)
        self.started_at: datetime = self.clock.now()
        self.synced_scopes: list[str] = []
        self._services: dict[type, object] = {}
        # Every form submission, before or after a restart, is routed by its custom id (see bot.adapter.forms).
        self.forms = FormRouter()
        self.add_listener(self.forms.on_interaction, "on_interaction")
        self.add_listener(self._note_locales, "on_app_command_completion")
        self._closing = False
        self._closed = asyncio.Event()
        self._freeze_after_setup = freeze_after_setup

    async def _note_locales(self, interaction: discord.Interaction[Any], command: object) -> None:
        """Remember the language a member uses with Rapport (for what is sent them later) and the server's.

        Noted after a command succeeded (a refused command changes nothing), in a listener task of its own, so
        it never delays an acknowledgement; it writes only when a locale changed.
        """
        if not hasattr(self, "prefs") or interaction.user is None or sent_anonymously(interaction):
            return  # an anonymous sender leaves no trace, not even "was active just now"
        guild_locale = str(interaction.guild_locale) if interaction.guild_locale else None
        try:
            await self.prefs.note_locales(
                interaction.user.id, str(interaction.locale), interaction.guild_id, guild_locale, self.clock.now()
            )
        except Exception:  # a busy or closing database must not turn into an error for the member
            log.debug("could not note the locale of interaction %s", interaction.id, exc_info=True)

    # -- feature services --------------------------------------------------------------------------------
    def register_service(self, service: object) -> None:
        """Make a feature's service reachable by other features (e.g. summaries propose commitments)."""
        self._services[type(service)] = service

    def service(self, kind: type[ServiceT]) -> ServiceT:
        found = self._services.get(kind)
        if not isinstance(found, kind):
            raise LookupError(f"{kind.__name__} is not loaded")
        return found

    # -- start-up ----------------------------------------------------------------------------------------
    async def setup_hook(self) -> None:
        # Health first (a waiting standby answers /readyz with 503), then this process's shard locks: a second
        # copy stops here with one sentence, or waits as a standby, before opening the database, arming a
        # timer or connecting to the gateway.
        await self.start_health()
        await self.acquire_shards()
        async with self.shard_locks.migrating():
            self.db = await Database.open(self.settings.database_target)
            applied = await self.db.migrate()
        if applied:
            log.info("database at schema version %s", applied[-1])
        self.prefs = PreferencesRepo(self.db)
        for name in self.extension_names:
            await self.load_extension(name)
        await self.dispatcher.arm_all()
        await self.tree.set_translator(CatalogTranslator())
        self.jobs.start()
        await self.sync_commands_if_changed()
        if self._freeze_after_setup:
            # What set-up built (modules, the command tree, the catalogs) lives as long as the process: moved out
            # of the collector's reach, its full collections during a burst of answers no longer walk all of it
            # (halves the answers benchmark's p99). Only for the process's one bot: a test's bots would leak.
            gc.collect()
            gc.freeze()
        log.info("Rapport %s set up with %d extensions", self.version, len(self.extension_names))

    def command_payload(self, guild: discord.abc.Snowflake | None) -> list[dict[str, Any]]:
        return [command.to_dict(self.tree) for command in self.tree.get_commands(guild=guild)]

    async def translated_command_payload(self, guild: discord.abc.Snowflake | None) -> list[dict[str, Any]]:
        """What a sync sends: the payload with every shipped language's localisations."""
        translator = self.tree.translator
        if translator is None:
            return self.command_payload(guild)
        return [await c.get_translated_payload(self.tree, translator) for c in self.tree.get_commands(guild=guild)]

    async def sync_commands_if_changed(self) -> bool:
        """Sync the command tree only when its payload differs from the last synced one.

        Of several processes, only the one holding shard 0 syncs: commands belong to the application, not to
        a shard, and one PUT is enough.
        """
        if not self.owns_guild(None):
            log.info("application commands are synced by the process holding shard 0")
            return False
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = f"guild:{guild.id}" if guild is not None else "global"
        payload = json.dumps(await self.translated_command_payload(guild), sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(payload.encode()).hexdigest()
        key = f"command_hash:{scope}"
        if await self.db.fetchval("SELECT value FROM bot_state WHERE key = ?", (key,)) == digest:
            log.info("application commands unchanged (%s); not syncing", scope)
            return False
        await self.tree.sync(guild=guild)
        await self.db.execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, digest),
        )
        self.synced_scopes.append(scope)
        log.info("application commands synced (%s)", scope)
        return True

    async def on_message(self, message: discord.Message) -> None:
        # Rapport has no prefix commands: skip commands.Bot's parser on every message (cogs still listen).
        return None

    async def on_ready(self) -> None:
        # Fires again on every re-identify: log only, never set anything up here.
        log.info("connected as %s to %d servers", self.user, len(self.guilds))

    # -- shutdown ----------------------------------------------------------------------------------------
    @property
    def stopping(self) -> bool:
        return self._closing

    async def wait_closed(self) -> None:
        """Return once :meth:`close` has finished (the database and the shard locks are released)."""
        await self._closed.wait()

    async def close(self) -> None:
        """Stop taking new work, drain running jobs (bounded), then the gateway and HTTP, then the database.

        Jobs are drained while the HTTP session is still open, so a reminder or digest being sent at SIGTERM
        finishes (or is cut short and rebuilt at start-up) instead of failing on a closed session.
        """
        if self._closing:
            # A second caller (the signal handler and ``async with`` both close) waits for the first.
            await self._closed.wait()
            return
        self._closing = True
        try:
            if hasattr(self, "jobs"):
                cut = await self.jobs.shutdown(timeout=DRAIN_SECONDS)
                if cut:
                    log.warning("%d job(s) did not finish within %ss of shutdown", cut, DRAIN_SECONDS)
            # Forms are never refused while stopping: those being handled finish before HTTP and the database close.
            unfinished = await self.forms.drain(DRAIN_SECONDS)
            if unfinished:
                log.warning("%d form submission(s) did not finish within %ss of shutdown", unfinished, DRAIN_SECONDS)
            await super().close()
            if hasattr(self, "db"):
                await self.db.close()
            await self.stop_fleet()
            log.info("Rapport stopped")
        finally:
            self._closed.set()


class ShardedRapport(Rapport, commands.AutoShardedBot):
    """Rapport running ``SHARD_IDS`` of ``SHARD_COUNT`` shards in this process (``AutoShardedBot``)."""
