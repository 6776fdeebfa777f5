-- The office's own organisation tree (issue 14, 权限管理): an agency can be closed (it takes
-- no new registrations; it must have no open sub-agency and no enabled account left).
ALTER TABLE org ADD COLUMN closed_at TEXT;
