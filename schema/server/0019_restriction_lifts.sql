-- Persons taken off the restricted list (限制名单, issue 14): the mark they had, and who
-- lifted it, when and why. The row leaves restricted_person, so the person can be marked again.
CREATE TABLE restriction_lift (
    id         TEXT PRIMARY KEY NOT NULL,
    id_number  TEXT NOT NULL,
    note       TEXT,
    marked_by  TEXT NOT NULL,
    marked_at  TEXT NOT NULL,
    lifted_by  TEXT NOT NULL,
    lifted_at  TEXT NOT NULL,
    lift_note  TEXT NOT NULL
);
CREATE INDEX restriction_lift_id_number ON restriction_lift (id_number);
