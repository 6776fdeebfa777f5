-- The push ledger, one row per pushed batch (issue 15): the answers a batch gave to the changes
-- it handled for the first time, as one JSON array, found by the device (`node`) and the range
-- of outbox numbers it covers. A row per change cost about as much as the bulk insert a push is
-- measured against. Ids of another shape than "device:number" still get a row each, in
-- `applied_change_row` (the ledger's table until now), which also keeps every answer written
-- before. `applied_change` becomes a view of both, for reading.
ALTER TABLE applied_change RENAME TO applied_change_row;
CREATE TABLE applied_batch (
    account_id TEXT NOT NULL,
    node       TEXT NOT NULL,
    first_seq  INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    -- [[seq, tbl, record_id, status, reason, digest], ...] in the batch's order; last, so that
    -- finding a batch by its range does not read it.
    answers    TEXT NOT NULL,
    PRIMARY KEY (account_id, node, first_seq)
);
CREATE VIEW applied_change AS
SELECT account_id, change_id, tbl, record_id, status, reason, applied_at, digest FROM applied_change_row
UNION ALL
SELECT b.account_id, b.node || ':' || json_extract(a.value, '$[0]'), json_extract(a.value, '$[1]'),
       json_extract(a.value, '$[2]'), json_extract(a.value, '$[3]'), json_extract(a.value, '$[4]'),
       b.applied_at, json_extract(a.value, '$[5]')
FROM applied_batch AS b, json_each(b.answers) AS a;
