"""Every table's data-rights policy, in one place.

For each table: how to find the rows of one server (``scope``, an SQL predicate with one ``?`` for the
server id, or ``None`` when the table is not kept per server), which columns hold a member's id and what
"forget this member" does to them, and which other id-like columns are not member ids (channels, messages,
rows). A test reads the live schema after every migration and fails when a table or an id-like column is
missing here, so a new feature has to say what happens to its data.

Forget actions, per member column:

- ``DELETE``: a row where this column holds the member is the member's own and is deleted.
- ``TOMBSTONE``: the row belongs to others too (a commitment someone made to them, a repair where the other
  person's words stay theirs); it is kept and the id is replaced by :data:`TOMBSTONE_ID`.

A table with no member column is ``keep``: forgetting a member never touches it. When ``delete_when_sole``
is set, a row whose every member column is the member (or already a tombstone) is deleted rather than
tombstoned: nobody else depends on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.db.database import Database

#: The id left in place of a forgotten member. Discord never hands out 0 as a snowflake.
TOMBSTONE_ID = 0


class Forget(StrEnum):
    DELETE = "delete"
    TOMBSTONE = "tombstone"


@dataclass(frozen=True, slots=True)
class TablePolicy:
    table: str
    #: SQL predicate selecting this server's rows, with one ``?`` for the guild id; None: not per server.
    scope: str | None
    #: Member-id columns and what forgetting does to each.
    members: dict[str, Forget] = field(default_factory=dict)
    #: Id-like columns that hold no member id (servers, channels, messages, other rows).
    refs: frozenset[str] = frozenset()
    #: Text columns that may name a member (ids inside JSON, display names); the forget scan searches them.
    embedded: frozenset[str] = frozenset()
    delete_when_sole: bool = False
    #: When a column is tombstoned, these text columns of the same row (the member's own words) are emptied.
    clear_with: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Retention category (see bot.datarights.retention) whose age limit applies to this table, if any.
    retention: str | None = None
    #: One line for the documentation: what is kept and why.
    why: str = ""

    @property
    def forget_action(self) -> str:
        if not self.members:
            return "keep"
        actions = set(self.members.values())
        return actions.pop().value if len(actions) == 1 else "delete/tombstone"


def _refs(*names: str) -> frozenset[str]:
    return frozenset(names)


_RUNS_OF_GUILD = (
    "run_id IN (SELECT r.id FROM checkin_runs r JOIN checkins c ON c.id = r.checkin_id WHERE c.guild_id = ?)"
)
_REPAIRS_OF_GUILD = "repair_id IN (SELECT id FROM repairs WHERE guild_id = ?)"
_D, _T = Forget.DELETE, Forget.TOMBSTONE

POLICIES: tuple[TablePolicy, ...] = (
    # 0001 core
    TablePolicy("guild_settings", "guild_id = ?", refs=_refs("guild_id", "manager_role_id", "feedback_channel_id"),
                why="server settings, no member data"),
    TablePolicy("member_settings", None, {"user_id": _D},
                why="a member's own preferences (kept once for every server)"),
    TablePolicy("bot_state", None,
                why="the bot's own state (command hash; the message ids of a repair summary being shared in a "
                    "channel), no member data"),
    # 0002 check-ins
    TablePolicy("checkins", "guild_id = ?", {"created_by": _T},
                refs=_refs("id", "guild_id", "channel_id", "participants_role_id", "claimed_by"),
                why="a check-in belongs to the server; its creator is replaced by a tombstone"),
    TablePolicy("checkin_runs", "checkin_id IN (SELECT id FROM checkins WHERE guild_id = ?)",
                refs=_refs("id", "checkin_id", "channel_id", "message_id", "thread_id", "noted_in_run_id",
                           "claimed_by"),
                why="runs of the server's check-ins, no member data"),
    TablePolicy("checkin_answers", _RUNS_OF_GUILD, {"user_id": _D}, refs=_refs("run_id"),
                retention="checkin_answers", why="a member's own answers"),
    TablePolicy("checkin_reminders", _RUNS_OF_GUILD, {"user_id": _D}, refs=_refs("run_id", "claimed_by"),
                retention="checkin_answers", why="reminders sent to a member"),
    # 0003 commitments
    TablePolicy("commitment_counters", "guild_id = ?", refs=_refs("guild_id"), why="numbering, no member data"),
    TablePolicy("commitments", "guild_id = ?", {"owner_id": _T, "creator_id": _T},
                refs=_refs("id", "guild_id", "source_channel_id", "claimed_by"), delete_when_sole=True,
                retention="closed_commitments",
                why="a promise between two people stays the other person's record; one's own promises go"),
    TablePolicy("commitment_events", "guild_id = ?", {"actor_id": _T},
                refs=_refs("id", "commitment_id", "guild_id"), clear_with={"actor_id": ("note",)},
                why="history of a commitment that stays (the member's own notes are emptied)"),
    TablePolicy("commitment_nudges", "commitment_id IN (SELECT id FROM commitments WHERE guild_id = ?)",
                refs=_refs("commitment_id"), why="nudges of a commitment (go with it)"),
    TablePolicy("commitment_policy", "guild_id = ?", refs=_refs("guild_id"), why="server settings"),
    # 0004 summaries
    TablePolicy("summaries", "guild_id = ?", {"creator_id": _T},
                refs=_refs("id", "guild_id", "channel_id", "first_message_id", "last_message_id",
                           "published_message_id"),
                embedded=frozenset({"sections"}), retention="summaries",
                why="a summary of a conversation belongs to everyone in it; the member's lines are dropped"),
    TablePolicy("summary_action_items", "summary_id IN (SELECT id FROM summaries WHERE guild_id = ?)",
                {"owner_id": _D}, refs=_refs("summary_id", "source_message_id", "commitment_id"),
                embedded=frozenset({"owner_name"}),
                retention="summaries", why="a member's own action items"),
    # 0005 repair and clarification
    TablePolicy("repair_settings", "guild_id = ?", refs=_refs("guild_id"), why="server settings"),
    TablePolicy("repairs", "guild_id = ?",
                {"starter_id": _T, "partner_id": _T, "person_low": _T, "person_high": _T, "mediator_id": _T,
                 "close_requested_by": _T},
                refs=_refs("id", "guild_id", "channel_id", "thread_id", "control_message_id", "summary_message_id",
                           "followup_message_id", "claimed_by"),
                delete_when_sole=True, retention="repairs",
                clear_with={"starter_id": ("topic", "summary_text"), "partner_id": ("summary_text",),
                            "close_requested_by": ("close_note",)},
                why="the other person's words in a repair stay theirs; the repair is ended and its joint summary, "
                    "topic and close note (if theirs) are emptied"),
    TablePolicy("repair_views", _REPAIRS_OF_GUILD, {"user_id": _D}, refs=_refs("repair_id"),
                retention="repairs", why="a member's own view"),
    TablePolicy("repair_reflections", _REPAIRS_OF_GUILD, {"author_id": _D, "subject_id": _T},
                refs=_refs("id", "repair_id", "message_id"), retention="repairs",
                clear_with={"subject_id": ("answer", "clarification", "answered_at")},
                why="what a member heard goes; what the other person heard from them stays theirs, without the "
                    "member's answer"),
    TablePolicy("repair_ownership", _REPAIRS_OF_GUILD, {"user_id": _D}, refs=_refs("repair_id", "commitment_id"),
                retention="repairs", why="a member's own part"),
    TablePolicy("repair_consents", _REPAIRS_OF_GUILD, {"user_id": _D}, refs=_refs("repair_id"),
                retention="repairs", why="a member's own consent"),
    TablePolicy("repair_followups", _REPAIRS_OF_GUILD, {"user_id": _D}, refs=_refs("repair_id"),
                retention="repairs", why="a member's own follow-up answer"),
    TablePolicy("clarifications", "guild_id = ?", {"asker_id": _D, "author_id": _T},
                refs=_refs("id", "guild_id", "channel_id", "message_id", "thread_id", "request_message_id",
                           "closed_by", "claimed_by"),
                retention="clarifications",
                why="a request the member asked goes; one asked of them stays the asker's"),
    # 0006 wins, feedback, digest
    TablePolicy("wins", "guild_id = ?", {"author_id": _T, "member_id": _T},
                refs=_refs("id", "guild_id", "channel_id", "message_id"), delete_when_sole=True,
                why="a win posted for someone else stays theirs"),
    TablePolicy("feedback_votes", "guild_id = ?", {"user_id": _D},
                refs=_refs("ref_id", "guild_id", "channel_id", "message_id"), retention="feedback",
                why="a member's own vote"),
    TablePolicy("feedback_notes", "guild_id = ?", {"user_id": _D},
                refs=_refs("id", "ref_id", "guild_id", "channel_id", "message_id", "reply_message_id"),
                retention="feedback", why="a member's own note"),
    TablePolicy("server_feedback", "guild_id = ?", {"author_id": _D},
                refs=_refs("id", "guild_id", "channel_id", "message_id"), retention="feedback",
                why="a member's own feedback (anonymous feedback has no author)"),
    TablePolicy("digest_schedules", "guild_id = ?", {"created_by": _T},
                refs=_refs("guild_id", "channel_id", "claimed_by"),
                why="the server's digest; its creator is replaced by a tombstone"),
    TablePolicy("digest_posts", "guild_id = ?", refs=_refs("id", "guild_id", "channel_id", "message_id", "claimed_by"),
                why="posted digests hold counts only, no member data"),
    # 0007 privacy
    TablePolicy("member_blocks", "guild_id = ?", {"blocker_id": _D, "blocked_id": _D}, refs=_refs("guild_id"),
                why="a block is the blocker's own data; it goes with either member, so no id is left behind"),
    TablePolicy("member_cooldowns", "guild_id = ?", {"user_id": _D}, refs=_refs("guild_id"),
                why="a member's own usage counts for the cooldowns"),
    # 0008 data rights
    TablePolicy("data_rights_outbox", "guild_id = ?", {"recipient_id": _D},
                refs=_refs("id", "guild_id", "channel_id", "message_id", "ref_id"),
                why="notices owed to the other person after an erasure; never the erased member's id"),
    TablePolicy("retention_settings", "guild_id = ?", refs=_refs("guild_id"), why="server settings"),
    TablePolicy("retention_runs", "guild_id = ?", refs=_refs("guild_id"), why="counts only, no member data"),
    TablePolicy("guild_removals", "guild_id = ?", refs=_refs("guild_id"), why="server lifecycle, no member data"),
)

BY_TABLE: dict[str, TablePolicy] = {p.table: p for p in POLICIES}



def guild_tables() -> tuple[str, ...]:
    """The tables holding rows of one server directly (their scope is the row's own ``guild_id``)."""
    return tuple(p.table for p in POLICIES if p.scope == "guild_id = ?")


def guilds_with_data_sql() -> str:
    """One query listing every server id any server-scoped table holds rows for."""
    return " UNION ".join(f"SELECT guild_id FROM {table} WHERE guild_id IS NOT NULL" for table in guild_tables())


#: A column is id-like when its name says it may hold a Discord or row id.
ID_LIKE = re.compile(r"(^id$|_id$|_by$|^person_|^user|^owner|^creator|^author|^member|^actor|^mediator)")


#: Columns every due-work table may have (0010) that hold no id: ``claimed_by`` names the process holding a lease.
LEASE_COLUMNS = frozenset({"claimed_by", "claimed_until"})


def is_id_like(column: str) -> bool:
    """Timestamps (``*_at``) are never ids, whatever they start with; nor are the lease columns."""
    return column not in LEASE_COLUMNS and not column.endswith("_at") and bool(ID_LIKE.search(column))


def problems(schema: dict[str, list[str]]) -> list[str]:
    """What is missing or stale in the registry, given ``{table: [columns]}`` of the live schema."""
    found: list[str] = []
    for table, columns in sorted(schema.items()):
        policy = BY_TABLE.get(table)
        if policy is None:
            found.append(f"table {table} has no data-rights policy")
            continue
        declared = set(policy.members) | policy.refs | policy.embedded
        for column in columns:
            if is_id_like(column) and column not in declared:
                found.append(f"column {table}.{column} looks like an id but has no policy")
        cleared = {c for cols in policy.clear_with.values() for c in cols}
        for column in sorted(declared | policy.embedded | cleared):
            if column not in columns:
                found.append(f"policy names {table}.{column}, which does not exist")
    for table in BY_TABLE:
        if table not in schema:
            found.append(f"policy for {table}, which is not in the schema")
    return found


async def live_schema(db: Database) -> dict[str, list[str]]:
    """``{table: [columns]}`` read from the engine's catalogue (sqlite_master, information_schema)."""
    return await db.schema()
