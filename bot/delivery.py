"""How a private message reached a member: the one name for it, shared by the domain and the adapter layer."""

from __future__ import annotations

import enum


class Delivery(enum.StrEnum):
    """Stored as its value (``commitment_nudges.delivery``); compares equal to that text."""

    #: Recorded and about to be sent (a nudge is a row before it is a message).
    PENDING = "pending"
    DM = "dm"
    #: DMs were closed, so one gentle mention in a channel instead.
    CHANNEL = "channel"
    FAILED = "failed"
