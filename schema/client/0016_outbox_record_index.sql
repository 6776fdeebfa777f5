-- Client replica, version 16: a record's unsent changes found by its id. A claim's, an
-- enrolment application's and a case action's view ask how many of its changes wait in the
-- outbox; a field worker offline for days has thousands there, and each view scanned them all.
CREATE INDEX outbox_by_record ON outbox (record_id);
