"""Running the bot: log in (trying again while Discord can't be reached), connect, stop on a signal, and turn
start-up failures into one sentence."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

import aiohttp
import discord

from bot.config import Settings
from bot.db.connection import DatabaseError
from bot.shardlock import ShardsHeldElsewhere

log = logging.getLogger("bot")


def _fail(message: str) -> int:
    sys.stderr.write(f"rapport: {message}\n")
    return 2


#: Waits between tries when Discord cannot be reached at start-up (DNS, refused connection, 5xx, timeout):
#: about two minutes in all, then Rapport stops with one sentence (a supervisor may restart it).
STARTUP_RETRY_DELAYS: tuple[float, ...] = (1, 2, 4, 8, 15, 30, 60)


def _unreachable(error: BaseException) -> bool:
    """Whether a start-up failure means Discord could not be reached (worth another try)."""
    if isinstance(error, discord.DiscordServerError):
        return True
    if isinstance(error, discord.HTTPException):
        return False
    return isinstance(error, (aiohttp.ClientError, TimeoutError, OSError)) and not isinstance(
        error, (sqlite3.Error, DatabaseError)
    )


def _database_problem(error: sqlite3.Error | DatabaseError, settings: Settings) -> str:
    if isinstance(error, DatabaseError):
        return f"{error}."
    text = str(error).lower()
    where = settings.database_where
    if "locked" in text or "busy" in text:
        return f"the database {where} is locked by another program (is another Rapport running?); stop it first."
    if "readonly" in text or "read-only" in text:
        return f"the database {where} is read-only: give Rapport write access to it and its folder."
    if "disk is full" in text or "full" in text:
        return f"the disk holding {where} is full: free some space, then start Rapport again."
    if "unable to open" in text:
        return f"I can't open the database {where}: check that its folder exists and is writable."
    return f"the database {where} can't be used ({error})."


async def _login(bot: Any, token: str) -> None:
    """Log in, trying again with backoff while Discord can't be reached."""
    for attempt, delay in enumerate((*STARTUP_RETRY_DELAYS, None), start=1):
        try:
            await bot.login(token)
            return
        except Exception as error:
            if delay is None or not _unreachable(error):
                raise
            log.warning("can't reach Discord (%s); trying again in %ss (try %d)", _short(error), delay, attempt)
            await asyncio.sleep(delay)


async def _connect_until_closed(bot: Any) -> None:
    """``bot.connect()``, given up once the bot has closed.

    A close while shards are still being launched (a signal, or lost shard locks) leaves discord.py's
    ``AutoShardedClient`` retrying the launch of the next shard every 5 s on its closed session, so
    ``connect()`` would never return: stop waiting for it once ``close()`` is done.
    """
    connecting = asyncio.ensure_future(bot.connect())
    closed = asyncio.ensure_future(bot.wait_closed())
    try:
        await asyncio.wait({connecting, closed}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        closed.cancel()
        if not connecting.done():
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await connecting
    if not connecting.cancelled():
        connecting.result()


def _short(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]


async def run(settings: Settings, extensions: Sequence[str], *, standby: bool = False) -> int:
    """Run Rapport until it is stopped; the exit status (2 with one sentence on stderr for a known failure).

    ``standby``: if another process holds this process's shards, wait and take over when it stops.
    """
    from bot.adapter.client import Rapport

    bot = Rapport.for_settings(settings, extensions=extensions, standby=standby, freeze_after_setup=True)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
        except NotImplementedError:  # pragma: no cover - not on Windows' proactor loop
            pass
    try:
        async with bot:
            await _login(bot, settings.token.reveal())
            await _connect_until_closed(bot)
        # A signal's close may still be stopping the scheduler and closing the database: wait for it.
        await bot.close()
        if bot.lost_shards is not None:
            # Not status 2: a restart is the fix (it takes the locks again, or waits as a standby).
            sys.stderr.write(f"rapport: {bot.lost_shards}\n")
            return 1
    except ShardsHeldElsewhere as error:
        return _fail(str(error))
    except (sqlite3.Error, DatabaseError) as error:
        return _fail(_database_problem(error, settings))
    except discord.LoginFailure:
        return _fail(
            "Discord rejected DISCORD_TOKEN: reset the token in the Developer Portal (Bot > Reset Token) and "
            "paste the new one into .env."
        )
    except discord.PrivilegedIntentsRequired:
        return _fail(
            "Discord refused the privileged intents: enable Server Members Intent and Message Content Intent "
            "under Bot > Privileged Gateway Intents in the Developer Portal, then start Rapport again."
        )
    except Exception as error:
        if _unreachable(error):
            return _fail(
                f"I couldn't reach Discord after {len(STARTUP_RETRY_DELAYS) + 1} tries ({_short(error)}): check "
                "the network and DNS, or Discord's status page, then start Rapport again."
            )
        raise
    return 0
