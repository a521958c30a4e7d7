"""The admin part of /api/v1: users, zones (create, rename), screen revocation, audit log.

Same actions as the /admin pages (signage.web.admin.actions), same errors as the
rest of the API. Bearer token or staff session + X-CSRFToken, via `require`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from signage import accounts
from signage.accounts import AccountError, AccountExists, AccountNotFound
from signage.accounts.audit import entry_json, find_entries, last_logins
from signage.web.admin.actions import (
    Actor,
    create_user,
    update_user,
    user_json,
)
from signage.web.admin.audit import query_from_args
from signage.web.auth import require
from signage.web.errors import ApiError

bp = Blueprint("admin_api", __name__, url_prefix="/api/v1")


def _lobby():
    return current_app.extensions["signage"]


def _actor() -> Actor:
    return Actor(g.user_name, request.remote_addr)


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json",
                       "Cần gửi một đối tượng JSON (Content-Type: application/json).")
    return data


def _refused(exc: Exception) -> ApiError:
    return ApiError(422, "validation_failed", str(exc))


def _int(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        return max(lo, min(hi, int(raw)))
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"Tham số {name} phải là số nguyên.") from None


# ---- users ------------------------------------------------------------------------

@bp.get("/users")
@require({"admin"})
def users_list():
    with _lobby().store.read() as session:
        seen = last_logins(session)
        items = [user_json(u, seen.get(u.name)) for u in accounts.list_users(session)]
    return jsonify({"items": items})


@bp.post("/users")
@require({"admin"})
def users_create():
    data = _body()
    for key in ("name", "role", "password"):
        if not isinstance(data.get(key), str):
            raise ApiError(422, "validation_failed", f"Thiếu trường {key} (chuỗi).")
    try:
        user = create_user(_lobby(), _actor(), data["name"], data["role"], data["password"])
    except AccountExists as exc:
        raise ApiError(409, "conflict", str(exc)) from None
    except AccountError as exc:
        raise _refused(exc) from None
    return jsonify(user), 201


@bp.patch("/users/<int:user_id>")
@require({"admin"})
def users_update(user_id: int):
    data = _body()
    unknown = set(data) - {"role", "active", "password"}
    if unknown:
        raise ApiError(422, "validation_failed",
                       "Chỉ sửa được role, active, password; không có: "
                       + ", ".join(sorted(unknown)))
    if "active" in data and not isinstance(data["active"], bool):
        raise ApiError(422, "validation_failed", "active phải là true hoặc false.")
    for key in ("role", "password"):
        if key in data and not isinstance(data[key], str):
            raise ApiError(422, "validation_failed", f"{key} phải là chuỗi.")
    try:
        user = update_user(_lobby(), _actor(), user_id, role=data.get("role"),
                           active=data.get("active"), password=data.get("password"))
    except AccountNotFound as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    except AccountError as exc:
        raise _refused(exc) from None
    return jsonify(user)


# ---- audit ---------------------------------------------------------------------------

@bp.get("/audit")
@require({"admin"})
def audit_list():
    lobby = _lobby()
    try:
        query = query_from_args(request.args, lobby.clock.tz)
    except ValueError:
        raise ApiError(400, "invalid_parameter",
                       "since/until phải là ngày (YYYY-MM-DD) hoặc thời điểm ISO 8601.") from None
    limit = _int("limit", 100, 1, 500)
    offset = _int("offset", 0, 0, 10**9)
    with lobby.store.read() as session:
        rows, total = find_entries(session, query, limit=limit, offset=offset)
        items = [entry_json(e) for e in rows]
    return jsonify({"items": items, "total": total, "limit": limit, "offset": offset})
