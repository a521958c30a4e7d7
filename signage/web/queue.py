"""Queue pages (kiosk, counter console, a citizen's ticket page) and how queue changes
reach the screens.

`queue.call` is published at once to every zone that shows the counter, with the
clip tokens and text for speech. `queue.updated` (the zone's panel) is coalesced:
a burst of tickets at the kiosk makes one update a moment later, not one per ticket.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import segno
from flask import Blueprint, Flask, abort, current_app, render_template, request, url_for

from signage.events import QueueCalled
from signage.queueing import views
from signage.queueing.announce import announcement, speech_settings
from signage.queueing.calling import CounterAction
from signage.queueing.catalog import counter_zone_slugs, list_services, service_json
from signage.queueing.errors import QueueError
from signage.queueing.numbering import PRIORITY_GROUPS

log = logging.getLogger(__name__)
bp = Blueprint("queue", __name__)

UPDATE_DELAY_S = 0.2


class QueueBroadcaster:
    """Transitional: builds the `queue.call` event and hands it to the publisher."""

    def __init__(self, lobby: Any) -> None:
        self.lobby = lobby

    def call(self, session: Any, action: CounterAction) -> dict[str, Any]:
        """Build the `queue.call` event of a (re)call, inside the write session."""
        ticket, counter = action.ticket, action.counter
        settings = speech_settings(session)
        return {
            "zones": counter_zone_slugs(session, counter),
            "event": {
                "ticket": ticket.display,
                "ticket_id": ticket.id,
                "counter": counter.number,
                "counter_id": counter.id,
                "counter_name": counter.name,
                "service": ticket.queue_service.code,
                "service_name": ticket.queue_service.name,
                "recall": action.kind == "recalled",
                "overlay_seconds": settings["overlay_seconds"],
                **announcement(ticket.display, counter.number, settings),
            },
        }

    def publish_call(self, call: dict[str, Any]) -> None:
        self.lobby.publisher.publish([QueueCalled(tuple(call["zones"]), call["event"])])

    def changed(self) -> None:
        self.lobby.publisher.queue_changed()


@contextmanager
def queue_write(lobby: Any) -> Iterator[Any]:
    """A write transaction for the queue (the store serialises SQLite writers)."""
    with lobby.store.write() as session:
        yield session


def broadcaster(app: Flask | None = None) -> QueueBroadcaster:
    app = app or current_app
    found = app.extensions.get("signage.queue")
    if found is None:
        found = app.extensions.setdefault("signage.queue",
                                          QueueBroadcaster(app.extensions["signage"]))
    return found


def setting(name: str) -> str | None:
    """A setting of signage.config (public_url, escpos)."""
    return getattr(current_app.extensions["signage"].settings, name)


def public_base() -> str:
    """Where a citizen's phone reaches this server (for the QR on the ticket)."""
    return (setting("public_url") or request.host_url).rstrip("/")


# ---- pages --------------------------------------------------------------------------

def _office() -> dict[str, Any]:
    from signage.playlists.service import office

    with current_app.extensions["signage"].store.read() as session:
        return office(session)


@bp.get("/kiosk")
def kiosk():
    lobby = current_app.extensions["signage"]
    with lobby.store.read() as session:
        services = [service_json(s) for s in list_services(session, active_only=True)]
    return render_template("kiosk.html", office=_office(), services=services,
                           priority_groups=PRIORITY_GROUPS, timezone=lobby.settings.timezone)


def _staff_session() -> dict[str, Any] | None:
    """The logged-in staff member, when the admin login (Flask-Login) is installed."""
    try:
        from flask_login import current_user
    except ImportError:
        return None
    if "login_manager" not in current_app.extensions and not hasattr(current_app, "login_manager"):
        return None
    if not current_user or not current_user.is_authenticated:
        return None
    csrf = None
    if "csrf" in current_app.extensions:
        from flask_wtf.csrf import generate_csrf

        csrf = generate_csrf()
    return {"name": current_user.name, "role": current_user.role, "csrf": csrf}


@bp.get("/counter")
def counter():
    """The counter console. Signed in through /admin/login (session + CSRF) when the
    officer has a session; otherwise the officer pastes an operator token once."""
    login_url = None
    if "admin.login" in current_app.view_functions:
        login_url = url_for("admin.login", next="/counter")
    return render_template("counter.html", office=_office(), staff=_staff_session(),
                           login_url=login_url,
                           timezone=current_app.extensions["signage"].settings.timezone)


@bp.get("/t/<token>")
def ticket_page(token: str):
    lobby = current_app.extensions["signage"]
    with lobby.store.read() as session:
        try:
            status = views.ticket_status(session, token, lobby.clock.now())
        except QueueError:
            abort(404)
    return render_template("ticket_status.html", office=_office(), ticket=status, token=token,
                           timezone=lobby.settings.timezone)


@bp.get("/t/<token>/qr.svg")
def ticket_qr(token: str):
    lobby = current_app.extensions["signage"]
    with lobby.store.read() as session:
        try:
            views.ticket_by_token(session, token)
        except QueueError:
            abort(404)
    out = io.BytesIO()
    segno.make(f"{public_base()}/t/{token}", error="m").save(
        out, kind="svg", scale=4, border=2, dark="#000", xmldecl=False)
    return out.getvalue(), 200, {"Content-Type": "image/svg+xml", "Cache-Control": "private, max-age=86400"}
