-- 增减员 (issue 14 item 7): a change application (变更申请) is an enrolment application linked
-- to the confirmed application it changes; its list rows add persons, or (removal = 1) end the
-- cover of persons that application insured.
ALTER TABLE enrolment_application ADD COLUMN original_id TEXT;
ALTER TABLE enrolment_person ADD COLUMN removal INTEGER;
CREATE INDEX enrolment_application_by_original ON enrolment_application (original_id);
