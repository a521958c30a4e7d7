"""A Redis restart under connected screens: the event numbering starts again under a new
epoch, the screens are told (every event carries the epoch), and the next call reaches
them; a call made while Redis is down is saved and answered, never a 5xx."""

from __future__ import annotations

import shutil
import subprocess
import time
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
