-- The HTTP SMS gateway (`sync-server serve --sms-gateway-url`) drains the outbox itself: a
-- message is posted until the provider answers 2xx, and a failed post is tried again later,
-- so nothing written here is lost while the provider is down. Without a gateway these columns
-- stay untouched and the operator reads the outbox as before (`sync-server sms list`).

-- Posts tried and failed, the last failure (a status or transport error: never the text or
-- the mobile), and when the next try is due (NULL: at once).
ALTER TABLE sms_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sms_outbox ADD COLUMN last_error TEXT;
ALTER TABLE sms_outbox ADD COLUMN next_attempt_at TEXT;
-- Which post (a token of one claim) holds the message and until when, so two server processes
-- on one store never post the same message at the same time.
ALTER TABLE sms_outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE sms_outbox ADD COLUMN lease_until TEXT;
-- The gateway looks only at what is still to be sent.
CREATE INDEX sms_outbox_undelivered ON sms_outbox (id) WHERE delivered_at IS NULL;
