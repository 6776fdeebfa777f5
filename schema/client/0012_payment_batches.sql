-- The bank's reason of a failed payment, as the server last said (cleared by a card change).
ALTER TABLE claim ADD COLUMN payment_failure TEXT;
