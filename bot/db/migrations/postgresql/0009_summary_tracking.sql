-- PostgreSQL: the same tables, columns, constraints and indexes as sqlite/0009_summary_tracking.sql. Ids, Discord snowflakes
-- and epoch seconds are BIGINT; row ids are identity columns (BY DEFAULT, so `db copy` can keep them).
-- Track action items asks each owner after the commitment and its claim on the item are committed.
-- asked_at is set once the owner has been asked; a commitment_id with no asked_at means the bot stopped in
-- between, and the next Track (once the claim is older than a few minutes) asks them then.
ALTER TABLE summary_action_items ADD COLUMN asked_at BIGINT;
UPDATE summary_action_items SET asked_at = proposed_at WHERE commitment_id IS NOT NULL;
