"""The lobby screen: its page and its WebSocket.

The WebSocket gate runs before the upgrade: an unknown or revoked key, or a page
from another origin, gets a plain HTTP 403 and never a socket (CSRF protection does
not cover WebSocket upgrades). It also strips the client's permessage-deflate offer:
uncompressed frames are what lets one encoded frame go to every screen.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, render_template, request, send_from_directory
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from signage.playlists import service as playlists
from signage.publishing import PROTOCOL_VERSION
from signage.usecases.screens import screen_for_key
from signage.web.inputs import loads

log = logging.getLogger(__name__)
bp = Blueprint("screen", __name__)
sock = Sock()

RECEIVE_POLL_S = 60.0

# The screen page's ES modules (files in signage/static/): the entry module first, then
# everything it imports, so the page preloads them all at once instead of discovering
# them import by import (tests/unit/test_frontend_modules.py keeps this list exact).
SCREEN_SCRIPTS: list[str] = [
    "js/screen.js", "js/lib/live.js", "js/lib/dom.js", "js/lib/office-time.js", "js/masthead.js",
    "js/slides.js", "js/queue-panel.js", "js/ticker.js", "js/speech.js",
]


def _lobby():
    return current_app.extensions["signage"]


@bp.get("/screen/<key>")
def page(key: str):
    lobby = _lobby()
    screen = lobby.query(screen_for_key, key)
    office = lobby.query(playlists.office)
    if screen is None:
        abort(404)
    return render_template(
        "screen.html", key=key, screen=screen, office=office, protocol=PROTOCOL_VERSION,
        timezone=lobby.settings.timezone, screen_scripts=SCREEN_SCRIPTS,
    )


@bp.get("/sw.js")
def service_worker():
    """The screen's service worker, served from the root so it may control /screen/…"""
    response = send_from_directory(current_app.static_folder, "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _same_origin() -> bool:
    origin = request.headers.get("Origin")
    if not origin:
        return True  # not a browser (kiosk players, integrators' tools)
    return urlsplit(origin).netloc == request.host


@bp.before_request
def _gate_websocket():
    if request.endpoint != "screen.socket":
        return None
    if not _same_origin():
        return "Forbidden origin", 403
    screen = _lobby().query(screen_for_key, (request.view_args or {}).get("key", ""))
    if screen is None:
        return "Unknown screen", 403
    g.screen = screen
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


@sock.route("/ws/screen/<key>", bp=bp)
def socket(ws, key: str):
    lobby = _lobby()
    screen = g.screen
    publisher = lobby.publisher

    def snapshot(seq: int) -> dict:
        return publisher.screen_snapshot(screen, seq)

    link = publisher.attach(ws, screen["zone"], {"screen_id": screen["id"], "name": screen["name"]},
                            snapshot)
    try:
        link.start()
        # The key was checked before the upgrade; a revocation committed since then
        # found no socket of this screen to close. Now that the socket is registered,
        # look again: a revocation from here on finds it, one before is seen here.
        if lobby.query(screen_for_key, key) is None:
            link.drop(1008, "revoked")
        while True:
            # The reader thread wakes us when it ends (RoutedSocket.close); the timeout is
            # only a safety net, long enough that 1,000 idle handlers cost nothing.
            raw = ws.receive(timeout=RECEIVE_POLL_S)
            if raw is None:
                if not ws.connected:
                    break
                continue
            _handle(link, screen, raw)
    except ConnectionClosed:
        pass
    finally:
        link.close()


def _handle(link, screen, raw: str | bytes) -> None:
    try:
        message = loads(raw)
        kind = message.get("type")
    except (ValueError, AttributeError, RecursionError):
        log.debug("screen %s sent something that is not a JSON object", screen["id"])
        return
    if kind == "ping":
        link.reply("pong", {"id": message.get("id")})
    elif kind == "resync":
        link.start()
