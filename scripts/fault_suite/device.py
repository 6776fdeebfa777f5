"""A member's device: one member-cli data folder (--home), one member per device, and what
the suite expects the server to hold from it."""

import json
import os
import sqlite3
import subprocess

from . import procs

CHUNK_ENV = {"MEMBER_CLI_CHUNK_BYTES": "65536"}
CMD_TIMEOUT = 60.0     # an offline edit, status, verify
SYNC_TIMEOUT = 120.0   # one sync run (the client's own retries are bounded: 4 attempts, 60 s exchange)


class CommandFailed(Exception):
    pass


class Material:
    def __init__(self, material_id, claim_id, item, sha256, size):
        self.id = material_id
        self.claim_id = claim_id
        self.item = item
        self.sha256 = sha256
        self.size = size
        self.hashed = False   # stored file's hash already checked once


class Claim:
    def __init__(self, claim_id, fields):
        self.id = claim_id
        self.fields = fields          # server column -> value we sent
        self.materials = []
        self.submitted = False


class Device:
    def __init__(self, registry, bin_dir, home, login, password, name):
        self.registry = registry
        self.exe = os.path.join(bin_dir, "member-cli")
        self.home = home
        self.login = login
        self.password = password
        self.name = name
        self.index = 0
        self.client_id = None
        self.account_id = None
        self.member_id = None
        self.last_mobile = None       # the last value `profile set` saved on this device
        self.claims = []
        self.produced = 0             # outbox sequence: change ids clientId:1..produced
        self.broken = False

    # -- running member-cli --------------------------------------------------------------

    def args(self, *words, json_flag=True):
        """member-cli WORDS... --home H [--json]; options after the subcommand names."""
        a = [self.exe] + list(words) + ["--home", self.home]
        return a + ["--json"] if json_flag else a

    def run(self, *words, input_text=None, timeout=CMD_TIMEOUT, env=None, json_flag=True):
        return self.registry.run(self.args(*words, json_flag=json_flag), env=procs.base_env(env),
                                 input_text=input_text, timeout=timeout)

    def run_json(self, *words, timeout=CMD_TIMEOUT, env=None):
        rc, out, err = self.run(*words, timeout=timeout, env=env)
        if rc != 0:
            raise CommandFailed("`member-cli %s` on %s exited %s: %s" % (" ".join(words[:2]), self.login, rc,
                                                                          _short(err or out)))
        try:
            return json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise CommandFailed("`member-cli %s` on %s printed no JSON: %s" % (" ".join(words[:2]), self.login,
                                                                             _short(out)))

    def start_sync(self, log_path, env=None):
        """Starts `member-cli sync --json` in the background (output to log_path)."""
        e = dict(CHUNK_ENV)
        if env:
            e.update(env)
        log = open(log_path, "wb")
        try:
            return self.registry.spawn(self.args("sync"), env=procs.base_env(e), stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT)
        finally:
            log.close()

    def sync(self, timeout=SYNC_TIMEOUT):
        return self.run("sync", timeout=timeout, env=CHUNK_ENV)

    def status(self):
        return self.run_json("status")

    # -- the local database (read only, only while no member-cli runs on this device) ----

    def read_local(self):
        """(clientId, last outbox sequence) from the device's SQLite file, read only."""
        path = os.path.join(self.home, "member.sqlite")
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'clientId'").fetchone()
            seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
            return (row[0] if row else None), (int(seq[0]) if seq else 0)
        finally:
            db.close()


def _short(text, n=240):
    text = " ".join(text.strip().split())
    return text[-n:] if text else "(no output)"
