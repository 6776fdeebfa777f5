-- The push ledger, one row per pushed batch; the same tables and view as
-- schema/server/0022_ledger_batches.sql. An instance of the release before, still running in a
-- rolling upgrade, reads every answer through the view and cannot write a ledger row into it:
-- it refuses a push (the client sends it again) rather than apply a change twice.
ALTER TABLE applied_change RENAME TO applied_change_row;
CREATE TABLE applied_batch (
    account_id TEXT COLLATE "C" NOT NULL,
    node       TEXT COLLATE "C" NOT NULL,
    first_seq  BIGINT NOT NULL,
    last_seq   BIGINT NOT NULL,
    applied_at TEXT COLLATE "C" NOT NULL,
    answers    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, node, first_seq)
);
-- Stored out of line uncompressed: mostly hex digests, which pglz shrank little for the time it
-- took in the push's transaction.
ALTER TABLE applied_batch ALTER COLUMN answers SET STORAGE EXTERNAL;
CREATE VIEW applied_change AS
SELECT account_id, change_id, tbl, record_id, status, reason, applied_at, digest FROM applied_change_row
UNION ALL
SELECT b.account_id, b.node || ':' || (a.answer ->> 0), a.answer ->> 1, a.answer ->> 2, a.answer ->> 3,
       a.answer ->> 4, b.applied_at, a.answer ->> 5
FROM applied_batch AS b CROSS JOIN LATERAL json_array_elements(CAST(b.answers AS json)) AS a(answer);
