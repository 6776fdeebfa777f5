-- Client replica, version 10: later rules of claim standards, for the offline estimate.
CREATE TABLE claim_standard_version (
    id TEXT PRIMARY KEY NOT NULL,
    standard_id TEXT, effective_from TEXT, ratio_bp INTEGER, amount TEXT, cap TEXT,
    waiting_days INTEGER, observation_days INTEGER, consolation TEXT, created_by TEXT,
    clocks TEXT NOT NULL DEFAULT '{}'
);
