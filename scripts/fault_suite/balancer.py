"""HAProxy in front of several sync-server instances, with the README's recipe (the same
configuration as TestSupport/HAProxyProcess.swift): TLS terminated with the servers' own
certificate, round robin, X-Forwarded-For, an instance taken out while /v1/health fails, a
request whose connection failed or got no answer sent to another instance. A second frontend
serves the statistics as CSV: whether each instance is UP and how many sessions it got."""

import csv
import io
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from . import procs

HAPROXY = "/usr/sbin/haproxy"
UP_TIMEOUT = 20.0

# The README's recipe, shared with TestSupport/HAProxyProcess.swift.
_TEMPLATE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "haproxy.cfg.in")


class BalancerError(Exception):
    pass


def free_port():
    """A free loopback port (bound and released; HAProxy binds it right after)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def configuration(port, stats_port, pem, backends):
    """The recipe for `backends` [(name, port)]; ends with a newline (HAProxy wants one)."""
    servers = "\n".join("    server %s 127.0.0.1:%d" % (name, p) for name, p in backends)
    with open(_TEMPLATE, encoding="utf-8") as f:
        return f.read().format(port=port, stats_port=stats_port, pem=pem, servers=servers)


class HAProxy:
    def __init__(self, registry, run_dir, log_dir, cert, key, backends):
        """`backends`: [(name, port)] of the running instances; `cert`/`key`: their PEM files."""
        self.registry = registry
        self.backends = list(backends)
        os.makedirs(run_dir, exist_ok=True)
        self.pem = os.path.join(run_dir, "server.pem")
        with open(cert, "rb") as f:
            pem = f.read()
        if not pem.endswith(b"\n"):
            pem += b"\n"
        with open(key, "rb") as f:
            pem += f.read()
        fd = os.open(self.pem, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        self.port = free_port()
        self.stats_port = free_port()
        self.config = os.path.join(run_dir, "haproxy.cfg")
        with open(self.config, "w") as f:
            f.write(configuration(self.port, self.stats_port, self.pem, self.backends))
        self.log_path = os.path.join(log_dir, "haproxy.log")
        self.proc = None
        # no proxy settings for our own requests to the stats page
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def start(self, timeout=UP_TIMEOUT):
        """Starts HAProxy in the foreground (-db) and waits until it sees every instance up."""
        with open(self.log_path, "wb") as log:
            self.proc = self.registry.spawn([HAPROXY, "-f", self.config, "-db"], env=procs.base_env(),
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        down = self.wait_up(timeout)
        if down:
            raise BalancerError("HAProxy did not see every instance up within %.0f s (%s): %s"
                                % (timeout, ", ".join(down), self.log_tail()))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def url(self):
        return "https://127.0.0.1:%d" % self.port

    def stats(self):
        """{server name: (status, total sessions)} from the stats CSV."""
        try:
            with self.opener.open("http://127.0.0.1:%d/stats;csv" % self.stats_port, timeout=5) as answer:
                text = answer.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as e:
            raise BalancerError("HAProxy stats: %s" % e)
        if text.startswith("# "):
            text = text[2:]
        out = {}
        for row in csv.DictReader(io.StringIO(text)):
            if row.get("pxname") == "servers" and row.get("svname") not in ("FRONTEND", "BACKEND"):
                try:
                    sessions = int(row.get("stot") or 0)
                except ValueError:
                    sessions = 0
                out[row["svname"]] = (row.get("status") or "?", sessions)
        return out

    def wait_up(self, timeout=UP_TIMEOUT):
        """Waits (at most `timeout`) until every instance is UP in HAProxy's view: exactly "UP",
        its last health check passed ("UP 1/2" is the state before the first check, or after
        one failed check on the way down). Returns the ones that were not, as "name STATUS",
        empty when all were."""
        deadline = time.monotonic() + timeout
        down = ["HAProxy not answering"]
        while True:
            if not self.alive():
                return ["HAProxy exited (%s)" % self.proc.poll()]
            try:
                stats = self.stats()
                down = ["%s %s" % (name, stats[name][0] if name in stats else "missing")
                        for name, _ in self.backends
                        if name not in stats or stats[name][0] != "UP"]
            except BalancerError as e:
                down = [str(e)]
            if not down or time.monotonic() >= deadline:
                return down
            time.sleep(0.1)

    def stop(self):
        if self.alive():
            procs.kill(self.proc, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                procs.kill(self.proc)

    def log_tail(self):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        return " | ".join(line.strip() for line in text.strip().splitlines()[-4:])[-300:]
