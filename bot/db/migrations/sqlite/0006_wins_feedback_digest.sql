-- Wins, feedback (buttons on published messages and /feedback) and the weekly "progress together" digest.
-- Every *_at column is a UTC instant in whole seconds since the epoch.

-- /win: a celebration posted in a channel. member_id is NULL when the whole team is celebrated.
CREATE TABLE wins (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    author_id   INTEGER NOT NULL,
    member_id   INTEGER,
    text        TEXT    NOT NULL,
    message_id  INTEGER,
    created_at  INTEGER NOT NULL
);

CREATE INDEX wins_by_guild ON wins (guild_id, created_at);

-- "This captured it" / "Something's missing" on a summary, a check-in digest or a repair summary.
-- ref_id is the row id of the thing the message shows (summaries.id, checkin_runs.id, the repair's id).
-- One vote per member per thing; pressing the other button changes it.
CREATE TABLE feedback_votes (
    kind        TEXT    NOT NULL CHECK (kind IN ('summary', 'checkin', 'repair')),
    ref_id      INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    vote        TEXT    NOT NULL CHECK (vote IN ('up', 'missing')),
    guild_id    INTEGER,
    channel_id  INTEGER,
    message_id  INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, ref_id, user_id)
) WITHOUT ROWID;

-- What was missing: each note is posted as a reply to the message it is about.
CREATE TABLE feedback_notes (
    id                INTEGER PRIMARY KEY,
    kind              TEXT    NOT NULL CHECK (kind IN ('summary', 'checkin', 'repair')),
    ref_id            INTEGER NOT NULL,
    user_id           INTEGER NOT NULL,
    guild_id          INTEGER,
    channel_id        INTEGER NOT NULL,
    message_id        INTEGER,                -- the message the note is about
    note              TEXT    NOT NULL,
    reply_message_id  INTEGER,                -- the reply that shows it; NULL if it could not be posted
    created_at        INTEGER NOT NULL
);

CREATE INDEX feedback_notes_by_ref ON feedback_notes (kind, ref_id);

-- /feedback: posted in the server's feedback channel. Anonymous feedback has no author at all.
CREATE TABLE server_feedback (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    anonymous   INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    author_id   INTEGER,
    text        TEXT    NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,
    created_at  INTEGER NOT NULL,
    CHECK ((anonymous = 1 AND author_id IS NULL) OR (anonymous = 0 AND author_id IS NOT NULL))
);

CREATE INDEX server_feedback_by_guild ON server_feedback (guild_id, created_at);

-- One weekly digest per server, as a weekly schedule read in an IANA zone.
CREATE TABLE digest_schedules (
    guild_id     INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL,
    schedule     TEXT    NOT NULL,            -- canonical recurrence text, e.g. "mon 09:00"
    timezone     TEXT    NOT NULL,
    next_run_at  INTEGER NOT NULL,
    created_by   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- One row per (server, scheduled instant), recorded before the digest is posted: a restart, a reconnect or
-- a second timer can never post the same digest twice.
CREATE TABLE digest_posts (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    scheduled_at  INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('posting', 'posted', 'failed', 'missed')),
    recorded_at   INTEGER NOT NULL,
    message_id    INTEGER,
    posted_at     INTEGER,
    failure       TEXT,
    UNIQUE (guild_id, scheduled_at)
);

CREATE INDEX digest_posts_posting ON digest_posts (status) WHERE status = 'posting';
