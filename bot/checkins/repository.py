"""SQL for check-ins, runs, answers and reminders: ``?`` placeholders only, dataclasses out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.checkins.models import (
    MAX_ANSWER_CHARS,
    Answer,
    AnswerSource,
    CheckIn,
    HistoryEntry,
    Reminder,
    ReminderStatus,
    Run,
    RunCounts,
    RunKind,
    RunStatus,
)
from bot.db.codec import from_epoch, from_epoch_or_none, to_epoch, to_epoch_or_none
from bot.db.connection import Connection
from bot.db.database import Database
from bot.scheduling.shards import EVERY_SHARD, ShardScope

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


def _runs_of(scope: ShardScope) -> str:
    """A WHERE addition keeping the runs of ``scope``'s servers (nothing when it owns every server)."""
    if scope.everything:
        return ""
    return f" AND checkin_id IN (SELECT id FROM checkins WHERE {scope.sql('guild_id')})"


def _questions(text: str) -> tuple[str, ...]:
    return tuple(str(q) for q in json.loads(text))


def checkin_from_row(row: Any) -> CheckIn:
    remind = row["remind_before_seconds"]
    return CheckIn(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        name=row["name"],
        schedule=row["schedule"],
        timezone=row["timezone"],
        template=row["template"],
        questions=_questions(row["questions"]),
        participants_role_id=row["participants_role_id"],
        window=timedelta(seconds=row["window_seconds"]),
        remind_before=None if remind is None else timedelta(seconds=remind),
        mood=bool(row["mood"]),
        anonymous_mood=bool(row["anonymous_mood"]),
        created_by=row["created_by"],
        created_at=from_epoch(row["created_at"]),
        updated_at=from_epoch(row["updated_at"]),
        next_run_at=from_epoch_or_none(row["next_run_at"]),
        paused_at=from_epoch_or_none(row["paused_at"]),
        pause_reason=row["pause_reason"],
        creator_told_at=from_epoch_or_none(row["creator_told_at"]),
        deleted_at=from_epoch_or_none(row["deleted_at"]),
    )


def run_from_row(row: Any) -> Run:
    return Run(
        id=row["id"],
        checkin_id=row["checkin_id"],
        scheduled_at=from_epoch(row["scheduled_at"]),
        kind=row["kind"],
        status=row["status"],
        late=bool(row["late"]),
        name=row["name"],
        questions=_questions(row["questions"]),
        mood=bool(row["mood"]),
        anonymous_mood=bool(row["anonymous_mood"]),
        channel_id=row["channel_id"],
        closes_at=from_epoch(row["closes_at"]),
        remind_at=from_epoch_or_none(row["remind_at"]),
        recorded_at=from_epoch(row["recorded_at"]),
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        posted_at=from_epoch_or_none(row["posted_at"]),
        reminders_planned=bool(row["reminders_planned"]),
        closed_at=from_epoch_or_none(row["closed_at"]),
        digest_posted_at=from_epoch_or_none(row["digest_posted_at"]),
        noted_in_run_id=row["noted_in_run_id"],
        failure=row["failure"],
    )


def answer_from_row(row: Any) -> Answer:
    return Answer(
        run_id=row["run_id"],
        user_id=row["user_id"],
        status=row["status"],
        source=row["source"],
        answers=_questions(row["answers"]),
        mood=row["mood"],
        answered_at=from_epoch(row["answered_at"]),
        updated_at=from_epoch(row["updated_at"]),
    )


def reminder_from_row(row: Any) -> Reminder:
    return Reminder(
        run_id=row["run_id"],
        user_id=row["user_id"],
        due_at=from_epoch(row["due_at"]),
        status=row["status"],
        sent_at=from_epoch_or_none(row["sent_at"]),
    )


def _encode(column: str, value: object) -> tuple[str, object]:
    if column == "window":
        assert isinstance(value, timedelta)
        return "window_seconds", int(value.total_seconds())
    if column == "remind_before":
        return "remind_before_seconds", None if value is None else int(value.total_seconds())  # type: ignore[attr-defined]
    if column == "questions":
        return column, json.dumps(list(value))  # type: ignore[call-overload]
    if isinstance(value, datetime):
        return column, to_epoch(value)
    if isinstance(value, bool):
        return column, int(value)
    return column, value


class CheckinRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- check-ins -------------------------------------------------------------------------------------
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
        checkin_id = await self.db.execute(
            "INSERT INTO checkins (guild_id, channel_id, name, schedule, timezone, template, questions, "
            "participants_role_id, window_seconds, remind_before_seconds, mood, anonymous_mood, created_by, "
            "created_at, updated_at, next_run_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                channel_id,
                name,
                schedule,
                timezone,
                template,
                json.dumps(list(questions)),
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
        found = await self.get(checkin_id)
        assert found is not None
        return found

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
            "SELECT * FROM checkins WHERE guild_id = ? AND deleted_at IS NULL ORDER BY lower(name), id",
            (guild_id,),
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
            "(instr(lower(name), ?) > 0 OR CAST(id AS TEXT) = ?) "
            "ORDER BY instr(lower(name), ?) != 1, lower(name) LIMIT ?",
            (guild_id, needle, needle, needle, limit),
        )
        return [(r["id"], r["name"], r["channel_id"]) for r in rows]

    async def active(self, scope: ShardScope = EVERY_SHARD) -> list[CheckIn]:
        """Every check-in that runs on its schedule (not paused, not deleted), of ``scope``'s servers."""
        rows = await self.db.fetchall(
            f"SELECT * FROM checkins WHERE deleted_at IS NULL AND paused_at IS NULL AND {scope.sql('guild_id')}"
        )
        return [checkin_from_row(r) for r in rows]

    async def update(self, checkin_id: int, now: datetime, **changes: object) -> CheckIn:
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"unknown check-in fields: {sorted(unknown)}")
        encoded = [_encode(column, value) for column, value in sorted(changes.items())]
        assignments = ", ".join(f"{column} = ?" for column, _ in encoded)
        await self.db.execute(
            f"UPDATE checkins SET {assignments}, updated_at = ? WHERE id = ?",
            (*[value for _, value in encoded], to_epoch(now), checkin_id),
        )
        found = await self.get(checkin_id)
        assert found is not None
        return found

    async def set_next_run(self, conn: Connection, checkin_id: int, at: datetime | None) -> None:
        await conn.execute("UPDATE checkins SET next_run_at = ? WHERE id = ?", (to_epoch_or_none(at), checkin_id))

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
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE checkins SET deleted_at = ?, next_run_at = NULL, updated_at = ? WHERE id = ?",
                (to_epoch(now), to_epoch(now), checkin_id),
            )
            await conn.execute(
                "UPDATE checkin_runs SET status = 'cancelled', closed_at = ? "
                "WHERE checkin_id = ? AND status IN ('posting', 'open')",
                (to_epoch(now), checkin_id),
            )
            await conn.execute(
                "UPDATE checkin_reminders SET status = 'dropped' WHERE status = 'pending' AND run_id IN "
                "(SELECT id FROM checkin_runs WHERE checkin_id = ?)",
                (checkin_id,),
            )

    # -- runs ------------------------------------------------------------------------------------------
    async def insert_run(
        self,
        conn: Connection,
        checkin: CheckIn,
        *,
        scheduled_at: datetime,
        kind: RunKind,
        status: RunStatus,
        late: bool,
        closes_at: datetime,
        remind_at: datetime | None,
        now: datetime,
    ) -> int | None:
        """Record a run inside ``conn``'s transaction; None when that (check-in, instant) already exists."""
        cursor = await conn.execute(
            "INSERT INTO checkin_runs (checkin_id, scheduled_at, kind, status, late, name, questions, mood, "
            "anonymous_mood, channel_id, closes_at, remind_at, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (checkin_id, scheduled_at) DO NOTHING",
            (
                checkin.id,
                to_epoch(scheduled_at),
                kind,
                status,
                int(late),
                checkin.name,
                json.dumps(list(checkin.questions)),
                int(checkin.mood),
                int(checkin.anonymous_mood),
                checkin.channel_id,
                to_epoch(closes_at),
                to_epoch_or_none(remind_at),
                to_epoch(now),
            ),
        )
        return cursor.lastrowid if cursor.rowcount > 0 else None

    async def get_run(self, run_id: int) -> Run | None:
        row = await self.db.fetchone("SELECT * FROM checkin_runs WHERE id = ?", (run_id,))
        return None if row is None else run_from_row(row)

    async def run_at(self, checkin_id: int, scheduled_at: datetime) -> Run | None:
        row = await self.db.fetchone(
            "SELECT * FROM checkin_runs WHERE checkin_id = ? AND scheduled_at = ?",
            (checkin_id, to_epoch(scheduled_at)),
        )
        return None if row is None else run_from_row(row)

    async def runs_with_status(self, *statuses: RunStatus, scope: ShardScope = EVERY_SHARD) -> list[Run]:
        marks = ", ".join("?" for _ in statuses)
        rows = await self.db.fetchall(
            f"SELECT * FROM checkin_runs WHERE status IN ({marks}){_runs_of(scope)} ORDER BY id", statuses
        )
        return [run_from_row(r) for r in rows]

    async def undigested_runs(self, scope: ShardScope = EVERY_SHARD) -> list[Run]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkin_runs WHERE status = 'closed' AND digest_posted_at IS NULL AND failure IS NULL"
            f"{_runs_of(scope)} ORDER BY id"
        )
        return [run_from_row(r) for r in rows]

    async def run_by_thread(self, thread_id: int) -> Run | None:
        row = await self.db.fetchone("SELECT * FROM checkin_runs WHERE thread_id = ?", (thread_id,))
        return None if row is None else run_from_row(row)

    async def latest_open_run(self, checkin_id: int) -> Run | None:
        row = await self.db.fetchone(
            "SELECT * FROM checkin_runs WHERE checkin_id = ? AND status = 'open' ORDER BY scheduled_at DESC LIMIT 1",
            (checkin_id,),
        )
        return None if row is None else run_from_row(row)

    async def open_runs_in_guild(self, guild_id: int) -> list[Run]:
        rows = await self.db.fetchall(
            "SELECT r.* FROM checkin_runs r JOIN checkins c ON c.id = r.checkin_id "
            "WHERE c.guild_id = ? AND c.deleted_at IS NULL AND r.status = 'open' ORDER BY r.scheduled_at DESC",
            (guild_id,),
        )
        return [run_from_row(r) for r in rows]

    async def recent_runs(self, checkin_id: int, limit: int = 5) -> list[RunCounts]:
        rows = await self.db.fetchall(
            "SELECT r.*, "
            "(SELECT count(*) FROM checkin_answers a WHERE a.run_id = r.id AND a.status = 'answered') AS n_answered, "
            "(SELECT count(*) FROM checkin_answers a WHERE a.run_id = r.id AND a.status = 'skipped') AS n_skipped "
            "FROM checkin_runs r WHERE r.checkin_id = ? ORDER BY r.scheduled_at DESC LIMIT ?",
            (checkin_id, limit),
        )
        return [RunCounts(run_from_row(r), r["n_answered"], r["n_skipped"]) for r in rows]

    async def mark_posted(self, run_id: int, message_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE checkin_runs SET message_id = ?, posted_at = ?, "
            "status = CASE WHEN status = 'posting' THEN 'open' ELSE status END WHERE id = ?",
            (message_id, to_epoch(now), run_id),
        )

    async def set_thread(self, run_id: int, thread_id: int) -> None:
        await self.db.execute("UPDATE checkin_runs SET thread_id = ? WHERE id = ?", (thread_id, run_id))

    async def fail_run(self, run_id: int, reason: str, now: datetime, status: RunStatus = "failed") -> None:
        await self.db.execute(
            "UPDATE checkin_runs SET status = ?, failure = ?, closed_at = ? "
            "WHERE id = ? AND status IN ('posting', 'open')",
            (status, reason, to_epoch(now), run_id),
        )

    async def claim_close(self, run_id: int, now: datetime) -> bool:
        """Move an open run to closed; True only for the caller that did it."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_runs SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
                (to_epoch(now), run_id),
            )
            if cursor.rowcount == 0:
                return False
            await conn.execute(
                "UPDATE checkin_reminders SET status = 'dropped' WHERE run_id = ? AND status = 'pending'", (run_id,)
            )
            return True

    async def mark_digest_posted(self, run_id: int, now: datetime, noted_missed: Iterable[int]) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE checkin_runs SET digest_posted_at = ? WHERE id = ?", (to_epoch(now), run_id)
            )
            await conn.executemany(
                "UPDATE checkin_runs SET noted_in_run_id = ? WHERE id = ? AND noted_in_run_id IS NULL",
                [(run_id, missed) for missed in noted_missed],
            )

    async def mark_digest_failed(self, run_id: int, reason: str) -> bool:
        """The digest could not be shared: recorded as such (never as posted); True only the first time."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_runs SET failure = ? WHERE id = ? AND status = 'closed' AND digest_posted_at IS NULL "
                "AND failure IS NULL",
                (f"the digest was not shared: {reason}", run_id),
            )
            return cursor.rowcount == 1

    async def unnoted_missed(self, checkin_id: int, before: datetime) -> list[Run]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkin_runs WHERE checkin_id = ? AND status = 'missed' AND noted_in_run_id IS NULL "
            "AND scheduled_at < ? ORDER BY scheduled_at",
            (checkin_id, to_epoch(before)),
        )
        return [run_from_row(r) for r in rows]

    async def regulars(self, checkin_id: int, before: datetime, runs: int = 5) -> set[int]:
        """Members who answered any of the last few closed runs before ``before``."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT a.user_id FROM checkin_answers a WHERE a.status = 'answered' AND a.run_id IN "
            "(SELECT id FROM checkin_runs WHERE checkin_id = ? AND status = 'closed' AND scheduled_at < ? "
            "ORDER BY scheduled_at DESC LIMIT ?)",
            (checkin_id, to_epoch(before), runs),
        )
        return {r["user_id"] for r in rows}

    async def set_reminders_planned(self, conn: Connection, run_id: int) -> bool:
        cursor = await conn.execute(
            "UPDATE checkin_runs SET reminders_planned = 1 WHERE id = ? AND reminders_planned = 0 AND status = 'open'",
            (run_id,),
        )
        return cursor.rowcount > 0

    # -- answers ---------------------------------------------------------------------------------------
    async def answers_for_run(self, run_id: int) -> list[Answer]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkin_answers WHERE run_id = ? ORDER BY answered_at, user_id", (run_id,)
        )
        return [answer_from_row(r) for r in rows]

    async def get_answer(self, run_id: int, user_id: int) -> Answer | None:
        row = await self.db.fetchone(
            "SELECT * FROM checkin_answers WHERE run_id = ? AND user_id = ?", (run_id, user_id)
        )
        return None if row is None else answer_from_row(row)

    @staticmethod
    async def _takes_answers(conn: Connection, run_id: int, now: datetime) -> bool:
        """Checked inside the answer's transaction, so an answer never lands after the run was closed."""
        cursor = await conn.execute(
            "SELECT 1 FROM checkin_runs WHERE id = ? AND status = 'open' AND closes_at > ?", (run_id, to_epoch(now))
        )
        found = await cursor.fetchone()
        await cursor.close()
        return found is not None

    async def save_answer(
        self,
        run_id: int,
        user_id: int,
        *,
        answers: Sequence[str],
        mood: int | None,
        source: AnswerSource,
        now: datetime,
    ) -> Answer | None:
        """Store (or replace) a member's answer, committed before this returns; None if the run is closed.

        One statement checks that the run is still open and writes the answer, so an answer never lands after
        the close, and the write lock is held for as short a time as possible (answers come in bursts).
        """
        async with self.db.transaction() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, "
                    "updated_at) SELECT ?, ?, 'answered', ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM checkin_runs "
                    "WHERE id = ? AND status = 'open' AND closes_at > ?) ON CONFLICT (run_id, user_id) DO UPDATE SET "
                    "status = 'answered', source = excluded.source, answers = excluded.answers, mood = excluded.mood, "
                    "updated_at = excluded.updated_at RETURNING *",
                    (run_id, user_id, source, json.dumps(list(answers)), mood, to_epoch(now), to_epoch(now), run_id,
                     to_epoch(now)),
                )
            )
        return answer_from_row(rows[0]) if rows else None

    async def add_thread_reply(self, run_id: int, user_id: int, text: str, now: datetime) -> bool:
        """Count a thread message as an answer unless the member answered with the form; True if stored."""
        async with self.db.transaction() as conn:
            if not await self._takes_answers(conn, run_id, now):
                return False
            cursor = await conn.execute(
                "SELECT status, source, answers FROM checkin_answers WHERE run_id = ? AND user_id = ?",
                (run_id, user_id),
            )
            row = await cursor.fetchone()
            if row is not None and row["status"] == "answered" and row["source"] == "modal":
                return False
            if row is not None and row["status"] == "answered" and row["source"] == "thread":
                previous = _questions(row["answers"])
                combined = "\n\n".join([*previous, text]) if previous else text
                # Many replies merge into one answer, kept to the same cap as a form answer.
                combined = combined[:MAX_ANSWER_CHARS]
                await conn.execute(
                    "UPDATE checkin_answers SET answers = ?, updated_at = ? WHERE run_id = ? AND user_id = ?",
                    (json.dumps([combined]), to_epoch(now), run_id, user_id),
                )
                return True
            await conn.execute(
                "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, updated_at) "
                "VALUES (?, ?, 'answered', 'thread', ?, NULL, ?, ?) ON CONFLICT (run_id, user_id) DO UPDATE SET "
                "status = 'answered', source = 'thread', answers = excluded.answers, mood = NULL, "
                "answered_at = excluded.answered_at, updated_at = excluded.updated_at",
                (run_id, user_id, json.dumps([text]), to_epoch(now), to_epoch(now)),
            )
            return True

    async def skip(self, run_id: int, user_id: int, now: datetime) -> Answer | None:
        """Record "skip this time" unless the member already answered; what is stored (None: run closed)."""
        async with self.db.transaction() as conn:
            if not await self._takes_answers(conn, run_id, now):
                return None
            await conn.execute(
                "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, updated_at) "
                "VALUES (?, ?, 'skipped', 'button', '[]', NULL, ?, ?) ON CONFLICT (run_id, user_id) DO NOTHING",
                (run_id, user_id, to_epoch(now), to_epoch(now)),
            )
        found = await self.get_answer(run_id, user_id)
        assert found is not None
        return found

    async def history(
        self, checkin_id: int, user_id: int | None = None, limit: int = 200
    ) -> list[HistoryEntry]:
        # Closed runs only: answers are shared when the check-in closes, as its prompt promises.
        where = "r.checkin_id = ? AND a.status = 'answered' AND r.status = 'closed'"
        params: list[object] = [checkin_id]
        if user_id is not None:
            where += " AND a.user_id = ?"
            params.append(user_id)
        rows = await self.db.fetchall(
            "SELECT r.*, a.run_id AS a_run_id, a.user_id AS a_user_id, a.status AS a_status, a.source AS a_source, "
            "a.answers AS a_answers, a.mood AS a_mood, a.answered_at AS a_answered_at, a.updated_at AS a_updated_at "
            f"FROM checkin_answers a JOIN checkin_runs r ON r.id = a.run_id WHERE {where} "
            "ORDER BY r.scheduled_at DESC, a.answered_at LIMIT ?",
            (*params, limit),
        )
        entries = []
        for row in rows:
            answer = Answer(
                run_id=row["a_run_id"],
                user_id=row["a_user_id"],
                status=row["a_status"],
                source=row["a_source"],
                answers=_questions(row["a_answers"]),
                mood=row["a_mood"],
                answered_at=from_epoch(row["a_answered_at"]),
                updated_at=from_epoch(row["a_updated_at"]),
            )
            entries.append(HistoryEntry(run_from_row(row), answer))
        return entries

    # -- reminders -------------------------------------------------------------------------------------
    async def add_reminders(
        self, conn: Connection, run_id: int, planned: Iterable[tuple[int, datetime, ReminderStatus]]
    ) -> None:
        await conn.executemany(
            "INSERT INTO checkin_reminders (run_id, user_id, due_at, status) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (run_id, user_id) DO NOTHING",
            [(run_id, user_id, to_epoch(due), status) for user_id, due, status in planned],
        )

    async def pending_reminders(self, scope: ShardScope = EVERY_SHARD) -> list[Reminder]:
        owned = "" if scope.everything else (
            " AND run_id IN (SELECT r.id FROM checkin_runs r JOIN checkins c ON c.id = r.checkin_id"
            f" WHERE {scope.sql('c.guild_id')})"
        )
        rows = await self.db.fetchall(f"SELECT * FROM checkin_reminders WHERE status = 'pending'{owned}")
        return [reminder_from_row(r) for r in rows]

    async def reminders_for_run(self, run_id: int) -> list[Reminder]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkin_reminders WHERE run_id = ? ORDER BY user_id", (run_id,)
        )
        return [reminder_from_row(r) for r in rows]

    async def claim_reminder(self, run_id: int, user_id: int, now: datetime) -> bool:
        """Take a pending reminder so it is sent at most once; the status is set by :meth:`finish_reminder`."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_reminders SET status = 'failed', sent_at = ? "
                "WHERE run_id = ? AND user_id = ? AND status = 'pending'",
                (to_epoch(now), run_id, user_id),
            )
            return cursor.rowcount > 0

    async def finish_reminder(self, run_id: int, user_id: int, status: ReminderStatus, now: datetime) -> None:
        await self.db.execute(
            "UPDATE checkin_reminders SET status = ?, sent_at = ? WHERE run_id = ? AND user_id = ?",
            (status, to_epoch(now), run_id, user_id),
        )

    # -- export ----------------------------------------------------------------------------------------
    async def export_rows(self, checkin_id: int) -> list[HistoryEntry]:
        return list(reversed(await self.history(checkin_id, None, limit=1_000_000)))
