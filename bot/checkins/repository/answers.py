"""The ``checkin_answers`` table: members' answers, written only while their run is open, and read back as
history, exports and who the regulars are."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.checkins.models import MAX_ANSWER_CHARS, Answer, AnswerSource, HistoryEntry
from bot.checkins.repository.mapping import answer_from_row, prefixed, run_from_row, texts, to_json
from bot.db.codec import to_epoch
from bot.db.connection import Connection
from bot.db.database import Database

_ANSWER_COLUMNS = ("run_id", "user_id", "status", "source", "answers", "mood", "answered_at", "updated_at")


class AnswerRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

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

    async def regulars(self, checkin_id: int, before: datetime, runs: int = 5) -> set[int]:
        """Members who answered any of the last few closed runs before ``before``."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT a.user_id FROM checkin_answers a WHERE a.status = 'answered' AND a.run_id IN "
            "(SELECT id FROM checkin_runs WHERE checkin_id = ? AND status = 'closed' AND scheduled_at < ? "
            "ORDER BY scheduled_at DESC LIMIT ?)",
            (checkin_id, to_epoch(before), runs),
        )
        return {r["user_id"] for r in rows}

    # -- writes, each refused once the run is closed ---------------------------------------------------
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
            cursor = await conn.execute(
                "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, "
                "updated_at) SELECT ?, ?, 'answered', ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM checkin_runs "
                "WHERE id = ? AND status = 'open' AND closes_at > ?) ON CONFLICT (run_id, user_id) DO UPDATE SET "
                "status = 'answered', source = excluded.source, answers = excluded.answers, mood = excluded.mood, "
                "updated_at = excluded.updated_at RETURNING *",
                (run_id, user_id, source, to_json(answers), mood, to_epoch(now), to_epoch(now), run_id,
                 to_epoch(now)),
            )
            row = await cursor.fetchone()
            await cursor.close()
        return None if row is None else answer_from_row(row)

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
            await cursor.close()
            if row is not None and row["status"] == "answered" and row["source"] == "modal":
                return False
            if row is not None and row["status"] == "answered" and row["source"] == "thread":
                previous = texts(row["answers"])
                combined = "\n\n".join([*previous, text]) if previous else text
                # Many replies merge into one answer, kept to the same cap as a form answer.
                combined = combined[:MAX_ANSWER_CHARS]
                await conn.execute(
                    "UPDATE checkin_answers SET answers = ?, updated_at = ? WHERE run_id = ? AND user_id = ?",
                    (to_json([combined]), to_epoch(now), run_id, user_id),
                )
                return True
            await conn.execute(
                "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, updated_at) "
                "VALUES (?, ?, 'answered', 'thread', ?, NULL, ?, ?) ON CONFLICT (run_id, user_id) DO UPDATE SET "
                "status = 'answered', source = 'thread', answers = excluded.answers, mood = NULL, "
                "answered_at = excluded.answered_at, updated_at = excluded.updated_at",
                (run_id, user_id, to_json([text]), to_epoch(now), to_epoch(now)),
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

    # -- reading back ------------------------------------------------------------------------------------
    async def history(self, checkin_id: int, user_id: int | None = None, limit: int = 200) -> list[HistoryEntry]:
        # Closed runs only: answers are shared when the check-in closes, as its prompt promises.
        where = "r.checkin_id = ? AND a.status = 'answered' AND r.status = 'closed'"
        params: list[object] = [checkin_id]
        if user_id is not None:
            where += " AND a.user_id = ?"
            params.append(user_id)
        answer_columns = ", ".join(f"a.{c} AS a_{c}" for c in _ANSWER_COLUMNS)
        rows = await self.db.fetchall(
            f"SELECT r.*, {answer_columns} FROM checkin_answers a JOIN checkin_runs r ON r.id = a.run_id "
            f"WHERE {where} ORDER BY r.scheduled_at DESC, a.answered_at LIMIT ?",
            (*params, limit),
        )
        return [HistoryEntry(run_from_row(row), answer_from_row(prefixed(row, "a_"))) for row in rows]

    async def export_rows(self, checkin_id: int) -> list[HistoryEntry]:
        return list(reversed(await self.history(checkin_id, None, limit=1_000_000)))
