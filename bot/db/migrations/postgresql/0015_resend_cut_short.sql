-- PostgreSQL: the same as sqlite/0015_resend_cut_short.sql.
-- Nudges and check-in reminders cut short by a crash are sent again, within Discord's nonce window, instead of
-- being taken as sent (a nudge) or as failed (a reminder). Both kinds keep their deterministic nonce, so a second
-- try within the window is dropped by Discord if the first one arrived; a try cut short longer ago is not resent
-- and is recorded 'unknown' (we cannot know whether it arrived).
--
-- checkin_reminders: 'sending' while a reminder is being sent (sent_at: when the first try started; the claim is
-- kept until it is recorded), 'unknown' as above. The due index covers both pending and sending rows.
-- commitment_nudges: 'unknown' as above.

ALTER TABLE checkin_reminders DROP CONSTRAINT checkin_reminders_status_check;
ALTER TABLE checkin_reminders ADD CONSTRAINT checkin_reminders_status_check
    CHECK (status IN ('pending', 'sending', 'dm', 'channel', 'dropped', 'failed', 'not_needed', 'unknown'));
DROP INDEX checkin_reminders_due;
CREATE INDEX checkin_reminders_due ON checkin_reminders (due_at, claimed_until)
    WHERE status IN ('pending', 'sending');

ALTER TABLE commitment_nudges DROP CONSTRAINT commitment_nudges_delivery_check;
ALTER TABLE commitment_nudges ADD CONSTRAINT commitment_nudges_delivery_check
    CHECK (delivery IN ('pending', 'dm', 'channel', 'failed', 'unknown'));

-- clarifications: remind_delivery records how the one reminder went (dm, failed, unknown). reminded_at set with
-- remind_delivery NULL is a reminder being sent, or cut short: still due, sent again within the window. Reminders
-- sent before this migration are recorded 'unknown' (nothing says how they went).
ALTER TABLE clarifications ADD COLUMN remind_delivery TEXT;
UPDATE clarifications SET remind_delivery = 'unknown' WHERE reminded_at IS NOT NULL;
DROP INDEX clarifications_reminders;
CREATE INDEX clarifications_reminders ON clarifications (remind_at) WHERE state = 'open' AND remind_delivery IS NULL;
