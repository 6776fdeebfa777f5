-- Finance in batches (申领付款, issue 14): the bank's reason when a transfer failed. The case
-- waits in payment-failed until its card is changed (卡号修改), which clears the reason.
ALTER TABLE claim ADD COLUMN payment_failure TEXT;
