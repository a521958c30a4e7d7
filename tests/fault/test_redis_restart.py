"""A Redis restart under connected screens: the event numbering starts again under a new
epoch, the screens are told (every event carries the epoch), and the next call reaches
them; a call made while Redis is down is saved and answered, never a 5xx."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis

from tests.conftest import ScreenClient, free_port, start_server

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class PrivateRedis:
    """A real redis-server of our own on a free port (never the shared one)."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url).ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def call_next(server, counter: int = 1) -> tuple[int, object]:
    return server.request("POST", f"/api/v1/counters/{counter}/call-next", role="operator")


def take_ticket(server, service: str = "HOTICH") -> None:
    status, _ = server.request("POST", "/api/v1/tickets", {"service": service, "print": False},
                               role=None)
    assert status == 201


@pytest.mark.slow
@pytest.mark.redis
def test_screens_follow_the_bus_through_a_redis_restart(tmp_path):
    if not Path(REDIS_SERVER).exists():
        pytest.fail("redis-server is missing (Debian package redis-server)")
    bus = PrivateRedis(tmp_path)
    bus.start()
    server = start_server(tmp_path / "instance", extra_env={"SIGNAGE_REDIS_URL": bus.url})
    tv = None
    try:
        [key] = server.add_screens("TV")
        tv = ScreenClient(f"{server.ws_base}/ws/screen/{key}")
        first_epoch = tv.snapshot["epoch"]
        for _ in range(3):
            take_ticket(server)
        assert call_next(server)[0] == 200
        before = tv.wait_for("queue.call", timeout=15)
        assert before["epoch"] == first_epoch

        # When Redis restarts empty (its seq numbers and epoch gone)
        bus.stop()
        status, body = call_next(server)  # made while the bus is down
        assert status == 200, body        # saved and answered: screens catch up later
        bus.start()

        # Then the next call reaches the screen, under a new epoch the screen can see
        deadline = time.monotonic() + 30
        call = None
        while call is None and time.monotonic() < deadline:
            assert call_next(server)[0] in (200, 404)
            try:
                call = tv.wait_for("queue.call", timeout=2,
                                   where=lambda m: m["epoch"] != first_epoch)
            except TimeoutError:
                take_ticket(server)
        assert call is not None, "no call reached the screen after the restart"
        assert call["seq"] <= before["seq"]  # the numbering restarted: only the epoch tells
        # and a resync gives a snapshot of the new epoch
        tv.send({"type": "resync"})
        snapshot = tv.wait_for("snapshot", timeout=15)
        assert snapshot["epoch"] == call["epoch"] and snapshot["seq"] >= call["seq"]
    finally:
        if tv is not None:
            tv.close()
        server.stop()
        bus.stop()


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.browser
def test_a_screen_page_shows_the_next_call_after_a_redis_restart(tmp_path, browser_page):
    if not Path(REDIS_SERVER).exists():
        pytest.fail("redis-server is missing (Debian package redis-server)")
    bus = PrivateRedis(tmp_path)
    bus.start()
    server = start_server(tmp_path / "instance", extra_env={"SIGNAGE_REDIS_URL": bus.url})
    try:
        assert server.request("PUT", "/api/v1/queue/settings",
                              {"overlay_seconds": 3, "repeat": 1}, role="admin")[0] == 200
        [key] = server.add_screens("TV trình duyệt")
        page = browser_page
        page.goto(f"{server.base}/screen/{key}")
        page.wait_for_function("document.querySelector('#link-state').dataset.state === 'online'")
        for _ in range(3):
            take_ticket(server)
        first = call_next(server)[1]["display"]
        page.wait_for_selector(f"#call-overlay[data-ticket='{first}']", state="visible",
                               timeout=20_000)
        # Many events in the zone: the page's last seq is far ahead of where a fresh
        # Redis starts counting
        before = page.evaluate("window.signageScreen.received")
        for i in range(40):
            assert server.request("PATCH", "/api/v1/zones/sanh-chinh",
                                  {"name": f"Sảnh chính {i}"}, role="admin")[0] == 200
        page.wait_for_function(f"window.signageScreen.received >= {before + 40}",
                               timeout=20_000)
        # When Redis restarts empty: the seq numbers start again under a new epoch
        bus.stop()
        bus.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the server's subscriber is back (/healthz)
            try:
                healthy = urllib.request.urlopen(server.base + "/healthz").status == 200
            except urllib.error.HTTPError:
                healthy = False
            if not healthy:
                time.sleep(0.2)
                continue
            status, body = call_next(server)
            if status == 200:
                break
            take_ticket(server)
        # Then the very next call is on the glass (the page resyncs on the new epoch
        # instead of taking the restarted numbers for events it has already applied)
        shown = True
        try:
            # (alone on the overlay, or a row of its board when it came while the one
            # before was still up)
            number = body["display"]
            page.wait_for_selector(f"#call-overlay[data-ticket='{number}'], "
                                   f"#call-overlay .co-row[data-ticket='{number}']",
                                   state="visible", timeout=15_000)
        except Exception:
            shown = False
        assert shown, "no call reached the screen page after the Redis restart"
    finally:
        server.stop()
        bus.stop()
