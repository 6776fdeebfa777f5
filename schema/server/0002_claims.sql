-- Central case store, version 2: enrolment records, the material checklist, claims with
-- their materials and process trail, resumable uploads and content-addressed material files.
-- Money columns are decimal strings with two places; synced tables keep a `clocks` column.

CREATE TABLE enrolment (
    id            TEXT PRIMARY KEY NOT NULL,
    member_id     TEXT NOT NULL REFERENCES member(id),
    org_path      TEXT NOT NULL,
    unit_name     TEXT NOT NULL,
    insured_name  TEXT NOT NULL,
    relation      TEXT NOT NULL DEFAULT '本人',
    id_number     TEXT NOT NULL,
    activity_id   TEXT NOT NULL REFERENCES activity(id),
    activity_name TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    shares        INTEGER NOT NULL CHECK (shares > 0),
    fee           TEXT NOT NULL,
    renewal       INTEGER NOT NULL DEFAULT 0,
    clocks        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX enrolment_by_member ON enrolment (member_id);

CREATE TABLE material_item (
    id         TEXT PRIMARY KEY NOT NULL,   -- claim type + "/" + item
    claim_type TEXT NOT NULL,
    item       TEXT NOT NULL,
    name       TEXT NOT NULL,
    required   INTEGER NOT NULL,
    max_count  INTEGER NOT NULL CHECK (max_count > 0),
    sort_order INTEGER NOT NULL,
    clocks     TEXT NOT NULL DEFAULT '{}',
    UNIQUE (claim_type, item)
);

CREATE TABLE claim (
    id                 TEXT PRIMARY KEY NOT NULL,  -- made by the client that created the draft
    member_id          TEXT NOT NULL REFERENCES member(id),
    org_path           TEXT NOT NULL,              -- the member's unit
    claim_type         TEXT,
    enrolment_id       TEXT,
    standard_ids       TEXT,
    admitted           TEXT,
    discharged         TEXT,
    incident_date      TEXT,
    hospital           TEXT,
    diagnosis          TEXT,
    note               TEXT,
    payee_relation     TEXT,
    payee_name         TEXT,
    payee_mobile       TEXT,
    payee_bank_account TEXT,
    payee_bank_name    TEXT,
    submission         INTEGER NOT NULL DEFAULT 0,
    case_number        TEXT UNIQUE,
    state              TEXT NOT NULL DEFAULT 'draft',
    source             TEXT,
    amount             TEXT,
    accepted_at        TEXT,
    supplement_items   TEXT,
    handled_submission INTEGER NOT NULL DEFAULT 0,
    clocks             TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX claim_by_member ON claim (member_id);
CREATE INDEX claim_by_path ON claim (org_path, state);

CREATE TABLE claim_material (
    id           TEXT PRIMARY KEY NOT NULL,
    claim_id     TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    member_id    TEXT NOT NULL,
    org_path     TEXT NOT NULL,
    item         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    verified     INTEGER NOT NULL DEFAULT 0,
    clocks       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX claim_material_by_claim ON claim_material (claim_id);

CREATE TABLE claim_trail (
    id        TEXT PRIMARY KEY NOT NULL,
    claim_id  TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL,
    org_path  TEXT NOT NULL,
    step      TEXT NOT NULL,
    state     TEXT NOT NULL,
    note      TEXT,
    operator  TEXT NOT NULL,
    at        TEXT NOT NULL,
    clocks    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX claim_trail_by_claim ON claim_trail (claim_id);

-- Issued numbers (case numbers, letters): one running sequence per name.
CREATE TABLE number_sequence (
    name TEXT PRIMARY KEY NOT NULL,
    next INTEGER NOT NULL
);

-- tus uploads in progress. Bytes up to `offset` are durable in the part file.
CREATE TABLE upload (
    id          TEXT PRIMARY KEY NOT NULL,
    account_id  TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    material_id TEXT NOT NULL,
    length      INTEGER NOT NULL,
    "offset"    INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    completed   INTEGER NOT NULL DEFAULT 0
);

-- Material content, stored once per SHA-256 whoever uploaded it.
CREATE TABLE material_blob (
    sha256 TEXT PRIMARY KEY NOT NULL,
    bytes  INTEGER NOT NULL,
    stored_at TEXT NOT NULL
);
