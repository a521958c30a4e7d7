"""Queue pages: the kiosk, the counter console, a citizen's ticket page and its QR.

They only read (queries); taking a number and acting at a counter go through the
API (signage.web.api.tickets, .counters), whose use cases emit the events that
reach the screens.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import Blueprint, abort, current_app, render_template, request, url_for

from signage.errors import N_, NotFound
from signage.playlists.service import office
from signage.queueing.numbering import PRIORITY_GROUPS
from signage.usecases import queue as queue_uc
from signage.usecases import ratings as ratings_uc
from signage.usecases import tickets as tickets_uc
from signage.usecases.kiosks import kiosk_for_key

bp = Blueprint("queue", __name__)


def _lobby() -> Any:
    return current_app.extensions["signage"]


def public_base() -> str:
    """Where a citizen's phone reaches this server (for the QR on the ticket)."""
    return (_lobby().settings.public_url or request.host_url).rstrip("/")


# ---- pages --------------------------------------------------------------------------

@bp.get("/kiosk")
@bp.get("/kiosk/<key>")
def kiosk(key: str | None = None):
    """The ticket kiosk; `/kiosk/<key>` is a registered one (signage.usecases.kiosks),
    whose numbers are not limited as anonymous requests are."""
    lobby = _lobby()
    if key is not None and lobby.query(kiosk_for_key, key) is None:
        abort(404)
    return render_template("kiosk.html", office=lobby.query(office),
                           services=lobby.query(queue_uc.list_services, active_only=True,
                                                now=lobby.clock.now(), tz=lobby.clock.tz),
                           priority_groups=PRIORITY_GROUPS, timezone=lobby.settings.timezone,
                           kiosk_key=key)


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
    lobby = _lobby()
    return render_template("counter.html", office=lobby.query(office), staff=_staff_session(),
                           login_url=login_url, timezone=lobby.settings.timezone)


@bp.get("/t/<token>")
def ticket_page(token: str):
    lobby = _lobby()
    try:
        status = lobby.query(tickets_uc.ticket_status, token, lobby.clock.now())
    except NotFound:
        # A person holding a phone, not a program: say what may have happened, in Vietnamese.
        raise NotFound(N_("Không tìm thấy phiếu này. Có thể đường dẫn bị gõ sai hoặc phiếu đã "
                          "quá hạn. Xin lấy số tại máy lấy số, hoặc hỏi cán bộ tại bộ phận một "
                          "cửa."), code="unknown_ticket") from None
    # The citizen's own rating ("online", NĐ 118 Điều 32) and the feedback box.
    rating = {**lobby.query(ratings_uc.phone_may_rate, token, lobby.clock.now()),
              **lobby.query(ratings_uc.rating_form)}
    return render_template("ticket_status.html", office=lobby.query(office), ticket=status,
                           token=token, timezone=lobby.settings.timezone, rating=rating)


@bp.get("/feedback")
def feedback_page():
    """The public feedback box (the QR in the lobby screens' footer points here); it posts
    to `POST /api/v1/feedback` like the ticket page's box, without a ticket."""
    return render_template("feedback.html", office=_lobby().query(office))


@bp.get("/feedback/qr.svg")
def feedback_qr():
    return _qr_svg(f"{public_base()}/feedback", "public, max-age=3600")


def _qr_svg(url: str, cache: str):
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, dark="#000",
                                    xmldecl=False)
    return out.getvalue(), 200, {"Content-Type": "image/svg+xml", "Cache-Control": cache}


@bp.get("/t/<token>/qr.svg")
def ticket_qr(token: str):
    if not _lobby().query(tickets_uc.token_known, token):
        abort(404)
    return _qr_svg(f"{public_base()}/t/{token}", "private, max-age=86400")
