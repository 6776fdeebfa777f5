-- Staff account administration (issue 14); the same columns as
-- schema/server/0013_account_admin.sql.

ALTER TABLE account ADD COLUMN disabled_at TEXT COLLATE "C";

CREATE TABLE account_audit (
    id         TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    at         TEXT COLLATE "C" NOT NULL,
    actor      TEXT COLLATE "C" NOT NULL,
    action     TEXT COLLATE "C" NOT NULL,
    target     TEXT COLLATE "C" NOT NULL,
    org_path   TEXT COLLATE "C" NOT NULL,
    detail     TEXT COLLATE "C" NOT NULL
);

CREATE INDEX account_audit_org ON account_audit (org_path, at);
