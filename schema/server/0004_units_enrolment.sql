-- Central case store, version 4: units and enrolment — registrations and their certificate
-- photos, units and contacts, enrolment applications with person lists, imports and trail,
-- staff decisions, the SMS outbox, and the activity catalogue as a synced table.

-- The catalogue syncs to every client now: it needs clocks, and its rows a feed entry.
ALTER TABLE activity ADD COLUMN clocks TEXT NOT NULL DEFAULT '{}';
INSERT INTO change_feed (tbl, record_id, op, org_path, member_id, member_only, is_public, fields, clocks, created_at)
SELECT 'activity', id, 'upsert', '', NULL, 0, 1,
       json_object('name', name, 'subtype', subtype, 'fee', fee, 'minEnrolmentRatePct', min_enrolment_rate_pct),
       json_object('name', s.stamp, 'subtype', s.stamp, 'fee', s.stamp, 'minEnrolmentRatePct', s.stamp),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM activity, (SELECT printf('%016d-00000-server', CAST(strftime('%s', 'now') AS INTEGER) * 1000) AS stamp) AS s
ORDER BY id;

-- A unit's data beside its org node (same id); org_path is the unit's own path.
CREATE TABLE unit (
    id           TEXT PRIMARY KEY NOT NULL REFERENCES org(id),
    member_id    TEXT,
    org_path     TEXT NOT NULL,
    name         TEXT NOT NULL,
    nature       TEXT, cert_type TEXT, cert_expiry TEXT,
    code         TEXT NOT NULL,
    union_name   TEXT, union_code TEXT, industry TEXT, parent_unit TEXT, region TEXT, address TEXT,
    classified   INTEGER NOT NULL DEFAULT 0,
    agency_id    TEXT NOT NULL,
    agency_name  TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'merged')),
    merged_into  TEXT,
    login        TEXT,
    clocks       TEXT NOT NULL DEFAULT '{}'
);
-- One active unit per code: a second registration of the same unit is refused.
CREATE UNIQUE INDEX unit_active_code ON unit (code) WHERE state = 'active';

CREATE TABLE unit_contact (
    id           TEXT PRIMARY KEY NOT NULL,
    member_id    TEXT,
    org_path     TEXT NOT NULL,
    unit_id      TEXT NOT NULL REFERENCES unit(id),
    name         TEXT, position TEXT, office_phone TEXT, mobile TEXT, email TEXT,
    valid        INTEGER NOT NULL DEFAULT 1,
    clocks       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX unit_contact_by_unit ON unit_contact (unit_id);

-- org_path is the agency's path: its agents (and those above) review it.
CREATE TABLE unit_registration (
    id                TEXT PRIMARY KEY NOT NULL,
    member_id         TEXT,
    org_path          TEXT NOT NULL,
    office_id TEXT, agency_id TEXT, agency_name TEXT, name TEXT, nature TEXT, cert_type TEXT,
    cert_expiry TEXT, code TEXT, union_name TEXT, union_code TEXT, industry TEXT, parent_unit TEXT,
    region TEXT, address TEXT, classified INTEGER, contact_name TEXT, position TEXT, office_phone TEXT,
    mobile TEXT, email TEXT, licence_sha256 TEXT, union_cert_sha256 TEXT,
    source            TEXT NOT NULL CHECK (source IN ('self', 'agent')),
    state             TEXT NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected')),
    review_note TEXT, reviewer TEXT, unit_id TEXT, login TEXT, submitted_at TEXT,
    -- SHA-256 of the form as first sent: the same id sent again must carry the same form
    form_hash         TEXT NOT NULL,
    clocks            TEXT NOT NULL DEFAULT '{}'
);

-- Certificate photos, content-addressed.
CREATE TABLE certificate_image (
    sha256   TEXT PRIMARY KEY NOT NULL,
    content  BLOB NOT NULL
);

-- Staff decisions as they were pushed (an audit record).
CREATE TABLE work_action (
    id          TEXT PRIMARY KEY NOT NULL,
    member_id   TEXT,
    org_path    TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    subject TEXT NOT NULL, subject_id TEXT NOT NULL, action TEXT NOT NULL,
    decision TEXT, note TEXT, data TEXT,
    applied_at  TEXT NOT NULL,
    clocks      TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE enrolment_application (
    id                   TEXT PRIMARY KEY NOT NULL,   -- made by the client that created it
    member_id            TEXT,
    org_path             TEXT NOT NULL,               -- the unit's path
    unit_id              TEXT NOT NULL REFERENCES org(id),
    lines TEXT, new_employment INTEGER, employees INTEGER, women INTEGER, high_risk INTEGER,
    application_date TEXT,
    submission           INTEGER NOT NULL DEFAULT 0,
    handled_submission   INTEGER NOT NULL DEFAULT 0,
    state                TEXT NOT NULL DEFAULT 'draft',
    unit_name TEXT, agency_id TEXT, agency_name TEXT, summary TEXT, checks TEXT, fees TEXT,
    fixed_effective_date TEXT, period_start TEXT, period_end TEXT,
    letter_number        TEXT UNIQUE,
    confirmed_at TEXT,
    print_count          INTEGER NOT NULL DEFAULT 0,
    archive_note TEXT,
    clocks               TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE enrolment_person (
    id              TEXT PRIMARY KEY NOT NULL,
    member_id       TEXT,
    org_path        TEXT NOT NULL,
    application_id  TEXT NOT NULL REFERENCES enrolment_application(id) ON DELETE CASCADE,
    activity_id     TEXT NOT NULL,
    import_id TEXT, row_number INTEGER,
    name            TEXT NOT NULL,
    id_number       TEXT NOT NULL,
    mobile          TEXT,
    clocks          TEXT NOT NULL DEFAULT '{}'
);
-- A person once per activity list: the schema itself refuses a duplicate.
CREATE UNIQUE INDEX enrolment_person_once ON enrolment_person (application_id, activity_id, id_number);

CREATE TABLE enrolment_import (
    id              TEXT PRIMARY KEY NOT NULL,
    member_id       TEXT,
    org_path        TEXT NOT NULL,
    application_id  TEXT NOT NULL REFERENCES enrolment_application(id) ON DELETE CASCADE,
    activity_id TEXT, file_name TEXT, total INTEGER, succeeded INTEGER, failed_count INTEGER,
    failed TEXT, imported_at TEXT,
    clocks          TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE enrolment_trail (
    id              TEXT PRIMARY KEY NOT NULL,
    member_id       TEXT,
    org_path        TEXT NOT NULL,
    application_id  TEXT NOT NULL,
    step TEXT NOT NULL, state TEXT NOT NULL, note TEXT, operator TEXT NOT NULL, at TEXT NOT NULL,
    clocks          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX enrolment_trail_by_application ON enrolment_trail (application_id);

-- Member enrolments made by a confirmed application point back at it.
ALTER TABLE enrolment ADD COLUMN application_id TEXT;
CREATE INDEX enrolment_by_id_number ON enrolment (id_number, activity_id);

-- The default SMS gateway: messages wait here for the operator (`sync-server sms list`).
CREATE TABLE sms_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    mobile      TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
