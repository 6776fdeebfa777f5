-- Client replica, version 1: settings, the outbox, rejected changes, the member profile.

-- Key/value settings: client id, server URL, session, sync cursor, clock.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Local changes not yet acknowledged by the server. A row is written in the same transaction
-- as the data it describes and deleted only after the server's answer for it.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl        TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    fields     TEXT NOT NULL,            -- JSON object of the changed fields
    hlc        TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Changes the server refused, kept with its reason so the user sees them.
CREATE TABLE rejected_change (
    change_id   TEXT PRIMARY KEY NOT NULL,
    tbl         TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    fields      TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    reason      TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);

-- The member's own profile; `clocks` holds the HLC of each field for last-writer-wins.
CREATE TABLE profile (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT,
    mobile       TEXT,
    bank_account TEXT,
    bank_name    TEXT,
    clocks       TEXT NOT NULL DEFAULT '{}'
);
