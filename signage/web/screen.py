"""The lobby screen: its page and its WebSocket.

The WebSocket gate runs before the upgrade: an unknown or revoked key, or a page
from another origin, gets a plain HTTP 403 and never a socket (CSRF protection does
not cover WebSocket upgrades). It also strips the client's permessage-deflate offer:
uncompressed frames are what lets one encoded frame go to every screen.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, render_template, request, send_from_directory
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from signage.playlists import service as playlists
from signage.playlists.screens import screen_by_key
from signage.realtime.hub import PROTOCOL_VERSION

log = logging.getLogger(__name__)
bp = Blueprint("screen", __name__)
sock = Sock()

# Feature scripts the screen page loads before screen.js (each a file in signage/static/).
RECEIVE_POLL_S = 60.0

SCREEN_SCRIPTS: list[str] = ["speech.js", "queue.js", "slides.js", "ticker.js"]


def _lobby():
    return current_app.extensions["signage"]


@bp.get("/screen/<key>")
def page(key: str):
    lobby = _lobby()
    with lobby.store.read() as session:
        screen = screen_by_key(session, key)
        office = playlists.office(session)
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
    with _lobby().store.read() as session:
        screen = screen_by_key(session, (request.view_args or {}).get("key", ""))
        if screen is None:
            return "Unknown screen", 403
        g.screen, g.zone = screen, screen.zone
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


@sock.route("/ws/screen/<key>", bp=bp)
def socket(ws, key: str):
    lobby = _lobby()
    screen, zone = g.screen, g.zone
    peer = lobby.hub.connect(ws, zone.slug, {"screen_id": screen.id, "name": screen.name})
    try:
        lobby.hub.start(peer, lambda seq: lobby.snapshot(screen, zone, seq))
        while True:
            # The reader thread wakes us when it ends (RoutedSocket.close); the timeout is
            # only a safety net, long enough that 1,000 idle handlers cost nothing.
            raw = ws.receive(timeout=RECEIVE_POLL_S)
            if raw is None:
                if not ws.connected:
                    break
                continue
            _handle(lobby, peer, screen, zone, raw)
    except ConnectionClosed:
        pass
    finally:
        lobby.hub.disconnect(peer)


def _handle(lobby, peer, screen, zone, raw: str | bytes) -> None:
    try:
        message = json.loads(raw)
        kind = message.get("type")
    except (ValueError, AttributeError):
        log.debug("screen %s sent something that is not a JSON object", screen.id)
        return
    if kind == "ping":
        lobby.hub.reply(peer, "pong", {"id": message.get("id")})
    elif kind == "resync":
        lobby.hub.start(peer, lambda seq: lobby.snapshot(screen, zone, seq))
