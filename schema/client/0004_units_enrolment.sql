-- Client replica, version 4: units and enrolment — the activity catalogue, units and their
-- contacts, registrations, enrolment applications with their person lists, imports and trail,
-- and the local unit-registration drafts (sent without an account).

CREATE TABLE activity (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT, subtype TEXT, fee TEXT, min_enrolment_rate_pct INTEGER,
    clocks TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE unit (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT, nature TEXT, cert_type TEXT, cert_expiry TEXT, code TEXT, union_name TEXT,
    union_code TEXT, industry TEXT, parent_unit TEXT, region TEXT, address TEXT, classified INTEGER,
    agency_id TEXT, agency_name TEXT, state TEXT, merged_into TEXT, login TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE unit_contact (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT, name TEXT, position TEXT, office_phone TEXT, mobile TEXT, email TEXT, valid INTEGER,
    clocks TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX unit_contact_by_unit ON unit_contact (unit_id);

CREATE TABLE unit_registration (
    id TEXT PRIMARY KEY NOT NULL,
    office_id TEXT, agency_id TEXT, agency_name TEXT, name TEXT, nature TEXT, cert_type TEXT,
    cert_expiry TEXT, code TEXT, union_name TEXT, union_code TEXT, industry TEXT, parent_unit TEXT,
    region TEXT, address TEXT, classified INTEGER, contact_name TEXT, position TEXT, office_phone TEXT,
    mobile TEXT, email TEXT, licence_sha256 TEXT, union_cert_sha256 TEXT, source TEXT, state TEXT,
    review_note TEXT, reviewer TEXT, unit_id TEXT, login TEXT, submitted_at TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);

-- Staff decisions are pushed and never pulled; the table holds them until they are sent.
CREATE TABLE work_action (
    id TEXT PRIMARY KEY NOT NULL,
    subject TEXT, subject_id TEXT, action TEXT, decision TEXT, note TEXT, data TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE enrolment_application (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT, lines TEXT, new_employment INTEGER, employees INTEGER, women INTEGER,
    high_risk INTEGER, application_date TEXT, submission INTEGER, handled_submission INTEGER,
    state TEXT, unit_name TEXT, agency_id TEXT, agency_name TEXT, summary TEXT, checks TEXT,
    fees TEXT, fixed_effective_date TEXT, period_start TEXT, period_end TEXT, letter_number TEXT,
    confirmed_at TEXT, print_count INTEGER, archive_note TEXT,
    created_at TEXT,                        -- local only
    clocks TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX enrolment_application_by_letter ON enrolment_application (letter_number);

CREATE TABLE enrolment_person (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT, activity_id TEXT, import_id TEXT, row_number INTEGER, name TEXT,
    id_number TEXT, mobile TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX enrolment_person_by_list ON enrolment_person (application_id, activity_id);

CREATE TABLE enrolment_import (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT, activity_id TEXT, file_name TEXT, total INTEGER, succeeded INTEGER,
    failed_count INTEGER, failed TEXT, imported_at TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE enrolment_trail (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT, step TEXT, state TEXT, note TEXT, operator TEXT, at TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX enrolment_trail_by_application ON enrolment_trail (application_id);

-- A unit's self-registration, kept until the server has it. The form (with contact data) is
-- sealed with the store key; the photos sit sealed in the vault.
CREATE TABLE registration_draft (
    id              TEXT PRIMARY KEY NOT NULL,
    form            TEXT NOT NULL,
    licence_sha256  TEXT NOT NULL,
    union_sha256    TEXT NOT NULL,
    sent_at         TEXT,
    state           TEXT,                   -- as the server last reported it
    review_note     TEXT,
    login           TEXT,
    unit_id         TEXT,
    created_at      TEXT NOT NULL
);
