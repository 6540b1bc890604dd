-- Asking a proposal's owner (the DM "will you take this on?") as due work of the one dispatcher
-- (bot/scheduling/dispatch.py): the question is a row before it is a message. A proposal is stored with
-- ask_due_at set and claimed (claimed_by, claimed_until: 0010_claims.sql) by the process that asks at once; a
-- process killed before the question went out leaves the row due, and a restart (or any process, once the claim
-- runs out) asks. ask_started_at: when a send was first tried (the question carries a deterministic nonce, so a
-- resend within Discord's nonce window is dropped if the first one arrived; later it is not resent).
-- ask_delivery: how the owner was asked (dm, channel, failed, or unknown when a send was cut short too long ago).
-- Proposals stored before this migration keep NULLs: nothing is known about their question.
ALTER TABLE commitments ADD COLUMN ask_due_at INTEGER;
ALTER TABLE commitments ADD COLUMN ask_started_at INTEGER;
ALTER TABLE commitments ADD COLUMN ask_delivery TEXT;
CREATE INDEX commitments_ask_due ON commitments (ask_due_at, claimed_until) WHERE ask_due_at IS NOT NULL;
