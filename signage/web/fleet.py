"""The admin's own socket, `WS /ws/admin`: the fleet page (/admin/fleet) follows the screens
live (docs/protocol.md, "Fleet page socket").

The screens' protocol on the FLEET channel: the first message is a `snapshot` with every
screen as `GET /api/v1/screens` gives it (and `stale_after`), then `fleet.updated` (the
health of the screens whose pages reported, coalesced to one event a second) and
`fleet.changed` (screens added, paired or revoked: the page asks for a new snapshot).
Only admins and approvers (who may reload screens from it), by their staff session; the
gate runs before the upgrade, like the others': anyone else, or a page from another
origin, gets a plain HTTP 403 and never a socket.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, request
from flask_login import current_user
from flask_sock import Sock

from signage.publishing import FLEET, PROTOCOL_VERSION
from signage.usecases import ADMIN, APPROVERS, Actor
from signage.web import sockets
from signage.web.api.screens import fleet_items

bp = Blueprint("fleet", __name__)
sock = Sock()


def _lobby():
    return current_app.extensions["signage"]


@bp.before_request
def _gate_websocket():
    if request.endpoint != "fleet.socket":
        return None
    if not sockets.same_origin():
        return "Forbidden origin", 403
    if not current_user.is_authenticated:
        return "Admins and approvers only", 403
    actor = Actor(current_user.name, current_user.role, request.remote_addr)
    if not actor.may(APPROVERS):
        return "Admins and approvers only", 403
    g.admin_actor = actor
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


def snapshot_of(lobby, seq: int, admin: bool = True) -> dict:
    """The fleet as `GET /api/v1/screens` gives it; for an approver without each screen's
    `url` (its key is the screen's credential, an admin's business)."""
    screens = fleet_items()
    if not admin:
        screens = [{k: v for k, v in s.items() if k != "url"} for s in screens]
    return {"type": "snapshot", "protocol": PROTOCOL_VERSION, "seq": seq,
            "at": lobby.clock.now().isoformat(),
            "stale_after": lobby.settings.screen_stale_after, "screens": screens}


@sock.route("/ws/admin", bp=bp)
def socket(ws):
    lobby = _lobby()
    admin = g.admin_actor.may(ADMIN)
    link = lobby.publisher.attach(ws, FLEET, {"admin": g.admin_actor.name},
                                  lambda seq: snapshot_of(lobby, seq, admin))
    sockets.serve(ws, link)
