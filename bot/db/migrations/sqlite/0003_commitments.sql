-- Commitments: the promises a group keeps, their history, the nudges sent about them and each server's
-- nudge policy. Every *_at column is a UTC instant in whole seconds since the epoch.

-- The last short number handed out per server (#12), so a number is never reused.
CREATE TABLE commitment_counters (
    guild_id    INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);

CREATE TABLE commitments (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    number            INTEGER NOT NULL,
    owner_id          INTEGER NOT NULL,
    creator_id        INTEGER NOT NULL,
    text              TEXT    NOT NULL,
    status            TEXT    NOT NULL
                      CHECK (status IN ('proposed', 'open', 'done', 'dropped', 'declined')),
    due_at            INTEGER,
    source_kind       TEXT    NOT NULL CHECK (source_kind IN ('manual', 'checkin', 'summary', 'repair')),
    source_url        TEXT,
    source_channel_id INTEGER,
    created_at        INTEGER NOT NULL,
    opened_at         INTEGER,
    closed_at         INTEGER,
    -- Nudge state. A round starts when the commitment is opened and again at every renegotiation.
    round             INTEGER NOT NULL DEFAULT 0,
    round_started_at  INTEGER NOT NULL,
    step_index        INTEGER NOT NULL DEFAULT 0,
    snooze_until      INTEGER,
    snooze_count      INTEGER NOT NULL DEFAULT 0,
    last_nudge_at     INTEGER,
    last_dm_at        INTEGER,
    unanswered_dms    INTEGER NOT NULL DEFAULT 0,
    escalated         INTEGER NOT NULL DEFAULT 0,
    help_asked_at     INTEGER,
    -- When the dispatcher should look at this row next; NULL when nothing more will be sent.
    next_nudge_at     INTEGER,
    version           INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL,
    UNIQUE (guild_id, number)
);

CREATE INDEX commitments_next_nudge ON commitments (next_nudge_at) WHERE next_nudge_at IS NOT NULL;
CREATE INDEX commitments_owner ON commitments (guild_id, owner_id, status, due_at);
CREATE INDEX commitments_guild_due ON commitments (guild_id, status, due_at);
CREATE INDEX commitments_guild_opened ON commitments (guild_id, opened_at);
CREATE INDEX commitments_guild_closed ON commitments (guild_id, closed_at);

-- The history shown by /commit show: created, proposed, accepted, declined, snoozed, renegotiated, done,
-- dropped, help.
CREATE TABLE commitment_events (
    id            INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    guild_id      INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    actor_id      INTEGER,
    kind          TEXT    NOT NULL,
    old_due_at    INTEGER,
    new_due_at    INTEGER,
    note          TEXT
);

CREATE INDEX commitment_events_by_commitment ON commitment_events (commitment_id, id);
CREATE INDEX commitment_events_by_guild ON commitment_events (guild_id, kind, at);

-- Every nudge, recorded before it is sent: the key makes a second send of the same step impossible.
CREATE TABLE commitment_nudges (
    commitment_id INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    round         INTEGER NOT NULL,
    step          TEXT    NOT NULL,
    planned_at    INTEGER NOT NULL,
    recorded_at   INTEGER NOT NULL,
    delivery      TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (delivery IN ('pending', 'dm', 'channel', 'failed')),
    PRIMARY KEY (commitment_id, round, step)
);

-- Each server's nudge policy; a server without a row uses the defaults (24 h before, 6 overdue, no escalation).
CREATE TABLE commitment_policy (
    guild_id              INTEGER PRIMARY KEY,
    remind_before_seconds INTEGER,
    overdue_limit         INTEGER NOT NULL DEFAULT 6 CHECK (overdue_limit BETWEEN 0 AND 6),
    escalate              INTEGER NOT NULL DEFAULT 0,
    updated_at            INTEGER NOT NULL
);
