-- Members go live on their own (issue 13): SMS codes for activation and password reset, the
-- counters that rate-limit sending them, a mobile on staff accounts, and sessions a person can
-- list and end.

-- One code per purpose and subject (a member for activation, an account for a reset), kept
-- only as a hash; a new request replaces the old one.
CREATE TABLE verification_code (
    purpose    TEXT NOT NULL CHECK (purpose IN ('activate', 'reset')),
    subject    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    mobile     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (purpose, subject)
);

-- Code requests per person, per mobile and per client address in the current window (keys
-- are hashes: no ID number or mobile in clear).
CREATE TABLE code_request (
    key          TEXT PRIMARY KEY NOT NULL,
    count        INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    last_sent    TEXT NOT NULL
);

ALTER TABLE account ADD COLUMN mobile TEXT;

ALTER TABLE session ADD COLUMN id TEXT;
ALTER TABLE session ADD COLUMN client_id TEXT;
ALTER TABLE session ADD COLUMN last_seen TEXT;
ALTER TABLE session ADD COLUMN address TEXT;
-- Sessions from before: an id from their token hash (not the token), last seen when made.
UPDATE session SET id = substr(token_hash, 1, 16), last_seen = created_at;
CREATE UNIQUE INDEX session_public_id ON session (id);
CREATE INDEX session_account ON session (account_id);
