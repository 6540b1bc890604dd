"""How the commitments domain reaches people: a protocol the cog implements with discord.py (a recorder in
tests), so nothing here needs a Discord object."""

from __future__ import annotations

from typing import Protocol

from bot.commitments.models import Commitment
from bot.commitments.policy import ActionKind
from bot.delivery import Delivery


class CommitmentNotifier(Protocol):
    async def ask_owner(self, commitment: Commitment) -> Delivery:
        """Ask the owner to accept or decline a proposal: by DM, else in the channel, or it failed. Sent with
        ``commitment.ask_nonce``, so a retry after a cut-short try is dropped by Discord."""
        ...

    async def nudge(self, commitment: Commitment, kind: ActionKind, *, nonce: str) -> Delivery:
        """A private reminder with Done / Snooze / Renegotiate / Need help: by DM, else in the channel, sent with
        ``nonce`` (:meth:`Commitment.nudge_nonce`)."""
        ...

    async def escalate(self, commitment: Commitment, *, nonce: str) -> bool:
        """One gentle mention of the owner in the commitment's channel, with ``nonce``; True if it was posted."""
        ...

    async def celebrate(self, commitment: Commitment) -> bool:
        """A short, ping-free "followed through" in the commitment's channel; True if it was posted."""
        ...

    async def ask_for_help(self, commitment: Commitment) -> bool:
        """Post "<owner> could use a hand with: …" in the commitment's channel; True if it was posted."""
        ...
