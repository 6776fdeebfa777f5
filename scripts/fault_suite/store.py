"""Read-only views of the server's case store for the checks, one per storage:

- the embedded store: DIR/case-store.sqlite read with Python's sqlite3, material bytes in
  files DIR/materials/<ab>/<sha256>, upload parts in DIR/uploads/<id>.part;
- PostgreSQL (`--database URL`): the same tables read through the `psql` command (no Python
  driver is installed, and none may be), material bytes in `content_chunk` rows (pieces of at
  most 1 MiB, hashed in idx order), upload parts in `upload_part` + `upload_part_chunk`.

Both give the checks the same thing: `reader()` yields an object whose `execute(sql, params)`
returns the rows as a list of tuples (`?` placeholders), and the content/part questions are
asked of the store itself."""

import contextlib
import hashlib
import json
import os
import select
import sqlite3
import subprocess
import time
import uuid

from . import procs

PSQL = "/usr/bin/psql"
QUERY_TIMEOUT = 60.0


class PsqlError(Exception):
    pass


# What reading the store may raise: the suite reports these as problems, not suite errors.
ERRORS = (sqlite3.Error, PsqlError)


def open_store(registry, data_dir, database=None):
    return PostgresStore(registry, database) if database else SqliteStore(data_dir)


def first(rows):
    """The first row of `rows` (a list from `execute`), None when there is none."""
    return rows[0] if rows else None


class _SqliteReader:
    def __init__(self, db):
        self.db = db

    def execute(self, sql, params=()):
        return self.db.execute(sql, params).fetchall()


class SqliteStore:
    """The embedded store, opened read only for each reading (the server keeps writing it)."""

    content_noun = "stored file"

    def __init__(self, data_dir):
        self.data = data_dir
        self.db_path = os.path.join(data_dir, "case-store.sqlite")

    @contextlib.contextmanager
    def reader(self):
        db = sqlite3.connect("file:%s?mode=ro" % self.db_path, uri=True, timeout=30)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            yield _SqliteReader(db)
        finally:
            db.close()

    def _content_path(self, sha):
        return os.path.join(self.data, "materials", sha[:2], sha)

    def content_label(self, sha):
        return "stored file materials/%s/%s…" % (sha[:2], sha[:12])

    def content_size(self, sha):
        """Bytes stored for content `sha`, None when there is none."""
        try:
            return os.path.getsize(self._content_path(sha))
        except OSError:
            return None

    def content_sha256(self, sha):
        h = hashlib.sha256()
        with open(self._content_path(sha), "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    def part_state(self, upload_id):
        present = os.path.exists(os.path.join(self.data, "uploads", upload_id + ".part"))
        return "part file %s" % ("present" if present else "MISSING")

    def content_state(self, sha):
        return "stored file %s" % ("present" if os.path.exists(self._content_path(sha)) else "absent")

    def close(self):
        pass


class PostgresStore:
    """The case store on PostgreSQL, through one long-lived psql session (a psql per query
    costs ~40 ms, and a round's checks ask hundreds of questions once claims pile up)."""

    content_noun = "stored content"

    def __init__(self, registry, url):
        self.url = url
        self.psql = Psql(registry, url)

    @contextlib.contextmanager
    def reader(self):
        yield self.psql

    def content_label(self, sha):
        return "stored content (content_chunk rows of %s…)" % sha[:12]

    def content_size(self, sha):
        row = first(self.psql.execute("SELECT COUNT(*) AS pieces, SUM(length(bytes)) AS size "
                                      "FROM content_chunk WHERE sha256 = ?", (sha,)))
        return row[1] if row and row[0] else None

    def content_sha256(self, sha):
        """SHA-256 of the pieces concatenated in idx order, hashed by PostgreSQL (the bytes
        need not cross the pipe)."""
        row = first(self.psql.execute("SELECT encode(sha256(string_agg(bytes, ''::bytea ORDER BY idx)), 'hex') AS h "
                                      "FROM content_chunk WHERE sha256 = ?", (sha,)))
        return row[0] if row else None

    def part_state(self, upload_id):
        row = first(self.psql.execute("SELECT (SELECT COUNT(*) FROM upload_part WHERE upload_id = ?) AS parts, "
                                      "(SELECT COUNT(*) FROM upload_part_chunk WHERE upload_id = ?) AS chunks, "
                                      "(SELECT COALESCE(SUM(length(bytes)), 0) FROM upload_part_chunk "
                                      "WHERE upload_id = ?) AS size", (upload_id, upload_id, upload_id)))
        parts, chunks, size = row
        if not parts:
            return "part row MISSING" + (" (%d orphan chunk rows)" % chunks if chunks else "")
        return "part row present (%d chunk rows, %d B)" % (chunks, size)

    def content_state(self, sha):
        size = self.content_size(sha)
        return "stored content absent" if size is None else "stored content present (%d B)" % size

    def close(self):
        self.psql.close()


def literal(value):
    """`value` as an SQL literal: NULL, an integer, or a string in single quotes ('' inside;
    standard_conforming_strings is on, so a backslash is just a backslash)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        if "\0" in value:
            raise PsqlError("NUL in a string parameter")
        return "'" + value.replace("'", "''") + "'"
    raise PsqlError("unsupported parameter type %s" % type(value).__name__)


def substitute(sql, params):
    """`sql` with each `?` replaced by the next parameter as a literal. The suite's queries
    have no `?` inside their own string literals."""
    pieces = sql.split("?")
    if len(pieces) - 1 != len(params):
        raise PsqlError("%d placeholders for %d parameters in: %s" % (len(pieces) - 1, len(params), sql))
    out = [pieces[0]]
    for value, piece in zip(params, pieces[1:]):
        out.append(literal(value))
        out.append(piece)
    return "".join(out)


def _tuples(pairs):
    """json object hook: the row's values in column order (row_to_json keeps the order, and a
    duplicate column name does not lose a value)."""
    return tuple(v for _, v in pairs)


class Psql:
    """One `psql` session on stdin/stdout. Each query is wrapped as
    SELECT COALESCE(json_agg(row_to_json(t)), '[]') FROM (<sql>) t, so integers stay
    integers and NULL is None, and is followed by an \\echo of a marker line, so the answer is
    everything before the marker. Errors (psql's stderr goes to the same pipe) are anything
    that is not one JSON line. A session that died or timed out is started again on the next
    query."""

    def __init__(self, registry, url, timeout=QUERY_TIMEOUT):
        self.registry = registry
        self.url = url
        self.timeout = timeout
        self.proc = None
        self.marker = "__fault_suite_%s__" % uuid.uuid4().hex

    def _start(self):
        env = procs.base_env({"PGCLIENTENCODING": "UTF8", "PGCONNECT_TIMEOUT": "10"})
        self.proc = self.registry.spawn([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=0",
                                         "-v", "VERBOSITY=terse", self.url],
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)

    def execute(self, sql, params=()):
        text = substitute(sql, params)
        wrapped = ("SELECT replace(COALESCE(json_agg(row_to_json(t)), '[]')::text, E'\\n', ' ') FROM (%s) t;\n"
                   "\\echo %s\n" % (text, self.marker))
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        try:
            self.proc.stdin.write(wrapped.encode("utf-8"))
            self.proc.stdin.flush()
            answer = self._read_answer()
        except (OSError, PsqlError) as e:
            self.close()
            raise PsqlError("psql: %s (query: %s)" % (e, _short(text)))
        lines = [l for l in answer.splitlines() if l.strip()]
        if len(lines) != 1 or not lines[0].startswith("["):
            raise PsqlError("%s (query: %s)" % (" | ".join(lines) or "no answer", _short(text)))
        try:
            return json.loads(lines[0], object_pairs_hook=_tuples)
        except ValueError as e:
            raise PsqlError("unreadable answer %s: %s" % (_short(lines[0]), e))

    def _read_answer(self):
        """Everything psql writes before the marker line, within the timeout."""
        fd = self.proc.stdout.fileno()
        end = ("\n" + self.marker + "\n").encode()
        buf = b"\n"
        deadline = time.monotonic() + self.timeout
        while not buf.endswith(end):
            left = deadline - time.monotonic()
            if left <= 0:
                raise PsqlError("no answer within %.0f s" % self.timeout)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            data = os.read(fd, 1 << 16)
            if not data:
                raise PsqlError("session ended: %s" % _short(buf.decode(errors="replace")))
            buf += data
        return buf[1:-len(end)].decode("utf-8", errors="replace")

    def close(self):
        if self.proc is not None:
            for f in (self.proc.stdin, self.proc.stdout):
                try:
                    f.close()
                except OSError:
                    pass
            procs.kill(self.proc)
            self.proc = None


def _short(text, n=200):
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"
