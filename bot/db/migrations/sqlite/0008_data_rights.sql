-- Data rights: notices owed after a member's data was erased, retention per server, the purge's last counts,
-- and servers that removed the bot. Every *_at column is a UTC instant in whole seconds since the epoch.

-- Written in the same transaction as an erasure, delivered afterwards, deleted once delivered: a restart
-- between the two delivers what is left. It never holds the erased member's id.
CREATE TABLE data_rights_outbox (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('repair_ended', 'summary_edit')),
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER,
    message_id   INTEGER,
    recipient_id INTEGER,
    ref_id       INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);

-- Days to keep each kind of data; NULL is the documented default, 0 is forever.
CREATE TABLE retention_settings (
    guild_id                INTEGER PRIMARY KEY,
    checkin_answers_days    INTEGER CHECK (checkin_answers_days IS NULL OR checkin_answers_days >= 0),
    closed_commitments_days INTEGER CHECK (closed_commitments_days IS NULL OR closed_commitments_days >= 0),
    summaries_days          INTEGER CHECK (summaries_days IS NULL OR summaries_days >= 0),
    repairs_days            INTEGER CHECK (repairs_days IS NULL OR repairs_days >= 0),
    clarifications_days     INTEGER CHECK (clarifications_days IS NULL OR clarifications_days >= 0),
    feedback_days           INTEGER CHECK (feedback_days IS NULL OR feedback_days >= 0),
    updated_at              INTEGER NOT NULL
);

-- What the last purge removed in each server (JSON object of counts), shown by /settings show.
CREATE TABLE retention_runs (
    guild_id    INTEGER PRIMARY KEY,
    ran_at      INTEGER NOT NULL,
    counts      TEXT    NOT NULL
);

-- The bot was removed from a server: its data goes at purge_at unless the bot is added back first.
CREATE TABLE guild_removals (
    guild_id    INTEGER PRIMARY KEY,
    removed_at  INTEGER NOT NULL,
    purge_at    INTEGER NOT NULL
);

CREATE INDEX guild_removals_due ON guild_removals (purge_at);
