-- Client replica, version 2: enrolments, catalogue, claims with materials and trail, and
-- the local state of material uploads. Sensitive columns hold AES-GCM sealed text.

CREATE TABLE enrolment (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT, unit_name TEXT, insured_name TEXT, relation TEXT, id_number TEXT,
    activity_id TEXT, activity_name TEXT, period_start TEXT, period_end TEXT,
    shares INTEGER, fee TEXT, renewal INTEGER,
    clocks TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE claim_standard (
    id TEXT PRIMARY KEY NOT NULL,
    activity_id TEXT, claim_type TEXT, name TEXT, method TEXT, ratio_bp INTEGER, amount TEXT,
    cap TEXT, waiting_days INTEGER, observation_days INTEGER, consolation TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE material_item (
    id TEXT PRIMARY KEY NOT NULL,
    claim_type TEXT, item TEXT, name TEXT, required INTEGER, max_count INTEGER, sort_order INTEGER,
    clocks TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE claim (
    id TEXT PRIMARY KEY NOT NULL,
    claim_type TEXT, enrolment_id TEXT, standard_ids TEXT, admitted TEXT, discharged TEXT,
    incident_date TEXT, hospital TEXT, diagnosis TEXT, note TEXT, payee_relation TEXT,
    payee_name TEXT, payee_mobile TEXT, payee_bank_account TEXT, payee_bank_name TEXT,
    submission INTEGER, member_id TEXT, case_number TEXT, state TEXT, source TEXT, amount TEXT,
    accepted_at TEXT, supplement_items TEXT, handled_submission INTEGER,
    created_at TEXT,                        -- local only
    clocks TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE claim_material (
    id TEXT PRIMARY KEY NOT NULL,
    claim_id TEXT, item TEXT, sha256 TEXT, bytes INTEGER, content_type TEXT, verified INTEGER,
    clocks TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX claim_material_by_claim ON claim_material (claim_id);

CREATE TABLE claim_trail (
    id TEXT PRIMARY KEY NOT NULL,
    claim_id TEXT, step TEXT, state TEXT, note TEXT, operator TEXT, at TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);

-- Where each material's upload stands; local only, never synced.
CREATE TABLE material_upload (
    material_id TEXT PRIMARY KEY NOT NULL,
    upload_url  TEXT,
    done        INTEGER NOT NULL DEFAULT 0
);
