-- Shared preferences and bot state. Every *_at column is a UTC instant in whole seconds since the epoch.

CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    timezone            TEXT,
    manager_role_id     INTEGER,
    checkin_missing     TEXT    NOT NULL DEFAULT 'count' CHECK (checkin_missing IN ('count', 'names', 'off')),
    celebrate           INTEGER NOT NULL DEFAULT 1,
    feedback_channel_id INTEGER,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE member_settings (
    user_id              INTEGER PRIMARY KEY,
    timezone             TEXT,
    quiet_start          TEXT,
    quiet_end            TEXT,
    away_until           INTEGER,
    summaries_opt_out    INTEGER NOT NULL DEFAULT 0,
    dm_unreachable_until INTEGER,
    updated_at           INTEGER NOT NULL
);

CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
