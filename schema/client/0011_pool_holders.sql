-- Who holds an application or a registration in its work pool, as the server last said.
ALTER TABLE enrolment_application ADD COLUMN holder_login TEXT;
ALTER TABLE enrolment_application ADD COLUMN holder_name TEXT;
ALTER TABLE unit_registration ADD COLUMN holder_login TEXT;
ALTER TABLE unit_registration ADD COLUMN holder_name TEXT;
