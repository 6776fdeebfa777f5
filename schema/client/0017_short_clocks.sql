-- Client replica, version 17: a row pulled whole with every field stamped by one change may
-- hold its clocks as '=STAMP' (every non-NULL column has that stamp) instead of JSON
-- (SyncStorage/ClocksColumn.swift). No table changes; the version tells a release that cannot
-- read that form (from this one on, every release refuses a replica a newer one has migrated).
SELECT 1;
