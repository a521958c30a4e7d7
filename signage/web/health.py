"""GET /healthz: is the service up, which version, how many screens are connected."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from signage.usecases.overview import database_answers
from signage.version import __version__

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    lobby = current_app.extensions["signage"]
    database = "ok"
    try:
        lobby.query(database_answers)
    except Exception as exc:  # report, don't crash: this is what monitoring reads
        database = f"error: {type(exc).__name__}"
    ok = database == "ok"
    body = {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "screens_connected": lobby.publisher.connected_screens(),
        "database": database,
        "hub": lobby.publisher.bus,
        "time": lobby.clock.now().isoformat(),
    }
    return jsonify(body), 200 if ok else 503
