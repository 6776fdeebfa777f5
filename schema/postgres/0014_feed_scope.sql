-- Where each feed entry staff may see (member_only = 0) is filed: one row per subtree path its
-- org_path lies under (every prefix ending in "/", and the path itself; Scope.subtreePaths).
-- A staff pull reads its subtree's entries here in feed order. Through the (org_path, seq)
-- index they came path by path, so every page read and sorted the whole rest of the subtree
-- (issue 15). Written with the feed entry, in the same transaction.
CREATE TABLE feed_scope (
    scope TEXT NOT NULL,
    seq   BIGINT NOT NULL,
    PRIMARY KEY (scope, seq)
);
WITH RECURSIVE cut(seq, path, at) AS (
    SELECT seq, org_path, strpos(org_path, '/') FROM change_feed WHERE member_only = 0 AND strpos(org_path, '/') > 0
    UNION ALL
    SELECT seq, path, at + strpos(substr(path, at + 1), '/') FROM cut WHERE strpos(substr(path, at + 1), '/') > 0
)
INSERT INTO feed_scope (scope, seq)
SELECT substr(path, 1, at), seq FROM cut
UNION
SELECT org_path, seq FROM change_feed WHERE member_only = 0;
