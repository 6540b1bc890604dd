-- Written summaries of conversations, and the action items each one found.
-- Every *_at column is a UTC instant in whole seconds since the epoch.

CREATE TABLE summaries (
    id                   INTEGER PRIMARY KEY,
    guild_id             INTEGER NOT NULL,
    -- The short number members use (/summary show 3); given when the summary is published.
    number               INTEGER,
    channel_id           INTEGER NOT NULL,
    channel_name         TEXT    NOT NULL,
    creator_id           INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    -- The conversation that was read: first and last message and their times.
    first_message_id     INTEGER,
    last_message_id      INTEGER,
    range_start          INTEGER,
    range_end            INTEGER,
    message_count        INTEGER NOT NULL DEFAULT 0,
    -- Left out: messages of members who opted out, and messages of bots or Discord itself.
    excluded_count       INTEGER NOT NULL DEFAULT 0,
    skipped_count        INTEGER NOT NULL DEFAULT 0,
    engine               TEXT    NOT NULL CHECK (engine IN ('offline', 'llm')),
    note                 TEXT,
    -- Participants, key points, decisions and open questions as JSON; action items have their own table.
    sections             TEXT    NOT NULL,
    markdown             TEXT    NOT NULL,
    status               TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'discarded')),
    published_message_id INTEGER,
    published_url        TEXT,
    published_at         INTEGER,
    discarded_at         INTEGER,
    UNIQUE (guild_id, number)
);

CREATE INDEX summaries_by_guild ON summaries (guild_id, status, number);
CREATE INDEX summaries_by_status_age ON summaries (status, created_at);

CREATE TABLE summary_action_items (
    summary_id        INTEGER NOT NULL REFERENCES summaries (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    owner_id          INTEGER,
    owner_name        TEXT    NOT NULL,
    what              TEXT    NOT NULL,
    due_at            INTEGER,
    due_text          TEXT,
    text              TEXT    NOT NULL,
    source_message_id INTEGER NOT NULL,
    jump_url          TEXT    NOT NULL,
    -- Set once the owner has been asked to take it on as a commitment.
    commitment_id     INTEGER,
    proposed_at       INTEGER,
    PRIMARY KEY (summary_id, position)
);
