"""The fault suite: setup once, then per iteration a random workload, a random fault during
the sync, recovery, and the checks."""

import glob
import json
import math
import os
import random
import shutil
import signal
import tempfile
import time

from . import checks, procs, workload
from .balancer import UP_TIMEOUT, BalancerError, HAProxy
from .device import SYNC_TIMEOUT, CommandFailed, Device
from .proxy import DOWN, UP, CutPlan, Proxy
from .server import Server, ServerError
from .store import ERRORS as STORE_ERRORS
from .store import first, open_store

FAULTS = [  # (kind, weight); behind HAProxy the server faults hit one random instance
    ("client-kill", 2),     # SIGKILL member-cli sync after 0-500 ms
    ("server-kill", 2),     # SIGKILL sync-server while clients sync, restart on the same port
    ("proxy-cut", 2),       # the proxy cuts connection(s) after N bytes one way
    ("server-crash", 3),    # SYNC_SERVER_CRASH_AT=<point>, SYNC_SERVER_CRASH_AFTER=k
    ("client-crash", 1),    # MEMBER_CLI_CRASH_AT=after-push-response or pull-page-written
]
SERVER_POINTS = ["after-push-commit", "after-upload-patch", "after-part-stored", "before-pull-answer"]
UPLOAD_POINTS = ("after-upload-patch", "after-part-stored")
CLIENT_POINTS = ["after-push-response", "pull-page-written"]
CHUNK = 65536
RECOVERY_ATTEMPTS = 6
SECOND_ROUND = 0.2        # chance of a second faulted sync before recovery


class SetupFailed(Exception):
    pass


class Round:
    """One faulted sync: the fault, whether it fired, where it left each device it hit."""

    def __init__(self, kind, detail, fired):
        self.kind = kind
        self.detail = detail
        self.fired = fired
        self.phases = []

    def describe(self):
        text = "%s %s" % (self.kind, self.detail)
        if not self.fired:
            return text + " (not triggered)"
        if self.phases == ["absorbed"]:
            return text + " absorbed by the client's retries"
        return text + " hit " + "/".join(sorted(set(self.phases)))


class Outcome:
    def __init__(self, kind):
        self.kind = kind
        self.rounds = []
        self.work = ""
        self.extra = ""
        self.fired = False        # set by the fault runner for the current round
        self.problems = []
        self.timings = []         # (step, seconds)


class Suite:
    """`database`: a PostgreSQL URL for the case store (else the embedded SQLite store);
    `instances` > 1 (PostgreSQL only): that many sync-server processes on one data folder and
    database behind HAProxy, which the devices (through the cutting proxy) talk to."""

    def __init__(self, bin_dir, iterations, seed, devices=3, keep=False, verbose=False, out=print,
                 database=None, instances=1):
        self.src_bin = bin_dir
        self.iterations = iterations
        self.seed = seed
        self.rng = random.Random(seed)
        self.n_devices = devices
        self.keep = keep
        self.verbose = verbose
        self.out = out
        self.registry = procs.Registry()
        self.database = database
        self.n_instances = instances
        self.tmp = None
        self.servers = []
        self.balancer = None      # HAProxy, with more than one instance
        self.final_stats = None   # HAProxy's per-instance stats, read just before teardown
        self.store = None
        self.proxy = None
        self.devices = []
        self.reported = set()
        self.stats = {}           # kind -> dict
        self.passed = 0
        self.failed = 0
        self.exits = {}           # how faulted syncs ended: "ok", "SIGKILL", "exit 1 tls", ...
        self.retried = {}         # recovery syncs that failed before the last attempt: reason -> count

    @property
    def server(self):
        """The first (or only) instance: the one the demo data is loaded with."""
        return self.servers[0] if self.servers else None

    @property
    def multi(self):
        return len(self.servers) > 1

    # -- setup / teardown ----------------------------------------------------------------

    def setup(self):
        self.tmp = tempfile.mkdtemp(prefix="fault-suite-")
        for sub in ("bin", "logs", "files"):
            os.mkdir(os.path.join(self.tmp, sub))
        bin_dir = os.path.join(self.tmp, "bin")
        # A private copy of the binaries: a rebuild during the run cannot swap them.
        for name in ("sync-server", "member-cli"):
            src = os.path.join(self.src_bin, name)
            if not os.path.isfile(src):
                raise SetupFailed("%s not found (build first: swift build)" % src)
            shutil.copy2(src, bin_dir)
        for res in glob.glob(os.path.join(self.src_bin, "*.resources")):
            shutil.copytree(res, os.path.join(bin_dir, os.path.basename(res)))
        self.files = os.path.join(self.tmp, "files")
        self.logs = os.path.join(self.tmp, "logs")
        try:
            server_dir = os.path.join(self.tmp, "server")
            multi = self.n_instances > 1
            for n in range(1, self.n_instances + 1):
                self.servers.append(Server(self.registry, bin_dir, server_dir, self.logs, database=self.database,
                                           name="s%d" % n if multi else "server",
                                           trusted_proxy="127.0.0.1" if multi else None))
            self.store = open_store(self.registry, server_dir, self.database)
            logins = self.server.demo()
            # one after the other: the first creates the TLS certificate the others (and HAProxy) use
            for s in self.servers:
                s.start()
            upstream = self.server.port
            if multi:
                self.balancer = HAProxy(self.registry, os.path.join(self.tmp, "haproxy"), self.logs,
                                        self.server.ca_file, self.server.key_file,
                                        [(s.name, s.port) for s in self.servers])
                self.balancer.start()
                upstream = self.balancer.port
            self.proxy = Proxy(upstream)
            members = [l for l in logins if l.get("role") == "member"][: self.n_devices]
            if len(members) < 2:
                raise SetupFailed("the demo data set has fewer than two member logins")
            with self.store.reader() as db:
                for n, m in enumerate(members, 1):
                    dev = Device(self.registry, bin_dir, os.path.join(self.tmp, "device-%d" % n),
                                 m["login"], m["password"], m.get("name", ""))
                    dev.index = n
                    row = first(db.execute("SELECT id, member_id FROM account WHERE login = ?", (m["login"],)))
                    if row is None or row[1] is None:
                        raise SetupFailed("no member account %s in the case store" % m["login"])
                    dev.account_id, dev.member_id = row
                    self.devices.append(dev)
            for dev in self.devices:
                rc, out, err = dev.run("connect", self.proxy.url, "--ca-file", self.server.ca_file, json_flag=False)
                if rc != 0:
                    raise SetupFailed("member-cli connect %s failed (rc=%s): %s" % (self.proxy.url, rc, err.strip()[-200:]))
                rc, out, err = dev.run("login", dev.login, "--password-stdin", input_text=dev.password + "\n",
                                       json_flag=False)
                if rc != 0:
                    raise SetupFailed("member-cli login %s failed (rc=%s): %s" % (dev.login, rc, err.strip()[-200:]))
                rc, out, err = dev.sync()
                if rc != 0:
                    raise SetupFailed("first sync of %s failed (rc=%s): %s" % (dev.login, rc, (err or out).strip()[-200:]))
                dev.client_id, dev.produced = dev.read_local()
                if not dev.client_id:
                    raise SetupFailed("no clientId in %s's data folder" % dev.login)
        except (ServerError, CommandFailed, OSError, BalancerError) + STORE_ERRORS as e:
            raise SetupFailed(str(e))

    def teardown(self):
        if self.balancer is not None and self.balancer.alive():
            try:
                self.final_stats = self.balancer.stats()
            except BalancerError:
                pass
        if self.proxy is not None:
            self.proxy.close()
        if self.store is not None:
            self.store.close()
        if self.balancer is not None:
            self.balancer.stop()
        self.registry.kill_all()
        if self.tmp and not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the run -------------------------------------------------------------------------

    def run(self):
        for i in range(1, self.iterations + 1):
            started = time.monotonic()
            outcome = self.iteration(i)
            took = time.monotonic() - started
            kinds = []
            for r in outcome.rounds:
                s = self._stat(r.kind)
                s["rounds"] += 1
                s["fired"] += 1 if r.fired else 0
                for p in r.phases:
                    s["phases"][p] = s["phases"].get(p, 0) + 1
                if r.kind not in kinds:
                    kinds.append(r.kind)
            new = [(k, msg) for k, msg in outcome.problems if k not in self.reported]
            for k, _ in outcome.problems:
                self.reported.add(k)
            head = "iteration %d: %s" % (i, "; then ".join(r.describe() for r in outcome.rounds) or outcome.kind)
            if outcome.work:
                head += " [%s]" % outcome.work
            if outcome.extra:
                head += " " + outcome.extra
            for kind in kinds or [outcome.kind]:
                self._stat(kind)["failed" if new else "passed"] += 1
            if new:
                self.failed += 1
                more = " (+%d more)" % (len(new) - 1) if len(new) > 1 else ""
                self.out("%s … FAILED: %s%s (%.1f s)" % (head, new[0][1], more, took))
                if self.verbose:
                    for _, msg in new[1:]:
                        self.out("    also: %s" % msg)
            else:
                self.passed += 1
                self.out("%s … ok (%.1f s)" % (head, took))
            if self.verbose:
                self.out("    time: " + ", ".join("%s %.1f s" % t for t in outcome.timings))

    def _stat(self, kind):
        return self.stats.setdefault(kind, {"rounds": 0, "fired": 0, "passed": 0, "failed": 0, "phases": {}})

    def iteration(self, i):
        kind = self._weighted(FAULTS)
        outcome = Outcome(kind)
        try:
            self._iteration(i, outcome)
        except (CommandFailed, ServerError, BalancerError, OSError) + STORE_ERRORS as e:
            outcome.problems.append((("error", i), "%s: %s" % (type(e).__name__, e)))
        return outcome

    def _iteration(self, i, outcome):
        rng = self.rng
        kind = outcome.kind
        live = [d for d in self.devices if not d.broken]
        if not live:
            outcome.problems.append((("no-devices", i), "no device left that syncs"))
            return
        point = rng.choice(SERVER_POINTS) if kind == "server-crash" else None
        wants_upload = point in UPLOAD_POINTS or (kind in ("server-kill", "proxy-cut", "client-kill")
                                                         and rng.random() < 0.5)

        mark = [time.monotonic()]

        def lap(step):
            now = time.monotonic()
            outcome.timings.append((step, now - mark[0]))
            mark[0] = now

        # 1. offline edits
        workers = [d for d in live if rng.random() < 0.6] or [rng.choice(live)]
        plans = {d: {"profile": rng.random() < 0.8, "claim": rng.random() < 0.3} for d in workers}
        if wants_upload and not any(p["claim"] for p in plans.values()):
            plans[rng.choice(workers)]["claim"] = True
        for p in plans.values():
            if not (p["profile"] or p["claim"]):
                p["profile"] = True
        upload_bytes, claims, pending_files = 0, 0, []
        for d in workers:
            before = d.produced
            steps = ["profile"] * plans[d]["profile"] + ["claim"] * plans[d]["claim"]
            rng.shuffle(steps)
            for step in steps:
                if step == "profile":
                    workload.profile_edit(rng, d)
                else:
                    claim, n = workload.claim_workload(rng, d, self.files)
                    upload_bytes += n
                    claims += 1
                    pending_files += [m.size for m in claim.materials]
            self._read_produced(d, before, outcome)
        lap("edits")
        idle = [d for d in live if d not in workers and rng.random() < 0.3]
        syncers = workers + idle
        chunks = sum(max(1, math.ceil(s / CHUNK)) for s in pending_files)

        work = "%d device%s" % (len(syncers), "" if len(syncers) == 1 else "s")
        if claims:
            work += ", %d claim%s %.1f MB" % (claims, "" if claims == 1 else "s", upload_bytes / 1048576)
        outcome.work = work

        # 2. the faulted sync; sometimes a second fault hits the next sync before recovery
        kinds = [kind] + ([self._weighted(FAULTS)] if rng.random() < SECOND_ROUND else [])
        for n, k in enumerate(kinds):
            if n > 0:
                point = rng.choice(SERVER_POINTS) if k == "server-crash" else None
            traffic = dict(self.proxy.bytes)
            outcome.fired = False
            runner = getattr(self, "_fault_" + k.replace("-", "_"))
            detail, targets = runner(outcome, syncers, workers, upload_bytes, chunks, point)
            r = Round(k, detail, outcome.fired)
            outcome.rounds.append(r)
            lap("fault" if n == 0 else "fault %d" % (n + 1))
            if self.verbose:
                r.detail += " {%d/%d B}" % tuple(self.proxy.bytes[x] - traffic[x] for x in (UP, DOWN))
            # where it hit: the client's state before recovery
            if r.fired and targets:
                r.phases = [self._phase(d, rc) for d, rc in targets]
            elif r.fired:
                r.phases = ["absorbed"]
            self._ensure_running()   # a death the fault did not cause is already reported

        # 3. behind HAProxy: every instance back in rotation before recovery
        self._balancer_up(outcome, "after the fault")

        # 4. sometimes the member edits again before the link comes back
        if rng.random() < 0.25:
            d = rng.choice(syncers)
            before = d.produced
            workload.profile_edit(rng, d)
            self._read_produced(d, before, outcome)
            outcome.extra = "+edit"

        # 5. recover and check
        lap("before recovery")
        self._recover(outcome, live)
        lap("recovery")
        self._balancer_up(outcome, "before the checks")
        for d in live:
            if not d.broken:
                outcome.problems += checks.device_checks(d)
        outcome.problems += checks.server_checks(self.store, live, full_hash=(i == self.iterations))
        lap("checks")

    # -- faults: each returns (detail, [(device, returncode)] of the devices it hit) ------

    def _start_syncs(self, syncers, env_for=None):
        procs_ = {}
        for d in syncers:
            env = env_for(d) if env_for else None
            procs_[d] = d.start_sync(os.path.join(self.logs, "sync-%s.log" % d.login), env=env)
        return procs_

    def _finish_syncs(self, outcome, running, killed=(), crash_ok=()):
        """Waits for the faulted syncs (bounded), flags a hang or a crash we did not cause."""
        late = procs.wait_all(list(running.values()), SYNC_TIMEOUT)
        rcs = {}
        for d, p in running.items():
            rc = p.returncode
            rcs[d] = rc
            how = _ending(rc, os.path.join(self.logs, "sync-%s.log" % d.login))
            self.exits[how] = self.exits.get(how, 0) + 1
            if p in late:
                outcome.problems.append((("hang", d.login, id(p)), "%s: member-cli sync did not end within %.0f s"
                                         % (d.login, SYNC_TIMEOUT)))
            elif rc is not None and rc < 0 and not (rc == -signal.SIGKILL and (d in killed or d in crash_ok)):
                outcome.problems.append((("client-signal", d.login, rc), "%s: member-cli sync died of signal %d: %s"
                                         % (d.login, -rc, _log_tail(os.path.join(self.logs, "sync-%s.log" % d.login)))))
        return rcs

    def _server_must_live(self, outcome, what, servers=None):
        """Reports each of `servers` (default: all instances) that is not running."""
        for s in self.servers if servers is None else servers:
            if not s.alive():
                status = s.exit_status()
                key = ("server-died", s.name, what, status) if self.multi else ("server-died", what, status)
                outcome.problems.append((key, "%s died unexpectedly (%s) during %s: %s"
                                         % (self._who(s), _status(status), what, s.log_tail())))

    def _ensure_running(self):
        """Restarts (unarmed) every instance that is not running."""
        for s in self.servers:
            s.ensure_running()

    def _pick_server(self):
        """The instance a server fault hits: the only one, or a random one. With one instance
        nothing is drawn, so a seed replays the same run as before instances existed."""
        return self.rng.choice(self.servers) if self.multi else self.server

    def _who(self, s):
        return "sync-server %s" % s.name if self.multi else "sync-server"

    def _balancer_up(self, outcome, when):
        """Behind HAProxy: waits (at most UP_TIMEOUT) until its health checks see every
        instance UP; one left out would quietly leave the others to carry the load."""
        if self.balancer is None:
            return
        down = self.balancer.wait_up(UP_TIMEOUT)
        if down:
            outcome.problems.append((("not-up", tuple(sorted(down))), "HAProxy does not see every instance up %s "
                                     "within %.0f s: %s; %s" % (when, UP_TIMEOUT, ", ".join(down),
                                                                 "; ".join("%s: %s" % (s.name, s.log_tail())
                                                                           for s in self.servers)[-400:])))

    def _fault_client_kill(self, outcome, syncers, workers, upload_bytes, chunks, point):
        rng = self.rng
        targets = [rng.choice(syncers)] if rng.random() < 0.7 else syncers[:]
        delay = rng.uniform(0.0, 0.5)
        t0 = time.monotonic()
        running = self._start_syncs(syncers)
        _sleep_until(t0 + delay)
        hit = []
        for d in targets:
            if running[d].poll() is None:
                procs.kill(running[d])
                hit.append(d)
        rcs = self._finish_syncs(outcome, running, killed=hit)
        self._server_must_live(outcome, "client-kill")
        outcome.fired = bool(hit)
        return "@%dms %s" % (delay * 1000, "all" if len(targets) > 1 else targets[0].login), [(d, rcs[d]) for d in hit]

    def _fault_server_kill(self, outcome, syncers, workers, upload_bytes, chunks, point):
        rng = self.rng
        delay = rng.uniform(0.0, 0.3 + upload_bytes / 5e6)   # uploads run at ~5 MB/s (debug build)
        restart_now = rng.random() < 0.5
        target = self._pick_server()
        others = [s for s in self.servers if s is not target]
        t0 = time.monotonic()
        running = self._start_syncs(syncers)
        _sleep_until(t0 + delay)
        busy = [d for d in syncers if running[d].poll() is None]
        self._server_must_live(outcome, "server-kill (before the kill)")
        target.kill()
        if restart_now:
            target.start()
        rcs = self._finish_syncs(outcome, running)
        if not restart_now:
            target.start()
        self._server_must_live(outcome, "server-kill of another instance", others)
        outcome.fired = bool(busy)
        return ("%s@%dms restart %s" % (target.name + " " if self.multi else "", delay * 1000,
                                        "at once" if restart_now else "after"),
                [(d, rcs[d]) for d in busy])

    def _fault_proxy_cut(self, outcome, syncers, workers, upload_bytes, chunks, point):
        rng = self.rng
        direction = UP if rng.random() < (0.7 if upload_bytes else 0.5) else DOWN
        # rough traffic of the run (measured: ~1-4 KB each way per device, ~150 B per chunk back)
        if direction == UP:
            est = upload_bytes + 1500 * len(syncers) + 250 * chunks
        else:
            est = 2500 * len(syncers) + 150 * chunks
        cuts = rng.choice([1, 1, 1, 2, 3])
        thresholds = [int(math.exp(rng.uniform(math.log(64), math.log(max(128, est))))) for _ in range(cuts)]
        plan = CutPlan(direction, thresholds, rst=rng.random() < 0.5)
        desc = plan.describe()
        self.proxy.arm(plan)
        try:
            running = self._start_syncs(syncers)
            rcs = self._finish_syncs(outcome, running)
        finally:
            self.proxy.disarm()
        self._server_must_live(outcome, "proxy-cut")
        outcome.fired = plan.fired > 0
        hit = [(d, rcs[d]) for d in syncers if rcs[d] != 0] if outcome.fired else []
        return "%s (%d fired)" % (desc, plan.fired), hit

    def _fault_server_crash(self, outcome, syncers, workers, upload_bytes, chunks, point):
        rng = self.rng
        # Behind HAProxy the armed instance sees about 1/n of the requests (round robin): k
        # counts its share, or the point would rarely be reached. One instance: n = 1, as before.
        n = len(self.servers)
        if point == "after-push-commit":
            k = rng.randint(1, max(1, math.ceil(len(workers) / n)))
        elif point == "after-upload-patch":
            k = rng.randint(1, max(1, math.ceil(chunks / n)))
        elif point == "after-part-stored":
            k = 1  # reached once per file sent in more than one chunk: the first such file
        else:
            k = rng.randint(1, max(1, math.ceil(len(syncers) / n)))
        target = self._pick_server()      # armed; the other instances run unarmed
        others = [s for s in self.servers if s is not target]
        target.stop()
        target.start(crash_at=point, crash_after=k)
        self._balancer_up(outcome, "after arming %s" % target.name)   # in rotation before the syncs
        running = self._start_syncs(syncers)
        rcs = self._finish_syncs(outcome, running)
        status = target.exit_status()
        if status is None:
            target.stop()                 # not reached: disarm it
        elif status != -signal.SIGKILL:
            key = ("server-died", target.name, point, status) if self.multi else ("server-died", point, status)
            outcome.problems.append((key, "%s died (%s), not by its crash point: %s"
                                     % (self._who(target), _status(status), target.log_tail())))
        self._server_must_live(outcome, "server-crash of another instance", others)
        outcome.fired = status == -signal.SIGKILL
        target.start()
        hit = [(d, rcs[d]) for d in syncers if rcs[d] != 0] if outcome.fired else []
        return "%s%s k=%d" % (target.name + " " if self.multi else "", point, k), hit

    def _fault_client_crash(self, outcome, syncers, workers, upload_bytes, chunks, point):
        target = self.rng.choice(workers)
        # After the server took a push and before the outbox knows it, or with pulled rows
        # written and not yet committed (the cursor must not move past rows that were lost).
        crash_at = self.rng.choice(CLIENT_POINTS)
        env = {"MEMBER_CLI_CRASH_AT": crash_at}
        running = self._start_syncs(syncers, env_for=lambda d: env if d is target else None)
        rcs = self._finish_syncs(outcome, running, crash_ok=(target,))
        self._server_must_live(outcome, "client-crash")
        outcome.fired = rcs[target] == -signal.SIGKILL
        return "%s %s" % (crash_at, target.login), [(target, rcs[target])] if outcome.fired else []

    # -- recovery ------------------------------------------------------------------------

    def _recover(self, outcome, live):
        todo = [d for d in live if not d.broken]
        last = {}
        for attempt in range(RECOVERY_ATTEMPTS):
            if not all(s.alive() for s in self.servers):
                self._server_must_live(outcome, "recovery")
                self._ensure_running()
            for d in list(todo):
                rc, out, err = d.sync()
                if rc == 0:
                    todo.remove(d)
                else:
                    last[d] = "rc=%s %s" % (rc, " ".join((err or out).split())[-200:])
                    how = _ending(rc, None, out)
                    self.retried[how] = self.retried.get(how, 0) + 1
                    if rc is None:
                        outcome.problems.append((("hang", d.login, "recovery", attempt),
                                                 "%s: recovery sync did not end within %.0f s" % (d.login, SYNC_TIMEOUT)))
            if not todo:
                return
            time.sleep(0.3 * (attempt + 1))
        for d in todo:
            d.broken = True
            outcome.problems.append((("stuck", d.login), "%s: sync did not recover after %d attempts: %s%s"
                                     % (d.login, RECOVERY_ATTEMPTS, last.get(d, "?"), self._upload_diagnosis(d))))

    def _upload_diagnosis(self, d):
        """The server's unfinished uploads of a stuck device, with the state of their part
        and stored content (files, or rows on PostgreSQL)."""
        try:
            with self.store.reader() as db:
                rows = db.execute('SELECT u.id, u."offset", u.length, u.sha256, m.verified FROM upload u '
                                  'LEFT JOIN claim_material m ON m.id = u.material_id WHERE u.account_id = ?',
                                  (d.account_id,))
            notes = []
            for up_id, offset, length, sha, verified in rows:
                notes.append("upload %s… offset %d/%d, %s, %s, material verified=%s"
                             % (up_id[:8], offset, length, self.store.part_state(up_id),
                                self.store.content_state(sha), verified))
        except STORE_ERRORS as e:
            return " [server uploads: %s]" % e
        return " [server: %s]" % ("; ".join(notes) if notes else "no unfinished upload")

    # -- helpers -------------------------------------------------------------------------

    def _read_produced(self, d, before, outcome):
        client_id, produced = d.read_local()
        if client_id != d.client_id:
            outcome.problems.append((("client-id", d.login), "%s: clientId changed from %s to %s" % (d.login, d.client_id, client_id)))
        if produced <= before:
            outcome.problems.append((("no-change", d.login, produced), "%s: an edit made no outbox change (seq %d)"
                                     % (d.login, produced)))
        d.produced = max(d.produced, produced)

    def _phase(self, d, rc):
        """Where the fault left the device: push (changes still queued), upload (materials
        still to upload), pull (all sent, run did not finish), done (the run completed)."""
        if rc == 0:
            return "done"
        try:
            st = d.status()
        except CommandFailed:
            return "?"
        if st.get("pendingChanges", 0) > 0:
            return "push"
        if st.get("pendingUploads", 0) > 0:
            return "upload"
        return "pull"

    def _weighted(self, items):
        total = sum(w for _, w in items)
        x = self.rng.uniform(0, total)
        for name, w in items:
            x -= w
            if x <= 0:
                return name
        return items[-1][0]

    def summary(self):
        lines = ["", "fault kind     rounds  triggered  iterations ok  failed  where it hit (device state after the fault)"]
        for kind, _ in FAULTS:
            s = self.stats.get(kind)
            if not s:
                continue
            where = ", ".join("%s %d" % (p, n) for p, n in sorted(s["phases"].items(), key=lambda x: -x[1]))
            lines.append("%-14s %6d %10d %14d %7d  %s" % (kind, s["rounds"], s["fired"], s["passed"], s["failed"], where or "-"))
        if self.exits:
            lines.append("faulted syncs ended: " + ", ".join("%s %d" % kv for kv in sorted(self.exits.items(), key=lambda x: -x[1])))
        lines.append("recovery syncs that failed and were retried: " +
                     (", ".join("%s %d" % kv for kv in sorted(self.retried.items(), key=lambda x: -x[1])) or "none"))
        if self.multi:
            lines.append(self._instances_line())
        return lines

    def _instances_line(self):
        """Behind HAProxy: the sessions it sent each instance (read just before teardown), so
        a reader sees that every instance served, and how often each was (re)started."""
        stats = self.final_stats or {}
        parts = []
        for s in self.servers:
            sessions = stats.get(s.name, (None, None))[1]
            parts.append("%s (127.0.0.1:%d) %s sessions, %d starts"
                         % (s.name, s.port, "?" if sessions is None else sessions, s.starts))
        return "HAProxy sessions per instance: " + "; ".join(parts)


def _sleep_until(t):
    left = t - time.monotonic()
    if left > 0:
        time.sleep(left)


def _status(status):
    if status is None:
        return "running"
    return "signal %d" % -status if status < 0 else "exit %d" % status


def _ending(rc, log_path, out=None):
    """"ok", "SIGKILL", "timeout", or "exit N <error code>" from the --json error object."""
    if rc == 0:
        return "ok"
    if rc is None:
        return "timeout"
    if rc < 0:
        return "SIGKILL" if rc == -signal.SIGKILL else "signal %d" % -rc
    if out is None:
        try:
            with open(log_path, "rb") as f:
                out = f.read().decode(errors="replace")
        except OSError:
            out = ""
    code = "?"
    for line in reversed(out.strip().splitlines()):
        try:
            code = json.loads(line)["error"]["code"]
            break
        except (ValueError, KeyError, TypeError):
            continue
    return "exit %d %s" % (rc, code)


def _log_tail(path):
    try:
        with open(path, "rb") as f:
            text = f.read().decode(errors="replace")
    except OSError:
        return ""
    return " ".join(text.split())[-200:]
