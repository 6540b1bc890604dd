-- PostgreSQL: the same tables, columns, constraints and indexes as sqlite/0001_core.sql. Ids, Discord snowflakes
-- and epoch seconds are BIGINT; row ids are identity columns (BY DEFAULT, so `db copy` can keep them).
-- Shared preferences and bot state. Every *_at column is a UTC instant in whole seconds since the epoch.

CREATE TABLE guild_settings (
    guild_id            BIGINT PRIMARY KEY,
    timezone            TEXT,
    manager_role_id     BIGINT,
    checkin_missing     TEXT    NOT NULL DEFAULT 'count' CHECK (checkin_missing IN ('count', 'names', 'off')),
    celebrate           BIGINT NOT NULL DEFAULT 1,
    feedback_channel_id BIGINT,
    updated_at          BIGINT NOT NULL
);

CREATE TABLE member_settings (
    user_id              BIGINT PRIMARY KEY,
    timezone             TEXT,
    quiet_start          TEXT,
    quiet_end            TEXT,
    away_until           BIGINT,
    summaries_opt_out    BIGINT NOT NULL DEFAULT 0,
    dm_unreachable_until BIGINT,
    updated_at           BIGINT NOT NULL
);

CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
