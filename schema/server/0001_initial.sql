-- Central case store, version 1: organisations, accounts, sessions, members, the catalogue,
-- exactly-once bookkeeping and the change feed.

CREATE TABLE org (
    id        TEXT PRIMARY KEY NOT NULL,
    parent_id TEXT REFERENCES org(id),
    level     TEXT NOT NULL CHECK (level IN ('association', 'office', 'city', 'county', 'unit')),
    code      TEXT,
    name      TEXT NOT NULL,
    path      TEXT NOT NULL UNIQUE           -- "/2602/sl/sz/u1/": a subtree is a prefix
);

CREATE TABLE member (
    id           TEXT PRIMARY KEY NOT NULL,
    unit_id      TEXT NOT NULL REFERENCES org(id),
    name         TEXT NOT NULL,
    id_number    TEXT NOT NULL UNIQUE,
    mobile       TEXT,
    bank_account TEXT,
    bank_name    TEXT,
    clocks       TEXT NOT NULL DEFAULT '{}'  -- HLC per field, for last-writer-wins
);

CREATE TABLE account (
    id                   TEXT PRIMARY KEY NOT NULL,
    login                TEXT NOT NULL UNIQUE,
    role                 TEXT NOT NULL CHECK (role IN ('member', 'unit', 'agent', 'office', 'finance')),
    org_id               TEXT NOT NULL REFERENCES org(id),
    name                 TEXT NOT NULL,
    member_id            TEXT REFERENCES member(id),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    created_at           TEXT NOT NULL
);

-- Bearer tokens, stored only as their SHA-256.
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Activity catalogue (保障活动) and the claim standards (申领标准) each activity bundles.
CREATE TABLE activity (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    subtype    TEXT NOT NULL,
    fee        TEXT NOT NULL,            -- money as a decimal string with two places, per share
    min_enrolment_rate_pct INTEGER NOT NULL DEFAULT 0
);

-- Synced to every client (audience: everyone); money columns are decimal strings.
CREATE TABLE claim_standard (
    id           TEXT PRIMARY KEY NOT NULL,
    activity_id  TEXT NOT NULL REFERENCES activity(id),
    claim_type   TEXT NOT NULL CHECK (claim_type IN ('hospitalization', 'accident-disability',
                     'accident-death', 'critical-illness', 'female-critical-illness')),
    name         TEXT NOT NULL,
    -- how the benefit is computed: a ratio of the medical base, an amount per day, a fixed
    -- amount, or the standard's amount times the disability grade's ratio
    method       TEXT NOT NULL CHECK (method IN ('medical-ratio', 'daily-allowance', 'fixed', 'disability-ratio')),
    ratio_bp     INTEGER,          -- payout ratio in basis points: 7000 = 70.00%
    amount       TEXT,             -- fixed amount or per-day amount per share
    cap          TEXT,             -- upper limit per share, if any
    waiting_days INTEGER NOT NULL DEFAULT 0,      -- nothing is paid this many days into cover
    observation_days INTEGER NOT NULL DEFAULT 0,  -- only the consolation is paid until then
    consolation  TEXT,             -- paid inside the observation period, per share
    clocks       TEXT NOT NULL DEFAULT '{}'
);

-- Exactly-once: every change id the server has handled, per account (so nobody can
-- pre-empt another account's change id), with the outcome it answered.
CREATE TABLE applied_change (
    account_id TEXT NOT NULL,
    change_id  TEXT NOT NULL,
    tbl        TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
    reason     TEXT,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (account_id, change_id)
);

-- The ordered feed each user pulls from. `org_path` decides which staff see an entry;
-- `member_id` which member does; `member_only` hides an entry from staff; `is_public`
-- entries (the catalogue) go to everyone.
CREATE TABLE change_feed (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl         TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    op          TEXT NOT NULL,
    org_path    TEXT NOT NULL,
    member_id   TEXT,
    member_only INTEGER NOT NULL DEFAULT 0,
    is_public   INTEGER NOT NULL DEFAULT 0,
    fields      TEXT NOT NULL,
    clocks      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX change_feed_by_member ON change_feed (member_id, seq);
CREATE INDEX change_feed_by_path ON change_feed (org_path, seq);
CREATE INDEX change_feed_public ON change_feed (is_public, seq);
