"""Reading the server's WebSocket frames off a raw socket (for in-process tests)."""

from __future__ import annotations

import json
import socket
from typing import Any


class FrameReader:
    """Decodes the unmasked text frames a server writes, from a real socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = b""

    def next_of(self, kind: str, timeout: float = 30.0) -> dict[str, Any]:
        """The next frame of type `kind`, skipping others (a day's turn also
        publishes queue events, in an order the test does not own)."""
        while True:
            frame = self.next(timeout)
            if frame["type"] == kind:
                return frame

    def next(self, timeout: float = 30.0) -> dict[str, Any]:
        self.sock.settimeout(timeout)
        while True:
            if len(self.buf) >= 2:
                n, head = self.buf[1] & 0x7F, 2
                if n == 126:
                    n, head = int.from_bytes(self.buf[2:4], "big"), 4
                elif n == 127:
                    n, head = int.from_bytes(self.buf[2:10], "big"), 10
                if len(self.buf) >= head + n and len(self.buf) >= head:
                    payload, self.buf = self.buf[head:head + n], self.buf[head + n:]
                    return json.loads(payload)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("socket closed")
            self.buf += chunk


def read_frames(sock: socket.socket, count: int) -> list[dict[str, Any]]:
    reader = FrameReader(sock)
    return [reader.next() for _ in range(count)]


class _Ws:
    """The shape `Hub.connect` adopts (a simple-websocket object's `.sock`)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock


def attach_listener(hub, zone: str) -> FrameReader:
    """A real socket subscribed to `zone` on `hub`, past its snapshot."""
    server, client = socket.socketpair()
    peer = hub.connect(_Ws(server), zone, {})
    hub.start(peer, lambda seq: {"type": "snapshot", "seq": seq})
    reader = FrameReader(client)
    assert reader.next()["type"] == "snapshot"
    return reader
