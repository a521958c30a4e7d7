"""The counter console's live queue: `WS /ws/counter` (docs/protocol.md, "Counter console").

The screens' protocol on the consoles' own channel: the first message is a `snapshot`
(`protocol`, `seq`, `at`, and `queue`: exactly what GET /api/v1/queue returns), then
events with `type`, `seq` and `at` — `queue.state` with the whole queue again whenever it
changed (coalesced by signage.publishing); `resync` asks for a new snapshot and `ping`
gets a `pong`. The console's actions stay plain POSTs to the API.

Only operators and admins may listen. The gate runs before the upgrade, like the
screen's: a page from another origin, or anyone else, gets a plain HTTP 403 and never a
socket. Two ways in, the same two as the console's actions:
- the staff session cookie (signed in at /admin/login);
- an operator's bearer token, on a shared counter PC without personal logins. A browser
  cannot put an Authorization header on a WebSocket, so the page offers the token as a
  subprotocol, `bearer.<token>`, next to `signage.console` (the one the server picks).
Browsers do not tell a page why an upgrade failed, so `GET /counter/access` answers the
same question over plain HTTP: the console asks it after a failed upgrade to tell
"signed out" from "server unreachable".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, current_app, g, jsonify, request
from flask_login import current_user
from flask_sock import Sock

from signage.errors import N_, Forbidden, Unauthenticated
from signage.publishing import CONSOLES, PROTOCOL_VERSION
from signage.usecases import OPERATORS, Actor
from signage.web import sockets
from signage.web.sockets import same_origin

bp = Blueprint("console", __name__)
sock = Sock()

SUBPROTOCOL = "signage.console"


def register(app: Flask) -> None:
    """The console's routes, and its subprotocol among those the WebSocket server picks
    (screens offer none, so they are not affected)."""
    options = app.config.setdefault("SOCK_SERVER_OPTIONS", {})
    options["subprotocols"] = [*options.get("subprotocols", []), SUBPROTOCOL]
    app.register_blueprint(bp)


def _lobby():
    return current_app.extensions["signage"]


def console_actor() -> Actor | None:
    """The operator or admin signed in at this console (their staff session); None when
    nobody is, or the user does not run counters. No API token here: a token kept in a
    counter PC's browser outlives the officer's shift and anyone at the PC has it."""
    if current_user.is_authenticated:
        actor = Actor(current_user.name, current_user.role, request.remote_addr)
        if actor.may(OPERATORS):
            return actor
    return None


@bp.before_request
def _gate_websocket():
    if request.endpoint != "console.socket":
        return None
    if not same_origin():
        return "Forbidden origin", 403
    actor = console_actor()
    if actor is None:
        return "Operators only", 403
    g.console_actor = actor
    # Uncompressed frames: one encoded frame goes to every console (as for screens).
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


@bp.get("/counter/access")
def access():
    """Who this console would listen as: 200 {name, role}; 401 nobody signed in;
    403 a signed-in user who does not run counters."""
    actor = console_actor()
    if actor is not None:
        return jsonify({"name": actor.name, "role": actor.role})
    if current_user.is_authenticated:
        raise Forbidden(N_("Chỉ cán bộ một cửa (operator) hoặc quản trị viên mới dùng được "
                           "bàn điều khiển quầy."))
    raise Unauthenticated(N_("Cần đăng nhập bằng tài khoản cán bộ để dùng bàn điều khiển "
                             "quầy."))


def snapshot_of(lobby: Any, actor: Actor, seq: int) -> dict[str, Any]:
    """The console's first message (and the answer to `resync`)."""
    now: datetime = lobby.clock.now()
    return {
        "type": "snapshot",
        "protocol": PROTOCOL_VERSION,
        "seq": seq,
        "at": now.isoformat(),
        "timezone": lobby.settings.timezone,
        "staff": {"name": actor.name, "role": actor.role},
        "queue": lobby.query(lobby.publisher.console_state, now),
    }


@sock.route("/ws/counter", bp=bp)
def socket(ws):
    lobby = _lobby()
    actor = g.console_actor
    link = lobby.publisher.attach(ws, CONSOLES, {"console": actor.name},
                                  lambda seq: snapshot_of(lobby, actor, seq))
    sockets.serve(ws, link)
