"""Bearer-token authentication for the REST API."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import current_app, g, request

from signage.accounts import user_for_token
from signage.web.errors import ApiError


def require(roles: Iterable[str] | None = None) -> Callable:
    """Decorator: the request must carry a valid token of a user with one of `roles`."""
    allowed = set(roles) if roles else None

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiError(401, "unauthorized",
                               "Cần đăng nhập: gửi kèm Authorization: Bearer <token>.")
            lobby = current_app.extensions["signage"]
            with lobby.store.read() as session:
                user = user_for_token(session, token.strip())
                if user is not None:
                    g.user_name, g.user_role = user.name, user.role
            if user is None:
                raise ApiError(401, "invalid_token", "Token không hợp lệ hoặc đã bị thu hồi.")
            if allowed is not None and g.user_role not in allowed and g.user_role != "admin":
                raise ApiError(403, "forbidden", "Tài khoản này không có quyền thực hiện thao tác.")
            return view(*args, **kwargs)

        return wrapper

    return decorator
