-- Repair conversations after a disagreement, and requests for clarification.
-- Every *_at column is a UTC instant in whole seconds since the epoch.

-- Per-server choice: may members with Manage Server or the manager role press a repair's buttons?
CREATE TABLE repair_settings (
    guild_id          INTEGER PRIMARY KEY,
    managers_can_view INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE repairs (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    -- The channel the private thread lives in (where a summary may be shared, with both people's consent).
    channel_id          INTEGER NOT NULL,
    thread_id           INTEGER,
    control_message_id  INTEGER,
    starter_id          INTEGER NOT NULL,
    partner_id          INTEGER NOT NULL,
    -- The pair in a fixed order, so "already open between the same two people" is one unique index.
    person_low          INTEGER NOT NULL,
    person_high         INTEGER NOT NULL,
    mediator_id         INTEGER,
    topic               TEXT,
    followup_days       INTEGER NOT NULL CHECK (followup_days BETWEEN 1 AND 60),
    -- open: the steps; closing: a drafted summary waits for both approvals; closed: the summary is posted.
    state               TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closing', 'closed')),
    created_at          INTEGER NOT NULL,
    -- Set (once) when both views were shared and are being posted side by side.
    views_posted_at     INTEGER,
    close_requested_by  INTEGER,
    close_note          TEXT,
    -- Bumped at every draft: an approval counts only for the draft it was given to.
    summary_version     INTEGER NOT NULL DEFAULT 0,
    summary_text        TEXT,
    closed_at           INTEGER,
    summary_message_id  INTEGER,
    shared_at           INTEGER,
    followup_at         INTEGER,
    followup_posted_at  INTEGER,
    followup_message_id INTEGER,
    followup_done_at    INTEGER,
    CHECK (person_low < person_high)
);

CREATE UNIQUE INDEX repairs_one_open_per_pair ON repairs (guild_id, person_low, person_high)
    WHERE state IN ('open', 'closing');
CREATE UNIQUE INDEX repairs_by_thread ON repairs (thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX repairs_starter ON repairs (guild_id, starter_id);
CREATE INDEX repairs_partner ON repairs (guild_id, partner_id);
CREATE INDEX repairs_mediator ON repairs (guild_id, mediator_id) WHERE mediator_id IS NOT NULL;
CREATE INDEX repairs_followup_due ON repairs (followup_at) WHERE followup_at IS NOT NULL
    AND followup_posted_at IS NULL;
CREATE INDEX repairs_followup_done ON repairs (guild_id, followup_done_at) WHERE followup_done_at IS NOT NULL;

-- Step 1: each person's view, hidden until both have shared.
CREATE TABLE repair_views (
    repair_id INTEGER NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    happened  TEXT    NOT NULL,
    affected  TEXT    NOT NULL,
    need      TEXT    NOT NULL,
    shared_at INTEGER NOT NULL,
    PRIMARY KEY (repair_id, user_id)
);

-- Step 2: "what I heard you say", and the other person's answer.
CREATE TABLE repair_reflections (
    id            INTEGER PRIMARY KEY,
    repair_id     INTEGER NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL,
    subject_id    INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    message_id    INTEGER,
    answer        TEXT    CHECK (answer IN ('right', 'not_quite')),
    clarification TEXT,
    answered_at   INTEGER
);

CREATE INDEX repair_reflections_by_repair ON repair_reflections (repair_id, id);

-- Step 3: what each person owns and will do differently (proposed as a commitment).
CREATE TABLE repair_ownership (
    repair_id         INTEGER NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL,
    owned             TEXT    NOT NULL,
    will_do           TEXT    NOT NULL,
    commitment_id     INTEGER,
    commitment_number INTEGER,
    created_at        INTEGER NOT NULL,
    PRIMARY KEY (repair_id, user_id)
);

-- Consent: 'post' approves one draft (by version), 'share' agrees to share the posted summary in the channel.
CREATE TABLE repair_consents (
    repair_id INTEGER NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('post', 'share')),
    version   INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (repair_id, user_id, kind)
);

-- "How are things now?" answers, one per person.
CREATE TABLE repair_followups (
    repair_id INTEGER NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    answer    TEXT    NOT NULL CHECK (answer IN ('better', 'same', 'worse')),
    note      TEXT,
    at        INTEGER NOT NULL,
    PRIMARY KEY (repair_id, user_id)
);

-- Ask for clarification: one request about one message, answered in a thread.
CREATE TABLE clarifications (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    -- Where the message asked about lives (a channel or a thread).
    channel_id         INTEGER NOT NULL,
    message_id         INTEGER NOT NULL,
    author_id          INTEGER NOT NULL,
    asker_id           INTEGER NOT NULL,
    question           TEXT,
    -- The thread the request was posted in, and the request message (with the Clarified button).
    thread_id          INTEGER,
    request_message_id INTEGER,
    state              TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'clarified')),
    closed_by          TEXT    CHECK (closed_by IN ('button', 'reply')),
    created_at         INTEGER NOT NULL,
    closed_at          INTEGER,
    -- One gentle reminder: when it is planned (quiet hours applied) and when it went out.
    remind_at          INTEGER,
    reminded_at        INTEGER,
    CHECK (author_id <> asker_id)
);

CREATE UNIQUE INDEX clarifications_one_open ON clarifications (message_id, asker_id) WHERE state = 'open';
CREATE INDEX clarifications_open_thread ON clarifications (thread_id, author_id) WHERE state = 'open';
CREATE INDEX clarifications_asker ON clarifications (guild_id, asker_id, state);
CREATE INDEX clarifications_author ON clarifications (guild_id, author_id, state);
CREATE INDEX clarifications_reminders ON clarifications (remind_at) WHERE state = 'open' AND reminded_at IS NULL;
CREATE INDEX clarifications_closed ON clarifications (guild_id, closed_at) WHERE state = 'clarified';
