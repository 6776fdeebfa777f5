-- Central store, version 8: the disability grade table as catalogue data, the reason for an
-- explicit disability ratio, and the digest of the inputs a claim's amount was calculated from.

-- 伤残等级表: synced to every client (audience: everyone).
CREATE TABLE disability_grade (
    id        TEXT PRIMARY KEY NOT NULL,
    grade     INTEGER NOT NULL UNIQUE CHECK (grade >= 1),
    name      TEXT NOT NULL,
    ratio_bp  INTEGER NOT NULL CHECK (ratio_bp BETWEEN 1 AND 10000),  -- payout ratio: 4000 = 40.00%
    clocks    TEXT NOT NULL DEFAULT '{}'
);

-- Staff may enter a ratio instead of a grade (未定级 40%) only with a reason.
ALTER TABLE claim ADD COLUMN disability_ratio_reason TEXT;
-- Server only, never synced: the digest of everything the stored amount was calculated from;
-- when the claim's inputs no longer give this digest the amount is voided.
ALTER TABLE claim ADD COLUMN amount_inputs TEXT;
