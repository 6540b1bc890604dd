"""Rows in every feature for two members of one server, each text marked with its author's tag."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.db.database import Database


@dataclass(frozen=True)
class Seeded:
    guild_id: int
    checkin_id: int
    run_id: int
    repair_id: int
    summary_id: int
    commitment_ids: dict[str, int]


async def seed_pair(
    db: Database, guild_id: int, a: int, b: int, tag_a: str, tag_b: str, *, t: int, base: int = 0
) -> Seeded:
    """``a`` and ``b`` each answer, promise, repair, are summarised, win, give feedback and ask for clarification.

    Every text ``a`` wrote contains ``tag_a``; every text ``b`` wrote contains ``tag_b``.
    """
    people = ((a, tag_a, b), (b, tag_b, a))
    tags = {a: tag_a, b: tag_b}
    async with db.transaction() as c:
        for uid in tags:
            await c.execute(
                "INSERT INTO member_settings (user_id, timezone, quiet_start, quiet_end, updated_at) "
                "VALUES (?, 'Europe/Paris', '22:00', '07:00', ?) ON CONFLICT DO NOTHING",
                (uid, t),
            )
        cur = await c.execute(
            "INSERT INTO checkins (guild_id, channel_id, name, schedule, timezone, template, questions, "
            "window_seconds, created_by, created_at, updated_at) VALUES (?, 9001, ?, 'daily 09:00', 'UTC', 'custom', "
            "?, 3600, ?, ?, ?)",
            (guild_id, f"standup-{tag_a}", json.dumps(["How are you?", "Blockers?"]), a, t, t),
        )
        checkin_id = int(cur.lastrowid or 0)
        cur = await c.execute(
            "INSERT INTO checkin_runs (checkin_id, scheduled_at, kind, status, name, questions, channel_id, "
            "closes_at, recorded_at) VALUES (?, ?, 'scheduled', 'closed', 'standup', ?, 9001, ?, ?)",
            (checkin_id, t, json.dumps(["How are you?", "Blockers?"]), t + 3600, t),
        )
        run_id = int(cur.lastrowid or 0)
        cur = await c.execute(
            "INSERT INTO repairs (guild_id, channel_id, thread_id, starter_id, partner_id, person_low, person_high, "
            "topic, followup_days, created_at, close_requested_by, close_note) "
            "VALUES (?, 9001, ?, ?, ?, ?, ?, ?, 7, ?, ?, ?)",
            (
                guild_id,
                7000 + guild_id % 1000 + base,
                a,
                b,
                min(a, b),
                max(a, b),
                f"{tag_a}-topic",
                t,
                a,
                f"{tag_a}-close",
            ),
        )
        repair_id = int(cur.lastrowid or 0)
        sections = {
            "participants": [[a, "a", 3], [b, "b", 2]],
            "key_points": [],
            "decisions": [],
            "open_questions": [],
            "excluded_count": 0,
            "message_count": 5,
        }
        cur = await c.execute(
            "INSERT INTO summaries (guild_id, number, channel_id, channel_name, creator_id, created_at, engine, "
            "sections, markdown, status) VALUES (?, ?, 9001, 'general', ?, ?, 'offline', ?, ?, 'published')",
            (guild_id, base + 1, b, t, json.dumps(sections), f"summary {tag_a}-line {tag_b}-line"),
        )
        summary_id = int(cur.lastrowid or 0)
        commitment_ids: dict[str, int] = {}
        for position, (uid, tag, other) in enumerate(people, start=1):
            await c.execute(
                "INSERT INTO checkin_answers (run_id, user_id, status, source, answers, mood, answered_at, updated_at) "
                "VALUES (?, ?, 'answered', 'modal', ?, 4, ?, ?)",
                (run_id, uid, json.dumps([f"{tag}-answer", f"{tag}-blocker"]), t, t),
            )
            await c.execute(
                "INSERT INTO checkin_reminders (run_id, user_id, due_at, status) VALUES (?, ?, ?, 'dm')",
                (run_id, uid, t),
            )
            for number, (owner, creator, text) in enumerate(
                # The second is proposed by the other member: its words are shared by both.
                [(uid, uid, f"{tag}-own-promise"), (uid, other, f"shared promise owned by {tag.lower()}")],
                start=base + position * 10,
            ):
                cur = await c.execute(
                    "INSERT INTO commitments (guild_id, number, owner_id, creator_id, text, status, source_kind, "
                    "created_at, opened_at, round_started_at, updated_at, due_at) "
                    "VALUES (?, ?, ?, ?, ?, 'open', 'manual', ?, ?, ?, ?, ?)",
                    (guild_id, number, owner, creator, text, t, t, t, t, t + 86400),
                )
                cid = int(cur.lastrowid or 0)
                commitment_ids[text] = cid
                await c.execute(
                    "INSERT INTO commitment_events (commitment_id, guild_id, at, actor_id, kind, note) "
                    "VALUES (?, ?, ?, ?, 'created', ?)",
                    (cid, guild_id, t, creator, f"{tags[creator]}-note"),
                )
                await c.execute(
                    "INSERT INTO commitment_nudges (commitment_id, round, step, planned_at, recorded_at, delivery) "
                    "VALUES (?, 0, 'before', ?, ?, 'dm')",
                    (cid, t, t),
                )
            await c.execute(
                "INSERT INTO summary_action_items (summary_id, position, owner_id, owner_name, what, text, "
                "source_message_id, jump_url) VALUES (?, ?, ?, ?, ?, ?, 1, 'https://discord.com/channels/1/2/3')",
                (summary_id, position, uid, f"{tag}-name", f"{tag}-item", f"{tag}-item line"),
            )
            await c.execute(
                "INSERT INTO repair_views (repair_id, user_id, happened, affected, need, shared_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (repair_id, uid, f"{tag}-happened", f"{tag}-affected", f"{tag}-need", t),
            )
            await c.execute(
                "INSERT INTO repair_reflections (repair_id, author_id, subject_id, text, created_at, answer, "
                "clarification, answered_at) VALUES (?, ?, ?, ?, ?, 'not_quite', ?, ?)",
                (repair_id, uid, other, f"{tag}-heard", t, f"{tags[other]}-clarifies", t),
            )
            await c.execute(
                "INSERT INTO repair_ownership (repair_id, user_id, owned, will_do, created_at) VALUES (?, ?, ?, ?, ?)",
                (repair_id, uid, f"{tag}-owned", f"{tag}-will-do", t),
            )
            await c.execute(
                "INSERT INTO repair_consents (repair_id, user_id, kind, version, at) VALUES (?, ?, 'post', 1, ?)",
                (repair_id, uid, t),
            )
            await c.execute(
                "INSERT INTO repair_followups (repair_id, user_id, answer, note, at) VALUES (?, ?, 'better', ?, ?)",
                (repair_id, uid, f"{tag}-followup", t),
            )
            await c.execute(
                "INSERT INTO clarifications (guild_id, channel_id, message_id, author_id, asker_id, question, "
                "created_at) VALUES (?, 9001, ?, ?, ?, ?, ?)",
                (guild_id, guild_id + position, other, uid, f"{tag}-question", t),
            )
            await c.execute(
                "INSERT INTO wins (guild_id, channel_id, author_id, member_id, text, created_at) "
                "VALUES (?, 9001, ?, ?, ?, ?)",
                (guild_id, uid, other, f"{tag}-win-for-other", t),
            )
            await c.execute(
                "INSERT INTO wins (guild_id, channel_id, author_id, member_id, text, created_at) "
                "VALUES (?, 9001, ?, NULL, ?, ?)",
                (guild_id, uid, f"{tag}-team-win", t),
            )
            await c.execute(
                "INSERT INTO feedback_votes (kind, ref_id, user_id, vote, guild_id, created_at, updated_at) "
                "VALUES ('summary', ?, ?, 'up', ?, ?, ?)",
                (summary_id, uid, guild_id, t, t),
            )
            await c.execute(
                "INSERT INTO feedback_notes (kind, ref_id, user_id, guild_id, channel_id, note, created_at) "
                "VALUES ('summary', ?, ?, ?, 9001, ?, ?)",
                (summary_id, uid, guild_id, f"{tag}-missing-note", t),
            )
            await c.execute(
                "INSERT INTO server_feedback (guild_id, anonymous, author_id, text, channel_id, created_at) "
                "VALUES (?, 0, ?, ?, 9001, ?)",
                (guild_id, uid, f"{tag}-feedback", t),
            )
            # Each blocks the other (a block goes with either member) and has used a cooldown.
            await c.execute(
                "INSERT INTO member_blocks (guild_id, blocker_id, blocked_id, created_at) VALUES (?, ?, ?, ?)",
                (guild_id, uid, other, t),
            )
            await c.execute(
                "INSERT INTO member_cooldowns (guild_id, user_id, action, window_start, uses) "
                "VALUES (?, ?, 'win', ?, 1)",
                (guild_id, uid, t),
            )
        await c.execute(
            "INSERT INTO server_feedback (guild_id, anonymous, author_id, text, channel_id, created_at) "
            "VALUES (?, 1, NULL, 'anonymous-feedback', 9001, ?)",
            (guild_id, t),
        )
    return Seeded(guild_id, checkin_id, run_id, repair_id, summary_id, commitment_ids)
