-- PostgreSQL: the same as sqlite/0013_checkin_due_work.sql.
-- Check-ins in the one job style: each kind of due work is rows with a due instant in an indexed column,
-- claimed with a lease (claimed_by, claimed_until: 0010_claims.sql) before it is acted on, then moved on (the due
-- column to the next instant, or NULL) with the claim cleared.

-- The schedule: a check-in is due at next_run_at (already NULL while paused or deleted).
CREATE INDEX checkins_due ON checkins (next_run_at, claimed_until) WHERE next_run_at IS NOT NULL;

-- A run's next step (post its prompt, open its thread, plan its reminders, close it, share its digest) is due at
-- due_at, NULL once nothing is left to do. attempts counts the step's transient failures, for the backoff.
ALTER TABLE checkin_runs ADD COLUMN due_at BIGINT;
ALTER TABLE checkin_runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
UPDATE checkin_runs SET due_at = recorded_at WHERE status = 'posting';
UPDATE checkin_runs SET due_at = CASE
        WHEN message_id IS NOT NULL AND thread_id IS NULL THEN recorded_at
        WHEN remind_at IS NOT NULL AND reminders_planned = 0 AND remind_at < closes_at THEN remind_at
        ELSE closes_at
    END
    WHERE status = 'open';
UPDATE checkin_runs SET due_at = COALESCE(closed_at, closes_at)
    WHERE status = 'closed' AND digest_posted_at IS NULL AND failure IS NULL;
CREATE INDEX checkin_runs_due ON checkin_runs (due_at, claimed_until) WHERE due_at IS NOT NULL;

-- A planned reminder is due at due_at while it is pending.
DROP INDEX checkin_reminders_pending;
CREATE INDEX checkin_reminders_due ON checkin_reminders (due_at, claimed_until) WHERE status = 'pending';
