"""The writer: one thread that writes every screen's socket.

Why one thread and not one per screen: an event for 1,000 screens would otherwise
wake 1,000 threads, each taking the GIL in turn; measured on 2 cores that is about
twice as slow at p99 as writing the same, once-encoded frame to each socket from
one loop (docs/benchmarks.md). Why it cannot be hurt by a slow screen: every write
is non-blocking (MSG_DONTWAIT); what a socket does not take at once waits in that
screen's own outbox, flushed when the socket is writable, and a screen whose outbox
passes its limit is dropped (it reconnects and resyncs from a snapshot).

Exactly one writer per socket: simple-websocket's own writes (pongs, pings, close
replies) are routed here too, through `RoutedSocket`.
"""

from __future__ import annotations

import itertools
import logging
import selectors
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from signage.realtime.frames import close_frame

log = logging.getLogger(__name__)

HOLDING, LIVE, DROPPING, RELEASED = "holding", "live", "dropping", "released"
_ids = itertools.count(1)


class Peer:
    """One connected screen as the writer sees it. Its fields belong to the writer thread."""

    __slots__ = ("id", "sock", "zone", "info", "state", "held", "pending", "pending_bytes",
                 "want_write", "released")

    def __init__(self, sock: socket.socket, zone: str, info: dict[str, Any] | None = None) -> None:
        self.id = next(_ids)
        self.sock = sock
        self.zone = zone
        self.info = info or {}
        self.state = HOLDING
        self.held: list[tuple[int, bytes]] = []
        self.pending: deque[memoryview] = deque()
        self.pending_bytes = 0
        self.want_write = False
        self.released = threading.Event()

    def __repr__(self) -> str:
        return f"<Peer {self.id} {self.zone} {self.state}>"


class Fanout:
    """Writes frames to peers from a single thread. Every public method is thread-safe."""

    def __init__(self, outbox_limit: int = 2 * 1024 * 1024) -> None:
        self.outbox_limit = outbox_limit
        self._cmds: deque[tuple] = deque()
        self._sel = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._wake_pending = False
        self._peers: set[Peer] = set()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._stopped = False
        self.dropped_slow = 0  # peers dropped because their outbox overflowed

    # ---- any thread -------------------------------------------------------------

    def start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._sel.register(self._wake_r, selectors.EVENT_READ, None)
                self._thread = threading.Thread(target=self._run, name="signage-fanout", daemon=True)
                self._thread.start()

    def hold(self, peer: Peer) -> None:
        """From now on `peer` collects events without sending them, until `release`."""
        self._submit(("hold", peer))

    def release(self, peer: Peer, first: bytes, after_seq: int) -> None:
        """Send `first` (a snapshot), then the held events newer than `after_seq`."""
        self._submit(("release", peer, first, after_seq))

    def broadcast(self, peers: Iterable[Peer], seq: int, frame: bytes) -> None:
        self._submit(("broadcast", peers, seq, frame))

    def send(self, peer: Peer, data: bytes) -> None:
        self._submit(("send", peer, data))

    def drop(self, peer: Peer, code: int, reason: str = "") -> None:
        self._submit(("drop", peer, code, reason))

    def detach(self, peer: Peer, timeout: float = 2.0) -> None:
        """Let go of the socket; when this returns the writer will never touch it again."""
        if peer.released.is_set():
            return
        self._submit(("detach", peer))
        peer.released.wait(timeout)

    def close_all(self, code: int, reason: str = "", timeout: float = 5.0) -> None:
        done = threading.Event()
        self._submit(("close_all", code, reason, done))
        done.wait(timeout)

    def stop(self) -> None:
        self._stopped = True
        self._wake()

    # ---- plumbing ---------------------------------------------------------------

    def _submit(self, cmd: tuple) -> None:
        if self._thread is None:
            self.start()
        self._cmds.append(cmd)
        if not self._wake_pending:
            self._wake()

    def _wake(self) -> None:
        self._wake_pending = True
        try:
            self._wake_w.send(b"\0")
        except BlockingIOError:
            pass  # the pipe is full: the writer is awake anyway

    def _run(self) -> None:
        cmds = self._cmds
        while not self._stopped:
            for key, _mask in self._sel.select():
                if key.data is None:
                    try:
                        while self._wake_r.recv(4096):
                            pass
                    except BlockingIOError:
                        pass
                else:
                    self._flush(key.data)
            # Clear the flag before draining: a command appended after this line
            # sends a new wake byte, so none is ever left behind.
            self._wake_pending = False
            while cmds:
                cmd = cmds.popleft()
                try:
                    getattr(self, "_do_" + cmd[0])(*cmd[1:])
                except Exception:  # one bad peer must never stop the writer
                    log.exception("fan-out command %s failed", cmd[0])

    def _do_hold(self, peer: Peer) -> None:
        if peer.state in (DROPPING, RELEASED):
            return
        self._peers.add(peer)
        peer.state = HOLDING
        peer.held = []

    def _do_release(self, peer: Peer, first: bytes, after_seq: int) -> None:
        if peer.state != HOLDING:
            return
        peer.state = LIVE
        held, peer.held = peer.held, []
        self._write(peer, first)
        for seq, frame in held:
            if seq > after_seq and peer.state == LIVE:
                self._write(peer, frame)

    def _do_broadcast(self, peers: Iterable[Peer], seq: int, frame: bytes) -> None:
        write = self._write
        for peer in peers:
            if peer.state == LIVE:
                write(peer, frame)
            elif peer.state == HOLDING:
                peer.held.append((seq, frame))

    def _do_send(self, peer: Peer, data: bytes) -> None:
        if peer.state in (LIVE, HOLDING):
            self._write(peer, data)

    def _do_drop(self, peer: Peer, code: int, reason: str) -> None:
        if peer.state in (DROPPING, RELEASED):
            return
        # Marked first: whatever fails below must not come back here (a failed write
        # of the close frame used to drop the peer again, recursively, for every
        # screen of a burst of closing clients).
        clean = not peer.pending
        peer.state = DROPPING
        self._unwatch(peer)
        peer.pending.clear()
        peer.pending_bytes = 0
        peer.held = []
        if clean:  # a peer that is merely slow still gets a proper close
            try:
                peer.sock.send(close_frame(code, reason), socket.MSG_DONTWAIT)
            except OSError:
                pass
        try:
            # Wakes simple-websocket's reader (recv returns b""), which ends the
            # connection; the bytes already queued in the kernel still go out.
            peer.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _do_detach(self, peer: Peer) -> None:
        self._unwatch(peer)
        peer.state = RELEASED
        peer.pending.clear()
        peer.pending_bytes = 0
        peer.held = []
        self._peers.discard(peer)
        peer.released.set()

    def _do_close_all(self, code: int, reason: str, done: threading.Event) -> None:
        for peer in list(self._peers):
            self._do_drop(peer, code, reason)
        done.set()

    def _write(self, peer: Peer, data: bytes | memoryview) -> None:
        if peer.state not in (LIVE, HOLDING):
            return
        if peer.pending:
            peer.pending.append(memoryview(data))
            peer.pending_bytes += len(data)
            if peer.pending_bytes > self.outbox_limit:
                self.dropped_slow += 1
                log.warning("screen %s too slow (%d bytes waiting): dropped", peer.id,
                            peer.pending_bytes)
                self._do_drop(peer, 1008, "too slow")
            return
        try:
            sent = peer.sock.send(data, socket.MSG_DONTWAIT)
        except BlockingIOError:
            sent = 0
        except OSError:
            self._do_drop(peer, 1011, "")
            return
        if sent < len(data):
            rest = memoryview(data)[sent:]
            peer.pending.append(rest)
            peer.pending_bytes += len(rest)
            self._watch(peer)

    def _flush(self, peer: Peer) -> None:
        while peer.pending:
            chunk = peer.pending[0]
            try:
                sent = peer.sock.send(chunk, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return
            except OSError:
                self._do_drop(peer, 1011, "")
                return
            peer.pending_bytes -= sent
            if sent < len(chunk):
                peer.pending[0] = chunk[sent:]
                return
            peer.pending.popleft()
        self._unwatch(peer)

    def _watch(self, peer: Peer) -> None:
        if not peer.want_write:
            try:
                self._sel.register(peer.sock, selectors.EVENT_WRITE, peer)
                peer.want_write = True
            except (ValueError, OSError):
                self._do_drop(peer, 1011, "")

    def _unwatch(self, peer: Peer) -> None:
        if peer.want_write:
            peer.want_write = False
            try:
                self._sel.unregister(peer.sock)
            except (KeyError, ValueError, OSError):
                pass


class RoutedSocket:
    """Stands in for the socket inside simple-websocket.

    Reads go straight to the socket (simple-websocket's reader thread owns them);
    writes go through the fan-out writer, so frames from the two never interleave.
    Closing the socket is left to the server (gunicorn closes it when the handler returns).
    """

    def __init__(self, sock: socket.socket, peer: Peer, fanout: Fanout,
                 on_close: Callable[[], None] | None = None) -> None:
        self._sock = sock
        self._peer = peer
        self._fanout = fanout
        self._on_close = on_close

    def send(self, data: bytes) -> int:
        if self._peer.released.is_set():
            # The writer has let go: this thread is now the only one writing.
            try:
                self._sock.send(data, socket.MSG_DONTWAIT)
            except OSError:
                pass
        else:
            self._fanout.send(self._peer, bytes(data))
        return len(data)

    sendall = send

    def recv(self, n: int) -> bytes:
        return self._sock.recv(n)

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        # simple-websocket's reader calls this as it ends, after marking the connection
        # closed: wake the handler waiting in receive(), which may have been woken too
        # early by the reader and gone back to sleep (its message-too-big path).
        if self._on_close is not None:
            self._on_close()
