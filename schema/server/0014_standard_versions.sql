-- Claim standards versioned by effective date (issue 14, 活动管理): a later rule of a standard
-- applies to claims whose incident or admission falls on or after `effective_from`; the
-- standard's own row stays the rule before the first version.
CREATE TABLE claim_standard_version (
    id               TEXT PRIMARY KEY NOT NULL,    -- "<standard id>@<effective from>"
    standard_id      TEXT NOT NULL REFERENCES claim_standard(id),
    effective_from   TEXT NOT NULL,
    ratio_bp         INTEGER,
    amount           TEXT,
    cap              TEXT,
    waiting_days     INTEGER,
    observation_days INTEGER,
    consolation      TEXT,
    created_by       TEXT,
    clocks           TEXT NOT NULL DEFAULT '{}',
    UNIQUE (standard_id, effective_from)
);
