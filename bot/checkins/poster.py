"""What check-ins need from Discord (the :class:`Poster`), how its failures are told apart, and when a
transient failure is tried again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.checkins.digest import Digest
from bot.checkins.models import CheckIn, ReminderStatus, Run

#: Transient failures are retried after 30 s, 1 min, 2 min, … at most 15 min apart, while the post still makes
#: sense: a prompt until its run closes, a digest until DIGEST_WINDOW after the close.
RETRY_FIRST = timedelta(seconds=30)
RETRY_MAX = timedelta(minutes=15)


class PostingBlocked(Exception):
    """Rapport cannot post in the check-in's channel; ``reason`` (one of :mod:`bot.checkins.wording`) is shown to
    managers."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PostingRetry(Exception):
    """A transient failure (Discord 5xx, a timeout, the network): the same post may be tried again later."""


@dataclass(frozen=True, slots=True)
class Later:
    """A step that failed transiently: try it again at ``at``."""

    at: datetime


def retry_at(now: datetime, failures_so_far: int, until: datetime) -> Later | None:
    """When to try again after one more transient failure (bounded exponential backoff); None past ``until``."""
    at = now + min(RETRY_FIRST * 2**failures_so_far, RETRY_MAX)
    return None if at >= until else Later(at)


class Poster(Protocol):
    """What the service needs from Discord; implemented with discord.py in ``cogs/checkins/_poster.py``."""

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        """Why Rapport could not run a check-in in this channel, or None when it can."""
        ...

    async def find_prompt(self, run: Run) -> int | None:
        """The id of a prompt already posted for ``run`` (after a crash between posting and recording)."""
        ...

    async def post_prompt(self, run: Run, checkin: CheckIn) -> int:
        """Post the prompt with ``run.nonce``; return its message id. Raises :class:`PostingBlocked`."""
        ...

    async def open_thread(self, run: Run, checkin: CheckIn, message_id: int) -> int | None:
        """Open (or find) the discussion thread on the prompt; None if that was not possible."""
        ...

    async def post_digest(self, run: Run, digest: Digest) -> bool:
        ...

    async def remind(self, run: Run, checkin: CheckIn, user_id: int) -> ReminderStatus:
        """A private reminder with an Answer button: ``dm``, ``channel`` (DMs closed) or ``failed``."""
        ...

    async def tell_creator(self, checkin: CheckIn, reason: str, *, paused: bool = True) -> None:
        """Tell the creator once; ``paused`` when the check-in was paused, else about one run's digest."""
        ...

    async def role_members(self, guild_id: int, role_id: int) -> set[int] | None:
        """The (human) members of a role, or None when the role is gone."""
        ...

    def display_names(
        self, guild_id: int, user_ids: Iterable[int], *, markdown: bool = True, locale: str | None = None
    ) -> dict[int, str]:
        """Members' names as text, never mentions; markdown-escaped unless ``markdown`` is False; one no longer
        known is "a former member" in ``locale``."""
        ...
