-- Work pools for enrolment steps and registration review (issue 14): who acquired (获取) the
-- application or registration; cleared when it moves to another step or is released.
ALTER TABLE enrolment_application ADD COLUMN holder_login TEXT;
ALTER TABLE enrolment_application ADD COLUMN holder_name TEXT;
ALTER TABLE unit_registration ADD COLUMN holder_login TEXT;
ALTER TABLE unit_registration ADD COLUMN holder_name TEXT;
