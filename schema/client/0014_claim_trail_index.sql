-- Client replica, version 14: a claim's trail found by its claim. Every claim view reads it,
-- and a field worker's replica holds the trails of thousands of claims.
CREATE INDEX claim_trail_by_claim ON claim_trail (claim_id);
