-- Central case store, version 3: the claim workflow of staff — who holds a case, archive,
-- push and payment data, incident details for cost entry, settlement sheets, benefit lines,
-- staff actions (pushed through sync like any change) and the restricted list.

ALTER TABLE claim_trail ADD COLUMN duration_seconds INTEGER;
ALTER TABLE claim ADD COLUMN insured_status TEXT;          -- alive / deceased
ALTER TABLE claim ADD COLUMN disability_item TEXT;
ALTER TABLE claim ADD COLUMN disability_grade INTEGER;
ALTER TABLE claim ADD COLUMN disability_ratio_bp INTEGER;
ALTER TABLE claim ADD COLUMN holder_login TEXT;            -- the reviewer who acquired the case
ALTER TABLE claim ADD COLUMN holder_name TEXT;
ALTER TABLE claim ADD COLUMN accepted_by TEXT;             -- the agency that accepted (does first review)
ALTER TABLE claim ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim ADD COLUMN office_reviewed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim ADD COLUMN suspended_from TEXT;
ALTER TABLE claim ADD COLUMN detour_from TEXT;
ALTER TABLE claim ADD COLUMN step_started_at TEXT;
ALTER TABLE claim ADD COLUMN archive_number TEXT;
ALTER TABLE claim ADD COLUMN archive_note TEXT;
ALTER TABLE claim ADD COLUMN archive_mode TEXT;
ALTER TABLE claim ADD COLUMN payment_reference TEXT;
ALTER TABLE claim ADD COLUMN paid_at TEXT;
ALTER TABLE claim ADD COLUMN linked_case TEXT;             -- for a supplementary payment (补赔)
CREATE INDEX claim_by_holder ON claim (holder_login);

CREATE TABLE settlement_sheet (
    id                    TEXT PRIMARY KEY NOT NULL,
    claim_id              TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    member_id             TEXT NOT NULL,
    org_path              TEXT NOT NULL,
    hospital              TEXT, hospital_level TEXT, insurance_type TEXT, sheet_number TEXT,
    admitted              TEXT, discharged TEXT,
    total                 TEXT, in_scope TEXT, pooled TEXT, deductible TEXT, large_amount TEXT,
    partial_self_pay      TEXT, full_self_pay TEXT, over_limit_self_pay TEXT, personal_account TEXT,
    cash                  TEXT, personal_burden TEXT, out_of_area INTEGER, third_party TEXT,
    civil_servant_subsidy TEXT,
    clocks                TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX settlement_sheet_by_claim ON settlement_sheet (claim_id);

CREATE TABLE benefit_line (
    id            TEXT PRIMARY KEY NOT NULL,      -- claim id + "/" + standard id
    claim_id      TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    member_id     TEXT NOT NULL,
    org_path      TEXT NOT NULL,
    standard_id   TEXT NOT NULL,
    standard_name TEXT NOT NULL,
    base_amount   TEXT NOT NULL,
    base_days     INTEGER,
    shares        INTEGER NOT NULL,
    ratio_bp      INTEGER NOT NULL,
    benefit       TEXT NOT NULL,
    note          TEXT,
    clocks        TEXT NOT NULL DEFAULT '{}'
);

-- Staff actions as they were pushed (an audit record); refused actions are not kept here
-- but in applied_change with their reason.
CREATE TABLE case_action (
    id             TEXT PRIMARY KEY NOT NULL,
    claim_id       TEXT NOT NULL,
    member_id      TEXT,
    org_path       TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    action         TEXT NOT NULL,
    decision       TEXT, note TEXT, items TEXT, archive_number TEXT, archive_mode TEXT,
    reference      TEXT, bank_account TEXT, bank_name TEXT,
    applied_at     TEXT NOT NULL,
    clocks         TEXT NOT NULL DEFAULT '{}'
);

-- Persons on the restricted list (限制名单): every later claim of theirs is flagged.
CREATE TABLE restricted_person (
    id_number  TEXT PRIMARY KEY NOT NULL,
    note       TEXT,
    marked_by  TEXT NOT NULL,
    marked_at  TEXT NOT NULL
);
