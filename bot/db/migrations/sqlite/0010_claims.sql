-- Leases for due work: a process claims a row (claimed_by: its name, never a member's id; claimed_until: when
-- the lease ends, a UTC instant in whole seconds since the epoch) before acting on it, so several processes on
-- one database never act on the same row, and a row whose process died is claimed again once the lease ends.
ALTER TABLE checkins ADD COLUMN claimed_by TEXT;
ALTER TABLE checkins ADD COLUMN claimed_until INTEGER;
ALTER TABLE checkin_runs ADD COLUMN claimed_by TEXT;
ALTER TABLE checkin_runs ADD COLUMN claimed_until INTEGER;
ALTER TABLE checkin_reminders ADD COLUMN claimed_by TEXT;
ALTER TABLE checkin_reminders ADD COLUMN claimed_until INTEGER;
ALTER TABLE commitments ADD COLUMN claimed_by TEXT;
ALTER TABLE commitments ADD COLUMN claimed_until INTEGER;
ALTER TABLE clarifications ADD COLUMN claimed_by TEXT;
ALTER TABLE clarifications ADD COLUMN claimed_until INTEGER;
ALTER TABLE repairs ADD COLUMN claimed_by TEXT;
ALTER TABLE repairs ADD COLUMN claimed_until INTEGER;
ALTER TABLE digest_schedules ADD COLUMN claimed_by TEXT;
ALTER TABLE digest_schedules ADD COLUMN claimed_until INTEGER;
ALTER TABLE data_rights_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE data_rights_outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE guild_removals ADD COLUMN claimed_by TEXT;
ALTER TABLE guild_removals ADD COLUMN claimed_until INTEGER;
