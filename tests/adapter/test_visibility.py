"""The one helper that says which permissions the bot lacks, with the names members see in Discord."""

from __future__ import annotations

import discord

from bot.adapter.visibility import missing_permissions


def test_names_what_is_missing_in_the_order_asked() -> None:
    perms = discord.Permissions(view_channel=True, embed_links=True)
    assert missing_permissions(perms, ["view_channel", "send_messages_in_threads", "attach_files"]) == [
        "Send Messages in Threads",
        "Attach Files",
    ]


def test_nothing_missing_is_an_empty_list() -> None:
    assert missing_permissions(discord.Permissions.all(), ["view_channel", "create_private_threads"]) == []
