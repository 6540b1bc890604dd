"""Rows for the tables the digest reads, written with SQL directly (unit, end-to-end and benchmark use).

The columns follow migrations 0002 (check-ins), 0003 (commitments), 0005 (clarify, repair) and 0006 (wins).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.db.codec import to_epoch
from bot.db.database import Database


async def add_checkin(
    db: Database, guild_id: int, *, channel_id: int = 500, name: str = "Stand-up", mood: bool = True,
    anonymous: bool = False, at: datetime,
) -> int:
    return await db.execute(
        "INSERT INTO checkins (guild_id, channel_id, name, schedule, timezone, template, questions, window_seconds, "
        "mood, anonymous_mood, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, 'daily 09:00', 'UTC', 'standup', '[\"How is it going?\"]', 28800, ?, ?, 1, ?, ?)",
        (guild_id, channel_id, name, int(mood), int(anonymous), to_epoch(at), to_epoch(at)),
    )


async def add_run(
    db: Database, checkin_id: int, scheduled_at: datetime, *, status: str = "closed", mood: bool = True,
    anonymous: bool = False, channel_id: int = 500,
) -> int:
    return await db.execute(
        "INSERT INTO checkin_runs (checkin_id, scheduled_at, kind, status, name, questions, mood, anonymous_mood, "
        "channel_id, closes_at, recorded_at) VALUES (?, ?, 'scheduled', ?, 'Stand-up', '[]', ?, ?, ?, ?, ?)",
        (
            checkin_id, to_epoch(scheduled_at), status, int(mood), int(anonymous), channel_id,
            to_epoch(scheduled_at + timedelta(hours=8)), to_epoch(scheduled_at),
        ),
    )


async def add_answers(
    db: Database, run_id: int, moods: Sequence[int | None], *, at: datetime, first_user: int = 1,
    status: str = "answered",
) -> None:
    await db.executemany(
        "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, updated_at) "
        "VALUES (?, ?, ?, 'modal', '[]', ?, ?, ?)",
        [
            (run_id, first_user + index, status, mood, to_epoch(at), to_epoch(at))
            for index, mood in enumerate(moods)
        ],
    )


async def add_reminders(db: Database, run_id: int, user_ids: Sequence[int], *, at: datetime,
                        status: str = "dm") -> None:
    await db.executemany(
        "INSERT INTO checkin_reminders (run_id, user_id, due_at, status) VALUES (?, ?, ?, ?)",
        [(run_id, user_id, to_epoch(at), status) for user_id in user_ids],
    )


async def add_commitment(
    db: Database, guild_id: int, number: int, *, owner_id: int = 1, status: str = "open", text: str = "Write it up",
    opened_at: datetime, closed_at: datetime | None = None, due_at: datetime | None = None,
) -> int:
    await db.execute(
        "INSERT INTO commitment_counters (guild_id, last_number) VALUES (?, ?) "
        "ON CONFLICT (guild_id) DO UPDATE SET last_number = CASE WHEN excluded.last_number > "
        "commitment_counters.last_number THEN excluded.last_number ELSE commitment_counters.last_number END",
        (guild_id, number),
    )
    return await db.execute(
        "INSERT INTO commitments (guild_id, number, owner_id, creator_id, text, status, due_at, source_kind, "
        "created_at, opened_at, closed_at, round_started_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?, ?, ?, ?)",
        (
            guild_id, number, owner_id, owner_id, text, status, None if due_at is None else to_epoch(due_at),
            to_epoch(opened_at), to_epoch(opened_at), None if closed_at is None else to_epoch(closed_at),
            to_epoch(opened_at), to_epoch(opened_at),
        ),
    )


async def add_event(db: Database, commitment_id: int, guild_id: int, kind: str, at: datetime) -> None:
    await db.execute(
        "INSERT INTO commitment_events (commitment_id, guild_id, at, kind) VALUES (?, ?, ?, ?)",
        (commitment_id, guild_id, to_epoch(at), kind),
    )


async def add_win(db: Database, guild_id: int, at: datetime, *, member_id: int | None = 2, author_id: int = 1,
                  text: str = "Shipped it", channel_id: int = 500) -> int:
    return await db.execute(
        "INSERT INTO wins (guild_id, channel_id, author_id, member_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (guild_id, channel_id, author_id, member_id, text, to_epoch(at)),
    )


async def add_clarification(db: Database, guild_id: int, *, created_at: datetime, closed_at: datetime | None,
                            message_id: int = 900) -> None:
    await db.execute(
        "INSERT INTO clarifications (guild_id, channel_id, message_id, author_id, asker_id, state, closed_by, "
        "created_at, closed_at) VALUES (?, 500, ?, 1, 2, ?, ?, ?, ?)",
        (
            guild_id, message_id, "open" if closed_at is None else "clarified",
            None if closed_at is None else "button", to_epoch(created_at),
            None if closed_at is None else to_epoch(closed_at),
        ),
    )


async def add_repair(db: Database, guild_id: int, *, created_at: datetime, followup_done_at: datetime | None,
                     pair: tuple[int, int] = (1, 2)) -> None:
    await db.execute(
        "INSERT INTO repairs (guild_id, channel_id, starter_id, partner_id, person_low, person_high, followup_days, "
        "state, created_at, closed_at, followup_done_at) VALUES (?, 500, ?, ?, ?, ?, 7, 'closed', ?, ?, ?)",
        (
            guild_id, pair[0], pair[1], min(pair), max(pair), to_epoch(created_at), to_epoch(created_at),
            None if followup_done_at is None else to_epoch(followup_done_at),
        ),
    )
