-- Lifts from the restricted list; the same table as schema/server/0019_restriction_lifts.sql.
CREATE TABLE restriction_lift (
    id         TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    id_number  TEXT COLLATE "C" NOT NULL,
    note       TEXT COLLATE "C",
    marked_by  TEXT COLLATE "C" NOT NULL,
    marked_at  TEXT COLLATE "C" NOT NULL,
    lifted_by  TEXT COLLATE "C" NOT NULL,
    lifted_at  TEXT COLLATE "C" NOT NULL,
    lift_note  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX restriction_lift_id_number ON restriction_lift (id_number);
