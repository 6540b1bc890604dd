"""Repairs in the database: parameterised SQL (``?`` only), dataclasses out, one transaction per unit of work.

Changes that only one of two people may win (posting the views, the summary, the share, the follow-up) are
conditional updates: the caller that changed the row is the one that posts, so nothing is posted twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db.claims import DueTable
from bot.db.codec import from_epoch, to_epoch
from bot.db.connection import IntegrityError
from bot.db.database import Database
from bot.db.rows import from_row
from bot.db.schema import has_columns
from bot.repair.models import (
    ConsentKind,
    FollowupAnswer,
    FollowupReply,
    Ownership,
    Progress,
    Reflection,
    ReflectionAnswer,
    Repair,
    View,
)
from bot.scheduling.shards import ShardScope

_SHARE_PARTS = "repair-share-parts:"

class DuplicateRepair(Exception):
    """A repair between the same two people is already open in this server."""


class AlreadyDone(Exception):
    """The person already did this step (the row exists)."""


#: Closed repairs whose follow-up is due: the dispatcher's work (see :mod:`bot.repair.followup`).
FOLLOWUPS_DUE = DueTable("repairs", due="followup_at", pending="followup_posted_at IS NULL")


def _repair(row: Any) -> Repair:
    return from_row(Repair, row)


def _view(row: Any) -> View:
    return from_row(View, row)


def _reflection(row: Any) -> Reflection:
    return from_row(Reflection, row)


def _ownership(row: Any) -> Ownership:
    return from_row(Ownership, row)


def _followup(row: Any) -> FollowupReply:
    return from_row(FollowupReply, row)


class RepairRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def available(self) -> bool:
        """Whether this database has the repair table (for readers in other features)."""
        return await has_columns(self.db, "repairs", "guild_id", "followup_done_at")

    # -- settings ----------------------------------------------------------------------------------------
    async def managers_can_view(self, guild_id: int) -> bool:
        value = await self.db.fetchval("SELECT managers_can_view FROM repair_settings WHERE guild_id = ?", (guild_id,))
        return bool(value)

    async def set_managers_can_view(self, guild_id: int, allowed: bool, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO repair_settings (guild_id, managers_can_view, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET managers_can_view = excluded.managers_can_view, "
            "updated_at = excluded.updated_at",
            (guild_id, int(allowed), to_epoch(now)),
        )

    # -- repairs -----------------------------------------------------------------------------------------
    async def create(
        self,
        *,
        guild_id: int,
        channel_id: int,
        starter_id: int,
        partner_id: int,
        mediator_id: int | None,
        topic: str | None,
        followup_days: int,
        now: datetime,
    ) -> Repair:
        low, high = sorted((starter_id, partner_id))
        try:
            async with self.db.transaction() as conn:
                cursor = await conn.execute(
                    "INSERT INTO repairs (guild_id, channel_id, starter_id, partner_id, person_low, person_high, "
                    "mediator_id, topic, followup_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (guild_id, channel_id, starter_id, partner_id, low, high, mediator_id, topic, followup_days,
                     to_epoch(now)),
                )
                inserted = await cursor.fetchone()
                repair_id = int(inserted[0]) if inserted is not None else 0
        except IntegrityError as error:
            if error.unique:
                raise DuplicateRepair(str(error)) from error
            raise
        found = await self.get(repair_id)
        assert found is not None
        return found

    async def get(self, repair_id: int) -> Repair | None:
        row = await self.db.fetchone("SELECT * FROM repairs WHERE id = ?", (repair_id,))
        return None if row is None else _repair(row)

    async def by_thread(self, thread_id: int) -> Repair | None:
        row = await self.db.fetchone("SELECT * FROM repairs WHERE thread_id = ?", (thread_id,))
        return None if row is None else _repair(row)

    async def open_between(self, guild_id: int, first: int, second: int) -> Repair | None:
        low, high = sorted((first, second))
        row = await self.db.fetchone(
            "SELECT * FROM repairs WHERE guild_id = ? AND person_low = ? AND person_high = ? "
            "AND state IN ('open', 'closing')",
            (guild_id, low, high),
        )
        return None if row is None else _repair(row)

    async def attach_thread(self, repair_id: int, thread_id: int, control_message_id: int | None) -> None:
        await self.db.execute(
            "UPDATE repairs SET thread_id = ?, control_message_id = ? WHERE id = ?",
            (thread_id, control_message_id, repair_id),
        )

    async def delete_orphans(self) -> int:
        """Repairs whose thread was never attached (a crash between the insert and the thread): they would
        block the pair forever. Called at start-up, when no repair is being opened."""
        before = await self.db.fetchval("SELECT count(*) FROM repairs WHERE thread_id IS NULL")
        await self.db.execute("DELETE FROM repairs WHERE thread_id IS NULL")
        return int(before or 0)

    async def end(self, repair_id: int, user_id: int, now: datetime) -> bool:
        """Either person ends the repair: closed, no summary, no follow-up. False if it was no longer active."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE repairs SET state = 'closed', closed_at = ?, close_requested_by = ?, followup_at = NULL "
                "WHERE id = ? AND state IN ('open', 'closing')",
                (to_epoch(now), user_id, repair_id),
            )
            return cursor.rowcount == 1

    async def delete(self, repair_id: int) -> None:
        await self.db.execute("DELETE FROM repairs WHERE id = ?", (repair_id,))

    async def for_user(self, guild_id: int, user_id: int, limit: int = 100) -> list[Repair]:
        rows = await self.db.fetchall(
            "SELECT * FROM repairs WHERE guild_id = ? AND thread_id IS NOT NULL "
            "AND (starter_id = ? OR partner_id = ? OR mediator_id = ?) ORDER BY id DESC LIMIT ?",
            (guild_id, user_id, user_id, user_id, limit),
        )
        return [_repair(row) for row in rows]

    async def active_for_user(self, guild_id: int, user_id: int) -> list[Repair]:
        rows = await self.db.fetchall(
            "SELECT * FROM repairs WHERE guild_id = ? AND thread_id IS NOT NULL AND state IN ('open', 'closing') "
            "AND (starter_id = ? OR partner_id = ? OR mediator_id = ?) ORDER BY id",
            (guild_id, user_id, user_id, user_id),
        )
        return [_repair(row) for row in rows]

    # -- step 1: views -----------------------------------------------------------------------------------
    async def add_view(self, repair_id: int, user_id: int, happened: str, affected: str, need: str,
                       now: datetime) -> tuple[View, bool]:
        """Store a view; return it and whether both views are now in and this caller claimed posting them."""
        try:
            async with self.db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO repair_views (repair_id, user_id, happened, affected, need, shared_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (repair_id, user_id, happened, affected, need, to_epoch(now)),
                )
                await self._reopen_if_drafted(conn, repair_id)
                cursor = await conn.execute(
                    "UPDATE repairs SET views_posted_at = ? WHERE id = ? AND views_posted_at IS NULL "
                    "AND (SELECT count(*) FROM repair_views WHERE repair_id = ?) >= 2",
                    (to_epoch(now), repair_id, repair_id),
                )
                claimed = cursor.rowcount == 1
        except IntegrityError as error:
            raise AlreadyDone("view") from error
        return View(repair_id, user_id, happened, affected, need, from_epoch(to_epoch(now))), claimed

    async def claim_reveal(self, repair_id: int, now: datetime) -> bool:
        """Both views are in but were not posted (an earlier post failed): claim posting them now."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE repairs SET views_posted_at = ? WHERE id = ? AND views_posted_at IS NULL "
                "AND (SELECT count(*) FROM repair_views WHERE repair_id = ?) >= 2",
                (to_epoch(now), repair_id, repair_id),
            )
            return cursor.rowcount == 1

    async def release_views(self, repair_id: int) -> None:
        """Posting the views failed: let the next attempt post them."""
        await self.db.execute("UPDATE repairs SET views_posted_at = NULL WHERE id = ?", (repair_id,))

    async def views(self, repair_id: int) -> list[View]:
        rows = await self.db.fetchall(
            "SELECT * FROM repair_views WHERE repair_id = ? ORDER BY shared_at, user_id", (repair_id,)
        )
        return [_view(row) for row in rows]

    # -- step 2: reflections -----------------------------------------------------------------------------
    async def add_reflection(self, repair_id: int, author_id: int, subject_id: int, text: str,
                             now: datetime) -> Reflection:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO repair_reflections (repair_id, author_id, subject_id, text, created_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (repair_id, author_id, subject_id, text, to_epoch(now)),
            )
            inserted = await cursor.fetchone()
            reflection_id = int(inserted[0]) if inserted is not None else 0
            await self._reopen_if_drafted(conn, repair_id)
        found = await self.reflection(reflection_id)
        assert found is not None
        return found

    async def set_reflection_message(self, reflection_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE repair_reflections SET message_id = ? WHERE id = ?", (message_id, reflection_id)
        )

    async def reflection(self, reflection_id: int) -> Reflection | None:
        row = await self.db.fetchone("SELECT * FROM repair_reflections WHERE id = ?", (reflection_id,))
        return None if row is None else _reflection(row)

    async def reflections(self, repair_id: int) -> list[Reflection]:
        rows = await self.db.fetchall(
            "SELECT * FROM repair_reflections WHERE repair_id = ? ORDER BY id", (repair_id,)
        )
        return [_reflection(row) for row in rows]

    async def answer_reflection(self, reflection_id: int, answer: ReflectionAnswer, clarification: str | None,
                                now: datetime) -> bool:
        """Record the answer unless one was given already; True if this call recorded it."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE repair_reflections SET answer = ?, clarification = ?, answered_at = ? "
                "WHERE id = ? AND answer IS NULL",
                (answer, clarification, to_epoch(now), reflection_id),
            )
            changed = cursor.rowcount == 1
            if changed:
                row = await (await conn.execute(
                    "SELECT repair_id FROM repair_reflections WHERE id = ?", (reflection_id,)
                )).fetchone()
                if row is not None:
                    await self._reopen_if_drafted(conn, row[0])
        return changed

    # -- step 3: ownership -------------------------------------------------------------------------------
    async def add_ownership(self, repair_id: int, user_id: int, owned: str, will_do: str,
                            now: datetime) -> Ownership:
        try:
            async with self.db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO repair_ownership (repair_id, user_id, owned, will_do, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (repair_id, user_id, owned, will_do, to_epoch(now)),
                )
                await self._reopen_if_drafted(conn, repair_id)
        except IntegrityError as error:
            raise AlreadyDone("ownership") from error
        return Ownership(repair_id, user_id, owned, will_do, None, None, from_epoch(to_epoch(now)))

    async def set_commitment(self, repair_id: int, user_id: int, commitment_id: int, number: int) -> None:
        await self.db.execute(
            "UPDATE repair_ownership SET commitment_id = ?, commitment_number = ? WHERE repair_id = ? AND user_id = ?",
            (commitment_id, number, repair_id, user_id),
        )

    async def ownership(self, repair_id: int) -> list[Ownership]:
        rows = await self.db.fetchall(
            "SELECT * FROM repair_ownership WHERE repair_id = ? ORDER BY created_at, user_id", (repair_id,)
        )
        return [_ownership(row) for row in rows]

    # -- closing -----------------------------------------------------------------------------------------
    @staticmethod
    async def _reopen_if_drafted(conn: Any, repair_id: int) -> None:
        """Something was added after a summary was drafted: that draft no longer covers everything."""
        await conn.execute(
            "UPDATE repairs SET state = 'open', summary_text = NULL, summary_version = summary_version + 1 "
            "WHERE id = ? AND state = 'closing'",
            (repair_id,),
        )

    async def draft(self, repair_id: int, requested_by: int, note: str | None, text: str) -> int | None:
        """Store a new draft (replacing any earlier one); return its version, or None if the repair is closed."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE repairs SET state = 'closing', close_requested_by = ?, close_note = ?, summary_text = ?, "
                "summary_version = summary_version + 1 WHERE id = ? AND state IN ('open', 'closing')",
                (requested_by, note, text, repair_id),
            )
            if cursor.rowcount != 1:
                return None
            cursor = await conn.execute("SELECT summary_version FROM repairs WHERE id = ?", (repair_id,))
            row = await cursor.fetchone()
            return None if row is None else int(row[0])

    async def add_consent(self, repair_id: int, user_id: int, kind: ConsentKind, version: int,
                          now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO repair_consents (repair_id, user_id, kind, version, at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (repair_id, user_id, kind) DO UPDATE SET version = excluded.version, at = excluded.at",
            (repair_id, user_id, kind, version, to_epoch(now)),
        )

    async def consents(self, repair_id: int, kind: ConsentKind, version: int) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM repair_consents WHERE repair_id = ? AND kind = ? AND version = ?",
            (repair_id, kind, version),
        )
        return {row[0] for row in rows}

    async def claim_close(self, repair_id: int, version: int, now: datetime, followup_at: datetime) -> bool:
        """Both approved this draft: mark it closed (once) and plan the follow-up."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE repairs SET state = 'closed', closed_at = ?, followup_at = ? "
                "WHERE id = ? AND state = 'closing' AND summary_version = ?",
                (to_epoch(now), to_epoch(followup_at), repair_id, version),
            )
            return cursor.rowcount == 1

    async def release_close(self, repair_id: int) -> None:
        """Posting the approved summary failed: back to waiting, so another approval press retries."""
        await self.db.execute(
            "UPDATE repairs SET state = 'closing', closed_at = NULL, followup_at = NULL WHERE id = ? "
            "AND state = 'closed' AND summary_message_id IS NULL",
            (repair_id,),
        )

    async def set_summary_message(self, repair_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE repairs SET summary_message_id = ? WHERE id = ?", (message_id, repair_id))

    async def claim_share(self, repair_id: int, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE repairs SET shared_at = ? WHERE id = ? AND state = 'closed' AND shared_at IS NULL",
                (to_epoch(now), repair_id),
            )
            if cursor.rowcount != 1:
                return False
            # Unfinished until its parts are all posted: a crash before then is undone at start-up.
            await conn.execute(
                "INSERT INTO bot_state (key, value) VALUES (?, '') ON CONFLICT (key) DO NOTHING",
                (f"{_SHARE_PARTS}{repair_id}",),
            )
            return True

    async def release_share(self, repair_id: int) -> None:
        await self.db.execute("UPDATE repairs SET shared_at = NULL WHERE id = ?", (repair_id,))

    # The message ids of a share's parts already posted, kept only while a share is unfinished (no member
    # data, so in the bot's own state), so a retry resumes after the last part posted.
    async def shared_parts(self, repair_id: int) -> list[int]:
        value = await self.db.fetchval("SELECT value FROM bot_state WHERE key = ?", (f"{_SHARE_PARTS}{repair_id}",))
        return [int(part) for part in str(value).split(",") if part.isascii() and part.isdigit()] if value else []

    async def record_shared_part(self, repair_id: int, message_ids: list[int]) -> None:
        await self.db.execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"{_SHARE_PARTS}{repair_id}", ",".join(str(m) for m in message_ids)),
        )

    async def forget_shared_parts(self, repair_id: int) -> None:
        await self.db.execute("DELETE FROM bot_state WHERE key = ?", (f"{_SHARE_PARTS}{repair_id}",))

    async def release_unfinished_shares(self) -> int:
        """At start-up: a share cut short (claimed, not finished) is released, so the next press resumes it."""
        rows = await self.db.fetchall("SELECT key FROM bot_state WHERE key LIKE ?", (f"{_SHARE_PARTS}%",))
        suffixes = [str(row[0])[len(_SHARE_PARTS):] for row in rows]
        ids = [int(suffix) for suffix in suffixes if suffix.isascii() and suffix.isdigit()]
        released = 0
        if ids:
            async with self.db.transaction() as conn:
                for repair_id in ids:
                    cursor = await conn.execute("UPDATE repairs SET shared_at = NULL WHERE id = ?", (repair_id,))
                    if cursor.rowcount == 1:
                        released += 1
                    else:  # the repair itself is gone (erased or past retention): nothing left to resume
                        await conn.execute("DELETE FROM bot_state WHERE key = ?", (f"{_SHARE_PARTS}{repair_id}",))
        return released

    # -- follow-up ---------------------------------------------------------------------------------------
    async def next_followup_due(self, scope: ShardScope) -> datetime | None:
        return await FOLLOWUPS_DUE.next_due(self.db, scope)

    async def claim_due_followups(
        self, now: datetime, owner: str, until: datetime, limit: int, scope: ShardScope
    ) -> list[Repair]:
        return [_repair(row) for row in await FOLLOWUPS_DUE.claim(self.db, now, owner, until, limit, scope)]

    async def release_claim(self, repair_id: int, owner: str) -> None:
        await FOLLOWUPS_DUE.release(self.db, repair_id, owner)

    async def claim_followup(self, repair_id: int, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE repairs SET followup_posted_at = ? WHERE id = ? AND followup_posted_at IS NULL "
                "AND followup_at IS NOT NULL",
                (to_epoch(now), repair_id),
            )
            return cursor.rowcount == 1

    async def postpone_followup(self, repair_id: int, at: datetime) -> None:
        await self.db.execute(
            "UPDATE repairs SET followup_posted_at = NULL, followup_at = ? WHERE id = ?", (to_epoch(at), repair_id)
        )

    async def set_followup_message(self, repair_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE repairs SET followup_message_id = ? WHERE id = ?", (message_id, repair_id))

    async def add_followup(self, repair_id: int, user_id: int, answer: FollowupAnswer, note: str | None,
                           now: datetime) -> bool:
        """Store one person's answer; return True when both people have now answered (recorded once)."""
        try:
            async with self.db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO repair_followups (repair_id, user_id, answer, note, at) VALUES (?, ?, ?, ?, ?)",
                    (repair_id, user_id, answer, note, to_epoch(now)),
                )
                cursor = await conn.execute(
                    "UPDATE repairs SET followup_done_at = ? WHERE id = ? AND followup_done_at IS NULL "
                    "AND (SELECT count(*) FROM repair_followups WHERE repair_id = ?) >= 2",
                    (to_epoch(now), repair_id, repair_id),
                )
                return cursor.rowcount == 1
        except IntegrityError as error:
            raise AlreadyDone("followup") from error

    async def followups(self, repair_id: int) -> list[FollowupReply]:
        rows = await self.db.fetchall(
            "SELECT * FROM repair_followups WHERE repair_id = ? ORDER BY at, user_id", (repair_id,)
        )
        return [_followup(row) for row in rows]

    # -- counts and progress -----------------------------------------------------------------------------
    async def progress(self, repair: Repair) -> Progress:
        shared = await self.db.fetchall("SELECT user_id FROM repair_views WHERE repair_id = ?", (repair.id,))
        reflections = await self.db.fetchone(
            "SELECT count(*), count(answer) FROM repair_reflections WHERE repair_id = ?", (repair.id,)
        )
        owned = await self.db.fetchall("SELECT user_id FROM repair_ownership WHERE repair_id = ?", (repair.id,))
        followups = await self.db.fetchall("SELECT user_id FROM repair_followups WHERE repair_id = ?", (repair.id,))
        return Progress(
            shared=frozenset(row[0] for row in shared),
            reflections=int(reflections[0]) if reflections else 0,
            reflections_answered=int(reflections[1]) if reflections else 0,
            owned=frozenset(row[0] for row in owned),
            post_approvals=frozenset(await self.consents(repair.id, "post", repair.summary_version)),
            share_consents=frozenset(await self.consents(repair.id, "share", repair.summary_version)),
            followup_answers=frozenset(row[0] for row in followups),
        )

    async def followups_done(self, guild_id: int, start: datetime, end: datetime) -> int:
        value = await self.db.fetchval(
            "SELECT count(*) FROM repairs WHERE guild_id = ? AND followup_done_at >= ? AND followup_done_at < ?",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        return int(value or 0)

    async def open_count(self, guild_id: int) -> int:
        value = await self.db.fetchval(
            "SELECT count(*) FROM repairs WHERE guild_id = ? AND thread_id IS NOT NULL "
            "AND state IN ('open', 'closing')",
            (guild_id,),
        )
        return int(value or 0)

