-- PostgreSQL: the same tables, columns, constraints and indexes as sqlite/0007_privacy.sql. Ids, Discord snowflakes
-- and epoch seconds are BIGINT; row ids are identity columns (BY DEFAULT, so `db copy` can keep them).
-- No harassment through the bot: members a member has blocked, and per-member cooldowns.
-- Every *_at column is a UTC instant in whole seconds since the epoch.

-- /me block: blocker_id no longer receives commitment proposals or repair invitations from blocked_id in
-- this server. Private: the blocked member is never told. Data rights: a row is the blocker's data (shown and
-- erased with theirs); it names the blocked member only by id and is never shown to them.
CREATE TABLE member_blocks (
    guild_id   BIGINT NOT NULL,
    blocker_id BIGINT NOT NULL,
    blocked_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (guild_id, blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);

-- How often a member used a command that DMs or pings someone else, per action, in the current window.
-- Data rights: the member's own data; one row per action, overwritten when a new window starts.
CREATE TABLE member_cooldowns (
    guild_id     BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    action       TEXT    NOT NULL,
    window_start BIGINT NOT NULL,
    uses         BIGINT NOT NULL CHECK (uses >= 1),
    PRIMARY KEY (guild_id, user_id, action)
);
