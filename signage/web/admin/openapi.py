"""OpenAPI paths of the admin API (merged into signage.web.openapi's document)."""

from __future__ import annotations

from typing import Any


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


ERROR = {"$ref": "#/components/schemas/Error"}
ADMIN_ONLY = {
    "401": _json(ERROR, "Thiếu hoặc sai token / chưa đăng nhập"),
    "403": _json(ERROR, "Chỉ quản trị viên (admin)"),
}
ROLE = {"enum": ["admin", "editor", "approver", "operator"]}
USER = {"type": "object", "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"}, "role": ROLE,
    "active": {"type": "boolean"},
    "created_at": {"type": "string", "format": "date-time"},
    "last_login_at": {"type": ["string", "null"], "format": "date-time"}}}
ZONE = {"type": "object", "properties": {
    "id": {"type": "integer"}, "slug": {"type": "string"}, "name": {"type": "string"},
    "screens": {"type": "integer"}}}
AUDIT_ENTRY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
    "actor": {"type": "string", "description": "user name, or cli / system"},
    "action": {"type": "string", "examples": ["login", "login_failed", "user.create",
                                              "screen.revoke", "notice.update"]},
    "target": {"type": "string", "examples": ["user:lan", "screen:3", "notice:12"]},
    "details": {"type": "object"}, "ip": {"type": ["string", "null"]}}}
SESSION_NOTE = ("Bearer token, or the staff session cookie from /admin/login plus the "
                "X-CSRFToken header on writes.")


def admin_paths() -> dict[str, Any]:
    return {
        "/users": {
            "get": {"summary": "Staff accounts (admin)", "description": SESSION_NOTE,
                    "responses": {"200": _json({"type": "object", "properties": {
                        "items": {"type": "array", "items": USER}}}), **ADMIN_ONLY}},
            "post": {"summary": "Add a staff account (admin)",
                     "requestBody": _body({
                         "type": "object", "required": ["name", "role", "password"],
                         "properties": {"name": {"type": "string"}, "role": ROLE,
                                        "password": {"type": "string", "minLength": 8}}}),
                     "responses": {"201": _json(USER, "Created"),
                                   "409": _json(ERROR, "Name taken"),
                                   "422": _json(ERROR, "Invalid"), **ADMIN_ONLY}},
        },
        "/users/{user_id}": {
            "parameters": [{"name": "user_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "patch": {"summary": "Change role, deactivate/reactivate, or reset password (admin)",
                      "description": "A new password ends the user's open sessions.",
                      "requestBody": _body({"type": "object", "properties": {
                          "role": ROLE, "active": {"type": "boolean"},
                          "password": {"type": "string", "minLength": 8}}}),
                      "responses": {"200": _json(USER), "404": _json(ERROR),
                                    "422": _json(ERROR, "Invalid, or the last admin"),
                                    **ADMIN_ONLY}},
        },
        "/zones/{slug}": {
            "parameters": [{"name": "slug", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "patch": {"summary": "Rename a zone (admin)",
                      "requestBody": _body({"type": "object", "required": ["name"],
                                            "properties": {"name": {"type": "string"}}}),
                      "responses": {"200": _json(ZONE), "404": _json(ERROR),
                                    "422": _json(ERROR), **ADMIN_ONLY}},
        },
        "/screens/{screen_id}": {
            "parameters": [{"name": "screen_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "delete": {"summary": "Revoke a screen (admin): its key stops working and its open "
                                  "sockets are closed with 1008",
                       "responses": {"200": _json({"type": "object", "properties": {
                           "id": {"type": "integer"}, "revoked": {"type": "boolean"},
                           "dropped": {"type": "integer"}}}),
                           "404": _json(ERROR), **ADMIN_ONLY}},
        },
        "/audit": {
            "get": {"summary": "The audit log, newest first (admin)", "parameters": [
                {"name": "actor", "in": "query", "schema": {"type": "string"}},
                {"name": "action", "in": "query", "schema": {"type": "string"},
                 "description": "exact, or a family ending in '.' (user.)"},
                {"name": "target", "in": "query", "schema": {"type": "string"}},
                {"name": "since", "in": "query", "schema": {"type": "string"},
                 "description": "YYYY-MM-DD (office day) or ISO 8601"},
                {"name": "until", "in": "query", "schema": {"type": "string"},
                 "description": "YYYY-MM-DD (whole day included) or ISO 8601 (exclusive)"},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                {"name": "offset", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "items": {"type": "array", "items": AUDIT_ENTRY},
                    "total": {"type": "integer"}, "limit": {"type": "integer"},
                    "offset": {"type": "integer"}}}),
                    "400": _json(ERROR), **ADMIN_ONLY}},
        },
    }


def zone_create() -> dict[str, Any]:
    """POST /zones, merged into the existing /zones path item."""
    return {"summary": "Create a zone (admin)",
            "requestBody": _body({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$",
                         "description": "made from the name when left out"}}}),
            "responses": {"201": _json(ZONE, "Created"), "409": _json(ERROR, "Slug taken"),
                          "422": _json(ERROR), **ADMIN_ONLY}}
