-- Client replica, version 3: the fields and tables of the staff claim workflow.

ALTER TABLE claim_trail ADD COLUMN duration_seconds INTEGER;
ALTER TABLE claim ADD COLUMN insured_status TEXT;
ALTER TABLE claim ADD COLUMN disability_item TEXT;
ALTER TABLE claim ADD COLUMN disability_grade INTEGER;
ALTER TABLE claim ADD COLUMN disability_ratio_bp INTEGER;
ALTER TABLE claim ADD COLUMN holder_login TEXT;
ALTER TABLE claim ADD COLUMN holder_name TEXT;
ALTER TABLE claim ADD COLUMN accepted_by TEXT;
ALTER TABLE claim ADD COLUMN restricted INTEGER;
ALTER TABLE claim ADD COLUMN office_reviewed INTEGER;
ALTER TABLE claim ADD COLUMN suspended_from TEXT;
ALTER TABLE claim ADD COLUMN detour_from TEXT;
ALTER TABLE claim ADD COLUMN step_started_at TEXT;
ALTER TABLE claim ADD COLUMN archive_number TEXT;
ALTER TABLE claim ADD COLUMN archive_note TEXT;
ALTER TABLE claim ADD COLUMN archive_mode TEXT;
ALTER TABLE claim ADD COLUMN payment_reference TEXT;
ALTER TABLE claim ADD COLUMN paid_at TEXT;
ALTER TABLE claim ADD COLUMN linked_case TEXT;

CREATE TABLE settlement_sheet (
    id TEXT PRIMARY KEY NOT NULL,
    claim_id TEXT, hospital TEXT, hospital_level TEXT, insurance_type TEXT, sheet_number TEXT,
    admitted TEXT, discharged TEXT, total TEXT, in_scope TEXT, pooled TEXT, deductible TEXT,
    large_amount TEXT, partial_self_pay TEXT, full_self_pay TEXT, over_limit_self_pay TEXT,
    personal_account TEXT, cash TEXT, personal_burden TEXT, out_of_area INTEGER, third_party TEXT,
    civil_servant_subsidy TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX settlement_sheet_by_claim ON settlement_sheet (claim_id);

CREATE TABLE benefit_line (
    id TEXT PRIMARY KEY NOT NULL,
    claim_id TEXT, standard_id TEXT, standard_name TEXT, base_amount TEXT, base_days INTEGER,
    shares INTEGER, ratio_bp INTEGER, benefit TEXT, note TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX benefit_line_by_claim ON benefit_line (claim_id);

-- Staff actions are pushed and never pulled; the table holds them until they are sent.
CREATE TABLE case_action (
    id TEXT PRIMARY KEY NOT NULL,
    claim_id TEXT, action TEXT, decision TEXT, note TEXT, items TEXT, archive_number TEXT,
    archive_mode TEXT, reference TEXT, bank_account TEXT, bank_name TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);

-- Why a material's upload was refused (it is then skipped until the claim changes).
ALTER TABLE material_upload ADD COLUMN error TEXT;
