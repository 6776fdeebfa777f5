-- Closing an agency; the same column as schema/server/0015_org_admin.sql.
ALTER TABLE org ADD COLUMN closed_at TEXT COLLATE "C";
