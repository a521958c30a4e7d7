"""TVs that lose power mid-connection (sockets that never read, never answer a ping and
never close) must not take the server down: their sockets are closed without waiting
on them, /healthz keeps answering, and a fresh screen still gets its events."""

from __future__ import annotations

import base64
import json
import os
import socket
import statistics
import time
import urllib.request

import pytest

from tests.conftest import ScreenClient, start_server

SILENT = 100


def silent_peer(port: int, key: str) -> socket.socket:
    """A TCP connection that completes the WebSocket handshake, then plays dead."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fills at once
    nonce = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws/screen/{key} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {nonce}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        assert chunk, "the server closed the handshake"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head[:80]
    return sock  # and never read from again


def healthz_seconds(base: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
        json.load(response)
    return time.monotonic() - started


@pytest.mark.slow
def test_a_hundred_vanished_tvs_do_not_stall_the_server(tmp_path):
    server = start_server(tmp_path / "instance", extra_env={"SIGNAGE_PING_INTERVAL": "1"})
    peers: list[socket.socket] = []
    try:
        keys = server.add_screens(*(f"TV {i}" for i in range(SILENT)))
        peers = [silent_peer(server.port, key) for key in keys]
        # While their pings go unanswered and the server closes them, it keeps answering
        waits = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            waits.append(healthz_seconds(server.base))
            time.sleep(0.2)
        assert statistics.quantiles(waits, n=10)[-1] < 1.0, sorted(waits)[-5:]
        assert max(waits) < 5.0
        # and has closed them (they count no more)
        assert json.load(urllib.request.urlopen(server.base + "/healthz"))[
            "screens_connected"] == 0
        # and a fresh screen gets its events
        [key] = server.add_screens("TV mới")
        tv = ScreenClient(f"{server.ws_base}/ws/screen/{key}")
        try:
            server.cli("zones", "rename", "sanh-chinh", "Sảnh chính mới")
            tv.wait_for("zone.updated", timeout=15)
        finally:
            tv.close()
        log = (tmp_path / f"server-{server.port}.log").read_text(errors="replace")
        assert "WORKER TIMEOUT" not in log
    finally:
        for peer in peers:
            peer.close()
        server.stop()
