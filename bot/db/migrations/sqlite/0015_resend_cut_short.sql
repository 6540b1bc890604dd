-- Nudges and check-in reminders cut short by a crash are sent again, within Discord's nonce window, instead of
-- being taken as sent (a nudge) or as failed (a reminder). Both kinds keep their deterministic nonce, so a second
-- try within the window is dropped by Discord if the first one arrived; a try cut short longer ago is not resent
-- and is recorded 'unknown' (we cannot know whether it arrived).
--
-- checkin_reminders: 'sending' while a reminder is being sent (sent_at: when the first try started; the claim is
-- kept until it is recorded), 'unknown' as above. The due index covers both pending and sending rows.
-- commitment_nudges: 'unknown' as above. SQLite cannot change a CHECK constraint in place: both tables are
-- rebuilt with their rows (no table refers to either).

CREATE TABLE checkin_reminders_new (
    run_id        INTEGER NOT NULL REFERENCES checkin_runs (id),
    user_id       INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'dm', 'channel', 'dropped', 'failed',
                                                     'not_needed', 'unknown')),
    sent_at       INTEGER,
    claimed_by    TEXT,
    claimed_until INTEGER,
    PRIMARY KEY (run_id, user_id)
) WITHOUT ROWID;
INSERT INTO checkin_reminders_new (run_id, user_id, due_at, status, sent_at, claimed_by, claimed_until)
    SELECT run_id, user_id, due_at, status, sent_at, claimed_by, claimed_until FROM checkin_reminders;
DROP TABLE checkin_reminders;
ALTER TABLE checkin_reminders_new RENAME TO checkin_reminders;
CREATE INDEX checkin_reminders_due ON checkin_reminders (due_at, claimed_until)
    WHERE status IN ('pending', 'sending');

CREATE TABLE commitment_nudges_new (
    commitment_id INTEGER NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    round         INTEGER NOT NULL,
    step          TEXT    NOT NULL,
    planned_at    INTEGER NOT NULL,
    recorded_at   INTEGER NOT NULL,
    delivery      TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (delivery IN ('pending', 'dm', 'channel', 'failed', 'unknown')),
    PRIMARY KEY (commitment_id, round, step)
);
INSERT INTO commitment_nudges_new (commitment_id, round, step, planned_at, recorded_at, delivery)
    SELECT commitment_id, round, step, planned_at, recorded_at, delivery FROM commitment_nudges;
DROP TABLE commitment_nudges;
ALTER TABLE commitment_nudges_new RENAME TO commitment_nudges;

-- clarifications: remind_delivery records how the one reminder went (dm, failed, unknown). reminded_at set with
-- remind_delivery NULL is a reminder being sent, or cut short: still due, sent again within the window. Reminders
-- sent before this migration are recorded 'unknown' (nothing says how they went).
ALTER TABLE clarifications ADD COLUMN remind_delivery TEXT;
UPDATE clarifications SET remind_delivery = 'unknown' WHERE reminded_at IS NOT NULL;
DROP INDEX clarifications_reminders;
CREATE INDEX clarifications_reminders ON clarifications (remind_at) WHERE state = 'open' AND remind_delivery IS NULL;
