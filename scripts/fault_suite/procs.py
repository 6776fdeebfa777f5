"""Child processes: every one is started in its own process group, registered, bounded by a
timeout and killed on exit (also on failure and Ctrl-C). Where util-linux `setpriv` is
available, children also get SIGKILL as parent-death signal, so even a SIGKILL of the suite
itself leaves no server behind."""

import os
import shutil
import signal
import subprocess
import time

_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
               "no_proxy", "NO_PROXY", "MEMBER_CLI_HOME", "MEMBER_CLI_CRASH_AT",
               "MEMBER_CLI_CHUNK_BYTES", "SYNC_SERVER_CRASH_AT", "SYNC_SERVER_CRASH_AFTER",
               "SYNC_DATABASE_URL")


def base_env(extra=None):
    """The environment of every child: no proxy settings (libcurl would honour them), no
    crash points unless asked, loopback excluded from any proxy, and no SYNC_DATABASE_URL (the
    suite says which store the server uses: --database or the embedded one)."""
    env = {k: v for k, v in os.environ.items() if k not in _PROXY_VARS}
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
    if extra:
        env.update(extra)
    return env


def _pdeathsig_prefix():
    path = shutil.which("setpriv")
    if not path:
        return []
    try:
        probe = subprocess.run([path, "--pdeathsig", "KILL", "--", "true"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return []
    return [path, "--pdeathsig", "KILL", "--"] if probe.returncode == 0 else []


class Registry:
    """Starts and tracks children; `kill_all` ends every one still running."""

    def __init__(self):
        self.children = []
        self.prefix = _pdeathsig_prefix()

    def spawn(self, args, env=None, stdin=None, stdout=None, stderr=None):
        proc = subprocess.Popen(self.prefix + list(args), env=env, stdin=stdin, stdout=stdout,
                                stderr=stderr, start_new_session=True, close_fds=True)
        self.children.append(proc)
        self.children = [p for p in self.children if p.poll() is None or p is proc]
        return proc

    def run(self, args, env=None, input_text=None, timeout=60.0):
        """Runs to completion; returns (returncode, stdout, stderr). returncode is None when
        the command hit the timeout (it is then killed)."""
        proc = self.spawn(args, env=env, stdin=subprocess.PIPE if input_text is not None else subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = proc.communicate(input=input_text.encode() if input_text is not None else None,
                                        timeout=timeout)
        except subprocess.TimeoutExpired:
            kill(proc)
            out, err = proc.communicate()
            return None, out.decode(errors="replace"), err.decode(errors="replace") + "\n[timeout after %ss]" % timeout
        return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")

    def kill_all(self):
        for proc in self.children:
            kill(proc)
        self.children = []


def kill(proc, sig=signal.SIGKILL):
    """Sends `sig` to the child's process group (and the child), then reaps it if it was SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.send_signal(sig)
    except (ProcessLookupError, OSError):
        pass
    if sig == signal.SIGKILL:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


def wait_all(procs, timeout):
    """Waits for every Popen in `procs`, at most `timeout` seconds in all; kills the rest.
    Returns the list of those that had to be killed."""
    deadline = time.monotonic() + timeout
    late = []
    for proc in procs:
        left = deadline - time.monotonic()
        try:
            proc.wait(timeout=max(0.01, left))
        except subprocess.TimeoutExpired:
            kill(proc)
            late.append(proc)
    return late
