"""What every WebSocket door shares: the origin check before the upgrade, and the
receive loop after it (docs/protocol.md).

Every socket speaks the same protocol: the server sends a `snapshot`, then events; the
client may send `ping` (answered with `pong`) and `resync` (answered with a new
snapshot); anything else goes to the door's own `handle`, and what is not a JSON object
is ignored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from simple_websocket import ConnectionClosed

from signage.web.inputs import loads

log = logging.getLogger(__name__)

# The reader thread wakes the handler when it ends (RoutedSocket.close); this timeout is
# only a safety net, long enough that 1,000 idle handlers cost nothing.
RECEIVE_POLL_S = 60.0


def reader_thread(*args: Any, **kwargs: Any) -> threading.Thread:
    """simple-websocket's reader thread of a socket (its `thread_class`), as a daemon.

    A thread that is not a daemon is remembered for the interpreter's exit, and every
    such thread's start walks the list of all of them (CPython's `_shutdown_locks`): with
    a reader per screen, connecting the n-th screen cost O(n), a reconnect storm O(n²)
    (8 % of the server's time bringing 1,000 screens back, py-spy). Nothing is lost by
    not waiting for a reader at exit: the sockets are closed by then. `threading.Thread`
    is looked up at each call, so under gevent's patching it is a greenlet still."""
    thread = threading.Thread(*args, **kwargs)
    thread.daemon = True
    return thread


def register(app: Flask) -> None:
    """Every socket's reader thread a daemon (`reader_thread`)."""
    app.config.setdefault("SOCK_SERVER_OPTIONS", {})["thread_class"] = reader_thread


def same_origin() -> bool:
    """No `Origin` (not a browser: kiosk players, integrators' tools) or this host."""
    origin = request.headers.get("Origin")
    if not origin:
        return True
    return urlsplit(origin).netloc == request.host


def serve(ws: Any, link: Any, handle: Callable[[dict[str, Any]], None] | None = None,
          after_start: Callable[[], None] | None = None,
          on_close: Callable[[], None] | None = None) -> None:
    """Send the snapshot, then answer the client until its socket closes; `link` (a
    publishing.Connection) is closed at the end whatever happens, then `on_close` runs."""
    try:
        link.start()
        if after_start is not None:
            after_start()
        while True:
            raw = ws.receive(timeout=RECEIVE_POLL_S)
            if raw is None:
                if not ws.connected:
                    break
                continue
            try:
                message = loads(raw)
                kind = message.get("type")
            except (ValueError, AttributeError, RecursionError):
                log.debug("a socket sent something that is not a JSON object")
                continue
            if kind == "ping":
                link.reply("pong", {"id": message.get("id")})
            elif kind == "resync":
                link.start()
            if handle is not None:
                handle(message)
    except ConnectionClosed:
        pass
    finally:
        link.close()
        if on_close is not None:
            on_close()
