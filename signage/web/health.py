"""GET /healthz: is the service up, which version, how many screens are connected, and
the state of each dependency (database, disk, event bus); 503 when one is not ok.

`screens_stale` names the screens not heard for SIGNAGE_SCREEN_STALE_AFTER seconds (a TV
switched off, unplugged, or stuck): worth a look, but not a fault of this service, so
they do not make it "degraded" (a load balancer must not drop the server for a TV)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from flask import Blueprint, current_app, jsonify

from signage.usecases.screens import list_fleet
from signage.version import __version__

STALE_LISTED = 50  # names listed at most; the count is always whole
# The stale screens are read from every screen's row (thousands of them); a load balancer
# or a monitor asking several times a second gets the list read at most every 5 s (a
# screen turns stale after minutes: SIGNAGE_SCREEN_STALE_AFTER).
STALE_CACHE_S = 5

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    lobby = current_app.extensions["signage"]
    checks = lobby.health()
    ok = all(state == "ok" for state in checks.values())
    body = {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "screens_connected": lobby.publisher.connected_screens(),
        **_stale(lobby, checks),
        **checks,
        "hub": lobby.publisher.bus,
        "time": lobby.clock.now().isoformat(),
    }
    return jsonify(body), 200 if ok else 503, {"Cache-Control": "no-store"}


def _stale(lobby, checks: dict[str, str]) -> dict:
    if checks.get("database") != "ok":
        return {"screens_stale": None, "screens_stale_count": None}
    # Valid for STALE_CACHE_S, and only within the same STALE_CACHE_S of the lobby's clock
    # (a clock moved on, as a test's does, reads again).
    cache = current_app.extensions.setdefault("signage.healthz", {"lock": threading.Lock()})
    second = int(lobby.clock.now().timestamp()) // STALE_CACHE_S

    def cached() -> dict | None:
        hit = cache.get("stale")
        return hit[2] if hit and hit[0] == second and time.monotonic() < hit[1] else None

    if (hit := cached()) is not None:
        return hit
    with cache["lock"]:  # one reader at a time; the others take its result
        if (hit := cached()) is not None:
            return hit
        stale = _read_stale(lobby)
        cache["stale"] = (second, time.monotonic() + STALE_CACHE_S, stale)
        return stale


def _read_stale(lobby) -> dict:
    # Only the rows that may be stale (not recorded seen within the stale time; the fleet
    # then adds what this process knows): a lobby of 5,000 connected screens reads none.
    # (A second of margin: the fleet's own "now" comes a moment later.)
    unseen_since = lobby.clock.now() - lobby.fleet.stale_after + timedelta(seconds=1)
    stale = [s for s in lobby.fleet.entries(lobby.query(list_fleet, unseen_since))
             if s["stale"]]
    return {"screens_stale_count": len(stale),
            "screens_stale": [{"id": s["id"], "name": s["name"], "zone": s["zone"],
                               "last_seen": s["last_seen"]} for s in stale[:STALE_LISTED]]}
