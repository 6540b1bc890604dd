-- Recurring check-ins. Every *_at column is a UTC instant in whole seconds since the epoch; schedules are
-- stored as canonical text together with the IANA zone they are read in.

CREATE TABLE checkins (
    id                     INTEGER PRIMARY KEY,
    guild_id               INTEGER NOT NULL,
    channel_id             INTEGER NOT NULL,
    name                   TEXT    NOT NULL,
    schedule               TEXT    NOT NULL,
    timezone               TEXT    NOT NULL,
    template               TEXT    NOT NULL,
    questions              TEXT    NOT NULL,            -- JSON array of 1-5 strings
    participants_role_id   INTEGER,
    window_seconds         INTEGER NOT NULL CHECK (window_seconds > 0),
    remind_before_seconds  INTEGER CHECK (remind_before_seconds IS NULL OR remind_before_seconds > 0),
    mood                   INTEGER NOT NULL DEFAULT 0 CHECK (mood IN (0, 1)),
    anonymous_mood         INTEGER NOT NULL DEFAULT 0 CHECK (anonymous_mood IN (0, 1)),
    created_by             INTEGER NOT NULL,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    next_run_at            INTEGER,                     -- the next scheduled instant; NULL while paused
    paused_at              INTEGER,
    pause_reason           TEXT,                        -- NULL when paused by a person
    creator_told_at        INTEGER,                     -- the creator was told about an automatic pause
    deleted_at             INTEGER
);

CREATE INDEX checkins_guild ON checkins (guild_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX checkins_guild_name ON checkins (guild_id, name COLLATE NOCASE) WHERE deleted_at IS NULL;

-- One row per (check-in, scheduled instant): recorded before the prompt is posted, so a restart, a
-- reconnect or a second timer can never post the same run twice.
CREATE TABLE checkin_runs (
    id                  INTEGER PRIMARY KEY,
    checkin_id          INTEGER NOT NULL REFERENCES checkins (id),
    scheduled_at        INTEGER NOT NULL,
    kind                TEXT    NOT NULL CHECK (kind IN ('scheduled', 'extra')),
    status              TEXT    NOT NULL
                        CHECK (status IN ('posting', 'open', 'closed', 'missed', 'skipped', 'failed', 'cancelled')),
    late                INTEGER NOT NULL DEFAULT 0,
    name                TEXT    NOT NULL,               -- snapshots: editing the check-in leaves this run alone
    questions           TEXT    NOT NULL,
    mood                INTEGER NOT NULL DEFAULT 0,
    anonymous_mood      INTEGER NOT NULL DEFAULT 0,
    channel_id          INTEGER NOT NULL,
    closes_at           INTEGER NOT NULL,
    remind_at           INTEGER,
    recorded_at         INTEGER NOT NULL,
    message_id          INTEGER,
    thread_id           INTEGER,
    posted_at           INTEGER,
    reminders_planned   INTEGER NOT NULL DEFAULT 0,
    closed_at           INTEGER,
    digest_posted_at    INTEGER,
    noted_in_run_id     INTEGER,                        -- a missed run: the run whose digest mentioned it
    failure             TEXT,
    UNIQUE (checkin_id, scheduled_at)
);

CREATE INDEX checkin_runs_active ON checkin_runs (status) WHERE status IN ('posting', 'open');
CREATE INDEX checkin_runs_thread ON checkin_runs (thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX checkin_runs_undigested ON checkin_runs (checkin_id) WHERE status = 'closed' AND digest_posted_at IS NULL;

CREATE TABLE checkin_answers (
    run_id       INTEGER NOT NULL REFERENCES checkin_runs (id),
    user_id      INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('answered', 'skipped')),
    source       TEXT    NOT NULL CHECK (source IN ('modal', 'thread', 'button')),
    answers      TEXT    NOT NULL DEFAULT '[]',       -- JSON array aligned with the run's questions
    mood         INTEGER CHECK (mood IS NULL OR mood BETWEEN 1 AND 5),
    answered_at  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (run_id, user_id)
) WITHOUT ROWID;

CREATE INDEX checkin_answers_user ON checkin_answers (user_id);

-- Reminders planned for a run, one per member; due_at already accounts for the member's quiet hours.
CREATE TABLE checkin_reminders (
    run_id   INTEGER NOT NULL REFERENCES checkin_runs (id),
    user_id  INTEGER NOT NULL,
    due_at   INTEGER NOT NULL,
    status   TEXT    NOT NULL CHECK (status IN ('pending', 'dm', 'channel', 'dropped', 'failed', 'not_needed')),
    sent_at  INTEGER,
    PRIMARY KEY (run_id, user_id)
) WITHOUT ROWID;

CREATE INDEX checkin_reminders_pending ON checkin_reminders (status) WHERE status = 'pending';
