"""The staff pages under /admin (the API is signage.web.api).

Every /admin page needs a logged-in staff member unless its endpoint is in `PUBLIC`
(login, language switch): a page added later is protected without anyone
remembering to. Pages for some roles only use `@roles(...)`.

Navigation is `NAV`: a feature adds its page with one `NAV.append(...)` (see
docs/admin.md); an entry whose endpoint does not exist is not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")

PUBLIC = {"admin.login", "admin.language"}


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy translation
    roles: frozenset[str] | None = None  # None: every staff role
    order: int = 50


NAV: list[NavItem] = [
    NavItem("admin.dashboard", _l("Tổng quan"), order=10),
    NavItem("admin.notices", _l("Thông báo"), frozenset({"admin", "editor", "approver"}), 20),
    NavItem("admin.screens", _l("Màn hình"), frozenset({"admin"}), 60),
    NavItem("admin.kiosks", _l("Máy lấy số"), frozenset({"admin"}), 62),
    NavItem("admin.zones", _l("Khu vực"), frozenset({"admin"}), 65),
    NavItem("admin.users", _l("Người dùng"), frozenset({"admin"}), 70),
    NavItem("admin.audit", _l("Nhật ký"), frozenset({"admin"}), 80),
]


def roles(allowed: Iterable[str]) -> Callable:
    """Decorator for /admin views: only these roles (and admin) may open the page (else 403)."""
    allowed = frozenset(allowed) | {"admin"}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


@bp.before_request
def _staff_only():
    if request.endpoint in PUBLIC:
        return None
    if not current_user.is_authenticated:
        from signage.web.auth import login_manager

        return login_manager.unauthorized()
    return None


@bp.after_request
def _no_store(response):
    # Staff pages show keys and personal data: never cache them. (The security headers
    # of every page are signage.web.headers'.)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def register(app: Flask) -> None:
    from signage.web.admin import (  # noqa: F401 (routes)
        alerts,
        audit,
        evaluation,
        fleet,
        notices,  # noqa: F401 (routes)
        office,
        playlists,
        queue,  # noqa: F401 (routes)
        screens,
        users,
        views,
    )

    app.register_blueprint(bp)
