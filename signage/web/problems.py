"""The one error handler: the error hierarchy (signage.errors) as JSON or as a page.

API calls and fetch() requests that asked for JSON get
`{"error": {"code", "message", "field"?, "details"?, ...extra}}` with the status
below; a person navigating gets a page. Messages are translated here, into the
visitor's language (signage.web.admin.i18n: the language switch's cookie, else
`Accept-Language` on the API, else Vietnamese).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from signage.errors import (
    N_,
    BadRequest,
    Conflict,
    Forbidden,
    Invalid,
    InvalidState,
    NotFound,
    SignageError,
    TooLarge,
    TooMany,
    Unauthenticated,
    Unavailable,
)
from signage.web.headers import policy

STATUS: dict[type[SignageError], int] = {
    BadRequest: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    InvalidState: 409,
    Invalid: 422,
    TooLarge: 413,
    TooMany: 429,
    Unavailable: 503,
}

# Werkzeug's own refusals (unknown route, wrong method, body too large), in our words.
HTTP_MESSAGES = {
    400: N_("Yêu cầu không hợp lệ."),
    401: N_("Cần đăng nhập (Authorization: Bearer <token>)."),
    403: N_("Không có quyền thực hiện thao tác này."),
    404: N_("Không tìm thấy."),
    405: N_("Phương thức không được hỗ trợ."),
    409: N_("Xung đột dữ liệu."),
    413: N_("Dữ liệu gửi lên quá lớn."),
    415: N_("Cần gửi JSON (Content-Type: application/json)."),
    422: N_("Dữ liệu không hợp lệ."),
    429: N_("Quá nhiều yêu cầu, vui lòng thử lại sau."),
    500: N_("Lỗi máy chủ."),
    503: N_("Dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau."),
}


def status_of(exc: SignageError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def translate(message: str) -> str:
    return gettext(message)


def error_json(exc: SignageError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": exc.code, "message": exc.text(translate)}
    if exc.fields:
        body["field"] = exc.fields[0].field
        body["details"] = [p.as_json(translate) for p in exc.fields]
    body.update(exc.extra)
    return {"error": body}


def wants_json() -> bool:
    """An API call or a fetch() that asked for JSON (not a page a person navigates to)."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(status: int, code: str, message: str, **extra: Any):
    """A JSON error built by hand (auth, CSRF): the same shape as the hierarchy's."""
    return jsonify({"error": {"code": code, "message": message, **extra}}), status


def respond(exc: SignageError):
    status = status_of(exc)
    headers = {}
    if isinstance(exc, TooMany | Unavailable):
        headers["Retry-After"] = str(exc.retry_after)
    if wants_json():
        return jsonify(error_json(exc)), status, headers
    page, status, page_headers = error_page(status, exc.text(translate))
    return page, status, {**page_headers, **headers}


# The public error page's own style, inline so the page shows even when static files are
# what failed; allowed by its hash in the page's Content-Security-Policy.
ERROR_CSS = (Path(__file__).with_name("error_page.css")).read_text(encoding="utf-8")
ERROR_CSP = policy(**{"style-src": "'sha256-"
                      + base64.b64encode(hashlib.sha256(ERROR_CSS.encode()).digest()).decode()
                      + "'"})


def error_page(status: int, message: str):
    """A page for a person: the staff layout under /admin, the public one elsewhere."""
    title = {403: gettext("Không có quyền"), 404: gettext("Không tìm thấy"),
             503: gettext("Dịch vụ tạm thời gián đoạn")}.get(status, gettext("Không thực hiện được"))
    if request.path.startswith("/admin"):
        return render_template("admin/error.html", status=status, title=title,
                               message=message), status, {}
    page = render_template("error.html", status=status, title=title, message=message,
                           error_css=Markup(ERROR_CSS))
    return page, status, {"Content-Security-Policy": ERROR_CSP}


def register(app: Flask) -> None:
    @app.errorhandler(SignageError)
    def _signage_error(exc: SignageError):
        return respond(exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        if not wants_json():
            if status < 400:
                return exc
            # A person, not a program: our page in their language, never Werkzeug's
            # English one (a TV in kiosk mode would stay on it for good).
            return error_page(status, gettext(HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])))
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(status, code,
                              gettext(HTTP_MESSAGES.get(status, exc.description or "")))
