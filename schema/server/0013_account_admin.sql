-- The office's own administration of staff accounts (issue 14, 权限管理): an account can be
-- disabled (it then neither logs in nor syncs, its sessions are gone), and every change to an
-- account is kept in an audit trail: who, when, what.

ALTER TABLE account ADD COLUMN disabled_at TEXT;

-- One row per change. `org_path` is the changed account's organisation at the time, so an
-- agency sees the trail of its own subtree only. `detail` says what changed, in Chinese; it never holds a password.
CREATE TABLE account_audit (
    id         TEXT PRIMARY KEY NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    org_path   TEXT NOT NULL,
    detail     TEXT NOT NULL
);

CREATE INDEX account_audit_org ON account_audit (org_path, at);
