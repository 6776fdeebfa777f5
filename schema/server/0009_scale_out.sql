-- Several server processes on one store (issue 12). Born on both stores: the embedded store
-- keeps its material bytes in files and writes no heartbeats, but holds the same tables.

-- Each running server process (run id) and when it last said it is alive. A lease held by a
-- run that stopped saying so is free; a store whose processes write no heartbeat (the embedded
-- store, one process) treats every earlier run's lease as free at once.
CREATE TABLE server_run (
    run        TEXT PRIMARY KEY NOT NULL,
    started_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);

-- The bytes of uploads in flight when they live in the database (a part is its rows, each
-- appended at a recorded offset), so a PATCH may land on any process.
CREATE TABLE upload_part (
    upload_id TEXT PRIMARY KEY NOT NULL
);

CREATE TABLE upload_part_chunk (
    upload_id    TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    bytes        BLOB NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);

-- Verified content by SHA-256, in pieces of at most 1 MiB.
CREATE TABLE content_chunk (
    sha256 TEXT NOT NULL,
    idx    INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, idx)
);
