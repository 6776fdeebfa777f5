-- Client replica, version 8: the disability grade table and the reason for an explicit ratio.

CREATE TABLE disability_grade (
    id TEXT PRIMARY KEY NOT NULL,
    grade INTEGER, name TEXT, ratio_bp INTEGER,
    clocks TEXT NOT NULL DEFAULT '{}'
);

ALTER TABLE claim ADD COLUMN disability_ratio_reason TEXT;
