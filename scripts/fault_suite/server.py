"""The sync-server under test: started on 127.0.0.1 (first on port 0, then always on the
same port), killed with SIGKILL, restarted, optionally with a crash point armed. On
PostgreSQL (`database`) every command gets --database; behind a load balancer several
instances share one data folder and database, each named (s1, s2…) like HAProxy's servers."""

import json
import os
import re
import signal
import subprocess
import time

from . import procs

_LISTENING = re.compile(r"listening on https://127\.0\.0\.1:(\d+)")


class ServerError(Exception):
    pass


class Server:
    def __init__(self, registry, bin_dir, data_dir, log_dir, database=None, name="server", trusted_proxy=None):
        self.registry = registry
        self.exe = os.path.join(bin_dir, "sync-server")
        self.data = data_dir
        self.log_dir = log_dir
        self.database = database
        self.name = name                  # also the prefix of its log files: NAME-<start>.log
        self.trusted_proxy = trusted_proxy
        self.port = 0
        self.proc = None
        self.starts = 0
        self.crash_env = None
        self.log_path = None

    @property
    def ca_file(self):
        return os.path.join(self.data, "tls", "cert.pem")

    @property
    def key_file(self):
        return os.path.join(self.data, "tls", "key.pem")

    @property
    def db_path(self):
        return os.path.join(self.data, "case-store.sqlite")

    def _store_args(self):
        """--data DIR, and --database URL on PostgreSQL: what every sync-server command gets."""
        return ["--data", self.data] + (["--database", self.database] if self.database else [])

    def demo(self):
        rc, out, err = self.registry.run([self.exe, "demo"] + self._store_args() + ["--json"],
                                         env=procs.base_env(), timeout=120)
        if rc != 0:
            raise ServerError("sync-server demo failed (rc=%s): %s" % (rc, _tail(err)))
        try:
            return json.loads(out)["logins"]
        except (ValueError, KeyError) as e:
            raise ServerError("sync-server demo printed no logins JSON: %s" % e)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def exit_status(self):
        return None if self.proc is None else self.proc.poll()

    def start(self, crash_at=None, crash_after=1, timeout=30.0):
        """Starts the server (the same port after the first start) and waits for its
        "listening on" line. A port still held right after a kill is retried for a while."""
        if self.alive():
            raise ServerError("server already running")
        extra = {}
        if crash_at:
            extra = {"SYNC_SERVER_CRASH_AT": crash_at, "SYNC_SERVER_CRASH_AFTER": str(crash_after)}
        self.crash_env = extra or None
        deadline = time.monotonic() + timeout
        last_err = ""
        while time.monotonic() < deadline:
            self.starts += 1
            # keep only the last few logs
            old = os.path.join(self.log_dir, "%s-%d.log" % (self.name, self.starts - 5))
            if os.path.exists(old):
                os.unlink(old)
            self.log_path = os.path.join(self.log_dir, "%s-%d.log" % (self.name, self.starts))
            args = [self.exe, "serve"] + self._store_args() + ["--host", "127.0.0.1", "--port", str(self.port)]
            if self.trusted_proxy:
                args += ["--trusted-proxy", self.trusted_proxy]
            with open(self.log_path, "wb") as log:
                self.proc = self.registry.spawn(
                    args,
                    env=procs.base_env(extra), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            while time.monotonic() < deadline:
                text = _read(self.log_path)
                m = _LISTENING.search(text)
                if m:
                    self.port = int(m.group(1))
                    return
                if self.proc.poll() is not None:
                    last_err = _tail(text)
                    break
                time.sleep(0.02)
            else:
                break
            time.sleep(0.25)   # exited early (port still in use after a kill?): try again
        procs.kill(self.proc)
        raise ServerError("sync-server did not start within %.0fs: %s" % (timeout, last_err or _tail(_read(self.log_path))))

    def kill(self, sig=signal.SIGKILL):
        if self.proc is not None:
            procs.kill(self.proc, sig)

    def stop(self):
        """Ends the running server (SIGTERM, then SIGKILL after 5 s)."""
        if not self.alive():
            return
        procs.kill(self.proc, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            procs.kill(self.proc)

    def ensure_running(self):
        """Restarts the server normally (no crash point) when it is not running. Returns
        True when it had to."""
        if self.alive():
            return False
        self.start()
        return True

    def log_tail(self):
        return _tail(_read(self.log_path)) if self.log_path else ""


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def _tail(text, n=300):
    text = " | ".join(line.strip() for line in text.strip().splitlines()[-4:])
    return text[-n:]
