"""The ``checkins`` table: the schedules themselves, and the claims of the ones due to run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.checkins.models import CheckIn
from bot.checkins.repository.mapping import checkin_from_row, to_json
from bot.db.claims import DueTable
from bot.db.codec import to_epoch, to_epoch_or_none
from bot.db.connection import Connection
from bot.db.database import Database
from bot.scheduling.shards import ShardScope

#: A check-in is due to run at ``next_run_at`` (already NULL while paused or deleted).
SCHEDULE_DUE = DueTable("checkins", due="next_run_at")

# Columns that /checkin edit may change (names come from this list, never from user input).
EDITABLE = frozenset(
    {
        "name",
        "channel_id",
        "schedule",
        "timezone",
        "template",
        "questions",
        "participants_role_id",
        "window",
        "remind_before",
        "mood",
        "anonymous_mood",
        "next_run_at",
        "paused_at",
        "pause_reason",
        "creator_told_at",
    }
)


def _encode(column: str, value: object) -> tuple[str, object]:
    if column == "window":
        assert isinstance(value, timedelta)
        return "window_seconds", int(value.total_seconds())
    if column == "remind_before":
        assert value is None or isinstance(value, timedelta)
        return "remind_before_seconds", None if value is None else int(value.total_seconds())
    if column == "questions":
        assert isinstance(value, tuple | list)
        return column, to_json(value)
    if isinstance(value, datetime):
        return column, to_epoch(value)
    if isinstance(value, bool):
        return column, int(value)
    return column, value


def _like(text: str) -> str:
    """``text`` for a LIKE pattern, its wildcards escaped (with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class CheckinRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        guild_id: int,
        channel_id: int,
        name: str,
        schedule: str,
        timezone: str,
        template: str,
        questions: Sequence[str],
        participants_role_id: int | None,
        window: timedelta,
        remind_before: timedelta | None,
        mood: bool,
        anonymous_mood: bool,
        created_by: int,
        now: datetime,
        next_run_at: datetime | None,
    ) -> CheckIn:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO checkins (guild_id, channel_id, name, schedule, timezone, template, questions, "
                "participants_role_id, window_seconds, remind_before_seconds, mood, anonymous_mood, created_by, "
                "created_at, updated_at, next_run_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING *",
                (
                    guild_id,
                    channel_id,
                    name,
                    schedule,
                    timezone,
                    template,
                    to_json(questions),
                    participants_role_id,
                    int(window.total_seconds()),
                    None if remind_before is None else int(remind_before.total_seconds()),
                    int(mood),
                    int(anonymous_mood),
                    created_by,
                    to_epoch(now),
                    to_epoch(now),
                    to_epoch_or_none(next_run_at),
                ),
            )
            row = await cursor.fetchone()
            await cursor.close()
        assert row is not None
        return checkin_from_row(row)

    async def get(self, checkin_id: int) -> CheckIn | None:
        row = await self.db.fetchone("SELECT * FROM checkins WHERE id = ?", (checkin_id,))
        return None if row is None else checkin_from_row(row)

    async def get_live(self, guild_id: int, checkin_id: int) -> CheckIn | None:
        """A check-in of this server that was not deleted (another server's id finds nothing)."""
        row = await self.db.fetchone(
            "SELECT * FROM checkins WHERE id = ? AND guild_id = ? AND deleted_at IS NULL", (checkin_id, guild_id)
        )
        return None if row is None else checkin_from_row(row)

    async def by_name(self, guild_id: int, name: str) -> CheckIn | None:
        row = await self.db.fetchone(
            "SELECT * FROM checkins WHERE guild_id = ? AND lower(name) = lower(?) AND deleted_at IS NULL",
            (guild_id, name),
        )
        return None if row is None else checkin_from_row(row)

    async def list_guild(self, guild_id: int) -> list[CheckIn]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkins WHERE guild_id = ? AND deleted_at IS NULL ORDER BY lower(name), id", (guild_id,)
        )
        return [checkin_from_row(r) for r in rows]

    async def count_guild(self, guild_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM checkins WHERE guild_id = ? AND deleted_at IS NULL", (guild_id,)
            )
        )

    async def search(self, guild_id: int, text: str, limit: int = 100) -> list[tuple[int, str, int]]:
        """(id, name, channel id) of this server's check-ins whose name contains ``text``, prefix matches first."""
        needle = text.strip().lower()
        rows = await self.db.fetchall(
            "SELECT id, name, channel_id FROM checkins WHERE guild_id = ? AND deleted_at IS NULL AND "
            "(lower(name) LIKE ? ESCAPE '\\' OR CAST(id AS TEXT) = ?) "
            "ORDER BY CASE WHEN lower(name) LIKE ? ESCAPE '\\' THEN 0 ELSE 1 END, lower(name), id LIMIT ?",
            (guild_id, f"%{_like(needle)}%", needle, f"{_like(needle)}%", limit),
        )
        return [(r["id"], r["name"], r["channel_id"]) for r in rows]

    async def unscheduled(self) -> list[CheckIn]:
        """Check-ins that should run but have no next instant (stored before one was always kept)."""
        rows = await self.db.fetchall(
            "SELECT * FROM checkins WHERE deleted_at IS NULL AND paused_at IS NULL AND next_run_at IS NULL"
        )
        return [checkin_from_row(r) for r in rows]

    async def update(self, checkin_id: int, now: datetime, **changes: object) -> CheckIn:
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"unknown check-in fields: {sorted(unknown)}")
        encoded = [_encode(column, value) for column, value in sorted(changes.items())]
        assignments = ", ".join(f"{column} = ?" for column, _ in encoded)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE checkins SET {assignments}, updated_at = ? WHERE id = ? RETURNING *",
                (*[value for _, value in encoded], to_epoch(now), checkin_id),
            )
            row = await cursor.fetchone()
            await cursor.close()
        assert row is not None
        return checkin_from_row(row)

    async def pause_automatically(self, checkin_id: int, reason: str, now: datetime) -> bool:
        """Pause after a posting failure; True only the first time (so the creator is told once)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkins SET paused_at = ?, pause_reason = ?, next_run_at = NULL, updated_at = ? "
                "WHERE id = ? AND paused_at IS NULL AND deleted_at IS NULL",
                (to_epoch(now), reason, to_epoch(now), checkin_id),
            )
            return cursor.rowcount > 0

    async def claim_creator_notice(self, checkin_id: int, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkins SET creator_told_at = ? WHERE id = ? AND creator_told_at IS NULL",
                (to_epoch(now), checkin_id),
            )
            return cursor.rowcount > 0

    async def soft_delete(self, checkin_id: int, now: datetime) -> None:
        """Delete a check-in: it stops running, its open runs are cancelled and their reminders dropped."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE checkins SET deleted_at = ?, next_run_at = NULL, updated_at = ? WHERE id = ?",
                (to_epoch(now), to_epoch(now), checkin_id),
            )
            await conn.execute(
                "UPDATE checkin_runs SET status = 'cancelled', closed_at = ?, due_at = NULL "
                "WHERE checkin_id = ? AND status IN ('posting', 'open')",
                (to_epoch(now), checkin_id),
            )
            await conn.execute(
                "UPDATE checkin_reminders SET status = 'dropped' WHERE status = 'pending' AND run_id IN "
                "(SELECT id FROM checkin_runs WHERE checkin_id = ?)",
                (checkin_id,),
            )

    # -- due to run: the schedule's claims --------------------------------------------------------------
    async def claim_holders(self) -> list[str]:
        """Who holds claims on due rows (a dead holder's claims may be taken over: bot.scheduling.owners)."""
        return await SCHEDULE_DUE.holders(self.db)

    async def drop_claims_of(self, owner: str) -> None:
        await SCHEDULE_DUE.drop_claims_of(self.db, owner)

    async def next_due(self, scope: ShardScope) -> datetime | None:
        """The earliest next run of a check-in of ours (or the end of a claim on one); None if none runs."""
        return await SCHEDULE_DUE.next_due(self.db, scope)

    async def claim_due(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[CheckIn]:
        rows = await SCHEDULE_DUE.claim(self.db, now, owner, until, limit, scope)
        return [checkin_from_row(r) for r in rows]  # in due order

    async def move_on(
        self, conn: Connection, checkin_id: int, owner: str, handled: datetime, following: datetime
    ) -> bool:
        """Point a claimed check-in at its following run and clear the claim, if it still waits for ``handled``
        under our claim (False: it was paused, deleted, edited or taken over meanwhile)."""
        cursor = await conn.execute(
            "UPDATE checkins SET next_run_at = ?, claimed_by = NULL, claimed_until = NULL "
            "WHERE id = ? AND next_run_at = ? AND claimed_by = ?",
            (to_epoch(following), checkin_id, to_epoch(handled), owner),
        )
        return cursor.rowcount > 0

    async def release(self, checkin_id: int, owner: str) -> None:
        """Clear our claim without moving the check-in on."""
        await self.db.execute(
            "UPDATE checkins SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?",
            (checkin_id, owner),
        )
