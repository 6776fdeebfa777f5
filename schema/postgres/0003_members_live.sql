-- Members go live on their own (issue 13); the same tables as schema/server/0010_members_live.sql.

CREATE TABLE verification_code (
    purpose    TEXT COLLATE "C" NOT NULL CHECK (purpose IN ('activate', 'reset')),
    subject    TEXT COLLATE "C" NOT NULL,
    code_hash  TEXT COLLATE "C" NOT NULL,
    mobile     TEXT COLLATE "C" NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    expires_at TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (purpose, subject)
);

CREATE TABLE code_request (
    key          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    count        BIGINT NOT NULL,
    window_start TEXT COLLATE "C" NOT NULL,
    last_sent    TEXT COLLATE "C" NOT NULL
);

ALTER TABLE account ADD COLUMN mobile TEXT COLLATE "C";

ALTER TABLE session ADD COLUMN id TEXT COLLATE "C";
ALTER TABLE session ADD COLUMN client_id TEXT COLLATE "C";
ALTER TABLE session ADD COLUMN last_seen TEXT COLLATE "C";
ALTER TABLE session ADD COLUMN address TEXT COLLATE "C";
-- Sessions from before: an id from their token hash (not the token), last seen when made.
UPDATE session SET id = substr(token_hash, 1, 16), last_seen = created_at;
CREATE UNIQUE INDEX session_public_id ON session (id);
CREATE INDEX session_account ON session (account_id);
