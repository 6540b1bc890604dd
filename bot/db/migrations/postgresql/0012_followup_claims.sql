-- PostgreSQL twin of the SQLite migration 0012 (same columns and indexes; epochs are BIGINT).
-- Leased claims for the due work of commitments, clarifications, repairs and the weekly digest: every kind is
-- a DueWork source of the one dispatcher (bot/scheduling/dispatch.py). A process claims a due row for a while
-- (claimed_by, claimed_until epoch seconds) before acting on it, so two processes never act on the same row;
-- a claim left by a process that died ends by itself and the row is claimed again.
-- The claim columns of the other tables come with 0010; the digest posts get theirs here.
ALTER TABLE digest_posts ADD COLUMN claimed_by TEXT;
ALTER TABLE digest_posts ADD COLUMN claimed_until BIGINT;

-- The due columns (commitments.next_nudge_at, clarifications.remind_at and repairs.followup_at are indexed
-- since 0003 and 0005): the next digest of each server, and digests recorded but not yet sent.
CREATE INDEX digest_schedules_due ON digest_schedules (next_run_at);
CREATE INDEX digest_posts_sending ON digest_posts (recorded_at) WHERE status = 'posting';

-- Rows under a claim: few at any time, read when the dispatcher re-arms.
CREATE INDEX commitments_claimed ON commitments (claimed_until) WHERE claimed_until IS NOT NULL;
CREATE INDEX clarifications_claimed ON clarifications (claimed_until) WHERE claimed_until IS NOT NULL;
CREATE INDEX repairs_claimed ON repairs (claimed_until) WHERE claimed_until IS NOT NULL;
CREATE INDEX digest_schedules_claimed ON digest_schedules (claimed_until) WHERE claimed_until IS NOT NULL;
CREATE INDEX digest_posts_claimed ON digest_posts (claimed_until) WHERE claimed_until IS NOT NULL;
