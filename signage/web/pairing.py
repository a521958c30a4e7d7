"""`GET /screen`: a new TV shows a pairing code; `WS /ws/pair`: it waits there to be paired.

The TV proves it is the one that asked with a secret in a cookie (HttpOnly, kept for
long: after a reboot the same cookie brings the TV back to its screen). So `/screen`:
- with the cookie of a pairing that became a screen → that screen's page (303);
- with the cookie of a code still valid → the same code again (a reload changes nothing);
- otherwise (no cookie, expired code, revoked screen) → a new code.
The page opens `WS /ws/pair` (same cookie) and speaks the screens' protocol: a
`snapshot` with the pairing, then `screen.paired` when an admin has named it; the page
then opens `/screen` again, which sends it to its new page. No key is ever typed, and
none travels on the event bus.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, g, make_response, redirect, render_template, request, url_for
from flask_sock import Sock

from signage.errors import N_, TooMany
from signage.playlists.pairing import shown
from signage.publishing import PROTOCOL_VERSION, pairing_channel
from signage.usecases import Actor
from signage.usecases.pairing import pairing_for_secret, start_pairing
from signage.web import sockets

bp = Blueprint("pairing", __name__)
sock = Sock()

COOKIE = "signage_pairing"
COOKIE_LIFETIME = timedelta(days=400)  # the longest browsers keep a cookie


def _lobby():
    return current_app.extensions["signage"]


def _pairing():
    lobby = _lobby()
    return lobby.query(pairing_for_secret, request.cookies.get(COOKIE), lobby.clock.now())


@bp.get("/screen")
def page():
    lobby = _lobby()
    found = _pairing()
    if found is not None and found["state"] == "paired":
        return redirect(url_for("screen.page", key=found["key"]), 303)
    secret = None
    if found is None:
        address = request.remote_addr or "?"
        wait = lobby.limiter.wait("pairings", address)
        if wait:
            raise TooMany(N_("Máy này đã xin nhiều mã ghép liên tiếp. Xin chờ ít phút rồi thử "
                             "lại."), retry_after=wait)
        found = lobby.perform(start_pairing, Actor.public("tv", address), address)
        secret = found["secret"]
    response = make_response(render_template(
        "screen_pairing.html", code=shown(found["code"]), expires_at=found["expires_at"],
        protocol=PROTOCOL_VERSION, timezone=lobby.settings.timezone))
    response.headers["Cache-Control"] = "no-store"
    if secret is not None:
        response.set_cookie(COOKIE, secret, max_age=int(COOKIE_LIFETIME.total_seconds()),
                            httponly=True, samesite="Lax", path="/",
                            secure=current_app.session_interface.get_cookie_secure(current_app))
    return response


@bp.before_request
def _gate_websocket():
    if request.endpoint != "pairing.socket":
        return None
    if not sockets.same_origin():
        return "Forbidden origin", 403
    # No pairing (expired, or its screen revoked) is still let in: its snapshot says so
    # and the page asks /screen for a new code. A refused upgrade would look to the page
    # like a server that is away, and it would wait for nothing.
    found = _pairing()
    g.pairing_id = found["id"] if found is not None else 0
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


def snapshot_of(lobby, seq: int) -> dict:
    now = lobby.clock.now()
    found = _pairing_by_id(lobby, g.pairing_id, now)
    return {"type": "snapshot", "protocol": PROTOCOL_VERSION, "seq": seq, "at": now.isoformat(),
            "pairing": found}


def _pairing_by_id(lobby, pairing_id: int, now) -> dict:
    found = lobby.query(pairing_for_secret, request.cookies.get(COOKIE), now)
    if found is None or found["id"] != pairing_id:
        return {"state": "expired"}
    if found["state"] == "paired":
        return {"state": "paired"}
    return {"state": "pending", "code": shown(found["code"]), "expires_at": found["expires_at"]}


@sock.route("/ws/pair", bp=bp)
def socket(ws):
    lobby = _lobby()
    link = lobby.publisher.attach(ws, pairing_channel(g.pairing_id),
                                  {"pairing_id": g.pairing_id}, lambda seq: snapshot_of(lobby, seq))
    sockets.serve(ws, link)
