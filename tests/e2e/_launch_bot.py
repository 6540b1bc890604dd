"""Run ``python -m bot`` exactly as a user would, but pointed at a local Discord double.

Used by the graceful-shutdown test: ``python -m tests.e2e._launch_bot http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import os
import sys

import discord.gateway
import discord.http
import yarl

import bot.adapter.runner
import bot.shardlock
from bot.__main__ import main

if __name__ == "__main__":
    base = sys.argv[1].rstrip("/")
    discord.http.Route.BASE = f"{base}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base.replace("http://", "ws://") + "/")
    delays = os.environ.get("RAPPORT_TEST_RETRY_DELAYS")
    if delays is not None:  # short start-up backoff for the tests of an unreachable Discord
        bot.adapter.runner.STARTUP_RETRY_DELAYS = tuple(float(d) for d in delays.split(",") if d)
    window = os.environ.get("RAPPORT_TEST_IDENTIFY_WINDOW")
    if window is not None:  # processes that start together take IDENTIFY turns faster than Discord's 5 s
        bot.shardlock.IDENTIFY_WINDOW = float(window)
    if os.environ.get("RAPPORT_TEST_NO_CHUNKING"):  # benchmarks with many servers: no member lists at start-up
        from typing import Any

        from bot.adapter.client import Rapport

        build = Rapport.for_settings.__func__  # type: ignore[attr-defined]

        def without_chunking(cls: type[Rapport], settings: Any, **kwargs: Any) -> Rapport:
            return build(cls, settings, chunk_guilds_at_startup=False, **kwargs)  # type: ignore[no-any-return]

        Rapport.for_settings = classmethod(without_chunking)  # type: ignore[assignment,method-assign]
    sys.exit(main(sys.argv[2:]))
