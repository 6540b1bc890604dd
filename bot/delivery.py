"""How a private message reached a member (the one name for it, shared by the domain and the adapter layer), and
the deterministic nonce that keeps it to one message."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime, timedelta


class Delivery(enum.StrEnum):
    """Stored as its value (``commitment_nudges.delivery``); compares equal to that text."""

    #: Recorded and about to be sent (a nudge is a row before it is a message).
    PENDING = "pending"
    DM = "dm"
    #: DMs were closed, so one gentle mention in a channel instead.
    CHANNEL = "channel"
    FAILED = "failed"
    #: A send cut short (the process stopped mid-send) too long ago to try again safely: it may have arrived.
    UNKNOWN = "unknown"


#: A private message cut short is sent again only this soon after its first try. Discord (and the test double)
#: drop a repeated nonce for about five minutes; four leave a margin. Later, it is recorded ``unknown`` instead.
RESEND_WINDOW = timedelta(minutes=4)


def may_resend(first_try: datetime, now: datetime) -> bool:
    """Whether a message whose send was cut short at ``first_try`` may be sent again now: only while Discord
    still drops a repeat of its deterministic nonce."""
    return now - first_try <= RESEND_WINDOW


#: Discord's longest nonce (a string of at most 25 characters).
MAX_NONCE = 25


def message_nonce(kind: str, *parts: int | str) -> str:
    """A deterministic nonce for one message that must reach a member once: Discord drops a second send with
    the same nonce in the same channel for a few minutes, so a retry (discord.py's own after a 5xx, or ours
    after a restart) cannot post it twice.

    ``kind`` is a short tag per kind of message (``cp`` a proposal, ``cn`` a nudge, …); ``parts`` say which one.
    When the readable form would pass :data:`MAX_NONCE`, the parts are hashed (still deterministic).
    """
    text = kind + ".".join(str(part) for part in parts)
    if len(text) <= MAX_NONCE:
        return text
    digest = hashlib.blake2b(text.encode(), digest_size=10).hexdigest()
    return kind[: MAX_NONCE - len(digest)] + digest
