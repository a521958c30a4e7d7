"""`signage serve --worker-class gevent`: screens on greenlets instead of threads (no
thread per screen). The same protocol: snapshot, live events, pong, 1001 on SIGTERM."""

import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import ScreenClient, start_server

pytest.importorskip("gevent")


def test_a_gevent_server_serves_screens_like_the_threaded_one(tmp_path):
    server = start_server(tmp_path / "instance", args=("--worker-class", "gevent"))
    try:
        key = server.add_screens("Màn hình greenlet")[0]
        screen = ScreenClient(f"{server.ws_base}/ws/screen/{key}")
        assert screen.snapshot["type"] == "snapshot" and screen.snapshot["playlist"]["slides"]
        status, notice = server.request("POST", "/api/v1/notices", {
            "kind": "law", "title": "Qua greenlet", "body": "Một nội dung.",
            "zones": ["sanh-chinh"]}, role="approver")
        assert status == 201
        notice["body"] = "Nội dung đã sửa."
        assert server.request("PUT", f"/api/v1/notices/{notice['id']}", notice,
                              role="approver")[0] == 200
        event = screen.wait_for("notice.updated", where=lambda m: m["notice_id"] == notice["id"])
        assert "Nội dung đã sửa" in event["slides"][0]["html"]
        screen.send({"type": "ping", "id": 7})
        assert screen.wait_for("pong")["id"] == 7
        took = server.stop()
        assert took < 10
        with pytest.raises(ConnectionClosed) as closed:
            screen.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
        log = (tmp_path / f"server-{server.port}.log").read_text()
        assert "Traceback" not in log
    finally:
        if server.process.poll() is None:
            server.process.kill()
