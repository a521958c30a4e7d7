"""Events from a command-line process to the running server (the embedded default).

A change made by `signage content import` or any other CLI command is committed by
the CLI process itself; the screens hang on the server's in-process Hub, which that
process cannot reach. So the serving process listens on a Unix socket in its data
dir (`events.sock`, mode 0600: only the account that runs the service may use it),
and the CLI sends it the events its change recorded; the server publishes them as
if the change had been made there. With Redis (scale-out) none of this is needed:
every process publishes into Redis directly.

The wire: one connection per batch, a JSON list of encoded events
(signage.events.encode), answered by "ok\\n".
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from signage.events import Event, decode, encode

log = logging.getLogger(__name__)

SOCKET_NAME = "events.sock"
MAX_BATCH = 1024 * 1024
TIMEOUT_S = 5.0


def socket_path(data_dir: Path) -> Path:
    return Path(data_dir) / SOCKET_NAME


def send(data_dir: Path, events: list[Event]) -> bool:
    """Hand `events` to the server serving `data_dir`; False when none is listening."""
    path = socket_path(data_dir)
    if not events:
        return True
    if not path.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(TIMEOUT_S)
            conn.connect(str(path))
            conn.sendall(json.dumps(encode(events), ensure_ascii=False).encode())
            conn.shutdown(socket.SHUT_WR)
            return conn.recv(16).startswith(b"ok")
    except OSError as exc:
        log.info("no server listening on %s (%s)", path, exc)
        return False


class Listener:
    """In the serving process: take event batches from CLI processes and publish them."""

    def __init__(self, data_dir: Path, publish: Callable[[list[Event]], None]) -> None:
        self.path = socket_path(data_dir)
        self._publish = publish
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        try:
            if self.path.exists():
                self.path.unlink()  # a socket left by a server that was killed
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            old = os.umask(0o177)
            try:
                sock.bind(str(self.path))
            finally:
                os.umask(old)
            sock.listen(16)
        except OSError as exc:  # e.g. a path longer than a Unix socket allows
            log.warning("CLI changes will reach screens only on their next snapshot: "
                        "cannot listen on %s (%s)", self.path, exc)
            return False
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, name="signage-relay", daemon=True)
        self._thread.start()
        return True

    def _serve(self) -> None:
        assert self._sock is not None
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return  # closed
            with conn:
                try:
                    conn.settimeout(TIMEOUT_S)
                    chunks, size = [], 0
                    while size <= MAX_BATCH:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        chunks.append(chunk)
                        size += len(chunk)
                    events = decode(json.loads(b"".join(chunks) or b"[]"))
                    self._publish(events)
                    conn.sendall(b"ok\n")
                except (OSError, ValueError, RecursionError) as exc:
                    log.warning("a relayed batch of events was refused: %s", exc)

    def stop(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None
                try:
                    self.path.unlink()
                except OSError:
                    pass
