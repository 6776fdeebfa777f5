-- Login back-off (issue 10): failed attempts counted per (login, client address), per address
-- and per login, in the database so that several server instances can share them. Replaces
-- account.failed_logins / account.locked_until, which are no longer read.
-- key: "pair␟login␟address", "addr␟address" or "login␟login" (␟ = U+001F).
CREATE TABLE login_backoff (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL CHECK (failures > 0),
    last_failure TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_backoff_by_last_failure ON login_backoff (last_failure);
