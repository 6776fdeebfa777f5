"""A loopback TCP proxy between the devices and the server: one thread, a selector loop,
non-blocking sockets. TLS passes through untouched (the certificate names 127.0.0.1, so it
still verifies). It can be armed to cut the connection(s) after a number of bytes in one
direction, with a FIN or a TCP reset."""

import errno
import selectors
import socket
import struct
import threading
import time

UP = "up"      # client -> server
DOWN = "down"  # server -> client
_HIGH_WATER = 1 << 20


class CutPlan:
    """Cut after `thresholds[0]` bytes in `direction` (counted over all connections since
    arming), then after `thresholds[1]` more, and so on. `rst` closes with a TCP reset."""

    def __init__(self, direction, thresholds, rst):
        self.direction = direction
        self.thresholds = list(thresholds)
        self.rst = rst
        self.counted = 0
        self.fired = 0

    def describe(self):
        return "%s after %s B%s" % (self.direction, "+".join(str(t) for t in self.thresholds),
                                    " (RST)" if self.rst else "")


class _Side:
    __slots__ = ("sock", "out", "eof")

    def __init__(self, sock):
        self.sock = sock
        self.out = bytearray()   # bytes waiting to be written to this socket
        self.eof = False         # peer closed its side


class _Conn:
    __slots__ = ("client", "upstream", "connected")

    def __init__(self, client, upstream):
        self.client = _Side(client)
        self.upstream = _Side(upstream)
        self.connected = False


class Proxy:
    def __init__(self, upstream_port, host="127.0.0.1"):
        self.host = host
        self.upstream_port = upstream_port
        self.lock = threading.Lock()
        self.plan = None
        self.connections = 0
        self.bytes = {UP: 0, DOWN: 0}   # everything passed on, per direction
        self.sel = selectors.DefaultSelector()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, 0))
        self.listener.listen(128)
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.sel.register(self.listener, selectors.EVENT_READ, ("listen", None))
        self.sel.register(self.wake_r, selectors.EVENT_READ, ("wake", None))
        self.conns = set()
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, name="fault-proxy", daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "https://%s:%d" % (self.host, self.port)

    # -- control (any thread) -----------------------------------------------------------

    def arm(self, plan):
        with self.lock:
            self.plan = plan

    def disarm(self):
        with self.lock:
            plan, self.plan = self.plan, None
        return plan

    def close(self):
        self.stopping = True
        try:
            self.wake_w.send(b"x")
        except OSError:
            pass
        self.thread.join(timeout=5)

    # -- the loop ------------------------------------------------------------------------

    def _loop(self):
        try:
            while not self.stopping:
                for key, events in self.sel.select(timeout=0.5):
                    kind, conn = key.data
                    if kind == "listen":
                        self._accept()
                    elif kind == "wake":
                        try:
                            self.wake_r.recv(64)
                        except OSError:
                            pass
                    elif conn in self.conns:
                        self._service(conn, key.fileobj, events)
        finally:
            for conn in list(self.conns):
                self._drop(conn, rst=True)
            for s in (self.listener, self.wake_r, self.wake_w):
                try:
                    s.close()
                except OSError:
                    pass
            self.sel.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            client.setblocking(False)
            upstream = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            upstream.setblocking(False)
            conn = _Conn(client, upstream)
            self.conns.add(conn)
            self.connections += 1
            err = upstream.connect_ex((self.host, self.upstream_port))
            if err not in (0, errno.EINPROGRESS, errno.EAGAIN):
                self._drop(conn, rst=True)
                continue
            self._interest(conn)

    def _set(self, sock, conn, ev):
        """Registers `sock` for `ev` (unregisters it for no events)."""
        try:
            registered = self.sel.get_key(sock) is not None
        except (KeyError, ValueError):
            registered = False
        try:
            if ev == 0:
                if registered:
                    self.sel.unregister(sock)
            elif registered:
                self.sel.modify(sock, ev, ("conn", conn))
            else:
                self.sel.register(sock, ev, ("conn", conn))
        except (KeyError, ValueError, OSError):
            pass

    def _interest(self, conn):
        c, u = conn.client, conn.upstream
        ev = 0
        if not c.eof and len(u.out) < _HIGH_WATER:
            ev |= selectors.EVENT_READ
        if c.out:
            ev |= selectors.EVENT_WRITE
        self._set(c.sock, conn, ev)
        if not conn.connected:
            ev = selectors.EVENT_WRITE
        else:
            ev = 0
            if not u.eof and len(c.out) < _HIGH_WATER:
                ev |= selectors.EVENT_READ
            if u.out:
                ev |= selectors.EVENT_WRITE
        self._set(u.sock, conn, ev)

    def _service(self, conn, sock, events):
        if sock is conn.upstream.sock and not conn.connected:
            err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                self._drop(conn, rst=True)   # server down: the client sees a reset
                return
            conn.connected = True
        else:
            side, other, direction = ((conn.client, conn.upstream, UP) if sock is conn.client.sock
                                      else (conn.upstream, conn.client, DOWN))
            if events & selectors.EVENT_WRITE and side.out:
                try:
                    n = side.sock.send(side.out)
                    del side.out[:n]
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    self._drop(conn, rst=False)
                    return
            if events & selectors.EVENT_READ and not side.eof:
                try:
                    data = side.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    data = None
                except OSError:
                    self._drop(conn, rst=False)
                    return
                if data == b"":
                    side.eof = True
                elif data:
                    allowed, cut, rst = self._budget(direction, len(data))
                    other.out += data[:allowed]
                    if cut:
                        self._flush(other)
                        self._drop(conn, rst=rst)
                        return
        # a side that has seen EOF: once everything is passed on, close both
        if (conn.client.eof and not conn.upstream.out) or (conn.upstream.eof and not conn.client.out):
            self._flush(conn.client)
            self._flush(conn.upstream)
            self._drop(conn, rst=False)
            return
        self._interest(conn)

    def _flush(self, side, timeout=1.0):
        """Best effort: write out what is buffered for `side` before a cut or close."""
        deadline = time.monotonic() + timeout
        while side.out and time.monotonic() < deadline:
            try:
                n = side.sock.send(side.out)
                del side.out[:n]
            except (BlockingIOError, InterruptedError):
                time.sleep(0.002)
            except OSError:
                return

    def _drop(self, conn, rst):
        self.conns.discard(conn)
        for side in (conn.client, conn.upstream):
            try:
                self.sel.unregister(side.sock)
            except (KeyError, ValueError):
                pass
            try:
                if rst:
                    side.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                else:
                    side.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                side.sock.close()
            except OSError:
                pass

    def _budget(self, direction, n):
        """How many of the next `n` bytes in `direction` may pass, whether to cut after them,
        and whether with a reset."""
        with self.lock:
            self.bytes[direction] += n
            plan = self.plan
            if plan is None or plan.direction != direction or not plan.thresholds:
                return n, False, False
            left = plan.thresholds[0] - plan.counted
            if n < left:
                plan.counted += n
                return n, False, False
            plan.thresholds.pop(0)
            plan.counted = 0
            plan.fired += 1
            return max(0, left), True, plan.rst
