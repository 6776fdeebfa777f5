"""python3 scripts/fault_suite/main.py --bin BIN_DIR [--iterations N] [--seed S] [--devices D]
[--keep] [--verbose]

Runs the fault suite against BIN_DIR/sync-server and BIN_DIR/member-cli (normally started by
scripts/faults after the build). The last line printed is always "N passed, M failed"; the
exit code is 0 only when M == 0."""

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
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (server data, devices, logs)")
    ap.add_argument("--verbose", action="store_true", help="print every new problem of a failed iteration")
    args = ap.parse_args(argv)
    if args.iterations < 1:
        ap.error("--iterations must be at least 1")
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
                  verbose=args.verbose, out=out)
    started = time.monotonic()
    out("fault suite: %d iterations, seed %d (rerun with --seed %d)" % (args.iterations, seed, seed))
    code = 0
    interrupted = None
    try:
        suite.setup()
        out("setup: server on 127.0.0.1:%d, proxy on 127.0.0.1:%d, devices %s; data in %s"
            % (suite.server.port, suite.proxy.port, ", ".join(d.login for d in suite.devices), suite.tmp))
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
