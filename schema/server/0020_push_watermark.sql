-- The highest outbox number each device of an account has had answered (issue 15). A pushed
-- change numbered above it was never answered, so its batch need not ask applied_change for
-- it. Written with the ledger rows, in the same transaction. Only ids of the strict shape
-- count (ChangeId.parts: up to the first ':' the device, then 1 to 18 digits without a
-- leading zero); any other id is always looked up. The existing ledger is parsed here the
-- same way.
CREATE TABLE push_watermark (
    account_id TEXT NOT NULL,
    node       TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (account_id, node)
);
INSERT INTO push_watermark (account_id, node, seq)
SELECT account_id, node, MAX(CAST(digits AS INTEGER))
FROM (
    SELECT account_id, substr(change_id, 1, instr(change_id, ':') - 1) AS node,
           substr(change_id, instr(change_id, ':') + 1) AS digits
    FROM applied_change
    WHERE instr(change_id, ':') > 0
) AS ids
WHERE length(digits) BETWEEN 1 AND 18 AND digits GLOB '[1-9]*' AND digits NOT GLOB '*[^0-9]*'
GROUP BY account_id, node;
