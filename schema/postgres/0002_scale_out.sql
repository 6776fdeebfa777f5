-- Several server processes on one store (issue 12); the same tables as
-- schema/server/0009_scale_out.sql.

-- Each running server process (run id) and when it last said it is alive: a lease held by a
-- run that stopped saying so is free.
CREATE TABLE server_run (
    run        TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    started_at TEXT COLLATE "C" NOT NULL,
    seen_at    TEXT COLLATE "C" NOT NULL
);

-- The bytes of uploads in flight (a part is its rows, each appended at a recorded offset), so
-- a PATCH may land on any process.
CREATE TABLE upload_part (
    upload_id TEXT COLLATE "C" PRIMARY KEY NOT NULL
);

CREATE TABLE upload_part_chunk (
    upload_id    TEXT COLLATE "C" NOT NULL,
    start_offset BIGINT NOT NULL,
    bytes        BYTEA NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);

-- Verified content by SHA-256, in pieces of at most 1 MiB.
CREATE TABLE content_chunk (
    sha256 TEXT COLLATE "C" NOT NULL,
    idx    BIGINT NOT NULL,
    bytes  BYTEA NOT NULL,
    PRIMARY KEY (sha256, idx)
);
