"""Pages where citizens judge the service: the counter's rating tablet and its socket,
and the officers' portraits it shows. They only read; a rating goes through the API
(`POST /api/v1/ratings` with the tablet's key: signage.web.api.ratings).

The tablet (`GET /rate/<counter number>?key=<its key>`) is registered like a lobby
screen: its socket `WS /ws/rate/<key>` is refused before the upgrade (plain 403) for an
unknown or revoked key or a page from another origin, and speaks the screens' protocol
on the counter's own channel (docs/protocol.md, "Rating tablet").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, current_app, g, render_template, request
from flask_sock import Sock

from signage.publishing import PROTOCOL_VERSION, tablet_channel
from signage.usecases import Actor
from signage.usecases import office as office_uc
from signage.usecases import officers as officers_uc
from signage.usecases import queue as queue_uc
from signage.usecases import tablets as tablets_uc
from signage.web import sockets
from signage.web.sockets import same_origin

bp = Blueprint("evaluation", __name__)
sock = Sock()


def _lobby() -> Any:
    return current_app.extensions["signage"]


@bp.get("/rate/<int:number>")
def rate_page(number: int):
    """The counter's rating tablet. Without a registered key for this counter it says
    how to register it (403)."""
    lobby = _lobby()
    counter = next((c for c in lobby.query(queue_uc.list_counters) if c["number"] == number),
                   None)
    if counter is None:
        abort(404)
    key = request.args.get("key", "")
    tablet = lobby.query(tablets_uc.tablet_for_key, key)
    registered = tablet is not None and tablet["counter"] == number
    page = render_template("rate.html", counter=counter, key=key if registered else "",
                           registered=registered, timezone=lobby.settings.timezone,
                           office=lobby.query(office_uc.office))
    return page, 200 if registered else 403


@bp.get("/officers/<int:officer_id>/photo")
def officer_photo(officer_id: int):
    """An officer's portrait (public, like their name: NĐ 118 Điều 9 khoản 8)."""
    photo = _lobby().query(officers_uc.officer_photo, officer_id)
    if photo is None:
        abort(404)
    content, kind = photo
    return content, 200, {"Content-Type": kind, "Cache-Control": "public, max-age=86400"}


# ---- the tablet's socket ------------------------------------------------------------------

@bp.before_request
def _gate_websocket():
    if request.endpoint != "evaluation.socket":
        return None
    if not same_origin():
        return "Forbidden origin", 403
    tablet = _lobby().query(tablets_uc.tablet_for_key, (request.view_args or {}).get("key"))
    if tablet is None:
        return "Unknown tablet", 403
    g.tablet = tablet
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)  # one frame for all
    return None


def snapshot_of(lobby: Any, tablet: dict[str, Any], seq: int) -> dict[str, Any]:
    """The tablet's first message (and the answer to `resync`)."""
    now: datetime = lobby.clock.now()
    return {"type": "snapshot", "protocol": PROTOCOL_VERSION, "seq": seq, "at": now.isoformat(),
            "timezone": lobby.settings.timezone,
            "tablet": {"id": tablet["id"], "name": tablet["name"]},
            **lobby.query(tablets_uc.tablet_view, tablet["counter_id"], now)}


@sock.route("/ws/rate/<key>", bp=bp)
def socket(ws, key: str):
    lobby = _lobby()
    tablet = g.tablet
    link = lobby.publisher.attach(ws, tablet_channel(tablet["counter_id"]),
                                  {"tablet_id": tablet["id"]},
                                  lambda seq: snapshot_of(lobby, tablet, seq))

    def started() -> None:
        # As for screens: a revocation committed since the gate found no socket to close.
        if lobby.query(tablets_uc.tablet_for_key, key) is None:
            link.drop(1008, "revoked")
            return
        lobby.perform(tablets_uc.tablet_seen, Actor.public("tablet"), tablet["id"])

    sockets.serve(ws, link, after_start=started)
