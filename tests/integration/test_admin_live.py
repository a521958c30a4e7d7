"""Revoking a screen on the real server closes its open socket at once."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed, InvalidHandshake


def test_revoking_a_connected_screen_drops_its_socket_and_refuses_it_after(live_server, screen):
    [key] = live_server.add_screens("TV sắp thu hồi")
    tv = screen(key)
    status, body = live_server.request("GET", "/api/v1/screens", role="admin")
    [mine] = [s for s in body["items"] if s["url"].endswith(key)]
    assert mine["connected"] == 1

    status, body = live_server.request("DELETE", f"/api/v1/screens/{mine['id']}", role="admin")
    assert status == 200 and body["dropped"] == 1

    with pytest.raises(ConnectionClosed) as closed:
        while True:
            tv.recv(timeout=5)
    assert closed.value.rcvd.code == 1008 and closed.value.rcvd.reason == "revoked"
    with pytest.raises(InvalidHandshake):
        screen(key)
    status, body = live_server.request("GET", "/api/v1/audit?action=screen.revoke", role="admin")
    assert [e["target"] for e in body["items"]] == [f"screen:{mine['id']}"]
