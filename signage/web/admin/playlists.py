"""/admin/playlists/<zone> and /admin/office-hours: what each zone shows, and when.

The pages are thin: they render the page with what it needs to start (zones, the
approved notices for the picker, the translated words the script writes), and
`signage/static/admin-playlists.js` does the rest through the API (`PUT
/api/v1/zones/<slug>/playlist`, `PUT /api/v1/office-hours`, `PATCH /api/v1/office`,
`GET …/playlist/entries`, `GET …/now`), so the pages do nothing an integrator cannot.
What they read comes from the queries of signage.usecases.playlists and .office.
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from signage.errors import NotFound
from signage.usecases import ADMIN, EDITORS
from signage.usecases import office as office_uc
from signage.usecases import playlists as uc
from signage.usecases.zones import list_zones
from signage.web.admin import NAV, NavItem, bp, roles
from signage.web.admin.views import ACTION_LABELS, KIND_LABELS, actor, lobby

NAV.append(NavItem("admin.playlists", _l("Lịch trình chiếu"), EDITORS, 30))
NAV.append(NavItem("admin.office_hours", _l("Giờ làm việc"), ADMIN, 66))
ACTION_LABELS["office.welcome"] = lazy_pgettext("audit", "Sửa lời chào trên màn hình")
ACTION_LABELS["office.update"] = lazy_pgettext("audit", "Sửa tên văn phòng, lời chào")
ACTION_LABELS["office.hours"] = lazy_pgettext("audit", "Đặt giờ làm việc")

# ISO weekdays, 1 = Monday … 7 = Sunday, as the office writes them.
WEEKDAYS = {1: _l("Thứ Hai"), 2: _l("Thứ Ba"), 3: _l("Thứ Tư"), 4: _l("Thứ Năm"),
            5: _l("Thứ Sáu"), 6: _l("Thứ Bảy"), 7: _l("Chủ Nhật")}
WEEKDAYS_SHORT = {1: _l("T2"), 2: _l("T3"), 3: _l("T4"), 4: _l("T5"), 5: _l("T6"),
                  6: _l("T7"), 7: _l("CN")}


def _words() -> dict[str, Any]:
    """What the script writes, in the visitor's language (placeholders: {n}, {title}, …)."""
    return {
        "weekdays": {str(k): str(v) for k, v in WEEKDAYS.items()},
        "weekdays_short": {str(k): str(v) for k, v in WEEKDAYS_SHORT.items()},
        "kinds": {k: str(v) for k, v in KIND_LABELS.items()},
        "always": _("Chiếu mọi lúc"),
        "from": _("từ {date}"),
        "to": _("đến {date}"),
        "priority": _("ưu tiên {n}"),
        "seconds": _("{n} giây"),
        "not_approved": _("Chưa duyệt: màn hình chưa chiếu"),
        "moved": _("Đã chuyển “{title}” đến vị trí {n}."),
        "added": _("Đã thêm “{title}” vào cuối danh sách."),
        "removed": _("Đã bỏ “{title}” khỏi danh sách."),
        "in_list": _("đã có trong danh sách"),
        "no_match": _("Không có thông báo đã duyệt nào khớp."),
        "empty": _("Lịch trình chiếu trống: màn hình hiện thẻ chào mừng."),
        "loading": _("Đang tải…"),
        "saving": _("Đang lưu…"),
        "saved": _("Đã lưu. Màn hình của khu vực đã nhận danh sách mới."),
        "proposed": _("Đã gửi duyệt. Màn hình vẫn chiếu danh sách đã duyệt cho đến khi "
                      "người phê duyệt đồng ý."),
        "proposal_pending": _("Đề xuất của {author} ({n} trang chiếu, lúc {time}) đang chờ "
                              "duyệt; màn hình vẫn chiếu danh sách dưới đây."),
        "proposal_rejected": _("Đề xuất của {author} đã bị {by} trả lại: {reason}"),
        "proposal_open": _("Mở đề xuất để xem, sửa"),
        "approve": _("Duyệt đề xuất"),
        "reject": _("Trả lại"),
        "reject_reason": _("Lý do trả lại"),
        "approved": _("Đã duyệt. Màn hình của khu vực đã nhận danh sách mới."),
        "rejected": _("Đã trả lại đề xuất."),
        "dirty": _("Có thay đổi chưa lưu."),
        "leave": _("Có thay đổi chưa lưu. Rời trang?"),
        "fix_entries": _("Chưa lưu được: xem lỗi ở dòng được đánh dấu."),
        "now_slide": _("Đang chiếu"),
        "now_until": _("đến {time}"),
        "now_active": _("Đang luân phiên ({n} trang chiếu):"),
        "now_welcome": _("Không có trang chiếu nào theo lịch lúc này: màn hình hiện thẻ chào mừng."),
        "now_closed": _("Ngoài giờ làm việc: màn hình hiện thẻ “Ngoài giờ làm việc”."),
        "now_at": _("Cập nhật lúc {time}"),
        "now_all": _("Cả danh sách đang luân phiên ({n} trang chiếu)."),
        "now_legend": _("Viền xanh trong danh sách: trang đang trong lịch chiếu lúc này."),
        "no_weekday": _("Chọn ít nhất một ngày trong tuần."),
        "bad_time": _("Giờ viết theo kiểu 24 giờ, giờ:phút, ví dụ 07:30 hoặc 17:00."),
        "bad_date": _("{label}: viết ngày theo dạng ngày/tháng/năm, ví dụ 28/02/2027."),
        "starts_on": _("Từ ngày"),
        "ends_on": _("Đến ngày"),
        "hides": _("Với lịch và độ ưu tiên này, trong những lúc trang này được chiếu, các "
                   "trang sau sẽ không được chiếu ({n}):"),
        "hours_saved": _("Đã lưu giờ làm việc."),
        "hours_cleared": _("Đã bỏ giờ làm việc: màn hình luôn chiếu lịch trình chiếu."),
        "welcome_saved": _("Đã lưu lời chào. Màn hình đã nhận lời chào mới."),
        "closed_day": _("Nghỉ cả ngày"),
        "expired": _("Lịch đã hết: ngày kết thúc đã qua."),
        "count": _("{n} trang chiếu"),
        "add": _("Thêm"),
        "add_label": _("Thêm “{title}”"),
        "window_incomplete": _("Điền đủ giờ bắt đầu và giờ kết thúc của khung giờ."),
        "hours_empty": _("Chưa có khung giờ nào. Thêm giờ mở cửa, hoặc chọn “Không đặt giờ làm việc”."),
    }


@bp.get("/playlists")
@roles(EDITORS)
def playlists():
    first = lobby().query(uc.first_zone)
    if first is None:
        return render_template("admin/playlists/none.html")
    return redirect(url_for("admin.playlist", slug=first))


@bp.get("/playlists/<slug>")
@roles(EDITORS)
def playlist(slug: str):
    lob = lobby()
    try:
        page = lob.query(uc.editor_page, slug)
    except NotFound:
        abort(404)
    data = {
        "page": "playlist",
        "zone": slug,
        "api": {"entries": url_for("api_playlists.zone_entries", slug=slug),
                "save": url_for("api_playlists.put_playlist", slug=slug),
                "approve": url_for("api_playlists.approve_playlist", slug=slug),
                "reject": url_for("api_playlists.reject_playlist", slug=slug),
                "now": url_for("api_playlists.zone_now", slug=slug),
                "hidden": url_for("api_playlists.hidden_entries", slug=slug)},
        # An approver's save is the playlist at once; an editor's waits for approval.
        "approves": actor().approves,
        "notices": page["notices"],
        "today": lob.clock.now().date().isoformat(),
        "timezone": lob.settings.timezone,
        "limits": {"duration": [uc.MIN_DURATION, uc.MAX_DURATION], "priority": [-100, 100]},
        "words": _words(),
    }
    return render_template("admin/playlists/playlist.html", zone=page["zone"],
                           zones=lob.query(list_zones), office=page["office"], data=data,
                           weekdays=WEEKDAYS)


@bp.get("/office-hours")
@roles(ADMIN)
def office_hours():
    lob = lobby()
    office = lob.query(office_uc.office)
    data = {"page": "office-hours", "hours": lob.query(office_uc.office_hours)["hours"],
            "office": office,
            "defaults": {k: office_uc.OFFICE_DEFAULTS[k] for k in ("welcome_title",
                                                                   "welcome_text")},
            "limits": {k: office_uc.LIMITS[k] for k in ("welcome_title", "welcome_text")},
            "words": _words()}
    return render_template("admin/playlists/office_hours.html", data=data, office=office,
                           weekdays=WEEKDAYS)
