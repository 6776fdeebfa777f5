-- Central store, version 11: the message centre (消息中心). The server writes a message in the
-- transaction of the business change it reports (a claim accepted, material requested, a
-- review concluded, a case paid or refused, an enrolment confirmed or returned, a unit
-- approved); `read` is the recipient's, pushed from any of their devices.

-- A message is addressed to a member (member_id; org_path = the member's unit, as for other
-- member records) or to the accounts of one organisation (member_id NULL; org_path = that
-- organisation's path, e.g. a unit's clerks).
CREATE TABLE message (
    id          TEXT PRIMARY KEY NOT NULL,
    member_id   TEXT REFERENCES member(id),
    org_path    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    at          TEXT NOT NULL,
    case_number TEXT,
    subject_id  TEXT,
    read        INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    clocks      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX message_by_member ON message (member_id);
CREATE INDEX message_by_org ON message (org_path) WHERE member_id IS NULL;

-- Feed entries only the accounts of exactly `org_path` pull (a message to a unit's clerks):
-- not the agencies above, whose subtree holds that path too. Such entries are also
-- `member_only`, so the subtree rule never hands them out.
ALTER TABLE change_feed ADD COLUMN org_only INTEGER NOT NULL DEFAULT 0;
CREATE INDEX change_feed_org_only ON change_feed (org_path, seq) WHERE org_only = 1;
