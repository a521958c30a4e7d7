"""What a restart under many screens relies on (docs/benchmarks.md, "Reconnect storm"):
a stopping server turns new screens away, the zones' snapshots are built before the
first one asks, /healthz answers from the health checker's last round, and the stale
screens are read without reading every screen."""

from __future__ import annotations

import time

from signage.usecases import Actor
from signage.usecases.screens import add_screens

UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_a_stopping_server_turns_new_screens_away_before_the_upgrade(app, client):
    lobby = app.extensions["signage"]
    [screen] = lobby.perform(add_screens, Actor.cli(), {"names": ["TV sảnh"]})
    lobby.publisher.close_all(1001, "server going away")
    refused = client.get(f"/ws/screen/{screen['key']}", headers=UPGRADE)
    assert refused.status_code == 503


def test_the_zones_snapshots_are_built_ahead_and_shared(app):
    publisher = app.extensions["signage"].publisher
    assert publisher.warm() >= 1
    built = publisher.snapshot_builds
    screen = {"id": 1, "name": "TV", "orientation": "landscape", "zone": "sanh-chinh"}
    seq = publisher.hub.current_seq("sanh-chinh")
    publisher.screen_snapshot(screen, seq, deflate=True)
    publisher.screen_snapshot(screen, seq)
    assert publisher.snapshot_builds == built  # the warm build served both


def test_healthz_answers_from_the_checkers_last_round_while_it_is_recent(app, client):
    lobby = app.extensions["signage"]
    lobby._health_checked = (time.monotonic(), {"database": "ok", "disk": "ok", "bus": "ok"})
    calls = []
    real = lobby._database
    lobby._database = lambda: calls.append(1) or real()
    assert client.get("/healthz").json["database"] == "ok" and calls == []
    # A round too old (a checker stuck on a database that does not answer) is not trusted.
    from signage.lobby import HEALTH_FRESH_S

    lobby._health_checked = (time.monotonic() - HEALTH_FRESH_S - 1,
                             {"database": "ok", "disk": "ok", "bus": "ok"})
    assert client.get("/healthz").json["database"] == "ok" and calls == [1]


def test_the_checker_thread_keeps_a_recent_round(app):
    lobby = app.extensions["signage"]
    stop = lobby.watch_health()
    try:
        deadline = time.monotonic() + 30
        while lobby._health_checked is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lobby._health_checked is not None
        assert lobby._health_checked[1] == {"database": "ok", "disk": "ok", "bus": "ok"}
    finally:
        stop.set()
