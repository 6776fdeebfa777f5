-- The HTTP SMS gateway drains the outbox itself; the same columns as
-- schema/server/0012_sms_delivery.sql.

ALTER TABLE sms_outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_outbox ADD COLUMN last_error TEXT COLLATE "C";
ALTER TABLE sms_outbox ADD COLUMN next_attempt_at TEXT COLLATE "C";
ALTER TABLE sms_outbox ADD COLUMN lease_owner TEXT COLLATE "C";
ALTER TABLE sms_outbox ADD COLUMN lease_until TEXT COLLATE "C";

CREATE INDEX sms_outbox_undelivered ON sms_outbox (id) WHERE delivered_at IS NULL;
