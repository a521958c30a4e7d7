"""The real server: screens connect over WebSocket, get a snapshot, then live events."""

import json
import signal
import time
import urllib.request
import zlib

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect as ws_connect

from tests.conftest import ScreenClient, start_server


def first_law(live_server, zone: str = "sanh-chinh") -> dict:
    """A law message of our own on `zone`'s playlist (tests don't lean on content/)."""
    status, body = live_server.request("POST", "/api/v1/notices", {
        "kind": "law", "title": "Thông điệp kiểm thử", "slug": f"kiem-thu-{time.monotonic_ns()}",
        "body": "Nội dung **kiểm thử**.", "zones": [zone]}, role="approver")
    assert status == 201, body
    return body


def test_the_screens_cli_prints_one_key_per_name_in_order(live_server):
    keys = live_server.add_screens("Quầy A", "Quầy B", "Quầy C")
    assert len(keys) == 3 and len(set(keys)) == 3
    listed = live_server.cli("screens", "list")
    names = [line.split("\t")[4] for line in listed.splitlines()]
    order = [names.index(n) for n in ("Quầy A", "Quầy B", "Quầy C")]
    assert order == sorted(order)
    for line in listed.splitlines():
        if "\tQuầy B\t" in line:
            assert line.endswith(keys[1])


def test_an_unknown_key_is_refused_before_any_socket_opens(live_server):
    with pytest.raises(InvalidStatus) as refused:
        ws_connect(f"{live_server.ws_base}/ws/screen/not-a-key", open_timeout=5)
    assert refused.value.response.status_code == 403


def test_a_page_from_another_origin_cannot_open_a_screen_socket(live_server):
    key = live_server.add_screens("Origin test")[0]
    with pytest.raises(InvalidStatus) as refused:
        ws_connect(f"{live_server.ws_base}/ws/screen/{key}", open_timeout=5,
                   origin="http://evil.example")
    assert refused.value.response.status_code == 403


def test_the_first_message_is_a_snapshot_of_the_zone(live_server, screen):
    key = live_server.add_screens("Sảnh 1")[0]
    snapshot = screen(key).snapshot
    assert snapshot["type"] == "snapshot" and snapshot["protocol"] == 1
    assert isinstance(snapshot["seq"], int) and snapshot["at"]
    assert snapshot["zone"]["slug"] == "sanh-chinh"
    slides = snapshot["playlist"]["slides"]
    assert len(slides) >= 5
    assert "procedure" in {s["kind"] for s in slides}
    assert any("Thành phần hồ sơ" in s["html"] for s in slides)
    assert snapshot["showing"]["slide_id"] in {s["id"] for s in slides}


def test_the_page_of_a_screen_renders_and_an_unknown_one_shows_a_pairing_code(live_server):
    key = live_server.add_screens("Trang")[0]
    html = urllib.request.urlopen(f"{live_server.base}/screen/{key}").read().decode()
    assert "screen.js" in html and "be-vietnam-pro.css" in html
    with urllib.request.urlopen(f"{live_server.base}/screen/unknown") as unknown:
        assert unknown.url.endswith("/screen") and 'data-test="pairing-code"' in unknown.read().decode()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{live_server.base}/screen/unknown/state")
    assert missing.value.code == 404


def test_a_saved_notice_reaches_every_screen_of_its_zone_and_no_other(live_server, screen):
    lobby_keys = live_server.add_screens("L1", "L2", "L3")
    other_key = live_server.add_screens("Tầng 2", zone="tang-2")[0]
    lobby = [screen(k) for k in lobby_keys]
    other = screen(other_key)
    notice = first_law(live_server)

    notice["title"] = "Tiêu đề đã sửa qua API"
    status, _ = live_server.request("PUT", f"/api/v1/notices/{notice['id']}", notice, role="approver")
    assert status == 200

    for client in lobby:
        event = client.wait_for("notice.updated", timeout=5)
        assert event["notice_id"] == notice["id"]
        assert "Tiêu đề đã sửa qua API" in event["slides"][0]["html"]
        assert event["seq"] > client.snapshot["seq"]
    with pytest.raises(TimeoutError):
        other.wait_for("notice.updated", timeout=1)


def test_a_page_that_inflates_gets_its_snapshot_deflated_and_events_plain(live_server):
    key = live_server.add_screens("Nén")[0]
    plain = ScreenClient(f"{live_server.ws_base}/ws/screen/{key}")
    # Given a client that announces it inflates raw DEFLATE (as static/js/lib/live.js does)
    with ws_connect(f"{live_server.ws_base}/ws/screen/{key}?snapshot=deflate-raw",
                    compression=None, open_timeout=10, max_size=2**24) as ws:
        # Then its snapshot is a binary frame, far smaller, that inflates to the snapshot
        frame = ws.recv(timeout=10)
        assert isinstance(frame, bytes), frame[:80]
        snapshot = json.loads(zlib.decompress(frame, -15))
        assert snapshot["type"] == "snapshot" and snapshot["screen"]["name"] == "Nén"
        assert len(frame) * 3 < len(json.dumps(plain.snapshot, ensure_ascii=False).encode())
        assert snapshot["playlist"] == plain.snapshot["playlist"]
        assert snapshot["zone"] == plain.snapshot["zone"]
        # and a resync's answer too; events and replies stay plain JSON text
        ws.send(json.dumps({"type": "resync"}))
        assert json.loads(zlib.decompress(ws.recv(timeout=10), -15))["type"] == "snapshot"
        ws.send(json.dumps({"type": "ping", "id": 3}))
        pong = ws.recv(timeout=10)
        assert isinstance(pong, str) and json.loads(pong)["type"] == "pong"
    # while a client that does not announce it gets plain JSON text (ScreenClient parses it)
    assert plain.snapshot["type"] == "snapshot"
    plain.send({"type": "resync"})
    assert plain.wait_for("snapshot")["screen"]["name"] == "Nén"
    plain.close()


def test_events_are_numbered_without_gaps_and_a_resync_sends_a_fresh_snapshot(live_server, screen):
    key = live_server.add_screens("Seq")[0]
    client = screen(key)
    notice = first_law(live_server)
    seqs = []
    for i in range(3):
        notice = live_server.request("GET", f"/api/v1/notices/{notice['id']}")[1]
        notice["ticker"] = f"Lần {i}"
        live_server.request("PUT", f"/api/v1/notices/{notice['id']}", notice, role="approver")
        seqs.append(client.wait_for("notice.updated")["seq"])
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]

    client.send({"type": "resync"})
    fresh = client.wait_for("snapshot")
    assert fresh["seq"] >= seqs[-1]

    client.send({"type": "ping", "id": 7})
    pong = client.wait_for("pong")
    assert pong["id"] == 7 and pong["seq"] >= fresh["seq"]


def test_rubbish_from_a_screen_is_ignored_and_the_socket_lives_on(live_server, screen):
    client = screen(live_server.add_screens("Rubbish")[0])
    client.ws.send("this is not json")
    client.ws.send(json.dumps([1, 2, 3]))
    client.send({"type": "ping", "id": 1})
    assert client.wait_for("pong")["id"] == 1


def test_an_oversized_message_closes_only_that_screen(live_server, screen):
    good = screen(live_server.add_screens("Good")[0])
    bad = screen(live_server.add_screens("Bad")[0])
    bad.ws.send("x" * (200 * 1024))
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(50):
            bad.ws.recv(timeout=5)
    assert closed.value.rcvd.code == 1009
    good.send({"type": "ping", "id": 2})
    assert good.wait_for("pong")["id"] == 2


def test_the_scheduler_rotates_every_screen_of_a_zone_together(live_server, screen):
    # Given a zone whose playlist has two 3-second slides
    key_a, key_b = live_server.add_screens("R1", "R2", zone="rotation")  # creates the zone
    notices = [first_law(live_server, "rotation") for _ in range(2)]
    status, _ = live_server.request("PUT", "/api/v1/zones/rotation/playlist", {
        "slides": [{"notice_id": n["id"], "duration": 3} for n in notices]}, role="approver")
    assert status == 200
    a, b = screen(key_a), screen(key_b)
    # When the current slide ends, both get the same `slide` event
    first_a = a.wait_for("slide", timeout=8)
    first_b = b.wait_for("slide", timeout=8, where=lambda m: m["seq"] == first_a["seq"])
    assert first_a["showing"] == first_b["showing"]
    nxt = a.wait_for("slide", timeout=8)
    assert nxt["showing"]["started"] == first_a["showing"]["until"]
    assert nxt["showing"]["slide_id"] != first_a["showing"]["slide_id"]


def test_health_counts_connected_screens(live_server, screen):
    def connected() -> int:
        return json.load(urllib.request.urlopen(f"{live_server.base}/healthz"))["screens_connected"]

    before = connected()
    clients = [screen(k) for k in live_server.add_screens("H1", "H2")]
    health = json.load(urllib.request.urlopen(f"{live_server.base}/healthz"))
    assert health["status"] == "ok" and health["version"]
    assert health["screens_connected"] == before + 2
    for c in clients:
        c.close()
    deadline = time.monotonic() + 5
    while connected() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert connected() == before


def test_sigterm_closes_every_screen_with_1001_and_exits_promptly(tmp_path):
    server = start_server(tmp_path / "instance")
    keys = server.add_screens("T1", "T2", "T3")
    clients = [ScreenClient(f"{server.ws_base}/ws/screen/{k}") for k in keys]
    took = server.stop(signal.SIGTERM, timeout=40)
    assert server.process.returncode == 0
    # Within gunicorn's own 30 s wait for open sockets, with room for a loaded machine
    # (the server asks for 7 s; 11.9 s was seen at load average 100)
    assert took < 25, f"SIGTERM took {took:.1f} s"
    for client in clients:
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                client.ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
