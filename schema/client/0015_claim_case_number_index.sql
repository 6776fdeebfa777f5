-- Client replica, version 15: a claim found by its case number. Every command that names a
-- claim resolves it by id, case number or id prefix, and a field worker's replica holds
-- thousands of claims.
CREATE INDEX claim_by_case_number ON claim (case_number);
