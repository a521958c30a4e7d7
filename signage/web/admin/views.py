"""Login, logout, language switch, the dashboard, and what every admin page shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from signage.errors import SignageError, fill
from signage.usecases import Actor
from signage.usecases.accounts import log_in, log_out
from signage.usecases.overview import dashboard as overview
from signage.web.admin import NAV, bp
from signage.web.admin.i18n import COOKIE, LANGUAGES
from signage.web.auth import StaffUser, safe_next

ROLE_LABELS = {
    "admin": _l("Quản trị viên"),
    "editor": _l("Biên tập viên"),
    "approver": _l("Người phê duyệt"),
    "operator": _l("Cán bộ quầy"),
}
KIND_LABELS = {"procedure": _l("Thủ tục hành chính"), "law": _l("Tuyên truyền pháp luật"),
               "results": _l("Kết quả đánh giá sự hài lòng")}
STATUS_LABELS = {
    "draft": _l("Bản nháp"),
    "pending": _l("Chờ duyệt"),
    "review": _l("Chờ duyệt"),
    "approved": _l("Đã duyệt"),
    "rejected": _l("Bị trả lại"),
    "archived": _l("Lưu trữ"),
}
# What the audit page calls each action; a feature adds its own (unknown ones show raw).
ACTION_LABELS: dict[str, Any] = {
    "login": lazy_pgettext("audit", "Đăng nhập"),
    "login_failed": lazy_pgettext("audit", "Đăng nhập sai"),
    "login_throttled": lazy_pgettext("audit", "Đăng nhập bị tạm chặn"),
    "logout": lazy_pgettext("audit", "Đăng xuất"),
    "user.create": lazy_pgettext("audit", "Tạo người dùng"),
    "user.role": lazy_pgettext("audit", "Đổi vai trò"),
    "user.activate": lazy_pgettext("audit", "Mở khóa tài khoản"),
    "user.deactivate": lazy_pgettext("audit", "Khóa tài khoản"),
    "user.password": lazy_pgettext("audit", "Đặt lại mật khẩu"),
    "token.create": lazy_pgettext("audit", "Cấp token API"),
    "token.revoke": lazy_pgettext("audit", "Thu hồi token API"),
    "screen.add": lazy_pgettext("audit", "Thêm màn hình"),
    "screen.revoke": lazy_pgettext("audit", "Thu hồi màn hình"),
    "kiosk.add": lazy_pgettext("audit", "Đăng ký máy lấy số"),
    "kiosk.revoke": lazy_pgettext("audit", "Thu hồi máy lấy số"),
    "playlist.propose": lazy_pgettext("audit", "Đề xuất lịch trình chiếu"),
    "playlist.approve": lazy_pgettext("audit", "Duyệt lịch trình chiếu"),
    "playlist.reject": lazy_pgettext("audit", "Trả lại lịch trình chiếu"),
    "zone.create": lazy_pgettext("audit", "Tạo khu vực"),
    "zone.rename": lazy_pgettext("audit", "Đổi tên khu vực"),
    "notice.create": lazy_pgettext("audit", "Tạo thông báo"),
    "notice.update": lazy_pgettext("audit", "Sửa thông báo"),
    "notice.delete": lazy_pgettext("audit", "Xóa thông báo"),
    "notice.submit": lazy_pgettext("audit", "Gửi duyệt"),
    "notice.approve": lazy_pgettext("audit", "Duyệt"),
    "notice.reject": lazy_pgettext("audit", "Trả lại"),
    "notice.restore": lazy_pgettext("audit", "Khôi phục phiên bản"),
    "notice.publish": lazy_pgettext("audit", "Đăng lên màn hình"),
    "notice.schedule": lazy_pgettext("audit", "Đặt lịch"),
    "image.import": lazy_pgettext("audit", "Nhập ảnh"),
}


def lobby():
    return current_app.extensions["signage"]


def actor() -> Actor:
    """The logged-in user, as use cases and the audit log know them."""
    return Actor(current_user.name, current_user.role, request.remote_addr)


def perform(usecase, *args, **kwargs):
    """Run a use case as the logged-in user (signage.lobby.Lobby.perform)."""
    return lobby().perform(usecase, actor(), *args, **kwargs)


def field_errors(exc: SignageError) -> dict[str, str]:
    """A refusal's problems by field, in the visitor's language (for inline form errors)."""
    return {p.field.split(".")[0]: fill(p.message, p.params, _) for p in exc.fields}


def message_of(exc: Exception) -> str:
    """An error users caused, in the visitor's language when the catalogue has it."""
    if isinstance(exc, SignageError):
        return exc.text(_)
    message = getattr(exc, "message", None)
    if isinstance(message, str):
        return _(message, **getattr(exc, "params", {}))
    return str(exc)


@bp.app_context_processor
def _admin_globals() -> dict[str, Any]:
    def nav() -> list[Any]:
        if not current_user.is_authenticated:
            return []
        views = current_app.view_functions
        return sorted((n for n in NAV if n.endpoint in views
                       and (n.roles is None or current_user.role in n.roles
                            or current_user.role == "admin")), key=lambda n: n.order)

    def is_current(item: Any) -> bool:
        here = url_for(item.endpoint)
        if item.endpoint == "admin.dashboard":
            return request.path == here
        return request.path == here or request.path.startswith(here.rstrip("/") + "/")

    return {"admin_nav": nav, "is_current": is_current, "ROLE_LABELS": ROLE_LABELS,
            "KIND_LABELS": KIND_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "ACTION_LABELS": ACTION_LABELS}


@bp.app_template_filter("when")
def when(value: Any) -> str:
    """A moment as the office reads it: 26/11/2026 09:05, in the office's time zone."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value, "dd/MM/yyyy HH:mm")


# ---- login and logout ----------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    target = safe_next(request.values.get("next"), url_for("admin.dashboard"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(target)
        return render_template("admin/login.html", next=target, name="")
    name = request.form.get("name", "").strip()
    outcome = lobby().perform(log_in, Actor.public("public", request.remote_addr),
                              {"name": name, "password": request.form.get("password", ""),
                               "agent": request.headers.get("User-Agent", "")[:1024]})
    staff = (StaffUser(outcome.user, outcome.session)
             if outcome.ok and outcome.user and outcome.session else None)
    if staff is None:
        if outcome.refused == "throttled":
            minutes = max(1, (outcome.retry_after + 59) // 60)
            error, status = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(n)s phút.",
                              n=minutes), 429
        else:
            error, status = _("Sai tên đăng nhập hoặc mật khẩu."), 401
        response = make_response(render_template("admin/login.html", next=target, name=name,
                                                  error=error), status)
        if outcome.refused == "throttled":
            response.headers["Retry-After"] = str(outcome.retry_after)
        return response
    # A fresh session for the logged-in user (nothing carried over from before login).
    session.clear()
    session.permanent = True
    login_user(staff)
    return redirect(target)


@bp.post("/logout")
def logout():
    perform(log_out, current_user.session_secret)
    logout_user()
    session.clear()
    flash(_("Đã đăng xuất."), "info")
    return redirect(url_for("admin.login"))


@bp.post("/language")
def language():
    """Switch the staff pages' language (a cookie, so it outlives logout)."""
    lang = request.form.get("lang")
    target = safe_next(request.form.get("next"), url_for("admin.dashboard"))
    response = redirect(target)
    if lang in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response


# ---- dashboard --------------------------------------------------------------------

@bp.get("/")
def dashboard():
    lob = lobby()
    data = lob.query(overview, recent=8 if current_user.role == "admin" else 0)
    connected = lob.publisher.connected_by_zone()
    for zone in data["zones"]:
        zone["connected"] = connected.get(zone["slug"], 0)
    return render_template("admin/dashboard.html", connected=lob.publisher.connected_screens(),
                           **data)


# ---- errors -----------------------------------------------------------------------

def _error_page(status: int, title: str, message: str):
    return render_template("admin/error.html", status=status, title=title,
                           message=message), status


@bp.errorhandler(403)
def forbidden(exc: Exception):
    return _error_page(
        403, _("Không có quyền"),
        _("Tài khoản của bạn không được mở trang này. Nếu cần, hãy hỏi quản trị viên."))


@bp.errorhandler(404)
def not_found(exc: Exception):
    return _error_page(404, _("Không tìm thấy"), _("Trang hoặc mục bạn tìm không có."))


def csrf_failed_page(exc: Exception):
    """A form without a valid CSRF token (e.g. an old tab after logout): say what to do."""
    g.csrf_failed = True
    return _error_page(400, _("Phiên làm việc đã hết hạn"),
                       _("Biểu mẫu này đã cũ hoặc không hợp lệ. Hãy tải lại trang rồi thử lại."))
