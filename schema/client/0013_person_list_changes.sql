-- 增减员: change applications point at the application they change; list rows may be removals.
ALTER TABLE enrolment_application ADD COLUMN original_id TEXT;
ALTER TABLE enrolment_person ADD COLUMN removal INTEGER;
CREATE INDEX enrolment_application_by_original ON enrolment_application (original_id);
