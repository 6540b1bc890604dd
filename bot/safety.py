"""No harassment through the bot: per-member cooldowns on commands that DM or ping someone else, and blocks.

Pure rules (:data:`COOLDOWNS`, :func:`wait_left`) and a small repository over ``member_blocks`` and
``member_cooldowns`` (migration 0007). No Discord here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db.codec import from_epoch, to_epoch
from bot.db.database import Database
from bot.errors import BadInput, NotAllowed
from bot.i18n import Term
from bot.markup import timestamp


@dataclass(frozen=True, slots=True)
class Cooldown:
    action: str
    what: Term  # how the refusal names the command (a catalog entry)
    uses: int  # at most this many uses ...
    per: timedelta  # ... per window of this length, per member and server


#: The numbers in docs/privacy.md.
COOLDOWNS = {
    c.action: c
    for c in (
        Cooldown("propose", Term("propose a commitment to someone"), 10, timedelta(hours=1)),
        Cooldown("win", Term("celebrate someone with /win"), 10, timedelta(hours=1)),
        Cooldown("clarify", Term("ask for clarification"), 10, timedelta(hours=1)),
        Cooldown("repair", Term("start a repair"), 3, timedelta(hours=24)),
    )
}

#: Proposals one member may have waiting (not yet accepted or declined) with one other member.
MAX_PENDING_PROPOSALS = 3

#: What a blocked member is told: the same words whatever the reason, so a block is never revealed.
CANNOT_REACH = Term("I can't pass that on to them right now.")


def next_window(
    window_start: datetime | None, uses: int, now: datetime, cooldown: Cooldown
) -> tuple[datetime, int] | timedelta:
    """The window and use count after one more use, or how long until the member may use it again."""
    if window_start is None or now - window_start >= cooldown.per:
        return now, 1
    if uses < cooldown.uses:
        return window_start, uses + 1
    return window_start + cooldown.per - now


def _period(per: timedelta) -> str:
    hours = int(per.total_seconds() // 3600)
    if hours == 1:
        return Term("an hour")
    if hours == 24:
        return Term("24 hours")
    return f"{hours} h"


class SafetyRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- blocks --------------------------------------------------------------------------------------------
    async def block(self, guild_id: int, blocker_id: int, blocked_id: int, now: datetime) -> bool:
        """True if it is new."""
        if blocker_id == blocked_id:
            raise BadInput("You can't block yourself.")
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO member_blocks (guild_id, blocker_id, blocked_id, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (guild_id, blocker_id, blocked_id, to_epoch(now)),
            )
            return cursor.rowcount == 1

    async def unblock(self, guild_id: int, blocker_id: int, blocked_id: int) -> bool:
        """True if there was a block."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM member_blocks WHERE guild_id = ? AND blocker_id = ? AND blocked_id = ?",
                (guild_id, blocker_id, blocked_id),
            )
            return cursor.rowcount == 1

    async def is_blocked(self, guild_id: int, blocker_id: int, blocked_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM member_blocks WHERE guild_id = ? AND blocker_id = ? AND blocked_id = ?",
            (guild_id, blocker_id, blocked_id),
        )
        return row is not None

    async def require_not_blocked(self, guild_id: int, target_id: int, actor_id: int) -> None:
        if await self.is_blocked(guild_id, target_id, actor_id):
            raise NotAllowed(CANNOT_REACH)

    # -- cooldowns -----------------------------------------------------------------------------------------
    async def take(self, guild_id: int, user_id: int, action: str, now: datetime) -> None:
        """Use the member's turn for ``action``, or refuse (changing nothing) while the cooldown runs."""
        cooldown = COOLDOWNS[action]
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT window_start, uses FROM member_cooldowns WHERE guild_id = ? AND user_id = ? AND action = ?",
                (guild_id, user_id, action),
            )
            row = await cursor.fetchone()
            after = next_window(
                from_epoch(row[0]) if row is not None else None, int(row[1]) if row is not None else 0, now, cooldown
            )
            if isinstance(after, timedelta):
                raise NotAllowed(
                    "You can {action} at most {uses} times in {period}. You can do it again {when}.",
                    action=cooldown.what,
                    uses=cooldown.uses,
                    period=_period(cooldown.per),
                    when=timestamp(now + after, "R"),
                )
            await conn.execute(
                "INSERT INTO member_cooldowns (guild_id, user_id, action, window_start, uses) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (guild_id, user_id, action) DO UPDATE SET window_start = excluded.window_start, "
                "uses = excluded.uses",
                (guild_id, user_id, action, to_epoch(after[0]), after[1]),
            )
