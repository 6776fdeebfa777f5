"""python3 scripts/fault_suite/main.py --bin BIN_DIR [--iterations N] [--seed S] [--devices D]
[--database postgres://USER@HOST:PORT/DB [--instances N]] [--keep] [--verbose]

Runs the fault suite against BIN_DIR/sync-server and BIN_DIR/member-cli (normally started by
scripts/faults after the build). Without --database the server uses its embedded SQLite store;
with it, that PostgreSQL database (empty, e.g. a fresh clone of store_template), and with
--instances N >= 2 that many server processes share it behind HAProxy. The last line printed
is always "N passed, M failed"; the exit code is 0 only when M == 0."""

import argparse
import os
import random
import signal
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fault_suite.suite import SetupFailed, Suite  # noqa: E402


class Interrupted(BaseException):
    pass


def _on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="scripts/faults", description="Fault-injection suite for sync-server and member-cli.")
    ap.add_argument("--bin", required=True, help="folder with the sync-server and member-cli binaries")
    ap.add_argument("--iterations", type=int, default=20, help="number of fault rounds (default 20)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    ap.add_argument("--devices", type=int, default=3, choices=(2, 3), help="member devices (default 3)")
    ap.add_argument("--database", metavar="URL", default=None,
                    help="PostgreSQL case store postgres://USER@HOST:PORT/DB, empty (default: the embedded SQLite store)")
    ap.add_argument("--instances", type=int, default=1,
                    help="sync-server instances behind HAProxy on the one --database (default 1: no HAProxy)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (server data, devices, logs)")
    ap.add_argument("--verbose", action="store_true", help="print every new problem of a failed iteration")
    args = ap.parse_args(argv)
    if args.iterations < 1:
        ap.error("--iterations must be at least 1")
    if not 1 <= args.instances <= 9:
        ap.error("--instances must be between 1 and 9")
    if args.instances > 1 and not args.database:
        ap.error("--instances %d needs --database (instances share a PostgreSQL store)" % args.instances)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)

    try:
        sys.stdout.reconfigure(encoding="utf-8", errors="replace", line_buffering=True)
    except (AttributeError, ValueError):
        pass

    def out(line):
        print(line, flush=True)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)

    suite = Suite(args.bin, args.iterations, seed, devices=args.devices, keep=args.keep,
                  verbose=args.verbose, out=out, database=args.database, instances=args.instances)
    started = time.monotonic()
    out("fault suite: %d iterations, seed %d (rerun with --seed %d)" % (args.iterations, seed, seed))
    code = 0
    interrupted = None
    try:
        suite.setup()
        if suite.balancer is not None:
            where = "%d servers on 127.0.0.1:%s behind HAProxy on 127.0.0.1:%d" % (
                len(suite.servers), ",".join(str(s.port) for s in suite.servers), suite.balancer.port)
        else:
            where = "server on 127.0.0.1:%d" % suite.server.port
        store = ("PostgreSQL %s" % args.database) if args.database else "embedded SQLite store"
        out("setup: %s (%s), proxy on 127.0.0.1:%d, devices %s; data in %s"
            % (where, store, suite.proxy.port, ", ".join(d.login for d in suite.devices), suite.tmp))
        suite.run()
    except SetupFailed as e:
        out("setup failed: %s" % e)
        suite.failed = args.iterations - suite.passed
    except Interrupted as e:
        interrupted = str(e)
    except Exception as e:  # an error in the suite itself: still clean up and say so
        out("suite error: %s: %s" % (type(e).__name__, e))
        suite.failed = max(1, args.iterations - suite.passed)
    finally:
        # ignore further signals while cleaning up
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        suite.teardown()
    if interrupted:
        out("interrupted (%s) after %d iterations" % (interrupted, suite.passed + suite.failed))
        suite.failed += 1
        code = 130
    for line in suite.summary():
        out(line)
    out("run time %.0f s%s" % (time.monotonic() - started, ("; kept " + suite.tmp) if args.keep and suite.tmp else ""))
    out("%d passed, %d failed" % (suite.passed, suite.failed))
    if suite.failed and not code:
        code = 1
    return code


if __name__ == "__main__":
    sys.exit(main())
