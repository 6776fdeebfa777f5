-- Claim standards versioned by effective date; the same table as
-- schema/server/0014_standard_versions.sql.
CREATE TABLE claim_standard_version (
    id               TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    standard_id      TEXT COLLATE "C" NOT NULL REFERENCES claim_standard(id),
    effective_from   TEXT COLLATE "C" NOT NULL,
    ratio_bp         BIGINT,
    amount           TEXT COLLATE "C",
    cap              TEXT COLLATE "C",
    waiting_days     BIGINT,
    observation_days BIGINT,
    consolation      TEXT COLLATE "C",
    created_by       TEXT COLLATE "C",
    clocks           TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    UNIQUE (standard_id, effective_from)
);
