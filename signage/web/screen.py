"""The lobby screen: its page and its WebSocket.

The WebSocket gate runs before the upgrade: an unknown or revoked key, or a page
from another origin, gets a plain HTTP 403 and never a socket (CSRF protection does
not cover WebSocket upgrades). It also strips the client's permessage-deflate offer:
uncompressed frames are what lets one encoded frame go to every screen. Only the
snapshot, the one big message, is compressed, once per zone, for a page that asks.
"""

from __future__ import annotations

import gzip
import logging
import mimetypes
import threading
from functools import cache

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_sock import Sock

from signage.errors import N_, NotFound
from signage.playlists import service as playlists
from signage.publishing import PROTOCOL_VERSION
from signage.resources import STATIC_DIR, static_version
from signage.usecases import Actor
from signage.usecases import images as images_uc
from signage.usecases.screens import ScreenStatus, record_screenshot, screen_for_key
from signage.web import sockets
from signage.web.auth import csrf
from signage.web.sockets import same_origin

log = logging.getLogger(__name__)
bp = Blueprint("screen", __name__)
sock = Sock()

# At most this many screens between their upgrade request and their snapshot at once:
# the others wait their turn. After a restart hundreds of TVs knock together; a few
# handshakes at a time go through as fast as fifty, and the rest of the server (/healthz,
# a kiosk's number) competes with a few threads for the interpreter instead of fifty.
HANDSHAKES_AT_ONCE = 4
# `?snapshot=deflate-raw` on the socket's address: send the snapshot compressed.
SNAPSHOT_DEFLATE = "deflate-raw"

# The screen page's ES modules (files in signage/static/): the entry module first, then
# everything it imports, so the page preloads them all at once instead of discovering
# them import by import (tests/unit/test_frontend_modules.py keeps this list exact).
SCREEN_SCRIPTS: list[str] = [
    "js/screen.js", "js/lib/live.js", "js/lib/dom.js", "js/lib/office-time.js", "js/masthead.js",
    "js/slides.js", "js/queue-panel.js", "js/ticker.js", "js/speech.js", "js/lib/api.js",
    "js/alerts.js",
]


def _lobby():
    return current_app.extensions["signage"]


@bp.get("/screen/<key>")
def page(key: str):
    lobby = _lobby()
    screen = lobby.query(screen_for_key, key)
    if screen is None:
        # An unknown or revoked key: the TV shows a pairing code, so an admin can make
        # it a screen again from /admin without walking to it (signage.web.pairing).
        return redirect(url_for("pairing.page"))
    office = lobby.query(playlists.office)
    return render_template(
        "screen.html", key=key, screen=screen, office=office, protocol=PROTOCOL_VERSION,
        timezone=lobby.settings.timezone, screen_scripts=SCREEN_SCRIPTS,
        client_version=static_version(), asset=asset_url, ticker_mode=lobby.settings.ticker,
    )


@bp.get("/screen/<key>/state")
def state(key: str):
    """Is this key a screen? (JSON; 404 when unknown or revoked.) The page asks after its
    socket was refused, to tell a revoked key (it goes to /screen for a pairing code) from
    a server that is away (it keeps rotating and knocking)."""
    screen = _lobby().query(screen_for_key, key)
    if screen is None:
        raise NotFound(N_("Không có màn hình với mã này (mã sai hoặc đã thu hồi)."),
                       code="unknown_screen")
    return {"name": screen["name"], "zone": screen["zone"]}


@bp.post("/screen/<key>/screenshot")
@csrf.exempt
def screenshot(key: str):
    """The picture the page took of itself when an admin asked (`screen.screenshot`,
    docs/protocol.md): the body is the image (JPEG, PNG or WebP, at most 1 MB); the key in
    the address is the screen's credential, so no CSRF token (and no other origin)."""
    if not same_origin():
        abort(403)
    taken = _lobby().perform(record_screenshot, Actor.public("screen", request.remote_addr),
                             key, request.get_data(cache=False))
    return taken, 201


@bp.get("/images/<name>")
def image(name: str):
    """A picture uploaded for a law message (signage.notices.images): by its content-hash
    name, so cached for good; always with its image type and `nosniff`, never as a page."""
    found = images_uc.image_file(_lobby().settings.data_dir, name)
    if found is None:
        abort(404)
    path, kind = found
    response = send_from_directory(path.parent, path.name, mimetype=kind, max_age=31536000)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask every page for it; a 404 on each is noise in every log (issue 9)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400,
                               mimetype="image/vnd.microsoft.icon")


def asset_url(filename: str) -> str:
    """A static file's address with the version of all of them in its path: a file that
    changes gets a new address, so it can be cached for good, and the page's ES modules
    (which import each other by relative paths) always come from the same version."""
    return f"/static/v/{static_version()}/{filename}"


@bp.get("/static/v/<version>/<path:filename>")
def versioned_static(version: str, filename: str):
    """The files of this version only (an old page asking for its old files gets 404 and
    reloads from the server, or its service worker's copy); cached for a year. Scripts,
    styles and SVG go gzip-compressed to a browser that accepts it (a TV's first load:
    issue 13), compressed once per file since a version's files never change."""
    if version != static_version():
        abort(404)
    accepts = "gzip" in request.headers.get("Accept-Encoding", "")
    body = _gzipped(filename) if accepts and filename.endswith(COMPRESSIBLE) else None
    if body is not None:
        response = Response(body, mimetype=mimetypes.guess_type(filename)[0])
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_from_directory(current_app.static_folder, filename, max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.vary.add("Accept-Encoding")
    return response


COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".txt")


@cache
def _gzipped(filename: str) -> bytes | None:
    """The file gzip-compressed (None when it is not a file of the static folder)."""
    root = STATIC_DIR.resolve()
    path = (root / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


@bp.get("/sw.js")
def service_worker():
    """The screen's service worker, served from the root so it may control /screen/…"""
    response = send_from_directory(current_app.static_folder, "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _handshakes() -> threading.BoundedSemaphore:
    """The app's handshake slots (made in the serving process, after gevent's patching)."""
    slots = current_app.extensions.get("signage.handshakes")
    if slots is None:
        slots = current_app.extensions.setdefault(
            "signage.handshakes", threading.BoundedSemaphore(HANDSHAKES_AT_ONCE))
    return slots


def _handshake_done() -> None:
    slots = g.pop("handshake", None)
    if slots is not None:
        slots.release()


@bp.before_request
def _gate_websocket():
    if request.endpoint != "screen.socket":
        return None
    if not same_origin():
        return "Forbidden origin", 403
    if _lobby().publisher.closing:  # stopping: knock again, at the next server
        return "Server going away", 503
    # Held until the snapshot is queued (socket: started) or the request ends.
    slots = _handshakes()
    slots.acquire()
    g.handshake = slots
    g.drops = _lobby().publisher.drops  # before the key is read (socket: started)
    screen = _lobby().query(screen_for_key, (request.view_args or {}).get("key", ""))
    if screen is None:
        return "Unknown screen", 403
    g.screen = screen
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


@bp.teardown_request
def _handshake_teardown(_error: BaseException | None) -> None:
    _handshake_done()  # refused, or failed before its snapshot


@sock.route("/ws/screen/<key>", bp=bp)
def socket(ws, key: str):
    lobby = _lobby()
    screen = g.screen
    publisher = lobby.publisher
    # The page inflates a compressed snapshot when it says so (docs/protocol.md); events
    # stay plain text, one frame for every screen.
    deflate = request.args.get("snapshot") == SNAPSHOT_DEFLATE

    def snapshot(seq: int) -> bytes:
        return publisher.screen_snapshot(screen, seq, deflate=deflate)

    link = publisher.attach(ws, screen["zone"], {"screen_id": screen["id"], "name": screen["name"]},
                            snapshot)

    fleet = lobby.fleet
    screen_id, peer_id = screen["id"], link.peer.id
    drops = g.drops

    def started() -> None:
        # The key was checked before the upgrade; a revocation committed since then
        # found no socket of this screen to close. Now that the socket is registered, a
        # revocation from here on finds it; one before it closed sockets (publisher.drops
        # moved) after the key was read: then look again. Nothing moved (the rule in a
        # reconnect storm): no second read of the key.
        try:
            if publisher.closing:  # registered after the server closed every socket
                link.drop(1001, "server going away")
                return
            if publisher.drops != drops and lobby.query(screen_for_key, key) is None:
                link.drop(1008, "revoked")
                return
            fleet.attached(screen_id, peer_id)
        finally:
            _handshake_done()

    def handle(message: dict) -> None:
        if message.get("type") == "status":
            status = ScreenStatus.read(message)
            if status is not None:
                fleet.reported(screen_id, status)
                return
        fleet.heard(screen_id)

    sockets.serve(ws, link, handle, after_start=started,
                  on_close=lambda: fleet.detached(screen_id, peer_id))
