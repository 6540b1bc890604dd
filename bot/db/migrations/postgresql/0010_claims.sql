-- PostgreSQL: the same columns as sqlite/0010_claims.sql.
-- Leases for due work: a process claims a row (claimed_by: its name, never a member's id; claimed_until: when
-- the lease ends, a UTC instant in whole seconds since the epoch) before acting on it, so several processes on
-- one database never act on the same row, and a row whose process died is claimed again once the lease ends.
ALTER TABLE checkins ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
ALTER TABLE checkin_runs ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
ALTER TABLE checkin_reminders ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
ALTER TABLE commitments ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
ALTER TABLE clarifications ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
ALTER TABLE repairs ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
ALTER TABLE digest_schedules ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
ALTER TABLE data_rights_outbox ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
ALTER TABLE guild_removals ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
