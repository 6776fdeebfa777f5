-- Client replica, version 9: the message centre (消息中心). Messages arrive by pull; `read`
-- is set here (with its outbox entry) and pushed, so the recipient's other devices see it.

CREATE TABLE message (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT, text TEXT, at TEXT, case_number TEXT, subject_id TEXT,
    read INTEGER,
    clocks TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX message_newest ON message (at);
