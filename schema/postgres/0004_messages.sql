-- The message centre (消息中心); the same tables as schema/server/0011_messages.sql.

CREATE TABLE message (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    member_id   TEXT COLLATE "C" REFERENCES member(id),
    org_path    TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    text        TEXT COLLATE "C" NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    case_number TEXT COLLATE "C",
    subject_id  TEXT COLLATE "C",
    read        BIGINT NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    clocks      TEXT COLLATE "C" NOT NULL DEFAULT '{}'
);
CREATE INDEX message_by_member ON message (member_id);
CREATE INDEX message_by_org ON message (org_path) WHERE member_id IS NULL;

-- Feed entries only the accounts of exactly `org_path` pull (see the embedded store's 0011).
ALTER TABLE change_feed ADD COLUMN org_only BIGINT NOT NULL DEFAULT 0;
CREATE INDEX change_feed_org_only ON change_feed (org_path, seq) WHERE org_only = 1;
