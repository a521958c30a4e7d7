"""GET /healthz: is the service up, which version, how many screens are connected, and
the state of each dependency (database, disk, event bus); 503 when one is not ok."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from signage.version import __version__

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
        **checks,
        "hub": lobby.publisher.bus,
        "time": lobby.clock.now().isoformat(),
    }
    return jsonify(body), 200 if ok else 503, {"Cache-Control": "no-store"}
