-- Push watermarks; the same table and backfill as schema/server/0020_push_watermark.sql.
CREATE TABLE push_watermark (
    account_id TEXT COLLATE "C" NOT NULL,
    node       TEXT COLLATE "C" NOT NULL,
    seq        BIGINT NOT NULL,
    PRIMARY KEY (account_id, node)
);
INSERT INTO push_watermark (account_id, node, seq)
SELECT account_id, parts[1], MAX(CAST(parts[2] AS BIGINT))
FROM (
    SELECT account_id, regexp_match(change_id, '^([^:]*):([1-9][0-9]{0,17})$') AS parts
    FROM applied_change
) AS ids
WHERE parts IS NOT NULL
GROUP BY account_id, parts[1];
