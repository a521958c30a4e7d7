"""/admin/fleet: every lobby screen, live — connected or last seen, what it shows, the
version of its files, resolution, uptime, reconnects today, round trip, clock, sound.

The page reads nothing by polling: js/admin-fleet.js opens the admin's own socket
(`WS /ws/admin`, signage.web.fleet) and follows it. Approvers see it too, to reload one
screen, a zone or all (`POST /api/v1/screens/reload`); identify and screenshots are the
admins'.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from signage.usecases.zones import list_zones
from signage.web.admin import NAV, NavItem, bp, roles
from signage.web.admin.views import lobby

NAV.append(NavItem("admin.fleet", _l("Tình trạng màn hình"), frozenset({"admin", "approver"}),
                   61))


def _words() -> dict[str, Any]:
    """What the script writes, in the visitor's language (placeholders: {n}, {when}, …)."""
    return {
        "connected": _("Đang kết nối"),
        "connected_n": _("Đang kết nối ({n})"),
        "offline": _("Không kết nối"),
        "stale": _("Mất liên lạc"),
        "never": _("Chưa từng kết nối"),
        "seen": _("Lần cuối: {when}"),
        "showing": _("Đang chiếu"),
        "idle": _("Thẻ chào mừng"),
        "closed": _("Ngoài giờ làm việc"),
        "unknown": _("—"),
        "resolution": _("Độ phân giải"),
        "version": _("Phiên bản trang"),
        "version_old": _("{v} (cũ: cần tải lại)"),
        "uptime": _("Đã chạy"),
        "reconnects": _("Kết nối lại hôm nay"),
        "rtt": _("Độ trễ"),
        "clock": _("Lệch đồng hồ"),
        "sound": _("Âm thanh"),
        "sound_on": _("Bật"),
        "sound_off": _("Tắt (cần bấm nút trên TV)"),
        "ms": _("{n} ms"),
        "s": _("{n} giây"),
        "min": _("{n} phút"),
        "h": _("{n} giờ"),
        "d": _("{n} ngày"),
        "summary": _("{connected} đang kết nối · {stale} mất liên lạc · {total} màn hình"),
        "live": _("Trực tuyến"),
        "away": _("Mất kết nối tới máy chủ…"),
        "none": _("Chưa có màn hình nào. Thêm hoặc ghép màn hình ở trang Màn hình."),
        "reload": _("Tải lại"),
        "identify": _("Nhận diện"),
        "screenshot": _("Chụp màn hình"),
        "screenshotting": _("Đã yêu cầu “{name}” chụp màn hình; ảnh hiện ở đây trong vài giây."),
        "screenshot_of": _("Ảnh chụp màn hình “{name}”"),
        "screenshot_at": _("Ảnh chụp {when} trước"),
        "reloading": _("Đã yêu cầu “{name}” tải lại trang."),
        "identifying": _("“{name}” đang hiện tên của nó trong 10 giây."),
        "reloading_all": _("Đã yêu cầu mọi màn hình tải lại trang."),
        "confirm_all": _("Tải lại trang trên mọi màn hình? Màn hình sẽ trắng trong giây lát."),
        "reloading_zone": _("Đã yêu cầu các màn hình của khu vực “{zone}” tải lại trang."),
        "confirm_zone": _("Tải lại trang trên mọi màn hình của khu vực “{zone}”? Màn hình sẽ "
                          "trắng trong giây lát."),
    }


@bp.get("/fleet")
@roles({"admin", "approver"})
def fleet():
    from signage.resources import static_version

    data = {"words": _words(), "client_version": static_version(),
            "admin": current_user.role == "admin"}
    zones = lobby().query(list_zones)
    return render_template("admin/fleet.html", data=data, zones=zones)
