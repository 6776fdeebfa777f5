-- Finance in batches (申领付款, issue 14): the bank's reason when a transfer failed; the same
-- column as schema/server/0017_payment_batches.sql.
ALTER TABLE claim ADD COLUMN payment_failure TEXT COLLATE "C";
