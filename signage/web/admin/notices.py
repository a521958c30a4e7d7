"""/admin/notices: the notice list, the forms with live preview, review, history.

The pages read through the queries of signage.usecases.notices; every change they make
goes through /api/v1 (signage/static/admin-notices.js calls `SignageAdmin.api`), that
is through the same use cases, so the page and the API can never disagree, and the
role checks are the use cases'.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from signage.errors import NotFound
from signage.notices.render import CHANNEL_LABELS, COPY_LABELS
from signage.notices.schema import LABELS, RESULTS_TITLE
from signage.usecases import APPROVERS, EDITORS
from signage.usecases import notices as uc
from signage.usecases.office import office
from signage.usecases.zones import list_zones
from signage.web.admin import NAV, NavItem, bp, roles
from signage.web.admin.views import KIND_LABELS, lobby

PAGE_SIZE = 50

# The notice's overall state and a revision's, as staff read them.
STATUS = {
    "approved": _l("Đang hiển thị"),
    "draft": _l("Bản nháp"),
    "review": _l("Chờ duyệt"),
    "rejected": _l("Bị trả lại"),
    "superseded": _l("Đã thay bằng bản sau"),
}
REVISION_STATUS = {**STATUS, "approved": _l("Đã duyệt")}
LIST_STATUSES = ("approved", "draft", "review", "rejected")  # what the list filters by
NEW_TITLES = {"procedure": _l("Thêm thủ tục hành chính"), "law": _l("Thêm tin tuyên truyền pháp luật"),
              "results": _l("Thêm trang kết quả đánh giá sự hài lòng")}
# Form and diff labels, in the visitor's language (the schema's LABELS are Vietnamese).
FIELD_LABELS = {
    "code": _l("Mã thủ tục"),
    "decision": _l("Quyết định công bố"),
    "portal_date": _l("Ngày bản ghi trên Cổng Dịch vụ công quốc gia"),
    "title": _l("Tên"),
    "field": _l("Lĩnh vực"),
    "level": _l("Cấp thực hiện"),
    "subjects": _l("Đối tượng thực hiện"),
    "agency": _l("Cơ quan thực hiện"),
    "summary": _l("Tóm tắt"),
    "steps": _l("Trình tự thực hiện"),
    "channels": _l("Cách thức thực hiện"),
    "documents": _l("Thành phần hồ sơ"),
    "conditions": _l("Yêu cầu, điều kiện"),
    "result": _l("Kết quả thực hiện"),
    "legal_bases": _l("Căn cứ pháp lý"),
    "online_url": _l("Đường dẫn dịch vụ công trực tuyến"),
    "slug": _l("Mã định danh (slug)"),
    "body": _l("Nội dung"),
    "legal_ref": _l("Căn cứ pháp luật"),
    "image": _l("Hình ảnh"),
    "ticker": _l("Dòng chữ chạy"),
    "note": _l("Ghi chú dưới biểu đồ"),
    "services": _l("Số dịch vụ tối đa trên biểu đồ"),
}
CHANNEL_NAMES = {"truc_tiep": _l("Trực tiếp"), "truc_tuyen": _l("Trực tuyến"),
                 "buu_chinh": _l("Dịch vụ bưu chính")}
COPY_NAMES = {"original": _l("Bản chính"), "copy": _l("Bản sao"),
              "either": _l("Bản chính hoặc bản sao")}


class ReviewNavLabel:
    """"Chờ duyệt" in the navigation, with how many notices wait (counted per page view)."""

    def _count(self) -> int:
        return lobby().query(uc.count_in_review)

    def __str__(self) -> str:
        return _("Chờ duyệt")

    def __html__(self) -> str:
        count = self._count()
        badge = Markup(' <span class="nav-count" data-test="review-count">{}</span>').format(
            count) if count else ""
        return str(escape(str(self)) + badge)


NAV.append(NavItem("admin.notices_review", ReviewNavLabel(), APPROVERS, 25))


def _words() -> dict[str, Any]:
    """What the script writes, in the visitor's language ({n}, {label} are placeholders)."""
    return {
        "saving": _("Đang lưu…"),
        "checking": _("Đang kiểm tra…"),
        "valid": _("Hợp lệ: sẵn sàng lưu."),
        "problems": _("Cần sửa {n} chỗ trước khi lưu."),
        "fix_first": _("Chưa lưu được: xem các chỗ đánh dấu đỏ."),
        "required": _("không được để trống."),
        # Worded as the server words them (signage.notices.schema, signage.validation).
        "pattern_code": _("chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới và bắt đầu bằng "
                          "chữ hoặc số (ví dụ: 1.001193)."),
        "item": _("mục %(n)s", n="{n}"),
        "at_least_one": _("phải có ít nhất %(n)s mục.", n=1),
        "page": _("Trang {i}/{n}"),
        "preview_error": _("Không xem trước được: {message}"),
        "confirm_remove": _("Xóa dòng này?"),
        "leave": _("Có thay đổi chưa lưu. Rời trang?"),
        "reason_required": _("Cần ghi lý do trả lại."),
        "uploading": _("Đang tải ảnh lên…"),
        "uploaded": _("Đã tải ảnh lên."),
        "no_images": _("Chưa có ảnh nào trên máy chủ: hãy tải ảnh lên."),
        "choose": _("Chọn ảnh này"),
        "done": _("Xong."),
    }


def _zones() -> list[dict[str, str]]:
    return [{"slug": z["slug"], "name": z["name"]} for z in lobby().query(list_zones)]


def _preview_zone(zones: list[dict[str, str]], held: list[str]) -> dict[str, Any]:
    """The zone whose layout the preview takes: one that shows the notice (else the first):
    with its queue panel and ticker, a notice pages as it does on that zone's TVs."""
    slug = next(iter(held), zones[0]["slug"] if zones else None)
    return {"preview_zone": slug,
            "preview_zone_name": next((z["name"] for z in zones if z["slug"] == slug), None)}


def _common() -> dict[str, Any]:
    return {"STATUS": STATUS, "REVISION_STATUS": REVISION_STATUS, "FIELD_LABELS": FIELD_LABELS,
            "CHANNEL_NAMES": CHANNEL_NAMES, "COPY_NAMES": COPY_NAMES,
            "can_approve": current_user.role in APPROVERS}


# ---- the list ---------------------------------------------------------------------------

@bp.get("/notices")
@roles(EDITORS)
def notices():
    args = request.args
    kind = args.get("kind") if args.get("kind") in KIND_LABELS else None
    status = args.get("status") if args.get("status") in LIST_STATUSES else None
    page = max(1, args.get("page", 1, type=int) or 1)
    found = lobby().query(uc.notices_page, {
        "kind": kind, "q": args.get("q"), "status": status, "field": args.get("field") or None,
        "zone": args.get("zone") or None, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    zones = _zones()
    names = {z["slug"]: z["name"] for z in zones}
    pages = max(1, (found["total"] + PAGE_SIZE - 1) // PAGE_SIZE)
    return render_template("admin/notices/list.html", items=found["items"],
                           total=found["total"], page=page, pages=pages, zones=zones,
                           zone_names=names, fields=found["fields"], args=args, **_common())


# ---- the forms ---------------------------------------------------------------------------

def _blank(kind: str) -> dict[str, Any]:
    if kind == "results":
        return {"kind": "results", "title": RESULTS_TITLE, "slug": "", "note": "", "services": 5}
    if kind == "law":
        return {"kind": "law", "title": "", "slug": "", "body": "", "legal_ref": "", "image": "",
                "ticker": ""}
    return {"kind": "procedure", "code": "", "title": "", "field": "", "level": "Cấp xã",
            "decision": "", "portal_date": None, "subjects": "", "agency": "", "summary": "", "steps": [],
            "channels": [{"channel": "truc_tiep", "deadline": "", "fee": "", "note": ""}],
            "documents": [{"name": "", "form": "", "quantity": 1, "copy": "original",
                           "required": True, "note": ""}],
            "conditions": "", "result": "", "legal_bases": [], "online_url": ""}


def _form(record: dict[str, Any], notice: dict[str, Any] | None = None,
          pending: dict[str, Any] | None = None, live: int | None = None,
          held: list[str] | None = None):
    zones = _zones()
    fields = lobby().query(uc.fields_in_use)
    data = {
        "id": notice["id"] if notice else None,
        "kind": record["kind"],
        "version": notice["version"] if notice else None,
        "pending": {"number": pending["number"]} if pending else None,
        "record": record,
        "api": url_for("api_notices.list_notices"),
        "preview_api": url_for("api_notices.preview_notice"),
        "edit_url": url_for("admin.notice_edit", notice_id=0),
        "words": _words(),
        "labels": {k: str(v) for k, v in FIELD_LABELS.items()},
        "schema_labels": _schema_labels(),
        "images_api": url_for("api_images.list_images"),
    }
    return render_template(
        f"admin/notices/form_{record['kind']}.html", record=record, notice=notice,
        pending=pending, live=live, held=held or [], zones=zones, fields=fields, data=data,
        **_preview_zone(zones, held or []),
        image_max_mb=f"{lobby().settings.image_max_bytes / 1024 / 1024:.3g}",
        saved=request.args.get("saved"), new_title=NEW_TITLES[record["kind"]], **_common())


def _schema_labels() -> dict[str, str]:
    # The page's own checks word their messages as the server does: the schema's labels,
    # in the visitor's language.
    return {name: _(label) for name, label in LABELS.items()}


@bp.get("/notices/new")
@roles(EDITORS)
def notice_new():
    kind = request.args.get("kind", "procedure")
    if kind not in KIND_LABELS:
        abort(404)
    return _form(_blank(kind))


@bp.get("/notices/<int:notice_id>")
@roles(EDITORS)
def notice_edit(notice_id: int):
    try:
        form = lobby().query(uc.notice_form, notice_id)
    except NotFound:
        abort(404)
    return _form(form["record"], form["notice"], form["pending"], form["live"], form["held"])


# ---- preview frame -------------------------------------------------------------------------

@bp.get("/notices/preview")
@roles(EDITORS)
def notice_preview_frame():
    """The TV stage in a frame: screen.css + slides.js; the slide arrives by postMessage.
    With ?zone=<slug>, the stage holds what that zone's screens hold besides the slides
    (its queue panel and ticker, as they are now), so the notice pages as it does there."""
    orientation = request.args.get("orientation", "landscape")
    if orientation not in ("landscape", "portrait"):
        orientation = "landscape"
    zone = request.args.get("zone")
    parts = (lobby().publisher.zone_parts(zone) if zone else None) or {}
    return render_template("admin/notices/preview_frame.html", orientation=orientation,
                           office=lobby().query(office), ticker_mode=lobby().settings.ticker,
                           layout={"queue": parts.get("queue"), "ticker": parts.get("ticker") or []})


# ---- review and history ----------------------------------------------------------------

@bp.get("/review")
@roles(APPROVERS)
def notices_review():
    return render_template("admin/notices/review_queue.html",
                           queue=lobby().query(uc.review_queue), **_common())


def _revisions_page(notice_id: int, template: str, **extra: Any):
    try:
        page = lobby().query(uc.history, notice_id, request.args.get("from", type=int),
                             request.args.get("to", type=int))
    except NotFound:
        abort(404)
    return render_template(template, **page, **extra, **_common())


@bp.get("/notices/<int:notice_id>/review")
@roles(APPROVERS)
def notice_review(notice_id: int):
    return _revisions_page(notice_id, "admin/notices/review.html",
                           data={"preview_api": url_for("api_notices.preview_notice"),
                                 "words": _words()},
                           **_preview_zone(_zones(), lobby().query(uc.notice_form,
                                                                   notice_id)["held"]))


@bp.get("/notices/<int:notice_id>/history")
@roles(EDITORS)
def notice_history(notice_id: int):
    return _revisions_page(notice_id, "admin/notices/history.html",
                           data={"words": _words()})


@bp.app_template_filter("notice_label")
def notice_label(field: str) -> Any:
    return FIELD_LABELS.get(field, field)


@bp.app_template_global("channel_name")
def channel_name(value: str) -> Any:
    return CHANNEL_NAMES.get(value, CHANNEL_LABELS.get(value, value))


@bp.app_template_global("copy_name")
def copy_name(value: str) -> Any:
    return COPY_NAMES.get(value, COPY_LABELS.get(value, value))
