"""Who is asking: staff sessions (Flask-Login), CSRF (Flask-WTF), bearer tokens for the API.

Two ways in, one decorator (`require`) for the API:
- `Authorization: Bearer <token>` — integrators and scripts. No cookie is involved,
  so there is nothing for a cross-site request to ride on: no CSRF check.
- the staff session cookie set by /admin/login — the admin pages' fetch() calls.
  A cookie rides along on cross-site requests too, so a write must also carry the
  CSRF token (`X-CSRFToken` header, from the page's <meta name="csrf-token">).

Outside /api/ every POST/PUT/PATCH/DELETE needs the CSRF token (forms carry it in a
hidden field). Under /api/ the check happens in `require`, only for session-cookie
callers, so bearer clients and anonymous public endpoints (the kiosk's tickets) are
unaffected. The screen WebSocket is a GET upgrade: CSRF does not apply; its gate
checks Origin and the screen key (signage.web.screen).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_request_context, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from signage.accounts import StaffRecord, token_holder
from signage.accounts.sessions import session_staff
from signage.errors import N_, Forbidden, Unauthenticated
from signage.usecases import Actor
from signage.usecases.accounts import TOKEN_USE_PRECISION_S, note_token_use
from signage.web.problems import error_response, wants_json

login_manager = LoginManager()
csrf = CSRFProtect()

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SESSION_LIFETIME = timedelta(hours=12)  # one working day; then log in again


# ---- the logged-in staff member -------------------------------------------------

class StaffUser(UserMixin):
    """The user of the current session, detached from any database session.

    Flask-Login keeps `get_id()` in the signed cookie: here the secret of a server-side
    session (signage.accounts.sessions), so logging out, a deactivation or a new
    password ends it on the server, whatever a copied cookie says.
    """

    def __init__(self, user: StaffRecord, session_secret: str) -> None:
        self.id = user.id
        self.name = user.name
        self.role = user.role
        self.active = user.active
        self.session_secret = session_secret

    def get_id(self) -> str:
        return self.session_secret

    @property
    def is_active(self) -> bool:
        return self.active


@login_manager.user_loader
def _load_user(secret: str) -> StaffUser | None:
    lobby = current_app.extensions["signage"]
    user = lobby.query(session_staff, secret, request.headers.get("User-Agent", ""),
                       lobby.clock.now())
    return StaffUser(user, secret) if user is not None else None


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site (never an open redirect), else `default`."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():
        return error_response(401, "unauthorized", "Cần đăng nhập.")
    return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))


# ---- cookies ------------------------------------------------------------------------

class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure in "auto" mode exactly when the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        mode = app.config["SIGNAGE_SECURE_COOKIES"]
        if mode == "auto":
            return bool(has_request_context() and request.is_secure)
        return mode == "always"


def init_app(app: Flask) -> None:
    """Sessions, login, CSRF and cookie flags for the whole app (called by create_app)."""
    settings = app.extensions["signage"].settings
    secure = settings.secure_cookies
    proxies = settings.trusted_proxies
    if proxies:
        # Behind nginx: believe its X-Forwarded-For/-Proto/-Host (client address for the
        # login throttle and the audit log, https for Secure cookies).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies)
    app.session_interface = _SessionInterface()
    app.config.update(
        SIGNAGE_SECURE_COOKIES=secure,
        SESSION_COOKIE_NAME="signage_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        # Our own before_request decides where CSRF applies (see the module docstring).
        WTF_CSRF_CHECK_DEFAULT=False,
        # A token lives as long as the session: an editor's long form must still save.
        WTF_CSRF_TIME_LIMIT=None,
    )
    login_manager.session_protection = "strong"
    login_manager.init_app(app)
    csrf.init_app(app)

    @app.before_request
    def _csrf_outside_api() -> None:
        if not request.path.startswith("/api/"):
            csrf.protect(apply_exemptions=True)

    @app.errorhandler(CSRFError)
    def _csrf_failed(exc: CSRFError):
        if wants_json():
            return error_response(
                400, "csrf_failed",
                "Thiếu hoặc sai mã chống giả mạo (CSRF): tải lại trang rồi thử lại.")
        from signage.web.admin.views import csrf_failed_page

        return csrf_failed_page(exc)


# ---- the API's gate ---------------------------------------------------------------

def _bearer_actor(header: str) -> Actor:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(N_("Cần đăng nhập: gửi kèm Authorization: Bearer <token>."))
    lobby = current_app.extensions["signage"]
    holder = lobby.query(token_holder, token.strip(), lobby.clock.now())
    if holder is None:
        raise Unauthenticated(N_("Token không hợp lệ hoặc đã bị thu hồi."), code="invalid_token")
    user = holder.staff
    actor = Actor(user.name, user.role, request.remote_addr)
    last = holder.last_used_at
    if last is None or (lobby.clock.now() - last).total_seconds() >= TOKEN_USE_PRECISION_S:
        lobby.perform(note_token_use, actor, holder.token_id)
    return actor


def api_actor(roles: Iterable[str] | None = None) -> Actor:
    """Who calls the API: a valid bearer token, or a staff session (+ the CSRF token on
    writes), of a user with one of `roles` (admin may do everything; an empty set: any
    staff role). Sets `g.actor` (and `g.auth`: "bearer" or "session")."""
    header = request.headers.get("Authorization", "")
    if header:
        actor = _bearer_actor(header)
        g.auth = "bearer"
    elif current_user.is_authenticated:
        if request.method in UNSAFE_METHODS:
            csrf.protect()  # raises CSRFError → 400 JSON
        actor = Actor(current_user.name, current_user.role, request.remote_addr)
        g.auth = "session"
    else:
        raise Unauthenticated(N_("Cần đăng nhập: gửi kèm Authorization: Bearer <token>."))
    allowed = frozenset(roles or ())
    if allowed and not actor.may(allowed):
        raise Forbidden(N_("Tài khoản này không có quyền thực hiện thao tác này."))
    g.actor = actor
    g.user_name, g.user_role = actor.name, actor.role
    return actor


def require(roles: Iterable[str] | None = None) -> Callable:
    """Decorator for routes outside the API registry (pages' fetch endpoints): see
    `api_actor`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            api_actor(roles)
            return view(*args, **kwargs)

        return wrapper

    return decorator
