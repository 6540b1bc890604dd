"""Everything Rapport stores about one member, as a versioned JSON document and a short Markdown file.

Only the member's own rows and own parts are included: their answers, their promises, their words in a
repair (never the other person's), the summary lines that name them. Other members' content never is.
The schema is documented in docs/data-rights.md; :data:`SCHEMA_VERSION` changes whenever it does.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.codec import from_epoch
from bot.db.database import Database
from bot.i18n import number, t

SCHEMA_NAME = "rapport.member-export"
SCHEMA_VERSION = 1

#: Which export section holds each table with member columns. A test checks the registry against it.
COVERS: dict[str, str] = {
    "member_settings": "preferences",
    "checkins": "created.checkins",
    "checkin_answers": "checkin_answers",
    "checkin_reminders": "checkin_reminders",
    "commitments": "commitments",
    "commitment_events": "commitments[].history",
    "summaries": "summaries",
    "summary_action_items": "summaries[].lines",
    "repairs": "repairs",
    "repair_views": "repairs[].my_view",
    "repair_reflections": "repairs[].my_reflections / repairs[].my_answers",
    "repair_ownership": "repairs[].my_part",
    "repair_consents": "repairs[].my_consents",
    "repair_followups": "repairs[].my_followup",
    "clarifications": "clarifications",
    "wins": "wins",
    "feedback_votes": "feedback.votes",
    "feedback_notes": "feedback.notes",
    "server_feedback": "feedback.posted",
    "digest_schedules": "created.digest",
    "member_blocks": "blocks (only the members the caller blocked; a block of the caller is never shown)",
    "member_cooldowns": "cooldowns",
    "data_rights_outbox": "(not exported: notices owed to this member about someone else)",
}


def _at(value: int | None) -> str | None:
    return None if value is None else from_epoch(value).isoformat().replace("+00:00", "Z")


def _id(value: int | None) -> str | None:
    # Snowflakes are strings, as in Discord's own API: JSON readers lose precision on large integers.
    return None if value is None else str(value)


async def build_export(db: Database, user_id: int, guild_ids: list[int], *, now: datetime) -> dict[str, Any]:
    """The export of ``user_id`` in each of ``guild_ids`` (preferences are not per server)."""
    prefs = await db.fetchone("SELECT * FROM member_settings WHERE user_id = ?", (user_id,))
    doc: dict[str, Any] = {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "generated_at": _at(int(now.timestamp())),
        "user_id": _id(user_id),
        "preferences": None if prefs is None else {
            "timezone": prefs["timezone"],
            "quiet_start": prefs["quiet_start"],
            "quiet_end": prefs["quiet_end"],
            "away_until": _at(prefs["away_until"]),
            "summaries_opt_out": bool(prefs["summaries_opt_out"]),
            "dm_unreachable_until": _at(prefs["dm_unreachable_until"]),
            "updated_at": _at(prefs["updated_at"]),
        },
        "servers": [await _guild_part(db, user_id, guild_id) for guild_id in guild_ids],
    }
    return doc


async def _guild_part(db: Database, uid: int, gid: int) -> dict[str, Any]:
    return {
        "guild_id": _id(gid),
        "checkin_answers": await _answers(db, uid, gid),
        "checkin_reminders": await _reminders(db, uid, gid),
        "commitments": await _commitments(db, uid, gid),
        "summaries": await _summaries(db, uid, gid),
        "repairs": await _repairs(db, uid, gid),
        "clarifications": await _clarifications(db, uid, gid),
        "wins": await _wins(db, uid, gid),
        "feedback": await _feedback(db, uid, gid),
        "created": await _created(db, uid, gid),
        "blocks": await _blocks(db, uid, gid),
        "cooldowns": await _cooldowns(db, uid, gid),
    }


async def _blocks(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    # Only the caller's own blocks: that someone blocked the caller is the blocker's private data.
    rows = await db.fetchall(
        "SELECT blocked_id, created_at FROM member_blocks WHERE guild_id = ? AND blocker_id = ? ORDER BY created_at",
        (gid, uid),
    )
    return [{"blocked_user_id": _id(r["blocked_id"]), "created_at": _at(r["created_at"])} for r in rows]


async def _cooldowns(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT action, window_start, uses FROM member_cooldowns WHERE guild_id = ? AND user_id = ? ORDER BY action",
        (gid, uid),
    )
    return [{"action": r["action"], "window_start": _at(r["window_start"]), "uses": r["uses"]} for r in rows]


async def _answers(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT a.*, r.checkin_id, r.scheduled_at, r.name, r.questions FROM checkin_answers a "
        "JOIN checkin_runs r ON r.id = a.run_id JOIN checkins c ON c.id = r.checkin_id "
        "WHERE a.user_id = ? AND c.guild_id = ? ORDER BY r.scheduled_at, a.run_id",
        (uid, gid),
    )
    out = []
    for row in rows:
        questions = json.loads(row["questions"] or "[]")
        answers = json.loads(row["answers"] or "[]")
        out.append({
            "checkin_id": row["checkin_id"],
            "checkin_name": row["name"],
            "run_id": row["run_id"],
            "run_scheduled_at": _at(row["scheduled_at"]),
            "status": row["status"],
            "source": row["source"],
            "mood": row["mood"],
            "answered_at": _at(row["answered_at"]),
            "updated_at": _at(row["updated_at"]),
            "answers": [
                {"question": questions[i] if i < len(questions) else None, "answer": answer}
                for i, answer in enumerate(answers)
            ],
        })
    return out


async def _reminders(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT m.* FROM checkin_reminders m JOIN checkin_runs r ON r.id = m.run_id "
        "JOIN checkins c ON c.id = r.checkin_id WHERE m.user_id = ? AND c.guild_id = ? ORDER BY m.due_at",
        (uid, gid),
    )
    return [{"run_id": r["run_id"], "due_at": _at(r["due_at"]), "status": r["status"], "sent_at": _at(r["sent_at"])}
            for r in rows]


async def _commitments(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT * FROM commitments WHERE guild_id = ? AND (owner_id = ? OR creator_id = ?) ORDER BY number",
        (gid, uid, uid),
    )
    out = []
    for row in rows:
        roles = [name for name, col in (("owner", "owner_id"), ("creator", "creator_id")) if row[col] == uid]
        events = await db.fetchall(
            "SELECT * FROM commitment_events WHERE commitment_id = ? ORDER BY id", (row["id"],)
        )
        nudges = []
        if row["owner_id"] == uid:
            nudges = [
                {"round": n["round"], "step": n["step"], "planned_at": _at(n["planned_at"]), "delivery": n["delivery"]}
                for n in await db.fetchall(
                    "SELECT * FROM commitment_nudges WHERE commitment_id = ? ORDER BY recorded_at", (row["id"],)
                )
            ]
        out.append({
            "number": row["number"],
            "roles": roles,
            "text": row["text"],
            "status": row["status"],
            "due_at": _at(row["due_at"]),
            "source_kind": row["source_kind"],
            "source_url": row["source_url"],
            "created_at": _at(row["created_at"]),
            "closed_at": _at(row["closed_at"]),
            "history": [
                {
                    "at": _at(e["at"]),
                    "kind": e["kind"],
                    "by": "you" if e["actor_id"] == uid else ("someone else" if e["actor_id"] else None),
                    "old_due_at": _at(e["old_due_at"]),
                    "new_due_at": _at(e["new_due_at"]),
                    # Someone else's note is their words, not the member's.
                    "note": e["note"] if e["actor_id"] == uid else None,
                }
                for e in events
            ],
            "nudges_sent_to_you": nudges,
        })
    return out


async def _summaries(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT * FROM summaries WHERE guild_id = ? ORDER BY id", (gid,)
    )
    out = []
    for row in rows:
        sections = json.loads(row["sections"] or "{}")
        # Participants are stored as [author_id, name, message_count].
        mine = [p for p in sections.get("participants", []) if p[0] == uid]
        items = await db.fetchall(
            "SELECT * FROM summary_action_items WHERE summary_id = ? AND owner_id = ? ORDER BY position",
            (row["id"], uid),
        )
        if not (mine or items or row["creator_id"] == uid):
            continue
        out.append({
            "summary_id": row["id"],
            "number": row["number"],
            "status": row["status"],
            "channel_name": row["channel_name"],
            "created_at": _at(row["created_at"]),
            "you_created_it": row["creator_id"] == uid,
            "your_message_count": sum(int(p[2]) for p in mine),
            "lines": [
                {"position": i["position"], "text": i["text"], "what": i["what"], "due_at": _at(i["due_at"]),
                 "jump_url": i["jump_url"]}
                for i in items
            ],
        })
    return out


async def _repairs(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT * FROM repairs WHERE guild_id = ? AND (starter_id = ? OR partner_id = ? OR mediator_id = ?) "
        "ORDER BY id",
        (gid, uid, uid, uid),
    )
    out = []
    for row in rows:
        rid = row["id"]
        role = "starter" if row["starter_id"] == uid else ("partner" if row["partner_id"] == uid else "mediator")
        view = await db.fetchone("SELECT * FROM repair_views WHERE repair_id = ? AND user_id = ?", (rid, uid))
        written = await db.fetchall(
            "SELECT * FROM repair_reflections WHERE repair_id = ? AND author_id = ? ORDER BY id", (rid, uid)
        )
        answered = await db.fetchall(
            "SELECT * FROM repair_reflections WHERE repair_id = ? AND subject_id = ? AND answer IS NOT NULL "
            "ORDER BY id",
            (rid, uid),
        )
        part = await db.fetchone("SELECT * FROM repair_ownership WHERE repair_id = ? AND user_id = ?", (rid, uid))
        consents = await db.fetchall(
            "SELECT * FROM repair_consents WHERE repair_id = ? AND user_id = ? ORDER BY kind", (rid, uid)
        )
        followup = await db.fetchone(
            "SELECT * FROM repair_followups WHERE repair_id = ? AND user_id = ?", (rid, uid)
        )
        out.append({
            "repair_id": rid,
            "role": role,
            "state": row["state"],
            "created_at": _at(row["created_at"]),
            "closed_at": _at(row["closed_at"]),
            # The topic is the starter's words; the close note is the closer's.
            "topic": row["topic"] if row["starter_id"] == uid else None,
            "close_note": row["close_note"] if row["close_requested_by"] == uid else None,
            "my_view": None if view is None else {
                "happened": view["happened"], "affected": view["affected"], "need": view["need"],
                "shared_at": _at(view["shared_at"]),
            },
            "my_reflections": [
                {"text": r["text"], "created_at": _at(r["created_at"]), "their_answer": r["answer"]} for r in written
            ],
            # The member's answers to what the other person heard; the other person's words are left out.
            "my_answers": [
                {"answer": r["answer"], "clarification": r["clarification"], "answered_at": _at(r["answered_at"])}
                for r in answered
            ],
            "my_part": None if part is None else {
                "owned": part["owned"], "will_do": part["will_do"], "commitment_number": part["commitment_number"],
                "created_at": _at(part["created_at"]),
            },
            "my_consents": [{"kind": c["kind"], "version": c["version"], "at": _at(c["at"])} for c in consents],
            "my_followup": None if followup is None else {
                "answer": followup["answer"], "note": followup["note"], "at": _at(followup["at"]),
            },
        })
    return out


async def _clarifications(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT * FROM clarifications WHERE guild_id = ? AND (asker_id = ? OR author_id = ?) ORDER BY id",
        (gid, uid, uid),
    )
    return [
        {
            "id": r["id"],
            "role": "asked" if r["asker_id"] == uid else "asked_of_you",
            "message_id": _id(r["message_id"]),
            "channel_id": _id(r["channel_id"]),
            "question": r["question"] if r["asker_id"] == uid else None,
            "state": r["state"],
            "created_at": _at(r["created_at"]),
            "closed_at": _at(r["closed_at"]),
        }
        for r in rows
    ]


async def _wins(db: Database, uid: int, gid: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT * FROM wins WHERE guild_id = ? AND (author_id = ? OR member_id = ?) ORDER BY id", (gid, uid, uid)
    )
    return [
        {
            "id": r["id"],
            "role": "posted" if r["author_id"] == uid else "celebrated",
            # A win someone else posted about the member is that person's words.
            "text": r["text"] if r["author_id"] == uid else None,
            "created_at": _at(r["created_at"]),
        }
        for r in rows
    ]


async def _feedback(db: Database, uid: int, gid: int) -> dict[str, Any]:
    posted = await db.fetchall(
        "SELECT * FROM server_feedback WHERE guild_id = ? AND author_id = ? ORDER BY id", (gid, uid)
    )
    votes = await db.fetchall(
        "SELECT * FROM feedback_votes WHERE guild_id = ? AND user_id = ? ORDER BY created_at", (gid, uid)
    )
    notes = await db.fetchall(
        "SELECT * FROM feedback_notes WHERE guild_id = ? AND user_id = ? ORDER BY id", (gid, uid)
    )
    return {
        "posted": [{"id": r["id"], "text": r["text"], "created_at": _at(r["created_at"])} for r in posted],
        "votes": [{"kind": r["kind"], "ref_id": r["ref_id"], "vote": r["vote"], "at": _at(r["updated_at"])}
                  for r in votes],
        "notes": [{"kind": r["kind"], "ref_id": r["ref_id"], "note": r["note"], "created_at": _at(r["created_at"])}
                  for r in notes],
    }


async def _created(db: Database, uid: int, gid: int) -> dict[str, Any]:
    checkins = await db.fetchall(
        "SELECT id, name, created_at FROM checkins WHERE guild_id = ? AND created_by = ? ORDER BY id", (gid, uid)
    )
    digest = await db.fetchone(
        "SELECT schedule FROM digest_schedules WHERE guild_id = ? AND created_by = ?", (gid, uid)
    )
    return {
        "checkins": [{"id": r["id"], "name": r["name"], "created_at": _at(r["created_at"])} for r in checkins],
        "digest": None if digest is None else {"schedule": digest["schedule"]},
    }


def to_markdown(doc: dict[str, Any], locale: str | None = None) -> str:
    """A short readable version in the member's language: counts per section and where to look in the JSON
    (whose keys stay English: it is a versioned format)."""
    lines = [
        "# " + t(locale, "What Rapport keeps about you"),
        "",
        t(
            locale,
            "Generated {when} (schema {schema} v{version}). The JSON file has every item.",
            when=doc["generated_at"],
            schema=doc["schema"],
            version=doc["version"],
        ),
        "",
        "## " + t(locale, "Preferences"),
    ]
    prefs = doc["preferences"]
    if prefs is None:
        lines.append("- " + t(locale, "none stored"))
    else:
        lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in prefs.items() if value not in (None, False)]
        if not any(v not in (None, False) for v in prefs.values()):
            lines.append("- " + t(locale, "all defaults"))
    for server in doc["servers"]:
        lines += ["", "## " + t(locale, "Server {id}", id=server["guild_id"])]
        fb = server["feedback"]
        counts = [
            (t(locale, "check-in answers"), len(server["checkin_answers"])),
            (t(locale, "check-in reminders"), len(server["checkin_reminders"])),
            (t(locale, "commitments"), len(server["commitments"])),
            (t(locale, "summaries you appear in"), len(server["summaries"])),
            (t(locale, "repairs"), len(server["repairs"])),
            (t(locale, "clarification requests"), len(server["clarifications"])),
            (t(locale, "wins"), len(server["wins"])),
            (t(locale, "feedback posted, votes and notes"), len(fb["posted"]) + len(fb["votes"]) + len(fb["notes"])),
            (t(locale, "check-ins you created"), len(server["created"]["checkins"])),
        ]
        lines += [f"- {name}: {number(locale, count)}" for name, count in counts]
        open_items = [c for c in server["commitments"] if c["status"] in ("open", "proposed")]
        for c in open_items[:10]:
            label = t(locale, "open commitment #{number}", number=c["number"])
            lines.append(f"  - {label}: {c['text'][:100]}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    data: bytes


def package(
    doc: dict[str, Any], *, limit: int, stem: str = "rapport-data", locale: str | None = None
) -> list[ExportFile]:
    """The JSON and Markdown files (the Markdown in ``locale``), zipped when too large, and the zip split into
    parts of at most ``limit``."""
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    markdown = to_markdown(doc, locale).encode("utf-8")
    if len(data) + len(markdown) <= limit:
        return [ExportFile(f"{stem}.json", data), ExportFile(f"{stem}.md", markdown)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{stem}.json", data)
        archive.writestr(f"{stem}.md", markdown)
    blob = buffer.getvalue()
    if len(blob) <= limit:
        return [ExportFile(f"{stem}.zip", blob)]
    # Parts join back with `cat rapport-data.zip.* > rapport-data.zip`.
    parts = [blob[i : i + limit] for i in range(0, len(blob), limit)]
    return [ExportFile(f"{stem}.zip.{n:03d}", part) for n, part in enumerate(parts, start=1)]
